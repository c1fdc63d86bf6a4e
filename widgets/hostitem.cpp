#include "hostitem.h"

#include "displaytext.h"
#include "itemmodels/vmtablemodel.h"
#include "ratingbadgeitem.h"
#include "stateicons.h"

#include <QCoreApplication>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace Vigie {

using namespace TopologyStyle;

namespace {

// A rounded rectangle whose corners would be under a pixel on screen is drawn as a plain one:
// the pixels are the same, the curves' cost is not (zoomed out, the hosts' frames and bars
// were a fifth of a 10,000-VM frame).
void drawBox(QPainter *painter, const QRectF &rect, qreal radius, qreal lod)
{
    if (radius * lod < 1.0)
        painter->drawRect(rect);
    else
        painter->drawRoundedRect(rect, radius, radius);
}

} // namespace

HostItem::HostItem(const QString &uri)
    : m_uri(uri)
{
    m_host.uri = uri;
    m_host.displayName = uri;
    // Selectable by its header: the body is the view's to pan.
    setFlag(ItemIsSelectable);
    // Its chips and its rating badge draw within its bounds: the scene's index holds the host
    // and finds them through it. With its chips indexed, every frame walked all the fleet's
    // chips in the index, zoomed out too where none is painted (bench_topology, far at 10,000
    // VMs: 4.2 -> 2.4 ms).
    setFlag(ItemContainsChildrenInShape);
    setAcceptedMouseButtons(Qt::LeftButton);
    updateToolTip();
}

void HostItem::setContents(int runningVms, const QList<VlanTick> &vlans)
{
    m_runningVms = runningVms;
    m_vlans = vlans;
    m_farLod = -1;
    update();
}

QRectF HostItem::headerRect() const
{
    if (m_lastLevel == DetailLevel::Far)
        return QRectF(QPointF(0, 0), m_size);
    return QRectF(0, 0, m_size.width(), HostHeaderHeight - 4);
}

void HostItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (!headerRect().contains(event->pos())) {
        event->ignore(); // the view pans
        return;
    }
    QGraphicsItem::mousePressEvent(event);
}

void HostItem::setHost(const HostInfo &host, int committedVcpus, quint64 committedMemoryKiB, int vmCount)
{
    m_host = host;
    m_committedVcpus = committedVcpus;
    m_committedMemoryKiB = committedMemoryKiB;
    m_vmCount = vmCount;
    m_farLod = -1;
    updateToolTip();
    update();
}

void HostItem::setMaintenance(bool maintenance)
{
    if (m_maintenance == maintenance)
        return;
    m_maintenance = maintenance;
    m_farLod = -1;
    updateToolTip();
    update();
}

void HostItem::setSize(const QSizeF &size)
{
    if (size == m_size)
        return;
    prepareGeometryChange();
    m_size = size;
}

QRectF HostItem::bodyRect() const
{
    return QRectF(HostPadding, HostHeaderHeight, m_size.width() - 2 * HostPadding,
                  m_size.height() - HostHeaderHeight - HostPadding);
}

void HostItem::setDropState(DropState state, const QString &reason)
{
    if (state == m_dropState && reason == m_dropReason)
        return;
    m_dropState = state;
    m_dropReason = reason;
    // Hosts that cannot take the VM are greyed, chips included.
    setOpacity(state == DropState::Refused ? 0.35 : 1.0);
    updateToolTip();
    update();
}

void HostItem::setRating(int score, bool best)
{
    if (score < 0) {
        if (m_rating && m_rating->isVisibleTo(this)) {
            prepareGeometryChange(); // the badge leaves the bounds
            m_rating->hide();
        }
        return;
    }
    if (m_rating && m_rating->isVisibleTo(this) && m_rating->score() == score && m_rating->isBest() == best)
        return;
    prepareGeometryChange(); // the badge's size may change
    if (!m_rating)
        m_rating = new RatingBadgeItem(this);
    m_rating->setRating(score, best);
    // On the top edge, right-aligned: the header's name and state stay readable.
    m_rating->setPos(m_size.width() - m_rating->boundingRect().width() - 8, -m_rating->boundingRect().height() / 2);
    m_rating->show();
}

int HostItem::rating() const
{
    return m_rating && m_rating->isVisible() ? m_rating->score() : -1;
}

bool HostItem::isBestRated() const
{
    return m_rating && m_rating->isVisible() && m_rating->isBest();
}

QRectF HostItem::boundingRect() const
{
    const QRectF frame(QPointF(-2, -2), m_size + QSizeF(4, 4));
    // The rating badge sits half above the top edge: within the bounds, as the host's children are.
    if (m_rating && m_rating->isVisibleTo(this))
        return frame.united(m_rating->mapRectToParent(m_rating->boundingRect()));
    return frame;
}

