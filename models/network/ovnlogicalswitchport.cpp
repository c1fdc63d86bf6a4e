#include "ovnlogicalswitchport.h"

namespace Vigie {

namespace {

// "xx:xx:xx:xx:xx:xx", hexadecimal digits of either case. By hand, not a regular expression:
// judging a VLAN's addresses asks it of each of its 200 ports at every change of the VLAN.
bool isMac(QStringView word)
{
    if (word.size() != 17)
        return false;
    for (qsizetype i = 0; i < word.size(); ++i) {
        const char16_t c = word.at(i).unicode();
        if (i % 3 == 2 ? c != u':' : !((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            return false;
    }
    return true;
}

} // namespace

QString OvnLogicalSwitchPort::mac() const
{
    for (const QString &address : std::as_const(addresses)) {
        const QString first = address.section(u' ', 0, 0);
        if (isMac(first))
            return first.toLower();
    }
    const QString dynamic = dynamicAddresses.section(u' ', 0, 0);
    return isMac(dynamic) ? dynamic.toLower() : QString();
}

QStringList OvnLogicalSwitchPort::ipAddresses() const
{
    QStringList ips;
    const auto collect = [&ips](const QString &address) {
        const QStringList words = address.split(u' ', Qt::SkipEmptyParts);
        if (words.isEmpty() || !isMac(words.first()))
            return;
        for (qsizetype i = 1; i < words.size(); ++i)
            ips.append(words.at(i));
    };
    for (const QString &address : std::as_const(addresses))
        collect(address);
    if (ips.isEmpty())
        collect(dynamicAddresses);
    return ips;
}

} // namespace Vigie
