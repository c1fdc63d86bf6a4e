#include "subnetplan.h"

#include "network/ovnnorthbound.h"

#include <QHostAddress>

#include <algorithm>
#include <limits>

namespace Vigie {

namespace {

// The most addresses suggestion() walks: a /16 of IPv4, the first 65,536 of an IPv6 subnet.
constexpr int SearchLimit = 65536;

} // namespace

SubnetPlan::SubnetPlan(const QString &cidr)
{
    const QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(cidr.trimmed());
    const QAbstractSocket::NetworkLayerProtocol protocol = subnet.first.protocol();
    if (protocol != QAbstractSocket::IPv4Protocol && protocol != QAbstractSocket::IPv6Protocol) {
        m_problem = cidr.trimmed().isEmpty() ? tr("The switch has no subnet.") : tr("“%1” is not a subnet.").arg(cidr.left(64));
        return;
    }
    m_v6 = protocol == QAbstractSocket::IPv6Protocol;
    const int bits = m_v6 ? 128 : 32;
    // A subnet with no room for a port besides the network and broadcast addresses.
    if (subnet.second > bits - 2 + (m_v6 ? 1 : 0)) {
        m_problem = tr("The subnet %1 has no room for a port.").arg(cidr.left(64));
        return;
    }
    Address network = 0;
    if (!parse(subnet.first.toString(), &network))
        return;
    const Address hostMask = subnet.second == 0 ? ~Address(0) >> (128 - bits) : (Address(1) << (bits - subnet.second)) - 1;
    m_first = network & ~hostMask;
    m_last = m_first | hostMask;
    m_prefix = subnet.second;
}

SubnetPlan SubnetPlan::ofSwitch(const OvnNorthbound &northbound, const QString &switchUuid)
{
    const OvnLogicalSwitch logicalSwitch = northbound.logicalSwitch(switchUuid);
    QString cidr = northbound.subnetOf(switchUuid);
    const QString ipv6Prefix = logicalSwitch.otherConfig.value(QStringLiteral("ipv6_prefix"));
    if (cidr.isEmpty() && !ipv6Prefix.isEmpty())
        cidr = ipv6Prefix.contains(u'/') ? ipv6Prefix : ipv6Prefix + QStringLiteral("/64");
    SubnetPlan plan(cidr);
    if (!plan.isValid())
        return plan;
    const OvnDhcpOptions dhcp = northbound.dhcpOptions(northbound.dhcpOptionsOf(switchUuid));
    plan.setGateway(dhcp.options.value(QStringLiteral("router")));
    plan.reserve(dhcp.options.value(QStringLiteral("server_id")));
    plan.exclude(logicalSwitch.otherConfig.value(QStringLiteral("exclude_ips")));
    for (const QString &portUuid : logicalSwitch.portUuids) {
        const OvnLogicalSwitchPort port = northbound.port(portUuid);
        for (const QString &ip : port.ipAddresses())
            plan.addUsed(ip, port.name);
        // A router port's address is its peer's ("router"); Neutron writes it in neutron:cidrs.
        for (const QString &cidrOfPort : port.externalIds.value(QStringLiteral("neutron:cidrs")).split(u' ', Qt::SkipEmptyParts))
            plan.addUsed(cidrOfPort.section(u'/', 0, 0), port.name);
    }
    return plan;
}

bool SubnetPlan::parse(const QString &text, Address *out) const
{
    QHostAddress address;
    if (text.size() > 64 || !address.setAddress(text.trimmed()))
        return false;
    if (address.protocol() == QAbstractSocket::IPv4Protocol && !m_v6) {
        *out = address.toIPv4Address();
        return true;
    }
    if (address.protocol() == QAbstractSocket::IPv6Protocol && m_v6) {
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        Address value = 0;
        for (int i = 0; i < 16; ++i)
            value = (value << 8) | bytes[i];
        *out = value;
        return true;
    }
    return false;
}

QString SubnetPlan::format(Address address) const
{
    if (!m_v6)
        return QHostAddress(quint32(address)).toString();
    Q_IPV6ADDR bytes;
    for (int i = 15; i >= 0; --i) {
        bytes[i] = quint8(address & 0xff);
        address >>= 8;
    }
    return QHostAddress(bytes).toString();
}

void SubnetPlan::setGateway(const QString &address)
{
    Address gateway = 0;
    if (!isValid() || !parse(address, &gateway) || !inRange(gateway))
        return;
    m_gateway = format(gateway);
    m_reserved.append(gateway);
}

void SubnetPlan::reserve(const QString &address)
{
    Address reserved = 0;
    if (isValid() && parse(address, &reserved) && inRange(reserved))
        m_reserved.append(reserved);
}

void SubnetPlan::exclude(const QString &ranges)
{
    if (!isValid())
        return;
    for (const QString &word : ranges.split(u' ', Qt::SkipEmptyParts)) {
        const QStringList ends = word.split(QStringLiteral(".."));
        Address first = 0, last = 0;
        if (ends.size() <= 2 && parse(ends.first(), &first) && parse(ends.last(), &last) && first <= last)
            m_excluded.append({first, last});
    }
}

void SubnetPlan::addUsed(const QString &address, const QString &by)
{
    Address used = 0;
    if (isValid() && parse(address, &used))
        m_used.insert(used, by);
}

QString SubnetPlan::cidr() const
{
    return isValid() ? QStringLiteral("%1/%2").arg(format(m_first)).arg(m_prefix) : QString();
}

QString SubnetPlan::gateway() const
{
    return m_gateway;
}

bool SubnetPlan::isExcluded(Address address) const
{
    return std::any_of(m_excluded.cbegin(), m_excluded.cend(), [address](const auto &r) { return address >= r.first && address <= r.second; });
}

bool SubnetPlan::isUnusable(Address address) const
{
    // IPv4's network and broadcast addresses; IPv6's subnet-router anycast (the first).
    return address == m_first || (!m_v6 && address == m_last) || m_reserved.contains(address);
}

QString SubnetPlan::suggestion() const
{
    if (!isValid())
        return {};
    // The first address after .1 (::1): the gateway's by convention, even where none is set.
    Address candidate = m_first + 2;
    for (int walked = 0; walked < SearchLimit && candidate <= m_last && candidate > m_first; ++walked, ++candidate) {
        if (isUnusable(candidate) || isExcluded(candidate) || m_used.contains(candidate))
            continue;
        return format(candidate);
    }
    return {};
}

bool SubnetPlan::contains(const QString &address) const
{
    Address value = 0;
    return isValid() && parse(address, &value) && inRange(value);
}

QString SubnetPlan::usedBy(const QString &address) const
{
    Address value = 0;
    return isValid() && parse(address, &value) ? m_used.value(value) : QString();
}

QString SubnetPlan::refusal(const QString &address, const QString &self) const
{
    if (!isValid())
        return m_problem;
    const QString text = address.trimmed();
    Address value = 0;
    if (text.isEmpty())
        return tr("Type an address.");
    if (!parse(text, &value))
        return m_v6 ? tr("“%1” is not an IPv6 address.").arg(text.left(64)) : tr("“%1” is not an IPv4 address.").arg(text.left(64));
    if (!inRange(value))
        return tr("%1 is outside the subnet %2.").arg(format(value), cidr());
    if (value == m_first)
        return tr("%1 is the subnet's own address.").arg(format(value));
    if (!m_v6 && value == m_last)
        return tr("%1 is the subnet's broadcast address.").arg(format(value));
    if (!m_gateway.isEmpty() && format(value) == m_gateway)
        return tr("%1 is the gateway.").arg(m_gateway);
    if (m_reserved.contains(value))
        return tr("%1 is reserved (the DHCP server).").arg(format(value));
    if (isExcluded(value))
        return tr("%1 is excluded from the switch's addresses (exclude_ips).").arg(format(value));
    const QString owner = m_used.value(value);
    if (!owner.isEmpty() && owner != self)
        return tr("%1 is in use by port %2.").arg(format(value), owner);
    return {};
}

quint64 SubnetPlan::freeCount() const
{
    if (!isValid())
        return 0;
    const Address size = m_last - m_first + 1;
    if (size <= Address(SearchLimit)) {
        // By count, not "a <= m_last": a subnet at the very end of the IPv6 space would wrap.
        quint64 free = 0;
        for (Address i = 0; i < size; ++i) {
            const Address a = m_first + i;
            if (!isUnusable(a) && !isExcluded(a) && !m_used.contains(a))
                ++free;
        }
        return free;
    }
    // Too many to walk: the range less what is known to be taken, capped at 2^32.
    Address taken = Address(m_used.size()) + Address(m_reserved.size()) + 2;
    for (const auto &[first, last] : m_excluded) {
        const Address from = std::max(first, m_first);
        const Address to = std::min(last, m_last);
        if (from <= to)
            taken += to - from + 1;
    }
    const Address free = size > taken ? size - taken : 0;
    return quint64(std::min(free, Address(1) << 32));
}

QList<SubnetPlan::Span> SubnetPlan::spans() const
{
    if (!isValid())
        return {};
    struct Mark
    {
        Address first;
        Address last;
        Span::Kind kind;
        QString by;
    };
    QList<Mark> marks{{m_first, m_first, Span::Kind::Network, {}}};
    if (!m_v6)
        marks.append({m_last, m_last, Span::Kind::Broadcast, {}});
    Address gateway = 0;
    const bool hasGateway = !m_gateway.isEmpty() && parse(m_gateway, &gateway);
    QList<Address> seen; // the DHCP server is often the gateway itself
    for (const Address reserved : m_reserved) {
        if (seen.contains(reserved))
            continue;
        seen.append(reserved);
        if (hasGateway && reserved == gateway)
            marks.append({reserved, reserved, Span::Kind::Gateway, {}});
        else
            marks.append({reserved, reserved, Span::Kind::Reserved, {}});
    }
    for (const auto &[first, last] : m_excluded) {
        const Address from = std::max(first, m_first);
        const Address to = std::min(last, m_last);
        if (from <= to)
            marks.append({from, to, Span::Kind::Excluded, {}});
    }
    QList<Mark> outside;
    for (auto it = m_used.cbegin(); it != m_used.cend(); ++it) {
        if (inRange(it.key()))
            marks.append({it.key(), it.key(), Span::Kind::Used, it.value()});
        else
            outside.append({it.key(), it.key(), Span::Kind::Outside, it.value()});
    }
    // By address; at one address, the network's own before what sits on it, ranges before points.
    std::stable_sort(marks.begin(), marks.end(), [](const Mark &a, const Mark &b) {
        if (a.first != b.first)
            return a.first < b.first;
        return int(a.kind) < int(b.kind);
    });
    auto count = [](Address first, Address last) {
        const Address n = last - first;
        return n >= Address(std::numeric_limits<quint64>::max()) ? std::numeric_limits<quint64>::max() : quint64(n + 1);
    };
    QList<Span> spans;
    auto add = [&](Span::Kind kind, Address first, Address last, const QString &by) {
        spans.append(Span{kind, format(first), format(last), count(first, last), by});
    };
    // The next address not yet covered; "done" once the subnet's last address is.
    Address next = m_first;
    bool done = false;
    for (const Mark &mark : std::as_const(marks)) {
        if (!done && mark.first > next)
            add(Span::Kind::Free, next, mark.first - 1, {});
        // A used or reserved address inside an excluded range is shown too: someone took it.
        add(mark.kind, mark.first, mark.last, mark.by);
        if (!done && mark.last >= next) {
            if (mark.last == m_last)
                done = true;
            else
                next = mark.last + 1;
        }
    }
    if (!done)
        add(Span::Kind::Free, next, m_last, {});
    for (const Mark &mark : std::as_const(outside))
        add(mark.kind, mark.first, mark.last, mark.by);
    return spans;
}

} // namespace Vigie
