// The Console tab on the demo datacenter (libvirt's test driver has no consoles): it says why in
// plain words instead of showing a dead terminal, offers no window to detach; a shut-off VM is
// said to be off; the terminal's Ctrl keys are kept from the window's shortcuts.
#include "consoleview.h"
#include "hypervisor/consolesession.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"

#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>

using namespace Vigie;

class tst_ConsoleView : public QObject
{
    Q_OBJECT

private:
    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;

    VmKey vmWhere(bool running) const
    {
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (m_inventory.vm(key).isActive() == running)
                return key;
        }
        return {};
    }

    static QPushButton *button(ConsoleView &view, const QString &text)
    {
        for (QPushButton *b : view.findChildren<QPushButton *>()) {
            if (b->text() == text)
                return b;
        }
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
    }

    void demoSaysWhy()
    {
        ConsoleView view(m_sessions.get(), &m_inventory);
        view.setDetachable(true);
        view.setVm(vmWhere(true));
        view.resize(700, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_COMPARE_WITH_TIMEOUT(view.session()->state(), ConsoleState::Unsupported, 10000);
        auto *stack = view.findChild<QStackedWidget *>();
        QVERIFY(stack);
        auto *message = qobject_cast<QLabel *>(stack->currentWidget());
        QVERIFY2(message, "a message, not a dead terminal");
        QVERIFY2(message->text().contains(QLatin1String("demo datacenter")), qPrintable(message->text()));
        QCOMPARE(message->textFormat(), Qt::PlainText);
        QVERIFY(!button(view, QStringLiteral("Open in window"))->isVisible());
        QVERIFY(!button(view, QStringLiteral("Take over"))->isVisible());
        // Hidden (another tab): the console is let go.
        view.hide();
        QCOMPARE(view.session()->state(), ConsoleState::Closed);
    }

    void shutOffVm()
    {
        ConsoleView view(m_sessions.get(), &m_inventory);
        const VmKey off = vmWhere(false);
        view.setVm(off);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.session()->state(), ConsoleState::VmNotRunning);
        QVERIFY2(view.statusText().startsWith(m_inventory.vm(off).name), qPrintable(view.statusText()));
        QVERIFY(view.statusText().contains(QLatin1String("not running")));
        // Elsewhere (its own window): let go, and said so.
        view.setShownElsewhere(true);
        QCOMPARE(view.session()->state(), ConsoleState::Closed);
        QVERIFY(view.statusText().contains(QLatin1String("its own window")));
    }

    void ctrlKeysStayInTheTerminal_data()
    {
        QTest::addColumn<int>("key");
        QTest::addColumn<int>("modifiers");
        QTest::addColumn<bool>("kept");
        QTest::newRow("Ctrl+C") << int(Qt::Key_C) << int(Qt::ControlModifier) << true;
        QTest::newRow("Ctrl+D") << int(Qt::Key_D) << int(Qt::ControlModifier) << true;
        QTest::newRow("Ctrl+R") << int(Qt::Key_R) << int(Qt::ControlModifier) << true;
        QTest::newRow("Alt+F") << int(Qt::Key_F) << int(Qt::AltModifier) << true;
        QTest::newRow("Ctrl+Shift+C (copy)") << int(Qt::Key_C) << int(Qt::ControlModifier | Qt::ShiftModifier) << false;
        QTest::newRow("Ctrl+Shift+O (window)") << int(Qt::Key_O) << int(Qt::ControlModifier | Qt::ShiftModifier) << false;
        QTest::newRow("plain letter") << int(Qt::Key_A) << int(Qt::NoModifier) << false;
    }

    void ctrlKeysStayInTheTerminal()
    {
        QFETCH(int, key);
        QFETCH(int, modifiers);
        QFETCH(bool, kept);
        ConsoleView view(m_sessions.get(), &m_inventory);
        // The terminal's display (QTermWidget's focus proxy), where the keys arrive.
        QWidget *display = nullptr;
        for (QWidget *child : view.findChildren<QWidget *>()) {
            if (QByteArray(child->metaObject()->className()).endsWith("TerminalDisplay"))
                display = child;
        }
        QVERIFY(display);
        QKeyEvent event(QEvent::ShortcutOverride, key, Qt::KeyboardModifiers(modifiers));
        event.ignore();
        QCoreApplication::sendEvent(display, &event);
        QCOMPARE(event.isAccepted(), kept);
    }

    void cleanupTestCase()
    {
        m_sessions.reset();
    }
};

QTEST_MAIN(tst_ConsoleView)
#include "tst_consoleview.moc"