void HostItem::updateToolTip()
{
    if (m_dropState != DropState::None && !m_dropReason.isEmpty()) {
        setToolTip(DisplayText::toolTip(m_dropReason));
        return;
    }
    // Host name, URI, libvirt's error message and CPU model are outside text: escaped, bounded.
    QString tip = QStringLiteral("<b>%1</b><br>").arg(DisplayText::html(m_host.displayName, DisplayText::MaxLength));
    tip += tr("%1 — %2").arg(connectionStateDisplayName(m_host.state), DisplayText::html(m_host.uri, DisplayText::MaxLength));
    if (!m_host.stateMessage.isEmpty())
        tip += QStringLiteral("<br><i>%1</i>").arg(DisplayText::html(m_host.stateMessage, DisplayText::MaxLength));
    if (m_host.cpus > 0) {
        tip += QStringLiteral("<br>")
               + tr("vCPUs committed: %1 of %2 (%3 %)")
                     .arg(m_committedVcpus)
                     .arg(m_host.cpus)
                     .arg(qRound(100.0 * m_committedVcpus / m_host.cpus));
    }
    if (m_host.memoryKiB > 0) {
        tip += QStringLiteral("<br>")
               + tr("Memory committed: %1 of %2 (%3 %)")
                     .arg(formatMemoryKiB(m_committedMemoryKiB), formatMemoryKiB(m_host.memoryKiB))
                     .arg(qRound(100.0 * double(m_committedMemoryKiB) / double(m_host.memoryKiB)));
    }
    tip += QStringLiteral("<br>") + tr("%n VM(s)", nullptr, m_vmCount);
    if (!m_host.hypervisorType.isEmpty())
        tip += QStringLiteral("<br>") + DisplayText::html(QStringLiteral("%1 %2 · %3").arg(m_host.hypervisorType, m_host.hypervisorVersion, m_host.cpuModel), DisplayText::MaxLength);
    if (m_maintenance)
        tip += QStringLiteral("<br><b>%1</b>").arg(tr("In maintenance: nothing new is placed here."));
    setToolTip(DisplayText::richToolTip(tip));
}

void HostItem::paintBar(QPainter *painter, const QRectF &rect, double ratio, const QString &label) const
{
    const qreal lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0xe3, 0xe8, 0xee));
    drawBox(painter, rect, 2, lod);
    if (ratio > 0) {
        QRectF filled = rect;
        filled.setWidth(rect.width() * std::min(ratio, 1.0));
        painter->setBrush(capacityColor(ratio));
        drawBox(painter, filled, 2, lod);
    }
    if (!label.isEmpty()) {
        painter->setPen(QColor(0x44, 0x4c, 0x56));
        QFont font = painter->font();
        font.setPointSizeF(7.5);
        painter->setFont(font);
        const QRectF text(rect.left(), rect.top() - 14, rect.width(), 13);
        painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                          painter->fontMetrics().elidedText(label, Qt::ElideRight, int(text.width())));
    }
}

void HostItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const DetailLevel level = detailLevel(lod);
    m_lastLevel = level;
    paintFrame(painter, lod, level);
    const double cpuRatio = m_host.cpus > 0 ? double(m_committedVcpus) / m_host.cpus : 0.0;
    const double memRatio = m_host.memoryKiB > 0 ? double(m_committedMemoryKiB) / double(m_host.memoryKiB) : 0.0;
    switch (level) {
    case DetailLevel::Far: paintFar(painter, lod, cpuRatio, memRatio); break;
    case DetailLevel::Mid: paintMid(painter, lod, cpuRatio, memRatio); break;
    case DetailLevel::Near: paintNear(painter, cpuRatio, memRatio); break;
    }
}

