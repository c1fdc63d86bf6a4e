#include "hypervisor/libvirtsasl.h"

#include <QFuture>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QtConcurrent>
#include <QtEndian>

using namespace Qt::StringLiterals;
using namespace Vigie;

Q_DECLARE_METATYPE(Vigie::SaslChannel)

namespace {

QByteArray words(std::initializer_list<quint32> values)
{
    QByteArray data;
    for (quint32 value : values) {
        char bytes[4];
        qToBigEndian(value, bytes);
        data.append(bytes, 4);
    }
    return data;
}

// An XDR string: its length, its bytes, zero padding to 4.
QByteArray xdrString(const QByteArray &text)
{
    QByteArray data = words({quint32(text.size())}) + text;
    data.append(QByteArray((4 - text.size() % 4) % 4, '\0'));
    return data;
}

// A reply of libvirt's remote program to PROCEDURE, as libvirtd writes it.
QByteArray reply(qint32 procedure, quint32 serial, const QByteArray &payload, quint32 status = 0)
{
    const QByteArray header = words({LibvirtRpc::RemoteProgram, LibvirtRpc::RemoteVersion, quint32(procedure), 1, serial, status});
    return words({quint32(4 + header.size() + payload.size())}) + header + payload;
}

// A daemon on loopback that answers the calls it is sent with ANSWERS (by procedure), as libvirtd
// does before a client authenticates, and records the procedures it was asked.
class FakeDaemon : public QObject
{
public:
    QHash<qint32, QByteArray> answers; // the payload of each procedure's reply
    QByteArray raw;                    // if set, written instead of any reply
    QList<qint32> asked;

    FakeDaemon()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
        });
    }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }

private:
    void serve(QTcpSocket *socket)
    {
        while (socket->bytesAvailable() >= LibvirtRpc::HeaderBytes) {
            const QByteArray call = socket->read(LibvirtRpc::HeaderBytes);
            const auto procedure = qFromBigEndian<qint32>(call.constData() + 12);
            const auto serial = qFromBigEndian<quint32>(call.constData() + 20);
            asked.append(procedure);
            if (!raw.isEmpty())
                socket->write(raw);
            else if (answers.contains(procedure))
                socket->write(reply(procedure, serial, answers.value(procedure)));
        }
    }

    QTcpServer m_server;
};

LibvirtSaslTarget tcpTarget(quint16 port)
{
    LibvirtSaslTarget target;
    target.host = u"127.0.0.1"_s;
    target.port = port;
    return target;
}

// The probe blocks (it runs on a host's thread): here on a pool thread while the daemon answers.
LibvirtAuthOffer probe(const LibvirtSaslTarget &target, int timeoutMs = 5000)
{
    QFuture<LibvirtAuthOffer> future = QtConcurrent::run([target, timeoutMs] { return probeLibvirtAuth(target, timeoutMs); });
    while (!future.isFinished())
        QTest::qWait(5);
    return future.result();
}

} // namespace

