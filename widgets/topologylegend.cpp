#include "topologylegend.h"

#include "displaytext.h"

#include <QPainter>

#include <algorithm>

namespace Vigie {

namespace {

constexpr int Margin = 6;
constexpr int Swatch = 10;
constexpr int MaxNameWidth = 160;

} // namespace

TopologyLegend::TopologyLegend(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("topologyLegend"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setToolTip(tr("VMs coloured by tenant; an outline and a corner in a group's colour: isolated by Vigie."));
}

void TopologyLegend::setEntries(const QList<std::pair<QString, QColor>> &entries)
{
    if (entries == m_entries)
        return;
    m_entries = entries;
    updateGeometry();
    resize(sizeHint());
    update();
}

QStringList TopologyLegend::lines() const
{
    QStringList lines{tr("Tenants")};
    for (qsizetype i = 0; i < m_entries.size() && i < MaxShown; ++i)
        lines.append(DisplayText::singleLine(m_entries.at(i).first));
    if (m_entries.size() > MaxShown)
        lines.append(tr("+%n more", nullptr, int(m_entries.size() - MaxShown)));
    if (m_entries.isEmpty())
        lines.append(tr("(no tenant)"));
    lines.append(tr("isolated group"));
    return lines;
}

QSize TopologyLegend::sizeHint() const
{
    const QFontMetrics metrics(font());
    int width = 0;
    for (const QString &line : lines())
        width = std::max(width, std::min(MaxNameWidth, metrics.horizontalAdvance(line)));
    return {Margin * 3 + Swatch + width, Margin * 2 + int(lines().size()) * (metrics.height() + 1)};
}

void TopologyLegend::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QColor(0xb8, 0xc2, 0xcc));
    painter.setBrush(QColor(255, 255, 255, 235));
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    const QFontMetrics metrics(font());
    const int step = metrics.height() + 1;
    const QStringList texts = lines();
    int y = Margin;
    const int textLeft = Margin * 2 + Swatch;
    const int textWidth = width() - textLeft - Margin;
    for (qsizetype i = 0; i < texts.size(); ++i, y += step) {
        const QRect textRect(textLeft, y, textWidth, metrics.height());
        const QRectF swatch(Margin, y + (metrics.height() - Swatch) / 2.0, Swatch, Swatch);
        QFont font = this->font();
        font.setBold(i == 0);
        painter.setFont(font);
        painter.setPen(QColor(0x1d, 0x26, 0x30));
        // Plain text, elided: tenant names come from libvirt's metadata.
        painter.drawText(i == 0 ? QRect(Margin, y, width() - 2 * Margin, metrics.height()) : textRect, Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(texts.at(i), Qt::ElideRight, i == 0 ? width() - 2 * Margin : textWidth));
        if (i == 0)
            continue;
        if (i == texts.size() - 1) {
            // The isolated group's mark: an outline and a corner.
            painter.setPen(QPen(QColor(0x5a, 0x64, 0x70), 2));
            painter.setBrush(Qt::white);
            painter.drawRoundedRect(swatch, 2, 2);
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(0x5a, 0x64, 0x70));
            const QPointF corner[] = {swatch.topRight() - QPointF(5, 0), swatch.topRight(), swatch.topRight() + QPointF(0, 5)};
            painter.drawPolygon(corner, 3);
        } else if (i - 1 < m_entries.size() && i <= MaxShown) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(m_entries.at(i - 1).second);
            painter.drawRoundedRect(swatch, 2, 2);
        }
    }
}

} // namespace Vigie
