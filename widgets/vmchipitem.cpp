#include "vmchipitem.h"

#include "displaytext.h"
#include "itemmodels/vmtablemodel.h"
#include "niclinkitem.h"
#include "stateicons.h"
#include "topologyscene.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace Vigie {

using namespace TopologyStyle;

namespace {

constexpr qreal TextLeft = 11;
constexpr qreal TextRight = ChipWidth - 6;
constexpr qreal BadgeTop = ChipHeight - 15;
constexpr qreal BadgeHeight = 12;
constexpr qreal BadgeGap = 3;

// The chip's fonts, made once: measured when a chip's texts change, not at every frame.
struct ChipFonts
{
    QFont name;
    QFont small;
    QFont badge;
};

const ChipFonts &chipFonts()
{
    static const ChipFonts fonts = [] {
        ChipFonts made;
        made.name = QGuiApplication::font();
        made.name.setPointSizeF(8.5);
        made.name.setBold(true);
        made.small = QGuiApplication::font();
        made.small.setPointSizeF(7.5);
        made.badge = made.small;
        made.badge.setPointSizeF(7);
        made.badge.setBold(true);
        return made;
    }();
    return fonts;
}

QStaticText plainText(const QString &text)
{
    // Outside text (VM names, tenants) is never read as rich text.
    QStaticText staticText(text);
    staticText.setTextFormat(Qt::PlainText);
    staticText.setPerformanceHint(QStaticText::AggressiveCaching);
    return staticText;
}

bool samePorts(const QList<VmChipItem::Port> &a, const QList<VmChipItem::Port> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).mac != b.at(i).mac || a.at(i).vlanId != b.at(i).vlanId || a.at(i).label != b.at(i).label)
            return false;
    }
    return true;
}

// Dark text on light badges, white on dark ones.
QColor textOn(const QColor &fill)
{
    return fill.lightnessF() > 0.62 ? QColor(0x1d, 0x26, 0x30) : QColor(Qt::white);
}

} // namespace

VmChipItem::VmChipItem(const VmKey &key, QGraphicsItem *host)
    : QGraphicsItem(host)
    , m_key(key)
{
    setFlag(ItemIsSelectable);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::RightButton);
    setAcceptHoverEvents(true);
}

VmChipItem::~VmChipItem()
{
    qDeleteAll(m_links); // in the scene, not children
}

void VmChipItem::setVm(const VmInfo &vm, const QString &hostName, const QList<Port> &ports, const QStringList &vlanNames)
{
    const bool portsChanged = !samePorts(ports, m_ports);
    m_vm = vm;
    if (portsChanged) {
        // The scene routes the links again if they are shown.
        qDeleteAll(m_links);
        m_links.clear();
    }
    m_ports = ports;
    m_textsDirty = true;
    m_hostName = hostName;
    m_vlanNames = vlanNames;
    update();
}

void VmChipItem::layoutTexts() const
{
    if (!m_textsDirty)
        return;
    m_textsDirty = false;
    const ChipFonts &fonts = chipFonts();
    const QFontMetricsF nameMetrics(fonts.name);
    const QFontMetricsF smallMetrics(fonts.small);
    const QFontMetricsF badgeMetrics(fonts.badge);

    // Painted text is plain and bounded, so that eliding measures a few hundred characters at most.
    const qreal nameRight = m_isolation.isEmpty() ? TextRight : TextRight - 8;
    m_name = plainText(nameMetrics.elidedText(DisplayText::singleLine(m_vm.name), Qt::ElideRight, nameRight - TextLeft));

    // On the move, the second line says where to or from; otherwise the tenant, on the whole line.
    QString second = m_vm.tenant.isEmpty() ? vmStateDisplayName(m_vm.state) : DisplayText::singleLine(m_vm.tenant);
    if (isMigrating())
        second = tr("→ %1 %2 %").arg(DisplayText::singleLine(m_migrationDest)).arg(qRound(m_migrationPercent));
    else if (isArriving())
        second = tr("← arriving from %1").arg(DisplayText::singleLine(m_arrivalSource));
    m_second = plainText(smallMetrics.elidedText(second, Qt::ElideRight, TextRight - TextLeft));

    const QString size = tr("%1 vCPU · %2").arg(m_vm.vcpus).arg(formatMemoryKiB(m_vm.memoryKiB));
    const qreal sizeWidth = smallMetrics.horizontalAdvance(size);
    m_size = plainText(size);
    m_sizeLeft = TextRight - sizeWidth;

    // Badges left of the size, as many as fit; the others are counted ("+2").
    m_badges.clear();
    m_badgeTexts.clear();
    m_more = QStaticText();
    qreal x = TextLeft;
    const qreal limit = m_sizeLeft - 6;
    for (qsizetype i = 0; i < m_ports.size(); ++i) {
        const QString label = m_ports.at(i).label;
        const qreal width = std::max<qreal>(20, badgeMetrics.horizontalAdvance(label) + 8);
        const qsizetype left = m_ports.size() - i - 1;
        const qreal reserve = left > 0 ? 22 : 0; // room for "+N" after it
        if (x + width + reserve > limit && !(left == 0 && x + width <= limit)) {
            m_more = plainText(QStringLiteral("+%1").arg(m_ports.size() - i));
            m_morePos = QPointF(x, BadgeTop - 1);
            for (; i < m_ports.size(); ++i) {
                m_badges.append(QRectF());
                m_badgeTexts.append(QStaticText());
            }
            break;
        }
        m_badges.append(QRectF(x, BadgeTop, width, BadgeHeight));
        m_badgeTexts.append(plainText(label));
        x += width + BadgeGap;
    }
}

