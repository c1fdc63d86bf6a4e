// Read-only connections against the lab's real libvirt daemons: Vigie's read-only session goes
// through the daemon's read-only socket (libvirt-sock-ro), reads the host as usual, and every
// write is refused; the daemon itself refuses a write on that socket even from a client that did
// not ask for read-only. virsh, on the read-write socket, is the judge of the guest's state.
#include "hypervisor/accesspolicy.h"
#include "hypervisor/hypervisorsession.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"

#include <QFileInfo>
#include <QScopeGuard>
#include "replyrecorder.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>
#include <QUrlQuery>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

using namespace Vigie;
using namespace Vigie::LabTest;

namespace {

QString virshState(const LabHost &host, const QString &name)
{
    const LabEnvironment::Result r = LabEnvironment::virsh(host, {QStringLiteral("domstate"), name});
    return r.ok() ? r.out.trimmed() : QStringLiteral("virsh failed: ") + r.err;
}

QString libvirtError()
{
    const char *message = virGetLastErrorMessage();
    return QString::fromUtf8(message ? message : "");
}

} // namespace

class tst_ReadOnlyLab : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    LabHost m_host;
    QString m_guest; // a running guest of m_host

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        for (const LabHost &host : m_lab.hosts()) {
            const LabEnvironment::Result list = LabEnvironment::virsh(host, {QStringLiteral("list"), QStringLiteral("--name")});
            QVERIFY2(list.ok(), qPrintable(list.err));
            const QStringList running = list.out.split(u'\n', Qt::SkipEmptyParts);
            if (!running.isEmpty()) {
                m_host = host;
                m_guest = running.first().trimmed();
                break;
            }
        }
        QVERIFY2(!m_guest.isEmpty(), "no running guest in the lab");
        // The lab's daemons listen on both sockets (libvirtd.conf: auth_unix_ro = "none").
        const QString ro = QUrlQuery(QUrl(AccessPolicy::readOnlyUri(m_host.uri))).queryItemValue(QStringLiteral("socket"));
        QVERIFY2(ro.endsWith(QLatin1String("/libvirt-sock-ro")), qPrintable(ro));
        QVERIFY2(QFileInfo(ro).exists(), qPrintable(ro));
    }

    // Vigie's own session, opened read-only: it reads the host, and the daemon refuses a suspend.
    void vigieSessionRefusesWrites()
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QVERIFY(sessions.addConnection(m_host.uri, false, true));
        QVERIFY(settled.wait(30000));
        QCOMPARE(inventory.host(m_host.uri).state, ConnectionState::Connected);
        VmKey key;
        for (const VmKey &k : inventory.vmKeysOfHost(m_host.uri)) {
            if (inventory.vm(k).name == m_guest)
                key = k;
        }
        QVERIFY2(key.isValid(), qPrintable(m_guest));
        QCOMPARE(inventory.vm(key).state, VmState::Running);

        QSignalSpy finished(sessions.session(m_host.uri), &HypervisorSession::actionFinished);
        sessions.runAction({key}, VmAction::Pause);
        QVERIFY(finished.wait(30000));
        const VmActionResult result = finished.last().first().value<VmActionResult>();
        QVERIFY(!result.ok);
        qInfo() << "Pause through Vigie's read-only connection:" << result.message;
        QVERIFY2(result.message.contains(QLatin1String("read only"), Qt::CaseInsensitive)
                     || result.message.contains(QLatin1String("read-only"), Qt::CaseInsensitive),
                 qPrintable(result.message));
        QCOMPARE(virshState(m_host, m_guest), QStringLiteral("running"));

        // Its definition, saved again as it is: a write too.
        XmlRecorder xml;
        sessions.requestDomainXml(key, true, xml.reply());
        QTRY_VERIFY_WITH_TIMEOUT(xml.answered, 30000);
        QVERIFY2(xml.error.isEmpty(), qPrintable(xml.error));
        OperationRecorder defined;
        sessions.defineDomain(m_host.uri, xml.xml, false, defined.reply());
        QTRY_VERIFY_WITH_TIMEOUT(defined.answered, 30000);
        QCOMPARE(defined.ok, false);
        qInfo() << "Define through Vigie's read-only connection:" << defined.message;
    }

    // The daemon's own check: a client on the read-only socket that did not ask for read-only
    // (so libvirt's client library lets the call go out) is refused by the daemon.
    void daemonRefusesOnReadOnlySocket()
    {
        const QByteArray uri = AccessPolicy::readOnlyUri(m_host.uri).toUtf8();
        virConnectPtr conn = virConnectOpenAuth(uri.constData(), virConnectAuthPtrDefault, 0);
        QVERIFY2(conn, qPrintable(libvirtError()));
        const auto close = qScopeGuard([conn] { virConnectClose(conn); });
        virDomainPtr domain = virDomainLookupByName(conn, m_guest.toUtf8().constData());
        QVERIFY2(domain, qPrintable(libvirtError())); // reading is allowed
        const auto release = qScopeGuard([domain] { virDomainFree(domain); });
        virDomainInfo info;
        QCOMPARE(virDomainGetInfo(domain, &info), 0);
        QCOMPARE(int(info.state), int(VIR_DOMAIN_RUNNING));

        QCOMPARE(virDomainSuspend(domain), -1);
        const QString message = libvirtError();
        qInfo() << "Suspend on the daemon's read-only socket:" << message << "code" << virGetLastErrorCode();
        QCOMPARE(virGetLastErrorCode(), int(VIR_ERR_OPERATION_DENIED));
        QVERIFY2(message.contains(QLatin1String("read only"), Qt::CaseInsensitive), qPrintable(message));
        QCOMPARE(virshState(m_host, m_guest), QStringLiteral("running"));
    }
};

QTEST_GUILESS_MAIN(tst_ReadOnlyLab)
#include "tst_readonlylab.moc"
