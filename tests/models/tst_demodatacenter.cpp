// The embedded demo datacenter, loaded through the real sessions, and its JSON dump.
#include "demo/demodatacenter.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "inventory/inventoryjson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QXmlStreamReader>

using namespace Vigie;

class TestDemoDatacenter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
        m_json = inventoryToJson(m_inventory);
    }

    // French first: the node files say what each VM is in French; every other interface gets
    // it in English, and no text is left without its English.
    void textsInTheInterfacesLanguage()
    {
        QFile textsFile(QStringLiteral(":/demo/texts.en.json"));
        QVERIFY(textsFile.open(QIODevice::ReadOnly));
        const QJsonObject english = QJsonDocument::fromJson(textsFile.readAll()).object().value(u"texts").toObject();
        QVERIFY(english.size() > 50);
        const QDir demo(QStringLiteral(":/demo"));
        int texts = 0;
        for (const QString &name : demo.entryList({QStringLiteral("*.xml")})) {
            QFile file(demo.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray xml = file.readAll();
            QCOMPARE(DemoDatacenter::localisedNodeFile(xml, QLocale(QLocale::French)), xml);
            const QByteArray translated = DemoDatacenter::localisedNodeFile(xml, QLocale(QLocale::English));
            // Every title and description: known, and replaced; the file still well-formed.
            QXmlStreamReader french(xml);
            QXmlStreamReader inEnglish(translated);
            while (!french.atEnd()) {
                french.readNext();
                inEnglish.readNext();
                QCOMPARE(inEnglish.tokenType(), french.tokenType());
                if (french.isStartElement() && (french.name() == u"title" || french.name() == u"description")) {
                    const QString text = french.readElementText();
                    const QString expected = english.value(text).toString();
                    QVERIFY2(!expected.isEmpty(), qPrintable(name + QStringLiteral(": no English for ") + text));
                    QCOMPARE(inEnglish.readElementText(), expected);
                    ++texts;
                }
            }
            QVERIFY2(!french.hasError() && !inEnglish.hasError(), qPrintable(inEnglish.errorString()));
        }
        QCOMPARE(texts, 2 * m_inventory.vmCount()); // every VM has a title and a description
        // The demo loaded here, in this test's language.
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (m_inventory.vm(key).name == u"backup-proxy")
                QCOMPARE(m_inventory.vm(key).title, QLocale().language() == QLocale::French ? QStringLiteral("Proxy de sauvegarde")
                                                                                             : QStringLiteral("Backup proxy"));
        }
    }

    void everyHostConnected()
    {
        const QJsonArray hosts = m_json.value(QLatin1String("hosts")).toArray();
        QVERIFY2(hosts.size() >= 4, qPrintable(QString::number(hosts.size())));
        QSet<QString> names;
        for (const QJsonValue &value : hosts) {
            const QJsonObject host = value.toObject();
            QCOMPARE(host.value(QLatin1String("state")).toString(), QStringLiteral("connected"));
            QVERIFY(host.value(QLatin1String("demo")).toBool());
            QVERIFY(host.value(QLatin1String("cpus")).toInt() > 0);
            QVERIFY(host.value(QLatin1String("memoryMiB")).toInteger() > 0);
            names.insert(host.value(QLatin1String("name")).toString());
        }
        // Hosts are named after their node files, not after this machine.
        QCOMPARE(names.size(), hosts.size());
        QVERIFY(names.contains(QStringLiteral("par-hv01")));
    }

    void believableVms()
    {
        const QJsonArray vms = m_json.value(QLatin1String("vms")).toArray();
        QVERIFY2(vms.size() >= 40, qPrintable(QString::number(vms.size())));
        QSet<QString> states, tenants, uuids;
        QSet<int> vcpus;
        int nics = 0;
        for (const QJsonValue &value : vms) {
            const QJsonObject vm = value.toObject();
            for (const char *key : {"host", "name", "uuid", "state", "vcpus", "memoryMiB", "tenant", "nics"})
                QVERIFY2(vm.contains(QLatin1String(key)), key);
            states.insert(vm.value(QLatin1String("state")).toString());
            tenants.insert(vm.value(QLatin1String("tenant")).toString());
            uuids.insert(vm.value(QLatin1String("uuid")).toString());
            vcpus.insert(vm.value(QLatin1String("vcpus")).toInt());
            QVERIFY(vm.value(QLatin1String("memoryMiB")).toInteger() >= 256);
            for (const QJsonValue &nicValue : vm.value(QLatin1String("nics")).toArray()) {
                const QJsonObject nic = nicValue.toObject();
                // libvirt's own prefix, or OpenStack's for the NICs Nova made (Neutron ports).
                const QString mac = nic.value(QLatin1String("mac")).toString();
                QVERIFY2(mac.startsWith(QLatin1String("52:54:00:")) || mac.startsWith(QLatin1String("fa:16:3e:")), qPrintable(mac));
                QVERIFY(nic.contains(QLatin1String("vlan")));
                ++nics;
            }
        }
        QCOMPARE(uuids.size(), vms.size());
        QVERIFY(states.contains(QStringLiteral("running")));
        QVERIFY(states.contains(QStringLiteral("shutoff")));
        QVERIFY(states.contains(QStringLiteral("paused")));
        QVERIFY(tenants.size() >= 3);
        QVERIFY(vcpus.size() >= 4);
        QVERIFY(nics >= vms.size());
    }

    void vlans()
    {
        const QJsonArray vlans = m_json.value(QLatin1String("vlans")).toArray();
        QVERIFY(vlans.size() >= 3);
        for (const QJsonValue &value : vlans) {
            const QJsonObject vlan = value.toObject();
            QVERIFY(vlan.value(QLatin1String("id")).toInt() > 0);
            QVERIFY(!vlan.value(QLatin1String("name")).toString().isEmpty());
            QVERIFY(vlan.value(QLatin1String("vmCount")).toInt() > 0);
        }
        // Every NIC in a VLAN names one the hosts' networks carry.
        QSet<int> known;
        for (const QJsonValue &value : vlans)
            known.insert(value.toObject().value(QLatin1String("id")).toInt());
        for (const QJsonValue &value : m_json.value(QLatin1String("vms")).toArray()) {
            for (const QJsonValue &nic : value.toObject().value(QLatin1String("nics")).toArray()) {
                const QJsonValue vlan = nic.toObject().value(QLatin1String("vlan"));
                if (!vlan.isNull())
                    QVERIFY(known.contains(vlan.toInt()));
            }
        }
    }

    // Actions work on demo hosts too (the test driver keeps them in memory).
    void lifecycleOnDemo()
    {
        VmKey shutoff;
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (m_inventory.vm(key).state == VmState::Shutoff) {
                shutoff = key;
                break;
            }
        }
        QVERIFY(shutoff.isValid());
        m_sessions->runAction({shutoff}, VmAction::Start);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory.vm(shutoff).state, VmState::Running, 2000);
        m_sessions->runAction({shutoff}, VmAction::ForceOff);
        QTRY_COMPARE_WITH_TIMEOUT(m_inventory.vm(shutoff).state, VmState::Shutoff, 2000);
    }

private:
    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    QJsonObject m_json;
};

QTEST_GUILESS_MAIN(TestDemoDatacenter)
#include "tst_demodatacenter.moc"
