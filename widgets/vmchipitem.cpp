#include "vmchipitem.h"

#include "displaytext.h"
#include "hostitem.h"
#include "itemmodels/vmtablemodel.h"
#include "niclinkitem.h"
#include "stateicons.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace Vigie {

using namespace TopologyStyle;

namespace {
bool samePorts(const QList<VmChipItem::Port> &a, const QList<VmChipItem::Port> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).mac != b.at(i).mac || a.at(i).vlanId != b.at(i).vlanId)
            return false;
    }
    return true;
}
} // namespace

VmChipItem::VmChipItem(const VmKey &key, QGraphicsItem *host)
    : QGraphicsItem(host)
    , m_key(key)
{
    setFlag(ItemIsSelectable);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::RightButton);
}

void VmChipItem::setVm(const VmInfo &vm, const QString &hostName, const QList<Port> &ports, const QStringList &vlanNames)
{
    m_vm = vm;
    if (!samePorts(ports, m_ports) || m_links.isEmpty() != ports.isEmpty()) {
        qDeleteAll(m_links);
        m_links.clear();
        for (const Port &port : ports) {
            if (port.vlanId != 0)
                m_links.append(new NicLinkItem(port.mac, port.vlanId, port.color, this));
        }
    }
    m_ports = ports;
    updateToolTip(hostName, vlanNames);
    update();
}

qreal VmChipItem::portX(int index) const
{
    return 14 + m_portOffset + index * 16;
}

QString VmChipItem::portMacAt(const QPointF &itemPos) const
{
    for (qsizetype i = 0; i < m_ports.size(); ++i) {
        if (QRectF(portX(int(i)) - 6, ChipHeight - 7, 12, 12).contains(itemPos))
            return m_ports.at(i).mac;
    }
    return {};
}

void VmChipItem::placeLinks(const QHash<int, qreal> &laneY)
{
    const qreal bottom = scenePos().y() + ChipHeight;
    int link = 0;
    for (qsizetype i = 0; i < m_ports.size() && link < m_links.size(); ++i) {
        if (m_ports.at(i).vlanId == 0)
            continue;
        const auto lane = laneY.constFind(m_ports.at(i).vlanId);
        m_links.at(link++)->setGeometry(portX(int(i)), lane == laneY.cend() ? 0 : std::max<qreal>(0, *lane - bottom));
    }
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
}

void VmChipItem::setMigration(const QString &destName, double percent)
{
    m_migrationDest = destName;
    m_migrationPercent = percent;
    update();
}

void VmChipItem::setArrival(const QString &sourceName)
{
    if (sourceName == m_arrivalSource)
        return;
    m_arrivalSource = sourceName;
    update();
}

void VmChipItem::setAnimationPhase(int phase)
{
    m_animationPhase = phase;
    if (isMigrating() || isArriving())
        update();
}

QRectF VmChipItem::boundingRect() const
{
    return QRectF(-2, -2, ChipWidth + 4, ChipHeight + 6);
}

QVariant VmChipItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemSelectedHasChanged) {
        for (NicLinkItem *link : std::as_const(m_links))
            link->update();
    }
    return QGraphicsItem::itemChange(change, value);
}

void VmChipItem::updateToolTip(const QString &hostName, const QStringList &vlanNames)
{
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
    for (const Port &port : std::as_const(m_ports)) {
        if (!port.wiring.isEmpty())
            tip += QStringLiteral("<br>") + DisplayText::html(port.wiring, DisplayText::MaxLength);
    }
    tip += QStringLiteral("<br><i>%1</i>").arg(tr("Drag onto a host to migrate, onto a VLAN lane to move its NIC; drag a NIC's port to move that NIC alone."));
    setToolTip(DisplayText::richToolTip(tip));
}

void VmChipItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const bool simplified = lod < SimplifiedBelow;
    m_lastSimplified = simplified;
    const QRectF frame(0, 0, ChipWidth, ChipHeight);
    const QColor state = vmStateColor(m_vm.state);
    const bool selected = isSelected();
    const QColor highlight(0x1e, 0x6f, 0xd9);

    if (simplified) {
        painter->setPen(selected ? QPen(highlight, 3 / std::max(lod, 0.05)) : QPen(Qt::NoPen));
        painter->setBrush(isMigrating() || isArriving() ? QColor(0xf0, 0x8c, 0x00) : state.lighter(m_vm.isActive() ? 120 : 150));
        painter->drawRect(frame);
        return;
    }

    painter->setRenderHint(QPainter::Antialiasing);
    QPen border(selected ? highlight : QColor(0xb8, 0xc2, 0xcc), selected ? 2.0 : 1.0);
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
    painter->setPen(border);
    painter->setBrush(selected ? QColor(0xe6, 0xf0, 0xfd) : isArriving() ? QColor(0xfd, 0xf6, 0xec) : QColor(Qt::white));
    painter->drawRoundedRect(frame, 4, 4);

    // State stripe on the left.
    painter->setPen(Qt::NoPen);
    painter->setBrush(state);
    painter->drawRoundedRect(QRectF(1, 1, 5, ChipHeight - 2), 2, 2);

    const qreal textLeft = 11;
    const qreal textRight = ChipWidth - 6;
    QFont font = painter->font();
    font.setPointSizeF(7.5);
    const QFontMetricsF small(font);
    QFont bold = font;
    bold.setPointSizeF(8.5);
    bold.setBold(true);

    // On the move, the second line says where to or from, with the room the size had.
    const bool moving = isMigrating() || isArriving();
    const QString size = moving ? QString() : tr("%1 vCPU · %2").arg(m_vm.vcpus).arg(formatMemoryKiB(m_vm.memoryKiB));
    const qreal sizeWidth = small.horizontalAdvance(size);
    painter->setFont(bold);
    painter->setPen(m_vm.isActive() ? QColor(0x1d, 0x26, 0x30) : QColor(0x6b, 0x74, 0x7e));
    const QRectF nameRect(textLeft, 2, textRight - textLeft, 17);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetricsF(bold).elidedText(DisplayText::singleLine(m_vm.name), Qt::ElideRight, nameRect.width()));

    painter->setFont(font);
    // Painted text is plain; bounded so that eliding measures a few hundred characters at most.
    QString second = m_vm.tenant.isEmpty() ? vmStateDisplayName(m_vm.state) : DisplayText::singleLine(m_vm.tenant);
    QColor secondColor(0x5a, 0x64, 0x70);
    if (isMigrating()) {
        second = tr("→ %1 %2 %").arg(DisplayText::singleLine(m_migrationDest)).arg(qRound(m_migrationPercent));
        secondColor = QColor(0xb3, 0x5c, 0x00);
    } else if (isArriving()) {
        second = tr("← arriving from %1").arg(DisplayText::singleLine(m_arrivalSource));
        secondColor = QColor(0xb3, 0x5c, 0x00);
    }
    const QRectF secondRect(textLeft, 18, textRight - textLeft - sizeWidth - 6, 14);
    painter->setPen(secondColor);
    painter->drawText(secondRect, Qt::AlignLeft | Qt::AlignVCenter,
                      small.elidedText(second, Qt::ElideRight, secondRect.width()));
    painter->setPen(QColor(0x5a, 0x64, 0x70));
    painter->drawText(QRectF(textRight - sizeWidth, 18, sizeWidth, 14), Qt::AlignRight | Qt::AlignVCenter, size);

    // NIC ports on the lower edge, in their VLAN's colour.
    for (qsizetype i = 0; i < m_ports.size(); ++i) {
        const Port &port = m_ports.at(i);
        painter->setPen(QPen(Qt::white, 1));
        painter->setBrush(port.vlanId != 0 ? port.color : QColor(0x99, 0x99, 0x99));
        painter->drawRect(QRectF(portX(int(i)) - 3.5, ChipHeight - 3, 7, 6));
    }
}

} // namespace Vigie