QStringList VmChipItem::paintedTexts() const
{
    layoutTexts();
    return {m_name.text(), m_second.text(), m_size.text()};
}

QRectF VmChipItem::portRect(int index) const
{
    layoutTexts();
    return m_badges.value(index);
}

QString VmChipItem::portMacAt(const QPointF &itemPos) const
{
    layoutTexts();
    for (qsizetype i = 0; i < m_ports.size(); ++i) {
        const QRectF badge = m_badges.value(i);
        if (!badge.isEmpty() && badge.adjusted(-2, -2, 2, 3).contains(itemPos))
            return m_ports.at(i).mac;
    }
    return {};
}

void VmChipItem::setLinks(const QList<Route> &routes)
{
    while (m_links.size() > routes.size())
        delete m_links.takeLast();
    for (qsizetype i = 0; i < routes.size(); ++i) {
        const Port &port = m_ports.at(routes.at(i).port);
        if (i == m_links.size())
            m_links.append(new NicLinkItem(this));
        NicLinkItem *link = m_links.at(i);
        link->setPos(scenePos()); // routed now: the chip may have moved
        link->setOpacity(opacity());
        link->setRoute(port.mac, port.vlanId, port.color, routes.at(i).points);
    }
}

void VmChipItem::hoverEnterEvent(QGraphicsSceneHoverEvent *event)
{
    m_hovered = true;
    if (auto *topology = qobject_cast<TopologyScene *>(scene()))
        topology->chipHoverChanged(this);
    QGraphicsItem::hoverEnterEvent(event);
}

void VmChipItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *event)
{
    m_hovered = false;
    if (auto *topology = qobject_cast<TopologyScene *>(scene()))
        topology->chipHoverChanged(this);
    QGraphicsItem::hoverLeaveEvent(event);
}

void VmChipItem::setFilterState(bool filterActive, bool matches)
{
    if (filterActive == m_filterActive && matches == m_filterMatch)
        return;
    m_filterActive = filterActive;
    m_filterMatch = matches;
    updateOpacity();
    update();
}

void VmChipItem::updateOpacity()
{
    setOpacity(matchesFilter() ? 1.0 : 0.25);
    for (NicLinkItem *link : std::as_const(m_links))
        link->setOpacity(opacity());
}

void VmChipItem::setMigration(const QString &destName, double percent)
{
    if (destName == m_migrationDest && qRound(percent) == qRound(m_migrationPercent))
        return;
    m_migrationDest = destName;
    m_migrationPercent = percent;
    m_textsDirty = true;
    update();
}

void VmChipItem::setArrival(const QString &sourceName)
{
    if (sourceName == m_arrivalSource)
        return;
    m_arrivalSource = sourceName;
    m_textsDirty = true;
    update();
}

void VmChipItem::setAnimationPhase(int phase)
{
    m_animationPhase = phase;
    if (isMigrating() || isArriving())
        update();
}

