#include "controllersettings.h"

#include "network/ovsdbremote.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>

#include <algorithm>

namespace Vigie {

namespace {

const QString KeyNorthbound = QStringLiteral("controller/remotes");
const QString KeySouthbound = QStringLiteral("controller/southbound");
const QString KeyCaCertificate = QStringLiteral("controller/caCertificate");
const QString KeyCertificate = QStringLiteral("controller/certificate");
const QString KeyPrivateKey = QStringLiteral("controller/privateKey");
const QString KeyTrusted = QStringLiteral("controller/trustedCertificates");

QString unreadable(const QString &what, const QString &path)
{
    const QFileInfo file(path);
    if (!file.exists())
        return ControllerSettings::tr("The %1 %2 does not exist.").arg(what, path);
    if (!file.isFile() || !file.isReadable())
        return ControllerSettings::tr("The %1 %2 cannot be read.").arg(what, path);
    return {};
}

} // namespace

QStringList ControllerSettings::parseRemotes(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

bool ControllerSettings::usesSsl() const
{
    const auto ssl = [](const QString &remote) { return OvsdbRemote::parse(remote).transport == OvsdbRemote::Transport::Ssl; };
    return std::any_of(northbound.cbegin(), northbound.cend(), ssl) || std::any_of(southbound.cbegin(), southbound.cend(), ssl);
}

QString ControllerSettings::problem() const
{
    for (const QStringList *remotes : {&northbound, &southbound}) {
        for (const QString &remote : *remotes) {
            if (!OvsdbRemote::parse(remote).isValid())
                return tr("%1 is not a remote: write tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH.").arg(remote);
        }
    }
    if (northbound.isEmpty() && !southbound.isEmpty())
        return tr("A southbound database needs its northbound database: give the northbound remote too.");
    if (!usesSsl())
        return {};
    if (ssl.caCertificateFile.isEmpty())
        return tr("ssl: remotes need the CA certificate that signed the databases' certificates.");
    if (ssl.certificateFile.isEmpty() != ssl.privateKeyFile.isEmpty())
        return tr("A client certificate needs its private key, and a private key its certificate.");
    for (const auto &[what, path] : {std::pair{tr("CA certificate"), ssl.caCertificateFile},
                                     std::pair{tr("certificate"), ssl.certificateFile},
                                     std::pair{tr("private key"), ssl.privateKeyFile}}) {
        if (!path.isEmpty()) {
            if (QString problem = unreadable(what, path); !problem.isEmpty())
                return problem;
        }
    }
    return {};
}

ControllerSettings ControllerSettings::load(const QSettings &settings)
{
    ControllerSettings loaded;
    loaded.northbound = settings.value(KeyNorthbound).toStringList();
    loaded.southbound = settings.value(KeySouthbound).toStringList();
    loaded.ssl.caCertificateFile = settings.value(KeyCaCertificate).toString();
    loaded.ssl.certificateFile = settings.value(KeyCertificate).toString();
    loaded.ssl.privateKeyFile = settings.value(KeyPrivateKey).toString();
    loaded.ssl.trustedFingerprints = settings.value(KeyTrusted).toStringList();
    return loaded;
}

void ControllerSettings::save(QSettings &settings) const
{
    settings.setValue(KeyNorthbound, northbound);
    settings.setValue(KeySouthbound, southbound);
    settings.setValue(KeyCaCertificate, ssl.caCertificateFile);
    settings.setValue(KeyCertificate, ssl.certificateFile);
    settings.setValue(KeyPrivateKey, ssl.privateKeyFile);
    settings.setValue(KeyTrusted, ssl.trustedFingerprints);
}

} // namespace Vigie
