// French is first-class: the catalogue ships in the binary, loads for --lang fr or a French
// system locale, and covers what the operator reads first.
#include "application.h"
#include "hypervisor/sessionmanager.h"
#include "hypervisor/vmaction.h"
#include "inventory/inventory.h"
#include "mainwindow.h"

#include <QMenuBar>
#include <QStandardPaths>
#include <QTest>
#include <QTranslator>

using namespace Vigie;

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void frenchLoadsAndTranslates()
    {
        QVERIFY(installTranslations(*QCoreApplication::instance(), QStringLiteral("fr")));
        QCOMPARE(QLocale().language(), QLocale::French);
        for (VmAction action : {VmAction::Start, VmAction::Shutdown, VmAction::ForceOff, VmAction::Pause}) {
            const QString text = vmActionDisplayName(action);
            QVERIFY(!text.isEmpty());
            QVERIFY2(text != QCoreApplication::translate("", qPrintable(vmActionName(action))), qPrintable(text));
        }
        QCOMPARE(vmActionDisplayName(VmAction::Start), QStringLiteral("Démarrer"));
        QCOMPARE(vmStateDisplayName(VmState::Running), QStringLiteral("En marche"));

        Inventory inventory;
        SessionManager sessions(&inventory);
        MainWindow window(&inventory, &sessions);
        QStringList menus;
        for (QAction *action : window.menuBar()->actions())
            menus.append(action->text());
        QVERIFY2(menus.contains(QStringLiteral("&Fichier")), qPrintable(menus.join(u',')));
        QVERIFY(!window.windowTitle().contains(QLatin1String("private cloud console")));
    }

    void englishHasPlurals()
    {
        const auto translators = QCoreApplication::instance()->findChildren<QTranslator *>();
        for (QTranslator *translator : translators)
            QCoreApplication::removeTranslator(translator);
        QVERIFY(installTranslations(*QCoreApplication::instance(), QStringLiteral("en")));
        QCOMPARE(QCoreApplication::translate("Vigie::HostTreeModel", "%1 (%n VM(s))", nullptr, 1).arg(u"hv"),
                 QStringLiteral("hv (1 VM)"));
        QCOMPARE(QCoreApplication::translate("Vigie::HostTreeModel", "%1\n%n vCPU(s) · %2\nTenant: %3", nullptr, 1),
                 QStringLiteral("%1\n1 vCPU · %2\nTenant: %3"));
        QCOMPARE(vmActionDisplayName(VmAction::Start), QStringLiteral("Start"));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