// What Vigie asks a libvirt daemon before it authenticates (libvirt's RPC: AUTH_LIST and
// AUTH_SASL_INIT, no credentials), the SASL mechanism it then asks for by name, and the broken
// ones it refuses; against a daemon on loopback answering as libvirtd does, and hostile ones.
// tst_labsasl does the same against the lab's real daemons.
class tst_LibvirtSasl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void callIsLibvirtsHeader()
    {
        const QByteArray call = LibvirtRpc::call(LibvirtRpc::ProcAuthSaslInit, 7);
        QCOMPARE(call, words({28, 0x20008086, 1, 67, 0, 7, 0}));
    }

    void parseReplies()
    {
        QString error;
        const std::optional<LibvirtRpc::Reply> ok = LibvirtRpc::parseReply(reply(66, 1, words({1, 1})), &error);
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(ok->procedure, 66);
        QCOMPARE(ok->serial, 1u);
        QVERIFY(ok->ok);
        QCOMPARE(LibvirtRpc::authTypes(ok->payload), QList<qint32>{1});

        const std::optional<LibvirtRpc::Reply> refused = LibvirtRpc::parseReply(reply(67, 2, {}, 1), &error);
        QVERIFY(refused);
        QVERIFY(!refused->ok);

        QByteArray otherProgram = reply(66, 1, {});
        otherProgram[7] = 0x07;
        QVERIFY(!LibvirtRpc::parseReply(otherProgram, &error));
        QVERIFY(!error.isEmpty());
        QByteArray aCall = reply(66, 1, {});
        aCall[19] = 0; // type CALL
        QVERIFY(!LibvirtRpc::parseReply(aCall, &error));
        QVERIFY(!LibvirtRpc::parseReply(reply(66, 1, {}).chopped(1), &error));
        QVERIFY(!LibvirtRpc::parseReply(QByteArray("\0\0", 2), &error));
    }

    void announcedLengths()
    {
        QCOMPARE(LibvirtRpc::announcedLength(words({28})), std::optional<quint32>(28));
        QVERIFY(!LibvirtRpc::announcedLength(words({27})));                  // shorter than a header
        QVERIFY(!LibvirtRpc::announcedLength(words({50u * 1024 * 1024})));   // 50 MB: refused unread
        QVERIFY(!LibvirtRpc::announcedLength(QByteArray("\0\0\0", 3)));
    }

    void mechanismLists_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QStringList>("mechanisms");
        QTest::newRow("libvirtd's commas") << xdrString("SCRAM-SHA-256,DIGEST-MD5") << true
                                           << QStringList{u"SCRAM-SHA-256"_s, u"DIGEST-MD5"_s};
        QTest::newRow("spaces, lower case, twice") << xdrString("gssapi scram-sha-256 GSSAPI") << true
                                                   << QStringList{u"GSSAPI"_s, u"SCRAM-SHA-256"_s};
        QTest::newRow("empty") << xdrString("") << true << QStringList{};
        QTest::newRow("markup") << xdrString("<b>SCRAM</b>") << false << QStringList{};
        QTest::newRow("longer than 20") << xdrString("SCRAM-SHA-256-AND-MORE-MORE") << false << QStringList{};
        QTest::newRow("length past the end") << (words({400}) + QByteArray("SCRAM-SHA-256\0\0\0", 16)) << false << QStringList{};
        QTest::newRow("no padding") << (words({5}) + QByteArray("PLAIN")) << false << QStringList{};
        QTest::newRow("nothing") << QByteArray() << false << QStringList{};
    }

    void mechanismLists()
    {
        QFETCH(QByteArray, payload);
        QFETCH(bool, ok);
        QFETCH(QStringList, mechanisms);
        const std::optional<QStringList> parsed = LibvirtRpc::saslMechanisms(payload);
        QCOMPARE(parsed.has_value(), ok);
        if (ok)
            QCOMPARE(*parsed, mechanisms);
    }

    void authTypeLists()
    {
        QCOMPARE(LibvirtRpc::authTypes(words({0})), QList<qint32>{});
        QCOMPARE(LibvirtRpc::authTypes(words({2, 0, 1})), (QList<qint32>{0, 1}));
        QVERIFY(!LibvirtRpc::authTypes(words({21}) + QByteArray(84, '\0'))); // more than libvirt's 20
        QVERIFY(!LibvirtRpc::authTypes(words({3, 0, 1})));
        QVERIFY(!LibvirtRpc::authTypes({}));
    }

    void targets_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("probed");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("tls");
        QTest::newRow("tcp") << u"qemu+tcp://hv1/system"_s << true << 16509 << false;
        QTest::newRow("tcp, port") << u"qemu+tcp://hv1:1234/system?auth=sasl"_s << true << 1234 << false;
        QTest::newRow("tls") << u"qemu+tls://hv1/system?pkipath=/tmp/p"_s << true << 16514 << true;
        QTest::newRow("remote, no transport: TLS") << u"qemu://hv1/system"_s << true << 16514 << true;
        QTest::newRow("mechanism named") << u"qemu+tls://hv1/system?auth=sasl.SCRAM-SHA-256"_s << false << 0 << false;
        QTest::newRow("polkit") << u"qemu+tcp://hv1/system?auth=polkit"_s << false << 0 << false;
        QTest::newRow("ssh") << u"qemu+ssh://root@hv1/system"_s << false << 0 << false;
        QTest::newRow("local") << u"qemu:///system"_s << false << 0 << false;
        QTest::newRow("test driver") << u"test:///default"_s << false << 0 << false;
    }

    void targets()
    {
        QFETCH(QString, uri);
        QFETCH(bool, probed);
        QFETCH(int, port);
        QFETCH(bool, tls);
        const std::optional<LibvirtSaslTarget> target = LibvirtSaslTarget::fromUri(uri);
        QCOMPARE(target.has_value(), probed);
        if (!probed)
            return;
        QCOMPARE(target->host, u"hv1"_s);
        QCOMPARE(int(target->port), port);
        QCOMPARE(target->tls.has_value(), tls);
    }

    void choices_data()
    {
        QTest::addColumn<QStringList>("offered");
        QTest::addColumn<SaslChannel>("channel");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("mechanism"); // asked for, or words the refusal holds
        using Kind = SaslChoice::Kind;
        QTest::newRow("nothing broken: left to the daemon") << QStringList{u"SCRAM-SHA-256"_s, u"GSSAPI"_s} << SaslChannel::Tls
                                                            << int(Kind::Leave) << QString();
        QTest::newRow("DIGEST-MD5 beside SCRAM-SHA-256") << QStringList{u"DIGEST-MD5"_s, u"SCRAM-SHA-256"_s} << SaslChannel::Tls
                                                         << int(Kind::Ask) << u"SCRAM-SHA-256"_s;
        QTest::newRow("the strongest SCRAM") << QStringList{u"SCRAM-SHA-1"_s, u"SCRAM-SHA-256"_s, u"SCRAM-SHA-512"_s}
                                             << SaslChannel::Tls << int(Kind::Ask) << u"SCRAM-SHA-512"_s;
        QTest::newRow("Kerberos first") << QStringList{u"SCRAM-SHA-256"_s, u"CRAM-MD5"_s, u"GSSAPI"_s} << SaslChannel::Tls
                                        << int(Kind::Ask) << u"GSSAPI"_s;
        QTest::newRow("plain TCP: GSSAPI encrypts") << QStringList{u"DIGEST-MD5"_s, u"GSSAPI"_s} << SaslChannel::Tcp << int(Kind::Ask)
                                                    << u"GSSAPI"_s;
        QTest::newRow("only DIGEST-MD5") << QStringList{u"DIGEST-MD5"_s} << SaslChannel::Tls << int(Kind::Refuse) << u"RFC 6331"_s;
        QTest::newRow("only broken, and ANONYMOUS") << QStringList{u"SCRAM-SHA-1"_s, u"ANONYMOUS"_s} << SaslChannel::Tls
                                                    << int(Kind::Refuse) << u"SCRAM-SHA-1 (SHA-1"_s;
        QTest::newRow("plain TCP: SCRAM needs TLS") << QStringList{u"DIGEST-MD5"_s, u"SCRAM-SHA-256"_s} << SaslChannel::Tcp
                                                    << int(Kind::Refuse) << u"(qemu+tls://hv1/system) to use SCRAM-SHA-256"_s;
        QTest::newRow("PLAIN in verified TLS") << QStringList{u"DIGEST-MD5"_s, u"PLAIN"_s} << SaslChannel::Tls
                                               << int(Kind::Ask) << u"PLAIN"_s;
        QTest::newRow("SCRAM before PLAIN") << QStringList{u"PLAIN"_s, u"DIGEST-MD5"_s, u"SCRAM-SHA-256"_s} << SaslChannel::Tls
                                            << int(Kind::Ask) << u"SCRAM-SHA-256"_s;
        QTest::newRow("no PLAIN to an unverified server") << QStringList{u"DIGEST-MD5"_s, u"PLAIN"_s}
                                                          << SaslChannel::TlsUnverified << int(Kind::Refuse)
                                                          << u"only PLAIN, which sends the password as it is"_s;
        QTest::newRow("SCRAM to an unverified server") << QStringList{u"DIGEST-MD5"_s, u"SCRAM-SHA-256"_s}
                                                       << SaslChannel::TlsUnverified << int(Kind::Ask) << u"SCRAM-SHA-256"_s;
    }

    void choices()
    {
        QFETCH(QStringList, offered);
        QFETCH(SaslChannel, channel);
        QFETCH(int, kind);
        QFETCH(QString, mechanism);
        const SaslChoice choice = chooseSaslMechanism(offered, channel, u"hv1"_s, 16514);
        QCOMPARE(int(choice.kind), kind);
        if (choice.kind == SaslChoice::Kind::Ask)
            QCOMPARE(choice.mechanism, mechanism);
        if (choice.kind == SaslChoice::Kind::Refuse) {
            QVERIFY2(choice.message.contains(mechanism), qPrintable(choice.message));
            QVERIFY2(choice.message.contains(u"hv1:16514"_s), qPrintable(choice.message));
            QVERIFY2(choice.message.contains(u"Vigie sent no credentials"_s), qPrintable(choice.message));
        }
    }

    void uriAsksForTheMechanism()
    {
        QCOMPARE(uriWithSaslMechanism(u"qemu+tls://hv1/system?pkipath=/etc/p&auth=sasl"_s, u"scram-sha-256"_s),
                 u"qemu+tls://hv1/system?pkipath=/etc/p&auth=sasl.SCRAM-SHA-256"_s);
        QCOMPARE(uriWithSaslMechanism(u"qemu+tcp://hv1/system"_s, u"GSSAPI"_s), u"qemu+tcp://hv1/system?auth=sasl.GSSAPI"_s);
    }

    void probeReadsTheOffer()
    {
        FakeDaemon daemon;
        daemon.answers.insert(LibvirtRpc::ProcAuthList, words({1, LibvirtRpc::AuthSasl}));
        daemon.answers.insert(LibvirtRpc::ProcAuthSaslInit, xdrString("DIGEST-MD5,SCRAM-SHA-256"));
        const LibvirtAuthOffer offer = probe(tcpTarget(daemon.port()));
        QVERIFY2(offer.answered, qPrintable(offer.error));
        QVERIFY(offer.sasl);
        QCOMPARE(offer.mechanisms, (QStringList{u"DIGEST-MD5"_s, u"SCRAM-SHA-256"_s}));
        QCOMPARE(daemon.asked, (QList<qint32>{LibvirtRpc::ProcAuthList, LibvirtRpc::ProcAuthSaslInit}));
    }

    void probeAsksNoMechanismsWithoutSasl()
    {
        FakeDaemon daemon;
        daemon.answers.insert(LibvirtRpc::ProcAuthList, words({1, 0}));
        const LibvirtAuthOffer offer = probe(tcpTarget(daemon.port()));
        QVERIFY2(offer.answered, qPrintable(offer.error));
        QVERIFY(!offer.sasl);
        QCOMPARE(daemon.asked, QList<qint32>{LibvirtRpc::ProcAuthList});
    }

    void probeRefusesHostileAnswers_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::newRow("50 MB announced") << words({50u * 1024 * 1024}) + QByteArray(1024, 'x');
        QTest::newRow("another program") << QByteArray(words({28, 0x11111111, 1, 66, 1, 1, 0}));
        QTest::newRow("another call's serial") << reply(LibvirtRpc::ProcAuthList, 9, words({1, 1}));
        QTest::newRow("an error") << reply(LibvirtRpc::ProcAuthList, 1, words({0, 0, 0}), 1);
        QTest::newRow("HTTP") << QByteArray("HTTP/1.1 400 Bad Request\r\n\r\n");
    }

    void probeRefusesHostileAnswers()
    {
        QFETCH(QByteArray, raw);
        FakeDaemon daemon;
        daemon.raw = raw;
        const LibvirtAuthOffer offer = probe(tcpTarget(daemon.port()), 3000);
        QVERIFY(!offer.answered);
        QVERIFY(!offer.error.isEmpty());
        qInfo("%s: %s", QTest::currentDataTag(), qPrintable(offer.error));
    }

    void probeGivesUpOnASilentDaemon()
    {
        FakeDaemon daemon; // answers nothing
        const LibvirtAuthOffer offer = probe(tcpTarget(daemon.port()), 300);
        QVERIFY(!offer.answered);
        QVERIFY2(offer.error.contains(u"no answer in time"_s), qPrintable(offer.error));
    }

    void probeOfNothing()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        const LibvirtAuthOffer offer = probe(tcpTarget(port));
        QVERIFY(!offer.answered);
        QVERIFY(!offer.error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_LibvirtSasl)
#include "tst_libvirtsasl.moc"