void VmChipItem::setColours(const QColor &tenant, const QString &isolation, const QString &isolationGroup, const QColor &isolationColor)
{
    if (tenant == m_tenantColor && isolation == m_isolation && isolationGroup == m_isolationGroup && isolationColor == m_isolationColor)
        return;
    if (isolation.isEmpty() != m_isolation.isEmpty())
        m_textsDirty = true; // the corner tag takes room from the name
    m_tenantColor = tenant;
    // A light tint: the text stays dark on it, whatever the tenant's colour.
    m_tenantTint = tenant.isValid() ? QColor::fromRgbF(0.7f + 0.3f * tenant.redF(), 0.7f + 0.3f * tenant.greenF(), 0.7f + 0.3f * tenant.blueF())
                                    : QColor();
    m_isolation = isolation;
    m_isolationGroup = isolationGroup;
    m_isolationColor = isolationColor;
    update();
}

QRectF VmChipItem::boundingRect() const
{
    return QRectF(-2, -2, ChipWidth + 4, ChipHeight + 4);
}

QString VmChipItem::toolTipText() const
{
    const QString &hostName = m_hostName;
    const QStringList &vlanNames = m_vlanNames;
    // Name, title, tenant and host come from libvirt: escaped, bounded, long words breakable.
    QString tip = QStringLiteral("<b>%1</b>").arg(DisplayText::html(m_vm.name, DisplayText::MaxLength));
    if (!m_vm.title.isEmpty())
        tip += QStringLiteral(" — %1").arg(DisplayText::html(m_vm.title, DisplayText::MaxLength));
    tip += QStringLiteral("<br>") + tr("%1 on %2").arg(vmStateDisplayName(m_vm.state), DisplayText::html(hostName, DisplayText::MaxLength));
    tip += QStringLiteral("<br>") + tr("%n vCPU(s), %1", nullptr, m_vm.vcpus).arg(formatMemoryKiB(m_vm.memoryKiB));
    if (!m_vm.tenant.isEmpty())
        tip += QStringLiteral("<br>") + tr("Tenant: %1").arg(DisplayText::html(m_vm.tenant, DisplayText::MaxLength));
    if (!vlanNames.isEmpty())
        tip += QStringLiteral("<br>") + tr("VLANs: %1").arg(DisplayText::html(vlanNames.join(QStringLiteral(", ")), DisplayText::MaxLength));
    if (!m_isolation.isEmpty())
        tip += QStringLiteral("<br>") + tr("Isolated: only the members of %1 reach it (group %2)")
                                            .arg(DisplayText::html(m_isolation, DisplayText::MaxLength),
                                                 DisplayText::html(m_isolationGroup, DisplayText::MaxLength));
    for (const Port &port : std::as_const(m_ports)) {
        if (!port.wiring.isEmpty())
            tip += QStringLiteral("<br>") + DisplayText::html(port.wiring, DisplayText::MaxLength);
    }
    tip += QStringLiteral("<br><i>%1</i>").arg(tr("Drag onto a host to migrate, onto a VLAN lane to move its NIC; drag a NIC's badge to move that NIC alone."));
    return DisplayText::richToolTip(tip);
}

void VmChipItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    m_lastLevel = detailLevel(lod);
    if (m_lastLevel == DetailLevel::Near)
        paintNear(painter);
    else
        paintMid(painter, lod);
}

void VmChipItem::paintMid(QPainter *painter, qreal lod)
{
    // A block in the state's colour with its VLANs as ticks: no text to lay out or rasterise.
    const QRectF frame(0, 0, ChipWidth, ChipHeight);
    const bool selected = isSelected();
    const QColor state = vmStateColor(m_vm.state);
    const bool byTenant = m_tenantColor.isValid();
    painter->setPen(selected                    ? QPen(QColor(0x1e, 0x6f, 0xd9), 3 / std::max(lod, 0.05))
                    : !m_isolation.isEmpty() ? QPen(m_isolationColor, 3 / std::max(lod, 0.05))
                                              : QPen(Qt::NoPen));
    // By tenant: the block in the tenant's colour, the stripe still the state's.
    painter->setBrush(isMigrating() || isArriving() ? QColor(0xf0, 0x8c, 0x00)
                      : byTenant                    ? m_tenantColor
                                                    : state.lighter(m_vm.isActive() ? 150 : 175));
    painter->drawRect(frame);
    painter->setPen(Qt::NoPen);
    painter->setBrush(state);
    painter->drawRect(QRectF(0, 0, 12, ChipHeight));
    // Wider than the badges: a tick must stay a few pixels on screen.
    const qreal tick = 34;
    for (qsizetype i = 0; i < m_ports.size() && i < 4; ++i) {
        const Port &port = m_ports.at(i);
        painter->setBrush(port.vlanId != 0 ? port.color : QColor(0x99, 0x99, 0x99));
        painter->drawRect(QRectF(18 + i * (tick + 4), ChipHeight - 20, tick, 20));
    }
}

