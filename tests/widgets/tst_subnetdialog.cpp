// A VLAN's addressing edited as an operator would: the Network panel's Edit subnet… button on the
// demo controller's lab-style VLAN (enabled) and Neutron's (disabled, saying why), then the dialog
// typed into, checked by the real SubnetEditor against the demo's rows as it is typed.
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"
#include "network/subneteditor.h"
#include "networkpanel.h"
#include "subnetdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace Vigie;
using namespace Qt::StringLiterals;

class TestSubnetDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        m_controller = std::make_unique<NetworkController>(&m_inventory, m_sessions.get());
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(m_controller->isSynced(), 10000);
        m_lumiere = m_controller->northbound()->switchByName(u"lumiere"_s).uuid;
        QVERIFY(!m_lumiere.isEmpty());
        for (const OvnLogicalSwitch &s : m_controller->northbound()->switches()) {
            if (s.owner() == OvnOwner::Neutron && s.isVlan())
                m_neutron = s.uuid;
        }
        QVERIFY(!m_neutron.isEmpty());
    }

    void cleanupTestCase()
    {
        m_controller.reset();
        m_sessions.reset();
    }

    void panelButton()
    {
        NetworkPanel panel(m_controller.get());
        panel.resize(700, 500);
        panel.show();
        QComboBox *box = panel.addressSwitchBox();
        QPushButton *edit = panel.editSubnetButton();
        QSignalSpy requested(&panel, &NetworkPanel::subnetEditRequested);
        // Whichever VLAN the box first stands at (the first with a subnet), its button says so
        // (it once kept the empty box's "Choose a VLAN first" when that VLAN came first).
        QVERIFY(box->currentIndex() >= 0);
        QVERIFY2(!edit->toolTip().contains(u"Choose a VLAN"_s), qPrintable(edit->toolTip()));
        QCOMPARE(edit->isEnabled(), editRefusal(box->currentData().toString()).isEmpty());
        box->setCurrentIndex(box->findData(m_neutron));
        QVERIFY(!edit->isEnabled());
        QVERIFY2(edit->toolTip().contains(u"OpenStack Neutron"_s), qPrintable(edit->toolTip()));
        box->setCurrentIndex(box->findData(m_lumiere));
        QVERIFY(edit->isEnabled());
        edit->click();
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().first().toString(), m_lumiere);
    }

    void checkedAsTyped()
    {
        SubnetEditor *subnets = m_controller->subnets();
        const QString lumiere = m_lumiere;
        SubnetDialog dialog(u"lumiere"_s, SubnetSettings::ofSwitch(*m_controller->northbound(), lumiere),
                            [subnets, lumiere](const SubnetSettings &s) { return subnets->settingsRefusal(lumiere, s); });
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *review = dialog.findChild<QPushButton *>(u"reviewButton"_s);
        QVERIFY(review);
        // As read: the subnet and exclusions of VLAN 500, no DHCP; nothing to change yet.
        QCOMPARE(dialog.subnetEdit()->text(), u"10.50.0.0/24"_s);
        QCOMPARE(dialog.excludedEdit()->text(), u"10.50.0.2..10.50.0.9"_s);
        QVERIFY(!dialog.dhcpBox()->isChecked());
        QVERIFY(!dialog.gatewayEdit()->isEnabled() && !dialog.dnsEdit()->isEnabled() && !dialog.leaseBox()->isEnabled());
        QVERIFY(!review->isEnabled());
        QCOMPARE(dialog.problemLabel()->text(), u"Nothing to change."_s);

        // DHCP on: the conventional gateway is offered, the lease is Neutron's default.
        dialog.dhcpBox()->click();
        QCOMPARE(dialog.gatewayEdit()->text(), u"10.50.0.1"_s);
        QCOMPARE(dialog.leaseBox()->value(), 86400);
        QVERIFY(dialog.gatewayEdit()->isEnabled());
        QVERIFY2(review->isEnabled(), qPrintable(dialog.problemLabel()->text()));
        QVERIFY(dialog.problemLabel()->isHidden());

        // Typed, key by key: a host address as the subnet, then a malformed DNS server.
        dialog.subnetEdit()->clear();
        QTest::keyClicks(dialog.subnetEdit(), u"10.50.0.7/24"_s);
        QVERIFY(!review->isEnabled());
        QVERIFY2(dialog.problemLabel()->text().contains(u"did you mean 10.50.0.0/24"_s), qPrintable(dialog.problemLabel()->text()));
        dialog.subnetEdit()->setText(u"10.50.0.0/24"_s);
        QTest::keyClicks(dialog.dnsEdit(), u"10.10.0.53, dns"_s);
        QVERIFY(!review->isEnabled());
        QVERIFY2(dialog.problemLabel()->text().contains(u"DNS"_s), qPrintable(dialog.problemLabel()->text()));
        dialog.dnsEdit()->setText(u"10.10.0.53, 10.10.0.54"_s);
        dialog.leaseBox()->setValue(3600);
        QVERIFY(review->isEnabled());
        const SubnetSettings typed = dialog.settings();
        QCOMPARE(typed.cidr, u"10.50.0.0/24"_s);
        QCOMPARE(typed.gateway, u"10.50.0.1"_s);
        QCOMPARE(typed.dnsServers, (QStringList{u"10.10.0.53"_s, u"10.10.0.54"_s}));
        QCOMPARE(typed.leaseSeconds, qint64(3600));
        QVERIFY(typed.dhcp);
        // DHCP off again: its fields are not part of the settings.
        dialog.dhcpBox()->click();
        QVERIFY(!dialog.gatewayEdit()->isEnabled());
        QCOMPARE(dialog.settings().gateway, QString());
        QCOMPARE(dialog.settings().leaseSeconds, qint64(0));
        if (qEnvironmentVariableIsSet("VIGIE_SCREENSHOT_DIR")) {
            dialog.dhcpBox()->click();
            dialog.grab().save(qEnvironmentVariable("VIGIE_SCREENSHOT_DIR") + u"/subnetdialog.png"_s);
        }
    }

private:
    QString editRefusal(const QString &switchUuid) const { return m_controller->subnets()->refusal(switchUuid); }

    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<NetworkController> m_controller;
    QString m_lumiere;
    QString m_neutron;
};

QTEST_MAIN(TestSubnetDialog)
#include "tst_subnetdialog.moc"
