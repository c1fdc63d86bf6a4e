#pragma once

#include "inventory/vminfo.h"
#include "topologystyle.h"

#include <QCoreApplication>
#include <QGraphicsItem>
#include <QHash>

namespace Vigie {

class NicLinkItem;

// A VM in its host: state colour, name, tenant, size, one port per NIC with its link to the
// VLAN lane. Selectable; dragged by the scene (not QDrag) onto a host or a lane.
class VmChipItem : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(VmChipItem)

public:
    explicit VmChipItem(const VmKey &key, QGraphicsItem *host);

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
    };
    // NIC ports are rebuilt only when they change; links are created here, placed by the scene.
    void setVm(const VmInfo &vm, const QString &hostName, const QList<Port> &ports, const QStringList &vlanNames);
    [[nodiscard]] QList<NicLinkItem *> links() const { return m_links; }
    [[nodiscard]] const QList<Port> &ports() const { return m_ports; }
    // Spreads ports of chips above each other, so their links do not run on top of each other.
    void setPortOffset(qreal offset) { m_portOffset = offset; }
    [[nodiscard]] qreal portX(int index) const;
    // The MAC of the NIC port at ITEM_POS (a little larger than drawn, to be grabbed), or empty.
    [[nodiscard]] QString portMacAt(const QPointF &itemPos) const;
    // Stretches each link down to its lane (scene y by VLAN id); a VLAN without lane: no link.
    void placeLinks(const QHash<int, qreal> &laneY);

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

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    [[nodiscard]] bool lastPaintSimplified() const { return m_lastSimplified; }

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    void updateToolTip(const QString &hostName, const QStringList &vlanNames);
    void updateOpacity();

    VmKey m_key;
    VmInfo m_vm;
    QList<Port> m_ports;
    QList<NicLinkItem *> m_links;
    qreal m_portOffset = 0;
    bool m_filterActive = false;
    bool m_filterMatch = true;
    QString m_migrationDest;
    QString m_arrivalSource;
    double m_migrationPercent = 0;
    int m_animationPhase = 0;
    bool m_lastSimplified = false;
};

} // namespace Vigie