void VmChipItem::paintNear(QPainter *painter)
{
    layoutTexts();
    const ChipFonts &fonts = chipFonts();
    const QRectF frame(0, 0, ChipWidth, ChipHeight);
    const QColor state = vmStateColor(m_vm.state);
    const bool selected = isSelected();
    const QColor highlight(0x1e, 0x6f, 0xd9);

    painter->setRenderHint(QPainter::Antialiasing);
    QPen border(selected ? highlight : m_hovered ? QColor(0x7d, 0x8c, 0x9c) : QColor(0xb8, 0xc2, 0xcc), selected ? 2.0 : 1.0);
    if (m_filterActive && m_filterMatch && !selected)
        border = QPen(QColor(0xe0, 0xa8, 0x00), 2.0);
    if (isMigrating()) {
        // Marching ants: the chip is on its way.
        border = QPen(QColor(0xf0, 0x8c, 0x00), 2.0, Qt::DashLine);
        border.setDashOffset(-m_animationPhase);
    } else if (isArriving()) {
        border = QPen(QColor(0xf0, 0x8c, 0x00), 1.0, Qt::DotLine);
        border.setDashOffset(-m_animationPhase);
    }
    const bool byTenant = m_tenantColor.isValid();
    if (!m_isolation.isEmpty() && !selected && !isMigrating() && !isArriving())
        border = QPen(m_isolationColor, 2.0);
    else if (byTenant && !selected && !isMigrating() && !isArriving() && !(m_filterActive && m_filterMatch))
        border = QPen(m_tenantColor, 1.0);
    painter->setPen(border);
    painter->setBrush(selected ? QColor(0xe6, 0xf0, 0xfd) : isArriving() ? QColor(0xfd, 0xf6, 0xec) : byTenant ? m_tenantTint : QColor(Qt::white));
    painter->drawRoundedRect(frame, 4, 4);

    // State stripe on the left.
    painter->setPen(Qt::NoPen);
    painter->setBrush(state);
    painter->drawRoundedRect(QRectF(1, 1, 5, ChipHeight - 2), 2, 2);
    // An isolated VM: its group's colour in the top-right corner too, so the outline is not
    // taken for the filter's or the tenant's.
    if (!m_isolation.isEmpty()) {
        painter->setBrush(m_isolationColor);
        const QPointF corner[] = {QPointF(ChipWidth - 13, 0), QPointF(ChipWidth, 0), QPointF(ChipWidth, 13)};
        painter->drawPolygon(corner, 3);
    }

    painter->setFont(fonts.name);
    painter->setPen(m_vm.isActive() ? QColor(0x1d, 0x26, 0x30) : QColor(0x6b, 0x74, 0x7e));
    painter->drawStaticText(QPointF(TextLeft, 3), m_name);

    painter->setFont(fonts.small);
    painter->setPen(isMigrating() || isArriving() ? QColor(0xb3, 0x5c, 0x00) : QColor(0x5a, 0x64, 0x70));
    painter->drawStaticText(QPointF(TextLeft, 18), m_second);
    painter->setPen(QColor(0x5a, 0x64, 0x70));
    painter->drawStaticText(QPointF(m_sizeLeft, BadgeTop - 1), m_size);
    if (!m_more.text().isEmpty())
        painter->drawStaticText(m_morePos, m_more);

    // One badge per NIC in its VLAN's colour, naming it: the NIC's port.
    painter->setFont(fonts.badge);
    for (qsizetype i = 0; i < m_ports.size(); ++i) {
        const QRectF badge = m_badges.value(i);
        if (badge.isEmpty())
            continue;
        const Port &port = m_ports.at(i);
        const QColor fill = port.vlanId != 0 ? port.color : QColor(0xc4, 0xc9, 0xcf);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(badge, 3, 3);
        painter->setPen(textOn(fill));
        const QSizeF textSize = m_badgeTexts.at(i).size();
        painter->drawStaticText(QPointF(badge.center().x() - textSize.width() / 2, badge.center().y() - textSize.height() / 2),
                                m_badgeTexts.at(i));
    }
}

} // namespace Vigie
