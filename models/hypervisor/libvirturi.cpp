#include "libvirturi.h"

#include "libvirtsasl.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::LibvirtUri)
};

} // namespace

QString libvirtUriProblem(const QString &uri)
{
    // libvirt's drivers and transports (virConnectOpen's URI reference).
    static const QStringList drivers{
        QStringLiteral("qemu"),   QStringLiteral("test"),   QStringLiteral("xen"),    QStringLiteral("lxc"),
        QStringLiteral("ch"),     QStringLiteral("bhyve"),  QStringLiteral("vz"),     QStringLiteral("esx"),
        QStringLiteral("gsx"),    QStringLiteral("vpx"),    QStringLiteral("hyperv"), QStringLiteral("openvz"),
        QStringLiteral("vbox"),   QStringLiteral("vmwarews"), QStringLiteral("vmwarefusion"),
        QStringLiteral("vmwareplayer"), QStringLiteral("libxl"), QStringLiteral("xenapi"), QStringLiteral("parallels"),
        QStringLiteral("remote"), QStringLiteral("network"), QStringLiteral("storage")};
    static const QStringList transports{QStringLiteral("ssh"), QStringLiteral("libssh"), QStringLiteral("libssh2"),
                                        QStringLiteral("tls"), QStringLiteral("tcp"),    QStringLiteral("unix"),
                                        QStringLiteral("ext")};
    const QString text = uri.trimmed();
    if (text.isEmpty())
        return Tr::tr("The URI is empty.");
    static const QRegularExpression shape(QStringLiteral("^([a-z][a-z0-9]*)(?:\\+([a-z0-9]+))?://"));
    const QRegularExpressionMatch match = shape.match(text);
    if (!match.hasMatch())
        return Tr::tr("This is not a libvirt URI: it starts with a driver and \"://\", as in qemu:///system or "
                      "qemu+ssh://root@host/system.");
    if (!drivers.contains(match.captured(1)))
        return Tr::tr("libvirt has no driver \"%1\" (qemu, test, xen, lxc, ch, esx…).").arg(match.captured(1));
    if (match.hasCaptured(2) && !match.captured(2).isEmpty() && !transports.contains(match.captured(2)))
        return Tr::tr("libvirt has no transport \"%1\" (ssh, libssh, libssh2, tls, tcp, unix, ext).").arg(match.captured(2));
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || text.contains(QLatin1Char(' ')))
        return Tr::tr("The URI is malformed (spaces, or characters that must be escaped).");
    // libvirt's remote driver takes the SASL mechanism from auth=sasl.MECH. A broken one named
    // here is refused at once; the daemon's own choice is checked when connecting
    // (LibvirtConnection asks the daemon's list first: libvirtsasl.h).
    const QString auth = QUrlQuery(url).queryItemValue(QStringLiteral("auth"), QUrl::FullyDecoded).trimmed();
    if (auth.startsWith(QLatin1String("sasl."), Qt::CaseInsensitive)) {
        const QString mechanism = auth.mid(5).toUpper();
        if (const QString why = brokenSaslMechanismReason(mechanism); !why.isEmpty())
            //: %1 a SASL mechanism, %2 why it is refused
            return Tr::tr("The SASL mechanism %1 is broken (%2): Vigie does not connect with it. Name SCRAM-SHA-256 or "
                          "GSSAPI (auth=sasl.SCRAM-SHA-256), or leave the choice to the server.")
                .arg(mechanism, why);
    }
    return {};
}

} // namespace Vigie
