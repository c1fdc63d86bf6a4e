#pragma once

#include "inventory/vminfo.h"
#include "topologystyle.h"

#include <QCoreApplication>
#include <QGraphicsItem>
#include <QPolygonF>
#include <QStaticText>

namespace Vigie {

class NicLinkItem;

// A VM in its host: state stripe, name, tenant, size, and one coloured badge per NIC naming its
// VLAN (the NIC's port: dragged alone onto a lane it moves that NIC). The links to the lanes are
// drawn only while the chip is selected or hovered, routed by the scene beside the host.
// Selectable; dragged by the scene (not QDrag) onto a host or a lane.
class VmChipItem : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(VmChipItem)

public:
    explicit VmChipItem(const VmKey &key, QGraphicsItem *host);
    ~VmChipItem() override;

    enum { Type = TopologyStyle::VmChipType };
    [[nodiscard]] int type() const override { return Type; }

    [[nodiscard]] VmKey key() const { return m_key; }
    [[nodiscard]] const VmInfo &vm() const { return m_vm; }

    struct Port
    {
        QString mac;
        int vlanId = 0; // the lane the NIC links to: a VLAN id, negative for an overlay network, 0 none
        QColor color;
        // For a NIC the network controller wires: its port, switch and binding, in words.
        QString wiring;
        QString label; // on the badge: the VLAN id, an overlay's name, "—" for none
    };
    void setVm(const VmInfo &vm, const QString &hostName, const QList<Port> &ports, const QStringList &vlanNames);
    [[nodiscard]] const QList<Port> &ports() const { return m_ports; }
    // The chip's tooltip (rich text, the outside world's words escaped), written when asked:
    // TopologyScene::helpEvent shows it (10,000 chips' texts at each refresh were a sixth of the
    // GUI thread's time while a fleet connected).
    [[nodiscard]] QString toolTipText() const;
    // NIC INDEX's badge, in item coordinates; empty when the chip has no room left to show it.
    [[nodiscard]] QRectF portRect(int index) const;
    // The MAC of the NIC whose badge is at ITEM_POS (a little larger than drawn, to be grabbed), or empty.
    [[nodiscard]] QString portMacAt(const QPointF &itemPos) const;

    // The links shown (selected or hovered chip): one route per NIC with a lane, in item
    // coordinates, from its badge to the lane. Empty: no link drawn, none kept. The links are
    // placed where the chip is now: the scene routes them again when it moves the chip.
    struct Route
    {
        int port = -1;
        QPolygonF points;
    };
    void setLinks(const QList<Route> &routes);
    [[nodiscard]] QList<NicLinkItem *> links() const { return m_links; }
    [[nodiscard]] bool isHovered() const { return m_hovered; }

    // Filter highlighting shared with the VM table: dimmed when a filter is set and this VM does
    // not match, outlined when it does.
    void setFilterState(bool filterActive, bool matches);
    [[nodiscard]] bool matchesFilter() const { return !m_filterActive || m_filterMatch; }
    void setMigration(const QString &destName, double percent); // empty name: not migrating
    [[nodiscard]] bool isMigrating() const { return !m_migrationDest.isEmpty(); }
    // The destination's copy while a migration runs (libvirt shows it paused there): drawn as
    // arriving from SOURCE_NAME, not as a second VM. Empty: a VM like any other.
    void setArrival(const QString &sourceName);
    [[nodiscard]] bool isArriving() const { return !m_arrivalSource.isEmpty(); }
    void setAnimationPhase(int phase);
    // Colouring by tenant: the chip filled with a tint of TENANT and outlined with it, the stripe
    // still its state (invalid colour: coloured by state, as by default). ISOLATION: the label of
    // the Vigie isolation group ISOLATION_GROUP its ports are in (empty: none), outlined and
    // tagged in ISOLATION_COLOR and named in the tooltip. Set before setVm(), which writes the tooltip.
    void setColours(const QColor &tenant, const QString &isolation, const QString &isolationGroup, const QColor &isolationColor);
    [[nodiscard]] QColor tenantColour() const { return m_tenantColor; }
    [[nodiscard]] QString isolation() const { return m_isolation; }

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    // What the last paint drew, for tests.
    [[nodiscard]] TopologyStyle::DetailLevel lastPaintLevel() const { return m_lastLevel; }
    // The texts as painted (elided to the chip), for tests: name, second line, size.
    [[nodiscard]] QStringList paintedTexts() const;

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    void updateOpacity();
    // Texts elided and badges placed once per change, not per frame.
    void layoutTexts() const;
    void paintNear(QPainter *painter);
    void paintMid(QPainter *painter, qreal lod);

    VmKey m_key;
    VmInfo m_vm;
    QString m_hostName;
    QStringList m_vlanNames;
    QList<Port> m_ports;
    QList<NicLinkItem *> m_links;
    bool m_hovered = false;
    bool m_filterActive = false;
    bool m_filterMatch = true;
    QString m_migrationDest;
    QString m_arrivalSource;
    double m_migrationPercent = 0;
    int m_animationPhase = 0;
    QColor m_tenantColor; // invalid: coloured by state
    QColor m_tenantTint;
    QString m_isolation;
    QString m_isolationGroup;
    QColor m_isolationColor;
    TopologyStyle::DetailLevel m_lastLevel = TopologyStyle::DetailLevel::Near;

    mutable bool m_textsDirty = true;
    mutable QStaticText m_name;
    mutable QStaticText m_second;
    mutable QStaticText m_size;
    mutable QList<QStaticText> m_badgeTexts;
    mutable QList<QRectF> m_badges; // per port; empty rect: no room
    mutable QStaticText m_more;     // "+N" when badges did not fit
    mutable QPointF m_morePos;
    mutable qreal m_sizeLeft = 0;
};

} // namespace Vigie
