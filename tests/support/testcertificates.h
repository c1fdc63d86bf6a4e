#pragma once

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace Vigie::Test {

// Certificates made by openssl(1) for one test run, in a temporary directory of their own: each
// NAME.crt with its key NAME.key (EC P-256, unencrypted), valid for two days unless told
// otherwise. EXTENSIONS are lines of openssl's x509v3 configuration ("subjectAltName=IP:127.0.0.1",
// "extendedKeyUsage=serverAuth").
class TestCertificates
{
public:
    enum class Validity { TwoDays, Expired };

    // Whether certificates can be made here (a test skips when not).
    [[nodiscard]] static bool available() { return !QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty(); }

    [[nodiscard]] bool isValid() const { return m_dir.isValid(); }
    [[nodiscard]] QString path(const QString &file) const { return m_dir.filePath(file); }

    // A self-signed certificate for SUBJECT (its CN): a CA, or a server that vouches for itself.
    bool makeSelfSigned(const QString &name, const QString &subject, const QStringList &extensions = {})
    {
        QStringList args{QStringLiteral("req"), QStringLiteral("-x509")};
        args << newKey(name) << days() << QStringLiteral("-out") << name + QStringLiteral(".crt") << QStringLiteral("-subj")
             << QStringLiteral("/CN=") + subject;
        for (const QString &extension : extensions)
            args << QStringLiteral("-addext") << extension;
        return openssl(args);
    }

    // A certificate for SUBJECT signed by the CA made as CA.
    bool makeSigned(const QString &name, const QString &subject, const QString &ca, const QStringList &extensions,
                    Validity validity = Validity::TwoDays)
    {
        QFile ext(path(name + QStringLiteral(".ext")));
        if (!ext.open(QIODevice::WriteOnly))
            return false;
        ext.write(extensions.join(u'\n').toUtf8() + '\n');
        ext.close();
        const QStringList dates = validity == Validity::Expired
                                      ? QStringList{QStringLiteral("-not_before"), QStringLiteral("20200101000000Z"),
                                                    QStringLiteral("-not_after"), QStringLiteral("20200102000000Z")}
                                      : days();
        return openssl(QStringList{QStringLiteral("req")} + newKey(name)
                       + QStringList{QStringLiteral("-out"), name + QStringLiteral(".csr"), QStringLiteral("-subj"),
                                     QStringLiteral("/CN=") + subject})
            && openssl(QStringList{QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), name + QStringLiteral(".csr"),
                                   QStringLiteral("-CA"), ca + QStringLiteral(".crt"), QStringLiteral("-CAkey"), ca + QStringLiteral(".key"),
                                   QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), name + QStringLiteral(".crt"),
                                   QStringLiteral("-extfile"), name + QStringLiteral(".ext")}
                       + dates);
    }

    // openssl(1) run in the directory; what it said is logged when it fails.
    bool openssl(const QStringList &args)
    {
        QProcess process;
        process.setWorkingDirectory(m_dir.path());
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral("openssl"), args);
        if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            qWarning("openssl %s: %s", qPrintable(args.join(u' ')), process.readAll().constData());
            return false;
        }
        return true;
    }

private:
    [[nodiscard]] static QStringList newKey(const QString &name)
    {
        return {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                QStringLiteral("-nodes"), QStringLiteral("-keyout"), name + QStringLiteral(".key")};
    }
    [[nodiscard]] static QStringList days() { return {QStringLiteral("-days"), QStringLiteral("2")}; }

    QTemporaryDir m_dir;
};

} // namespace Vigie::Test
