#include "demodatacenter.h"

#include "demo/demoovsdbserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace Vigie {

namespace {

QJsonObject readJsonResource(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject())
        *error = QStringLiteral("%1: %2").arg(path, parseError.errorString());
    return document.object();
}

} // namespace

QByteArray DemoDatacenter::localisedNodeFile(const QByteArray &xml, const QLocale &locale)
{
    // French first: the node files hold the VMs' titles and descriptions in French; any other
    // interface gets them in English (texts.en.json, keyed by the French text).
    if (locale.language() == QLocale::French)
        return xml;
    static const QJsonObject english = [] {
        QString error;
        return readJsonResource(QStringLiteral(":/demo/texts.en.json"), &error).value(u"texts").toObject();
    }();
    QString text = QString::fromUtf8(xml);
    for (auto it = english.constBegin(); it != english.constEnd(); ++it) {
        for (const QLatin1StringView tag : {QLatin1StringView("title"), QLatin1StringView("description")}) {
            const QString open = u'<' + tag + u'>';
            const QString close = QLatin1String("</") + tag + u'>';
            text.replace(open + it.key() + close, open + it.value().toString().toHtmlEscaped() + close);
        }
    }
    return text.toUtf8();
}

DemoDatacenter::DemoDatacenter()
    : m_dir(QDir::tempPath() + QStringLiteral("/vigie-demo-XXXXXX"))
{
    if (!m_dir.isValid()) {
        m_error = QCoreApplication::translate("Vigie::DemoDatacenter", "cannot create a temporary directory: %1")
                      .arg(m_dir.errorString());
        return;
    }
    const QDir source(QStringLiteral(":/demo"));
    const QStringList files = source.entryList({QStringLiteral("*.xml")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        const QString target = m_dir.filePath(name);
        QFile in(source.filePath(name));
        QFile out(target);
        if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly)
            || out.write(localisedNodeFile(in.readAll(), QLocale())) < 0 || !out.flush()) {
            m_error = QCoreApplication::translate("Vigie::DemoDatacenter", "cannot write %1").arg(target);
            m_uris.clear();
            return;
        }
        out.close();
        QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        m_uris.append(QStringLiteral("test://") + target);
    }
    if (m_uris.isEmpty()) {
        m_error = QCoreApplication::translate("Vigie::DemoDatacenter", "no demo host files in this build");
        return;
    }
    m_northbound = startServer(QStringLiteral("ovn-nb"), QStringLiteral("ovnnb_db.sock"));
    if (m_northbound)
        m_southbound = startServer(QStringLiteral("ovn-sb"), QStringLiteral("ovnsb_db.sock"));
    if (!m_southbound)
        m_northbound.reset();
}

DemoDatacenter::~DemoDatacenter() = default;

std::unique_ptr<DemoOvsdbServer> DemoDatacenter::startServer(const QString &base, const QString &socketName)
{
    QString error;
    const QJsonObject schema = readJsonResource(QStringLiteral(":/demo/%1.ovsschema").arg(base), &error);
    const QJsonObject content = error.isEmpty() ? readJsonResource(QStringLiteral(":/demo/%1.json").arg(base), &error) : QJsonObject();
    auto server = std::make_unique<DemoOvsdbServer>();
    if (error.isEmpty() && server->load(schema, content, &error) && server->listen(m_dir.filePath(socketName), &error))
        return server;
    m_networkError = QStringLiteral("%1: %2").arg(base, error);
    return nullptr;
}

QStringList DemoDatacenter::controllerRemotes() const
{
    return m_northbound ? QStringList{m_northbound->remote()} : QStringList();
}

QStringList DemoDatacenter::southboundRemotes() const
{
    return m_southbound ? QStringList{m_southbound->remote()} : QStringList();
}

} // namespace Vigie
