#include "ovnlogicalswitchport.h"

#include <QRegularExpression>

namespace Vigie {

namespace {

bool isMac(QStringView word)
{
    static const QRegularExpression mac(QStringLiteral("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$"));
    return mac.matchView(word).hasMatch();
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
