#include "acltext.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace Vigie::AclText {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Vigie::AclText", text);
}

// The terms of a conjunction: the match split at the "&&" outside parentheses and braces.
QStringList terms(const QString &match)
{
    QStringList result;
    int depth = 0;
    qsizetype start = 0;
    bool quoted = false;
    for (qsizetype i = 0; i < match.size(); ++i) {
        const QChar c = match.at(i);
        if (c == u'"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == u'(' || c == u'{')
            ++depth;
        else if (c == u')' || c == u'}')
            --depth;
        else if (depth == 0 && c == u'&' && i + 1 < match.size() && match.at(i + 1) == u'&') {
            result.append(match.mid(start, i - start).trimmed());
            start = i + 2;
            ++i;
        }
    }
    result.append(match.mid(start).trimmed());
    result.removeAll(QString());
    return result;
}

// "{a, b}" -> "a, b"; "$name" -> the address set or the group's addresses.
QString peerText(const QString &value, const OvnPolicy *policy)
{
    QString v = value.trimmed();
    if (v == u"0.0.0.0/0" || v == u"::/0")
        return tr("any");
    if (v.startsWith(u'{') && v.endsWith(u'}')) {
        QStringList items = v.mid(1, v.size() - 2).split(u',', Qt::SkipEmptyParts);
        for (QString &item : items)
            item = peerText(item, policy);
        return items.join(QStringLiteral(", "));
    }
    if (v.startsWith(u'$')) {
        const QString name = v.mid(1);
        static const QRegularExpression groupSet(QStringLiteral("^(.+)_ip[46]$"));
        if (const QRegularExpressionMatch m = groupSet.match(name); m.hasMatch() && policy) {
            const OvnPortGroup group = policy->portGroupByName(m.captured(1));
            if (!group.uuid.isEmpty() && !group.isolationLabel().isEmpty())
                return tr("the isolated group %1").arg(group.isolationLabel());
            if (!group.uuid.isEmpty())
                return tr("the members of %1").arg(group.displayName());
        }
        return tr("address set %1").arg(name);
    }
    return v;
}

struct Reading
{
    QString family;   // "ip", "ip4", "ip6" or empty
    QString protocol; // "tcp", "udp", "sctp", "icmp" or empty
    QString otherProtocol;
    QString ports;
    QString minPort;
    QString maxPort;
    QString sourcePort;
    QString icmpType;
    QString peer;
    QStringList rest; // terms not understood, as written
};

Reading read(const OvnAcl &acl, const OvnPolicy *policy)
{
    static const QRegularExpression subject(QStringLiteral(R"(^(inport|outport)\s*==\s*(@[\w.]+|"[^"]*")$)"));
    static const QRegularExpression portTerm(QStringLiteral(R"(^(tcp|udp|sctp)\.(dst|src)\s*(==|>=|<=)\s*(\d+|\{[\d,\s]+\})$)"));
    static const QRegularExpression icmpType(QStringLiteral(R"(^icmp[46]?\.type\s*==\s*(\d+)$)"));
    static const QRegularExpression address(QStringLiteral(R"(^(ip4|ip6)\.(src|dst)\s*==\s*(.+)$)"));
    static const QRegularExpression proto(QStringLiteral(R"(^ip\.proto\s*==\s*(\d+)$)"));
    Reading r;
    for (const QString &term : terms(acl.match)) {
        if (subject.match(term).hasMatch())
            continue;
        if (term == u"ip" || term == u"ip4" || term == u"ip6") {
            r.family = term;
        } else if (term == u"tcp" || term == u"udp" || term == u"sctp") {
            r.protocol = term;
        } else if (term == u"icmp" || term == u"icmp4" || term == u"icmp6") {
            r.protocol = QStringLiteral("icmp");
        } else if (const QRegularExpressionMatch m = portTerm.match(term); m.hasMatch()) {
            r.protocol = m.captured(1);
            QString value = m.captured(4);
            if (value.startsWith(u'{'))
                value = value.mid(1, value.size() - 2).split(u',', Qt::SkipEmptyParts).replaceInStrings(QRegularExpression(QStringLiteral("\\s")), QString()).join(QStringLiteral(", "));
            if (m.captured(2) == u"src" && m.captured(3) == u"==")
                r.sourcePort = value;
            else if (m.captured(2) == u"src")
                r.rest.append(term);
            else if (m.captured(3) == u"==")
                r.ports = value;
            else if (m.captured(3) == u">=")
                r.minPort = value;
            else
                r.maxPort = value;
        } else if (const QRegularExpressionMatch icmp = icmpType.match(term); icmp.hasMatch()) {
            r.protocol = QStringLiteral("icmp");
            r.icmpType = icmp.captured(1);
        } else if (const QRegularExpressionMatch peer = address.match(term); peer.hasMatch()) {
            // The peer is the source of what comes in, the destination of what goes out.
            const bool peerSide = (peer.captured(2) == u"src") == acl.isIngress();
            if (peerSide && r.peer.isEmpty()) {
                r.family = peer.captured(1);
                r.peer = peerText(peer.captured(3), policy);
            } else {
                r.rest.append(term);
            }
        } else if (const QRegularExpressionMatch number = proto.match(term); number.hasMatch()) {
            r.otherProtocol = number.captured(1);
        } else {
            r.rest.append(term);
        }
    }
    return r;
}

QString actionText(const QString &action)
{
    if (action == u"allow" || action == u"allow-related")
        return tr("allow");
    if (action == u"allow-stateless")
        return tr("allow (stateless)");
    if (action == u"drop")
        return tr("drop");
    if (action == u"reject")
        return tr("reject");
    if (action == u"pass")
        return tr("pass on");
    return action;
}

QString familyText(const QString &family)
{
    if (family == u"ip4")
        return tr("IPv4");
    if (family == u"ip6")
        return tr("IPv6");
    return tr("IP");
}

} // namespace

QString describe(const OvnAcl &acl, const OvnPolicy *policy)
{
    const Reading r = read(acl, policy);
    const QString direction = acl.isIngress() ? tr("in") : tr("out");
    const QString action = actionText(acl.action);
    const bool blocking = acl.action == u"drop" || acl.action == u"reject";
    QString traffic;
    if (r.protocol == u"tcp" || r.protocol == u"udp" || r.protocol == u"sctp") {
        QString ports = r.ports;
        if (ports.isEmpty() && (!r.minPort.isEmpty() || !r.maxPort.isEmpty()))
            ports = (r.minPort.isEmpty() ? QStringLiteral("0") : r.minPort) + u'-' + (r.maxPort.isEmpty() ? QStringLiteral("65535") : r.maxPort);
        if (r.protocol == u"udp" && r.ports == u"67" && r.sourcePort == u"68")
            traffic = tr("DHCP requests");
        else
            traffic = ports.isEmpty() ? tr("all %1").arg(r.protocol) : QStringLiteral("%1 %2").arg(r.protocol, ports);
        if (!r.sourcePort.isEmpty() && traffic != tr("DHCP requests"))
            traffic += u' ' + tr("from port %1").arg(r.sourcePort);
    } else if (r.protocol == u"icmp") {
        traffic = r.icmpType == u"8" ? tr("ping (ICMP echo)") : r.icmpType.isEmpty() ? tr("ICMP") : tr("ICMP type %1").arg(r.icmpType);
    } else if (!r.otherProtocol.isEmpty()) {
        traffic = tr("IP protocol %1").arg(r.otherProtocol);
    } else if (blocking && r.peer.isEmpty() && r.rest.isEmpty()) {
        return QStringLiteral("%1: %2").arg(direction, tr("%1 everything else").arg(action));
    } else if (r.family.isEmpty() && r.peer.isEmpty()) {
        traffic = tr("everything");
    } else {
        traffic = familyText(r.family);
    }
    const QString peer = r.peer.isEmpty() ? tr("any") : r.peer;
    QString text = QStringLiteral("%1: %2 %3 %4")
                       .arg(direction, action, traffic, acl.isIngress() ? tr("from %1").arg(peer) : tr("to %1").arg(peer));
    if (!r.rest.isEmpty())
        text += u' ' + tr("where %1").arg(r.rest.join(QStringLiteral(" && ")));
    return text;
}

} // namespace Vigie::AclText
