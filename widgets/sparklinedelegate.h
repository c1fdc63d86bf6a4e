#pragma once

#include "metrics/metric.h"

#include <QStyledItemDelegate>

namespace Vigie {

class MetricsStore;

// Draws a VM's recent history of one series as a sparkline behind the cell's text (the latest
// value, right-aligned): the VM table's CPU column. The row's VM comes from HostUriRole and
// UuidRole; the figures straight from the store, so the model only signals that a tick came.
class SparklineDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    SparklineDelegate(MetricsStore *store, VmMetric metric, int windowSeconds, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The sparkline of values (NaN: gap) in rect: one polyline per run without gaps, scaled to
    // [0, top]. Public for tests.
    [[nodiscard]] static QList<QPolygonF> sparkline(const QList<double> &values, const QRectF &rect, double top);

private:
    MetricsStore *m_store;
    VmMetric m_metric;
    int m_windowS;
};

} // namespace Vigie
