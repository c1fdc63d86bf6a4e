#pragma once

#include "inventory/hostinfo.h"
#include "topologystyle.h"

#include <QCoreApplication>
#include <QGraphicsItem>

namespace Vigie {

class RatingBadgeItem;

// A hypervisor host in the topology: a container for its VM chips, with its connection state
// and capacity bars (vCPUs and memory committed to active VMs against the physical ones).
class HostItem : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(HostItem)

public:
    explicit HostItem(const QString &uri);

    enum { Type = TopologyStyle::HostType };
    [[nodiscard]] int type() const override { return Type; }

    [[nodiscard]] QString uri() const { return m_uri; }
    [[nodiscard]] const HostInfo &host() const { return m_host; }
    void setHost(const HostInfo &host, int committedVcpus, quint64 committedMemoryKiB, int vmCount);
    void setMaintenance(bool maintenance);
    [[nodiscard]] bool inMaintenance() const { return m_maintenance; }
    [[nodiscard]] bool isReachable() const { return m_host.state == ConnectionState::Connected; }

    void setSize(const QSizeF &size);
    // The chips' area, in item coordinates.
    [[nodiscard]] QRectF bodyRect() const;

    // While a VM is dragged: whether it may be dropped here, and why not.
    void setDropState(TopologyStyle::DropState state, const QString &reason = {});
    [[nodiscard]] TopologyStyle::DropState dropState() const { return m_dropState; }
    [[nodiscard]] QString dropReason() const { return m_dropReason; }

    // While VMs are dragged: the host's placement score (0-100), the best host outlined; a
    // negative score hides it. The reason goes in the drop reason (the tooltip).
    void setRating(int score, bool best = false);
    [[nodiscard]] int rating() const;
    [[nodiscard]] bool isBestRated() const;

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    // What the last paint drew, for tests: true when simplified (zoomed out).
    [[nodiscard]] bool lastPaintSimplified() const { return m_lastSimplified; }

private:
    void updateToolTip();
    void paintBar(QPainter *painter, const QRectF &rect, double ratio, const QString &label) const;

    QString m_uri;
    HostInfo m_host;
    int m_committedVcpus = 0;
    quint64 m_committedMemoryKiB = 0;
    int m_vmCount = 0;
    bool m_maintenance = false;
    QSizeF m_size{300, 120};
    TopologyStyle::DropState m_dropState = TopologyStyle::DropState::None;
    QString m_dropReason;
    bool m_lastSimplified = false;
    RatingBadgeItem *m_rating = nullptr; // a child: deleted with the host
};

} // namespace Vigie
