#include "sparklinedelegate.h"

#include "inventory/vminfo.h"
#include "itemmodels/roles.h"
#include "metrics/metricsstore.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>

#include <cmath>

namespace Vigie {

SparklineDelegate::SparklineDelegate(MetricsStore *store, VmMetric metric, int windowSeconds, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_store(store)
    , m_metric(metric)
    , m_windowS(std::max(windowSeconds, 2))
{
}

QList<QPolygonF> SparklineDelegate::sparkline(const QList<double> &values, const QRectF &rect, double top)
{
    QList<QPolygonF> runs;
    if (values.size() < 2 || top <= 0 || rect.width() <= 0)
        return runs;
    const double step = rect.width() / double(values.size() - 1);
    QPolygonF run;
    for (qsizetype i = 0; i < values.size(); ++i) {
        const double v = values.at(i);
        if (std::isnan(v)) {
            if (run.size() > 1)
                runs.append(run);
            run.clear();
            continue;
        }
        const double y = rect.bottom() - std::clamp(v / top, 0.0, 1.0) * rect.height();
        run.append(QPointF(rect.left() + double(i) * step, y));
    }
    if (run.size() > 1)
        runs.append(run);
    return runs;
}

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const VmKey key{index.data(HostUriRole).toString(), index.data(UuidRole).toString()};
    const QRect cell = option.rect.adjusted(3, 3, -3, -3);
    const int textWidth = option.fontMetrics.horizontalAdvance(QStringLiteral("100.0 %")) + 4;
    const QRectF lineRect(cell.left(), cell.top(), std::max(cell.width() - textWidth, 0), cell.height());

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    if (lineRect.width() > 16 && key.isValid()) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const MetricSeries series = m_store->series(key, m_metric, now - qint64(m_windowS) * 1000, now + 1000);
        // CPU is a share of the VM's vCPUs: a fixed 0-100 scale makes rows comparable.
        double top = metricUnit(m_metric) == MetricUnit::Percent ? 100.0 : 0.0;
        for (double v : series.values) {
            if (!std::isnan(v))
                top = std::max(top, v);
        }
        // Stale figures, or a VM now off: its past minutes drawn greyed.
        const QVariant state = index.data(VmStateRole);
        const bool off = state.isValid() && (VmState(state.toInt()) == VmState::Shutoff || VmState(state.toInt()) == VmState::Crashed);
        const bool stale = off || m_store->staleSince(key, now).has_value();
        const bool selected = option.state & QStyle::State_Selected;
        QColor colour = stale ? option.palette.color(QPalette::Disabled, QPalette::Text)
                        : selected ? option.palette.color(QPalette::HighlightedText)
                                   : QColor(0x2e, 0x7d, 0xd7);
        painter->setPen(QPen(colour, 1.0)); // wider pens cost tens of times more to stroke
        for (const QPolygonF &run : sparkline(series.values, lineRect, top))
            painter->drawPolyline(run);
    }
    painter->setPen(option.palette.color(option.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(cell, Qt::AlignRight | Qt::AlignVCenter, text);
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), 120));
    return size;
}

} // namespace Vigie