void HostItem::paintFrame(QPainter *painter, qreal lod, DetailLevel level)
{
    const QRectF frame(QPointF(0, 0), m_size);
    const bool reachable = isReachable();
    QColor border(0xa9, 0xb4, 0xc0);
    qreal borderWidth = 1.0;
    QColor fill(0xf6, 0xf8, 0xfa);
    switch (m_dropState) {
    case DropState::Allowed: border = QColor(0x3c, 0xa0, 0x5a); borderWidth = 2; break;
    case DropState::TargetAllowed:
        border = QColor(0x1f, 0x8a, 0x45);
        borderWidth = 4;
        fill = QColor(0xe4, 0xf5, 0xe9);
        break;
    case DropState::TargetRefused:
        border = QColor(0xc6, 0x28, 0x28);
        borderWidth = 4;
        fill = QColor(0xfb, 0xe9, 0xe9);
        break;
    case DropState::Refused:
    case DropState::None: break;
    }
    if (!reachable && m_dropState == DropState::None) {
        border = connectionStateColor(m_host.state);
        borderWidth = 2;
    }
    if (isSelected() && m_dropState == DropState::None) {
        border = QColor(0x1e, 0x6f, 0xd9);
        borderWidth = 3;
    }
    if (m_maintenance && level == DetailLevel::Far)
        fill = QColor(0xf8, 0xef, 0xd8);
    // Zoomed out, borders keep a width on screen rather than in the scene.
    if (level != DetailLevel::Near)
        borderWidth = std::max(borderWidth, 1.0) / std::max(lod, 0.02) * 0.6;
    painter->setRenderHint(QPainter::Antialiasing, level == DetailLevel::Near);
    painter->setPen(QPen(border, borderWidth));
    painter->setBrush(fill);
    drawBox(painter, frame, 6, lod);
    if (level == DetailLevel::Far)
        return;

    // Header band, tinted by the connection state when not connected.
    const QRectF header(1, 1, m_size.width() - 2, HostHeaderHeight - 6);
    QColor headerFill(0xe9, 0xee, 0xf3);
    if (!reachable)
        headerFill = connectionStateColor(m_host.state).lighter(175);
    if (m_maintenance)
        headerFill = QColor(0xf3, 0xe6, 0xc4);
    painter->setPen(Qt::NoPen);
    painter->setBrush(headerFill);
    drawBox(painter, header, 5, lod);
    if (!reachable) {
        // The body is hatched: what it shows is the last known state, not live.
        painter->setBrush(QBrush(connectionStateColor(m_host.state).lighter(140), Qt::BDiagPattern));
        painter->drawRect(bodyRect());
    }
}

void HostItem::paintMid(QPainter *painter, qreal lod, double cpuRatio, double memRatio)
{
    const qreal barWidth = (m_size.width() - 3 * HostPadding) / 2;
    paintBar(painter, QRectF(HostPadding, HostHeaderHeight - 17, barWidth, 9), cpuRatio, {});
    paintBar(painter, QRectF(2 * HostPadding + barWidth, HostHeaderHeight - 17, barWidth, 9), memRatio, {});
    // The name stays readable from afar: drawn larger as the view zooms out.
    QFont font = painter->font();
    font.setBold(true);
    font.setPixelSize(int(std::clamp(12.0 / std::max(lod, 0.01), 12.0, HostHeaderHeight * 0.55)));
    painter->setFont(font);
    painter->setPen(QColor(0x1d, 0x26, 0x30));
    painter->drawText(QRectF(HostPadding, 2, m_size.width() - 2 * HostPadding, HostHeaderHeight - 20),
                      Qt::AlignLeft | Qt::AlignVCenter, DisplayText::singleLine(m_host.displayName));
}

void HostItem::paintFar(QPainter *painter, qreal lod, double cpuRatio, double memRatio)
{
    // Sizes in screen pixels: the aggregate reads the same whatever the host's size in the scene.
    const qreal px = 1.0 / std::max(lod, 0.005);
    const QRectF area = QRectF(QPointF(0, 0), m_size).adjusted(6 * px, 5 * px, -6 * px, -5 * px);
    if (area.width() <= 0 || area.height() <= 0)
        return;
    if (!qFuzzyCompare(m_farLod, lod)) {
        m_farLod = lod;
        m_farNameFont = painter->font();
        m_farNameFont.setBold(true);
        m_farNameFont.setPixelSize(std::max(1, qRound(13 * px)));
        m_farCountFont = painter->font();
        m_farCountFont.setPixelSize(std::max(1, qRound(11 * px)));
        const QString name = QFontMetricsF(m_farNameFont).elidedText(DisplayText::singleLine(m_host.displayName), Qt::ElideRight, area.width());
        m_farName = QStaticText(name);
        m_farName.setTextFormat(Qt::PlainText);
        QString count = tr("%n VM(s)", nullptr, m_vmCount);
        if (!isReachable())
            count = connectionStateDisplayName(m_host.state);
        else if (m_maintenance)
            count = tr("%1 · in maintenance").arg(count);
        else if (m_runningVms != m_vmCount)
            count = tr("%1 · %2 running").arg(count).arg(m_runningVms);
        m_farCount = QStaticText(QFontMetricsF(m_farCountFont).elidedText(count, Qt::ElideRight, area.width()));
        m_farCount.setTextFormat(Qt::PlainText);
    }
    qreal y = area.top();
    const auto room = [&](qreal height) { return y + height <= area.bottom(); };
    if (room(15 * px)) {
        painter->setFont(m_farNameFont);
        painter->setPen(QColor(0x1d, 0x26, 0x30));
        painter->drawStaticText(QPointF(area.left(), y), m_farName);
        y += 16 * px;
    }
    if (room(13 * px)) {
        painter->setFont(m_farCountFont);
        painter->setPen(isReachable() ? QColor(0x44, 0x4c, 0x56) : connectionStateColor(m_host.state).darker(130));
        painter->drawStaticText(QPointF(area.left(), y), m_farCount);
        y += 15 * px;
    }
    for (const double ratio : {cpuRatio, memRatio}) {
        if (!room(6 * px))
            return;
        paintBar(painter, QRectF(area.left(), y, area.width(), 6 * px), ratio, {});
        y += 9 * px;
    }
    // Its VLANs, one tick each in the lane's colour, as many rows as the box holds.
    y += 2 * px;
    const qreal tick = 8 * px;
    qreal x = area.left();
    painter->setPen(Qt::NoPen);
    for (const VlanTick &vlan : std::as_const(m_vlans)) {
        if (x + tick > area.right()) {
            x = area.left();
            y += tick + 3 * px;
        }
        if (!room(tick))
            return;
        painter->setBrush(vlan.color);
        painter->drawRect(QRectF(x, y, tick, tick));
        x += tick + 3 * px;
    }
}

