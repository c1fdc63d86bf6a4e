#pragma once

#include <QCoreApplication>
#include <QMap>
#include <QList>
#include <QString>

namespace Vigie {

class OvnNorthbound;

// What a logical switch's subnet holds, to choose or check a port's address: the range, the
// gateway and DHCP server, OVN's excluded ranges (other_config:exclude_ips) and the addresses
// the switch's ports have. IPv4 or IPv6. A value: built from the controller's rows, then asked.
class SubnetPlan
{
    Q_DECLARE_TR_FUNCTIONS(SubnetPlan)

public:
    SubnetPlan() = default;
    // "10.0.0.0/24", "fd00:1::/64"; an invalid plan for anything else (problem() says why).
    explicit SubnetPlan(const QString &cidr);
    // The plan of a switch: its subnet (SubnetOf), router and DHCP server of its DHCP_Options,
    // exclude_ips, and every address of its ports. Invalid when the subnet is not known.
    [[nodiscard]] static SubnetPlan ofSwitch(const OvnNorthbound &northbound, const QString &switchUuid);

    // Reserved addresses that are not ports' (gateway, DHCP server): ignored outside the subnet.
    void setGateway(const QString &address);
    void reserve(const QString &address);
    // OVN's syntax: "10.0.0.2 10.0.0.10..10.0.0.20". Malformed words are skipped.
    void exclude(const QString &ranges);
    // An address a port has (BY: the port's name, for the message). Malformed text is ignored.
    void addUsed(const QString &address, const QString &by);

    [[nodiscard]] bool isValid() const { return m_prefix >= 0; }
    [[nodiscard]] bool isIpv6() const { return m_v6; }
    [[nodiscard]] QString cidr() const;
    [[nodiscard]] QString gateway() const;
    // Why the subnet is unusable, or empty.
    [[nodiscard]] QString problem() const { return m_problem; }

    // The first address that is in the subnet and neither the network, broadcast, gateway,
    // reserved, excluded nor used; the first after the gateway's conventional .1 (IPv6: ::1).
    // Empty when none is free (or the plan is invalid). Searches at most 65,536 addresses.
    [[nodiscard]] QString suggestion() const;
    // Why ADDRESS cannot be given to the port SELF (its own current address is free for it), or
    // empty when it can.
    [[nodiscard]] QString refusal(const QString &address, const QString &self = {}) const;
    // The port that has ADDRESS, or empty.
    [[nodiscard]] QString usedBy(const QString &address) const;
    [[nodiscard]] bool contains(const QString &address) const;
    // Addresses used by ports, and addresses left free (capped at 2^32 for big IPv6 subnets).
    [[nodiscard]] int usedCount() const { return int(m_used.size()); }
    [[nodiscard]] quint64 freeCount() const;

    // The subnet from its first address to its last, in order: each address that is neither
    // free nor plain (the network and broadcast addresses, gateway, reserved, used), the excluded
    // ranges, and the free ranges between them, one span each (a /16 is a handful of spans, not
    // 65,536 rows). Addresses used outside the subnet come last.
    struct Span
    {
        enum class Kind { Network, Broadcast, Gateway, Reserved, Excluded, Used, Free, Outside };
        Kind kind = Kind::Free;
        QString first;
        QString last;      // == first for one address
        quint64 count = 1; // addresses in the span, saturated at 2^64 - 1
        QString by;        // Used, Outside: the port that has the address

        friend bool operator==(const Span &, const Span &) = default;
    };
    [[nodiscard]] QList<Span> spans() const;

private:
    // IPv6 addresses as numbers (GCC's and Clang's 128-bit integer; -Wpedantic knows it not).
    __extension__ typedef unsigned __int128 Address;
    [[nodiscard]] bool parse(const QString &text, Address *out) const;
    [[nodiscard]] QString format(Address address) const;
    [[nodiscard]] bool inRange(Address address) const { return address >= m_first && address <= m_last; }
    [[nodiscard]] bool isExcluded(Address address) const;
    [[nodiscard]] bool isUnusable(Address address) const; // network, broadcast, gateway, reserved

    bool m_v6 = false;
    int m_prefix = -1;
    Address m_first = 0; // the network address
    Address m_last = 0;  // the broadcast address (IPv4), the last of the range (IPv6)
    QList<Address> m_reserved;
    QString m_gateway;
    QList<std::pair<Address, Address>> m_excluded;
    QMap<Address, QString> m_used; // address -> the port that has it
    QString m_problem;
};

} // namespace Vigie
