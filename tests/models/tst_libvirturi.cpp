// Which URIs are refused before connecting: typos and hostile text, not real libvirt URIs.
#include "hypervisor/libvirturi.h"

#include <QTest>

using namespace Vigie;

class TestLibvirtUri : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void check_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("ok");
        QTest::newRow("system") << "qemu:///system" << true;
        QTest::newRow("session") << "qemu:///session" << true;
        QTest::newRow("ssh") << "qemu+ssh://root@par-hv01.example.org/system" << true;
        QTest::newRow("tls with port") << "qemu+tls://hv2:16514/system" << true;
        QTest::newRow("unix socket") << "qemu+unix:///system?socket=/tmp/lab/run/libvirt/libvirt-sock" << true;
        QTest::newRow("test driver") << "test:///default" << true;
        QTest::newRow("test file") << "test:///tmp/demo/par-hv01.xml" << true;
        QTest::newRow("padded") << "  qemu:///system  " << true;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("words") << "not a uri" << false;
        QTest::newRow("host name only") << "par-hv01" << false;
        QTest::newRow("no slashes") << "qemu:system" << false;
        QTest::newRow("unknown driver") << "kvm:///system" << false;
        QTest::newRow("unknown transport") << "qemu+telnet://hv/system" << false;
        QTest::newRow("upper case scheme") << "QEMU:///system" << false;
        QTest::newRow("space inside") << "qemu+ssh://root@hv 1/system" << false;
        QTest::newRow("http") << "https://hv1/" << false;
        // SASL mechanisms named in the URI (libvirt's auth=sasl.MECH): the broken ones refused.
        QTest::newRow("sasl, server's choice") << "qemu+tcp://hv1/system?auth=sasl" << true;
        QTest::newRow("sasl scram-sha-256") << "qemu+tls://hv1/system?auth=sasl.scram-sha-256" << true;
        QTest::newRow("sasl gssapi") << "qemu+tcp://hv1/system?auth=sasl.gssapi" << true;
        QTest::newRow("sasl digest-md5") << "qemu+tcp://hv1/system?auth=sasl.digest-md5" << false;
        QTest::newRow("sasl DIGEST-MD5 after pkipath") << "qemu+tls://hv1/system?pkipath=/p&auth=SASL.DIGEST-MD5" << false;
        QTest::newRow("sasl cram-md5") << "qemu+tcp://hv1/system?auth=sasl.cram-md5" << false;
        QTest::newRow("sasl scram-sha-1") << "qemu+tls://hv1/system?auth=sasl.scram-sha-1" << false;
    }
    void check()
    {
        QFETCH(QString, uri);
        QFETCH(bool, ok);
        const QString problem = libvirtUriProblem(uri);
        QVERIFY2(problem.isEmpty() == ok, qPrintable(problem));
        if (uri.contains(QLatin1String("sasl.")) && !ok) {
            QVERIFY2(problem.contains(QLatin1String("is broken")), qPrintable(problem));
            QVERIFY2(problem.contains(QLatin1String("SASL mechanism ") + uri.section(QLatin1String("sasl."), 1).toUpper()),
                     qPrintable(problem));
        }
    }
};

QTEST_GUILESS_MAIN(TestLibvirtUri)
#include "tst_libvirturi.moc"