void HostItem::paintNear(QPainter *painter, double cpuRatio, double memRatio)
{
    const bool reachable = isReachable();
    const qreal barWidth = (m_size.width() - 3 * HostPadding) / 2;
    const QRectF cpuBar(HostPadding, HostHeaderHeight - 17, barWidth, 7);
    const QRectF memBar(2 * HostPadding + barWidth, HostHeaderHeight - 17, barWidth, 7);

    // Title: state dot, name, figures on the right.
    const QRectF dot(HostPadding, 10, 10, 10);
    painter->setBrush(connectionStateColor(m_host.state));
    painter->setPen(QPen(connectionStateColor(m_host.state).darker(130), 1));
    painter->drawEllipse(dot);

    QFont font = painter->font();
    font.setPointSizeF(7.5);
    painter->setFont(font);
    const QFontMetricsF small(font);
    QString figures;
    if (m_host.cpus > 0)
        // A demo host says so once, discreetly, rather than "TEST" (libvirt's test driver).
        figures = tr("%1 · %2 CPUs · %3")
                      .arg(m_host.demo ? tr("Demo") : DisplayText::singleLine(m_host.hypervisorType, 24))
                      .arg(m_host.cpus)
                      .arg(formatMemoryKiB(m_host.memoryKiB));
    const qreal figuresWidth = small.horizontalAdvance(figures);
    painter->setPen(QColor(0x5a, 0x64, 0x70));
    painter->drawText(QRectF(m_size.width() - HostPadding - figuresWidth, 6, figuresWidth, 18), Qt::AlignRight | Qt::AlignVCenter,
                      figures);

    QFont bold = painter->font();
    bold.setPointSizeF(9.5);
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(QColor(0x1d, 0x26, 0x30));
    const QRectF name(dot.right() + 6, 4, m_size.width() - dot.right() - 6 - figuresWidth - 2 * HostPadding, 22);
    painter->drawText(name, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetricsF(bold).elidedText(DisplayText::singleLine(m_host.displayName), Qt::ElideRight, name.width()));

    // Second line: why not connected, maintenance, or a drop refusal; else the bars' labels.
    QString notice;
    QColor noticeColor(0x9b, 0x1c, 0x1c);
    if (m_dropState == DropState::TargetRefused)
        notice = m_dropReason;
    else if (!reachable)
        notice = m_host.stateMessage.isEmpty() ? connectionStateDisplayName(m_host.state)
                                               : tr("%1: %2").arg(connectionStateDisplayName(m_host.state), m_host.stateMessage);
    else if (m_maintenance) {
        notice = tr("In maintenance");
        noticeColor = QColor(0x80, 0x5b, 0x00);
    }
    if (!notice.isEmpty()) {
        font.setBold(true);
        painter->setFont(font);
        painter->setPen(noticeColor);
        const QRectF line(HostPadding, 24, m_size.width() - 2 * HostPadding, 14);
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetricsF(font).elidedText(DisplayText::singleLine(notice), Qt::ElideRight, line.width()));
        font.setBold(false);
        painter->setFont(font);
    }
    const QString cpuLabel = m_host.cpus > 0 ? tr("vCPU %1 / %2").arg(m_committedVcpus).arg(m_host.cpus) : tr("vCPU —");
    const QString memLabel = m_host.memoryKiB > 0
                                 ? tr("Memory %1 / %2").arg(formatMemoryKiB(m_committedMemoryKiB), formatMemoryKiB(m_host.memoryKiB))
                                 : tr("Memory —");
    paintBar(painter, cpuBar, cpuRatio, notice.isEmpty() ? cpuLabel : QString());
    paintBar(painter, memBar, memRatio, notice.isEmpty() ? memLabel : QString());
}

} // namespace Vigie
