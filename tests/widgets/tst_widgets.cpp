// The reusable widgets, offscreen.
#include "controllerdialog.h"
#include "credentialsdialog.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "network/networkcontroller.h"
#include "networkpanel.h"
#include "notificationbar.h"
#include "vlandialog.h"
#include "templatepalette.h"
#include "itemmodels/templatelistmodel.h"
#include "xmlview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QGroupBox>
#include <QMessageBox>
#include <QTimer>
#include <QTemporaryDir>
#include <QCheckBox>
#include <QLabel>
#include <QVBoxLayout>
#include <QListView>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTreeView>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using namespace Vigie;

class TestWidgets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QStringLiteral("placement"));
    }

    // The palette starts with the defaults, saves every edit at once (a new palette reads them
    // back), refuses invalid templates and drags the template it shows.
    void templatePalettePersists()
    {
        {
            TemplatePalette palette;
            QCOMPARE(palette.model()->templates(), VmTemplate::defaults());
            QAbstractItemModelTester tester(palette.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            QCOMPARE(palette.model()->append({QStringLiteral("Router"), QStringLiteral("OpenWrt"), 1, 128, 0}), 4);
            QCOMPARE(palette.model()->append({QString(), QString(), 1, 128, 0}), -1);
            QVERIFY(palette.model()->replace(0, {QStringLiteral("Small+"), QStringLiteral("Debian 13"), 2, 2048, 20}));
            QVERIFY(palette.model()->remove(1));
            QVERIFY(!palette.model()->remove(9));
            const QModelIndex router = palette.model()->index(3);
            QVERIFY(router.data().toString().startsWith(QLatin1String("Router\n")));
            QVERIFY(palette.model()->flags(router).testFlag(Qt::ItemIsDragEnabled));
            const std::unique_ptr<QMimeData> data(palette.model()->mimeData({router}));
            QCOMPARE(VmTemplate::fromMimeData(data.get())->name, QStringLiteral("Router"));
        }
        TemplatePalette again;
        QCOMPARE(again.model()->rowCount(), 4);
        QCOMPARE(again.model()->at(0).name, QStringLiteral("Small+"));
        QCOMPARE(again.model()->at(0).memoryMiB, quint64(2048));
        QCOMPARE(again.model()->at(1).name, VmTemplate::defaults().at(2).name);
        QCOMPARE(again.model()->at(3).osLabel, QStringLiteral("OpenWrt"));
        QSettings().remove(QStringLiteral("placement"));
    }

    // The keys the palette's tooltips advertise work from its list, where the focus is.
    void templatePaletteKeys()
    {
        TemplatePalette palette;
        palette.show();
        palette.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&palette));
        palette.view()->setFocus();
        palette.view()->setCurrentIndex(palette.model()->index(0));
        const int before = palette.model()->rowCount();
        bool asked = false;
        QTimer::singleShot(0, &palette, [&asked] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                asked = true;
                box->button(QMessageBox::Yes)->click();
            }
        });
        QTest::keyClick(palette.view(), Qt::Key_Delete);
        QVERIFY(asked);
        QCOMPARE(palette.model()->rowCount(), before - 1);
        QSettings().remove(QStringLiteral("placement"));
    }

    void networkPanelWithoutController()
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        NetworkController controller(&inventory, &sessions);
        NetworkPanel panel(&controller);
        panel.resize(500, 400);
        panel.show();
        auto *stack = panel.findChild<QStackedWidget *>();
        QVERIFY(stack);
        QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("networkPlaceholderPage"));
        // It offers to connect.
        QSignalSpy connectRequested(&panel, &NetworkPanel::connectRequested);
        panel.findChild<QPushButton *>(QStringLiteral("connectControllerButton"))->click();
        QCOMPARE(connectRequested.count(), 1);
        // Configured but not reached: the switches page, with nothing to create or delete yet.
        controller.setRemotes({QStringLiteral("tcp:127.0.0.1:1")});
        QCOMPARE_NE(stack->currentWidget()->objectName(), QStringLiteral("networkPlaceholderPage"));
        QVERIFY(!panel.findChild<QPushButton *>(QStringLiteral("createVlanButton"))->isEnabled());
        QVERIFY(!panel.findChild<QPushButton *>(QStringLiteral("deleteVlanButton"))->isEnabled());

        // The dialog refuses while the controller is not connected, and says why.
        VlanDialog dialog(&controller);
        dialog.findChild<QLineEdit *>(QStringLiteral("vlanName"))->setText(QStringLiteral("green"));
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("createButton"))->isEnabled());
        bool explained = false;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            explained = explained || label->text().contains(QLatin1String("not connected"));
        QVERIFY(explained);
        controller.setRemotes({});
        QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("networkPlaceholderPage"));
    }

    // File › Connect to network controller…: remotes and TLS files checked as they are typed,
    // what is accepted is what the controller gets, and it is remembered (paths, never keys).
    void controllerDialogChecksAsYouType()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString ca = dir.filePath(QStringLiteral("ca.pem"));
        QFile file(ca);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("-----BEGIN CERTIFICATE-----\n");
        file.close();

        ControllerSettings current;
        current.ssl.trustedFingerprints = {QStringLiteral("AB:CD")};
        ControllerDialog dialog(current);
        auto *northbound = dialog.findChild<QLineEdit *>(QStringLiteral("northboundRemotes"));
        auto *southbound = dialog.findChild<QLineEdit *>(QStringLiteral("southboundRemotes"));
        auto *caField = dialog.findChild<QLineEdit *>(QStringLiteral("caCertificate"));
        auto *certificate = dialog.findChild<QLineEdit *>(QStringLiteral("certificate"));
        auto *problem = dialog.findChild<QLabel *>(QStringLiteral("controllerProblem"));
        auto *connectButton = dialog.findChild<QPushButton *>(QStringLiteral("connectButton"));
        auto *ssl = dialog.findChild<QGroupBox *>(QStringLiteral("sslGroup"));
        QVERIFY(northbound && southbound && caField && certificate && problem && connectButton && ssl);
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("disconnectButton"))->isEnabled()); // nothing to leave

        QVERIFY(!connectButton->isEnabled());
        QVERIFY(problem->text().contains(QLatin1String("northbound")));
        northbound->setText(QStringLiteral("tcp:192.0.2.10:6641, tcp:192.0.2.11:6641"));
        QVERIFY(connectButton->isEnabled());
        QVERIFY(!ssl->isEnabled());
        QCOMPARE(dialog.settings().northbound, (QStringList{QStringLiteral("tcp:192.0.2.10:6641"), QStringLiteral("tcp:192.0.2.11:6641")}));

        southbound->setText(QStringLiteral("db.example:6642"));
        QVERIFY(!connectButton->isEnabled());
        QVERIFY(problem->text().contains(QLatin1String("db.example:6642 is not a remote")));
        southbound->setText(QStringLiteral("ssl:[2001:db8::10]:6642"));
        QVERIFY(ssl->isEnabled());
        QVERIFY(!connectButton->isEnabled());
        QVERIFY(problem->text().contains(QLatin1String("CA certificate")));
        caField->setText(dir.filePath(QStringLiteral("missing.pem")));
        QVERIFY(problem->text().contains(QLatin1String("does not exist")));
        caField->setText(ca);
        QVERIFY(connectButton->isEnabled());
        certificate->setText(ca);
        QVERIFY(problem->text().contains(QLatin1String("private key")));
        certificate->clear();

        const ControllerSettings wanted = dialog.settings();
        QCOMPARE(wanted.southbound, QStringList{QStringLiteral("ssl:[2001:db8::10]:6642")});
        QCOMPARE(wanted.ssl.caCertificateFile, ca);
        QCOMPARE(wanted.ssl.trustedFingerprints, current.ssl.trustedFingerprints);
        QVERIFY(wanted.problem().isEmpty());

        // Remembered and read back whole.
        QSettings settings(dir.filePath(QStringLiteral("vigie.conf")), QSettings::IniFormat);
        wanted.save(settings);
        QCOMPARE(ControllerSettings::load(settings), wanted);

        // Disconnect: no remote, the trusted certificates stay.
        ControllerDialog connected(wanted);
        QSignalSpy accepted(&connected, &QDialog::accepted);
        auto *disconnectButton = connected.findChild<QPushButton *>(QStringLiteral("disconnectButton"));
        QVERIFY(disconnectButton->isEnabled());
        disconnectButton->click();
        QCOMPARE(accepted.count(), 1);
        QVERIFY(connected.settings().northbound.isEmpty());
        QVERIFY(connected.settings().southbound.isEmpty());
        QCOMPARE(connected.settings().ssl.trustedFingerprints, current.ssl.trustedFingerprints);
    }

    void xmlIsHighlighted()
    {
        XmlView view;
        view.resize(600, 300);
        view.setXml(QStringLiteral("<domain type='kvm'>\n  <name>web-01</name>\n</domain>\n"));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isReadOnly());
        // KSyntaxHighlighting's XML definition formats the element names: the first line has
        // several format ranges (tag, attribute, value).
        QTRY_VERIFY(view.document()->firstBlock().layout()->formats().size() >= 2);
        const QImage image = view.grab().toImage();
        QVERIFY(!image.isNull());
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES"))
            image.save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + QStringLiteral("/xmlview.png"));
    }

    void notifications()
    {
        NotificationBar bar;
        QCOMPARE(bar.count(), 0);
        QVERIFY(bar.isHidden());
        bar.notify(NotificationBar::Kind::Error, QStringLiteral("Start of web-01 failed"),
                   QStringLiteral("Requested operation is not valid: domain is already running"));
        QCOMPARE(bar.count(), 1);
        QVERIFY(!bar.isHidden());
        // Bounded: the oldest make room.
        for (int i = 0; i < 10; ++i)
            bar.notify(NotificationBar::Kind::Error, QStringLiteral("error %1").arg(i), {});
        QCOMPARE(bar.count(), 4);
        bar.clear();
        QCOMPARE(bar.count(), 0);
        QVERIFY(bar.isHidden());
    }

    // Floating over a view, notifications take no room from it: the view under the pointer does
    // not move when one arrives; the bar sits in the bottom right corner and follows a resize.
    void notificationsFloat()
    {
        QWidget host;
        host.resize(900, 600);
        auto *layout = new QVBoxLayout(&host);
        auto *view = new QWidget(&host);
        layout->addWidget(view);
        NotificationBar bar;
        bar.floatOver(&host);
        QCOMPARE(bar.parentWidget(), &host);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        const QRect before = view->geometry();
        bar.notify(NotificationBar::Kind::Error, QStringLiteral("Migration of erp-db failed"),
                   QStringLiteral("operation failed: migration job: unexpectedly failed"));
        bar.notify(NotificationBar::Kind::Information, QStringLiteral("web-01 started"), {});
        QVERIFY(bar.isVisible());
        QCoreApplication::processEvents();
        QCOMPARE(view->geometry(), before);
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES"))
            host.grab().save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + QStringLiteral("/notifications.png"));
        const QRect placed = bar.geometry();
        QVERIFY2(host.rect().contains(placed), qPrintable(QStringLiteral("%1,%2 %3x%4").arg(placed.x()).arg(placed.y()).arg(placed.width()).arg(placed.height())));
        QVERIFY(placed.right() > host.width() - 20);
        QVERIFY(placed.top() > host.height() / 2);
        QVERIFY(placed.width() < host.width());
        // Both texts fit the height given (a wrapped detail included).
        for (QLabel *label : bar.findChildren<QLabel *>(QStringLiteral("notificationText")))
            QVERIFY(label->height() >= label->heightForWidth(label->width()));
        host.resize(700, 500);
        QCoreApplication::processEvents();
        QVERIFY(host.rect().contains(bar.geometry()));
        QVERIFY(bar.geometry().right() > host.width() - 20);
        bar.clear();
        QVERIFY(bar.isHidden());
    }

    void credentialsDialog()
    {
        const QList<CredentialRequest> requests{
            {CredentialRequest::Kind::Username, QStringLiteral("Username"), QStringLiteral("root"), false},
            {CredentialRequest::Kind::Password, QStringLiteral("Password"), QString(), true},
        };
        CredentialsDialog dialog(QStringLiteral("qemu+ssh://hv1/system"), requests);
        const QList<QLineEdit *> fields = dialog.findChildren<QLineEdit *>();
        QCOMPARE(fields.size(), 2);
        QCOMPARE(fields.at(0)->text(), QStringLiteral("root"));
        QCOMPARE(fields.at(1)->echoMode(), QLineEdit::Password);
        dialog.setValue(1, QStringLiteral("s3cret"));
        dialog.accept();
        const CredentialReply reply = dialog.reply();
        QVERIFY(!reply.cancelled);
        QCOMPARE(reply.values, (QList<QByteArray>{"root", "s3cret"}));

        CredentialsDialog cancelled(QStringLiteral("qemu+ssh://hv1/system"), requests);
        cancelled.reject();
        QVERIFY(cancelled.reply().cancelled);
    }

    // Offered, the box to remember the password (ticked as asked), and a note in plain text.
    void credentialsDialogOffersToRemember()
    {
        const QList<CredentialRequest> requests{
            {CredentialRequest::Kind::Username, QStringLiteral("Username"), QStringLiteral("root"), false},
            {CredentialRequest::Kind::Password, QStringLiteral("Password"), QString(), true},
        };
        CredentialsDialog plain(QStringLiteral("qemu+ssh://hv1/system"), requests);
        QVERIFY(!plain.findChild<QCheckBox *>(QStringLiteral("rememberPassword")));
        QVERIFY(!plain.remember());

        CredentialsDialog dialog(QStringLiteral("qemu+ssh://hv1/system"), requests);
        dialog.offerToRemember(true);
        dialog.setNote(QStringLiteral("<b>refused</b>"));
        auto *box = dialog.findChild<QCheckBox *>(QStringLiteral("rememberPassword"));
        QVERIFY(box);
        QVERIFY(box->isChecked());
        QVERIFY(dialog.remember());
        box->setChecked(false);
        QVERIFY(!dialog.remember());
        auto *note = dialog.findChild<QLabel *>(QStringLiteral("credentialsNote"));
        QVERIFY(note);
        QCOMPARE(note->textFormat(), Qt::PlainText);
        QVERIFY(!note->isHidden());
        // The intro no longer says "never stored" once remembering is offered.
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            QVERIFY2(!label->text().contains(QStringLiteral("never stored")), qPrintable(label->text()));
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES")) {
            box->setChecked(true);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            dialog.grab().save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + QStringLiteral("/credentials.png"));
        }
    }
};

QTEST_MAIN(TestWidgets)
#include "tst_widgets.moc"
