// The command line's migrations by name, between demo hosts (simulated migrations through the
// real sessions and MigrationController::start): names resolved, hostile or ambiguous ones
// refused with their reason, requests run one after another, success only once the inventory
// shows the VM on its destination and gone from its source.
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/migrationqueue.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"

#include <QSignalSpy>
#include <QTest>

using namespace Vigie;

class tst_MigrationQueue : public QObject
{
    Q_OBJECT

private:
    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<MigrationController> m_migrations;

    QString hostNamed(const QString &name) const
    {
        for (const QString &uri : m_inventory.hostUris()) {
            if (m_inventory.host(uri).displayName == name)
                return uri;
        }
        return {};
    }

    QString hostOf(const QString &vmName) const
    {
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (m_inventory.vm(key).name == vmName)
                return m_inventory.host(key.hostUri).displayName;
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        m_migrations = std::make_unique<MigrationController>(m_sessions.get(), &m_inventory);
        m_migrations->setDemoDurationMs(300);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
        QCOMPARE(hostOf(QStringLiteral("web-front-01")), QStringLiteral("par-hv01"));
    }

    void resolve_data()
    {
        QTest::addColumn<QString>("vm");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("error");
        QTest::newRow("names") << "web-front-01" << "par-hv02" << QString();
        QTest::newRow("host by URI") << "web-front-01" << "uri:par-hv02" << QString();
        QTest::newRow("unknown VM") << "no-such-vm" << "par-hv02" << "no VM named no-such-vm";
        QTest::newRow("unknown host") << "web-front-01" << "nowhere" << "no host named nowhere";
        QTest::newRow("empty names") << "" << "" << "no VM named ";
        QTest::newRow("case matters") << "WEB-FRONT-01" << "par-hv02" << "no VM named WEB-FRONT-01";
        QTest::newRow("markup") << "<b>web</b>" << "par-hv02" << "no VM named <b>web</b>";
        // A Nova instance by the name its users know (nova:name), or by its domain's name.
        QTest::newRow("Nova's name") << "k8s-worker-01" << "par-hv02" << QString();
        QTest::newRow("domain name of a Nova instance") << "instance-00000041" << "par-hv02" << QString();
    }

    void resolve()
    {
        QFETCH(QString, vm);
        QFETCH(QString, host);
        QFETCH(QString, error);
        if (host.startsWith(QLatin1String("uri:")))
            host = hostNamed(host.mid(4));
        VmKey key;
        QString destUri;
        QCOMPARE(MigrationQueue::resolve(m_inventory, vm, host, &key, &destUri), error);
        if (error.isEmpty()) {
            QVERIFY(m_inventory.vm(key).name == vm || m_inventory.vm(key).displayName == vm);
            QCOMPARE(destUri, hostNamed(QStringLiteral("par-hv02")));
        }
    }

    // A refusal first, then a move, then a move the pre-flight refuses once the first is done
    // (the VM already runs there): in order, one at a time.
    void runsInOrder()
    {
        MigrationQueue queue(m_migrations.get(), &m_inventory);
        queue.enqueue(QStringLiteral("no-such-vm"), QStringLiteral("par-hv02"));
        queue.enqueue(QStringLiteral("web-front-01"), QStringLiteral("par-hv03"));
        queue.enqueue(QStringLiteral("web-front-01"), QStringLiteral("par-hv03"));
        QSignalSpy started(&queue, &MigrationQueue::requestStarted);
        QSignalSpy ended(&queue, &MigrationQueue::requestFinished);
        QSignalSpy finished(&queue, &MigrationQueue::finished);
        int runningAtOnce = 0;
        connect(m_migrations.get(), &MigrationController::jobProgressed, this,
                [&] { runningAtOnce = std::max(runningAtOnce, m_migrations->runningCount()); });
        queue.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(started.size(), 1);
        QCOMPARE(ended.size(), 3);
        QCOMPARE(ended.at(0).at(0).toInt(), 0);
        QCOMPARE(ended.at(0).at(1).toBool(), false);
        QCOMPARE(ended.at(0).at(2).toString(), QStringLiteral("no VM named no-such-vm"));
        QCOMPARE(ended.at(1).at(0).toInt(), 1);
        QCOMPARE(ended.at(1).at(1).toBool(), true);
        QCOMPARE(ended.at(2).at(0).toInt(), 2);
        QCOMPARE(ended.at(2).at(1).toBool(), false);
        QVERIFY(!ended.at(2).at(2).toString().isEmpty());
        QCOMPARE(queue.failureCount(), 2);
        QVERIFY(queue.isFinished());
        QCOMPARE(runningAtOnce, 1);
        // Success meant: on the destination, running, and nowhere else.
        QCOMPARE(hostOf(QStringLiteral("web-front-01")), QStringLiteral("par-hv03"));
        int copies = 0;
        for (const VmKey &key : m_inventory.vmKeys())
            copies += m_inventory.vm(key).name == QLatin1String("web-front-01") ? 1 : 0;
        QCOMPARE(copies, 1);
    }
};

QTEST_GUILESS_MAIN(tst_MigrationQueue)
#include "tst_migrationqueue.moc"
