// The Display tab on the demo datacenter (libvirt's test driver; its domains have no graphics):
// it says so in plain words instead of showing an empty frame, offers no Send key, Type
// clipboard nor window to detach; a shut-off VM is said to be off; hidden, it lets go.
#include "hypervisor/sessionmanager.h"
#include "hypervisor/vncsession.h"
#include "inventory/inventory.h"
#include "vncview.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <QToolButton>

using namespace Vigie;

class tst_VncView : public QObject
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

    template<typename Button>
    static Button *button(VncView &view, const QString &text)
    {
        for (Button *b : view.findChildren<Button *>()) {
            if (b->text() == text)
                return b;
        }
        return nullptr;
    }

    static QLabel *message(VncView &view)
    {
        auto *stack = view.findChild<QStackedWidget *>();
        return stack ? qobject_cast<QLabel *>(stack->currentWidget()) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
    }

    void noGraphicsSaidPlainly()
    {
        const VmKey vm = vmWhere(true);
        VncView view(m_sessions.get(), &m_inventory);
        view.setDetachable(true);
        view.setVm(vm);
        view.resize(800, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_COMPARE_WITH_TIMEOUT(view.session()->state(), ConsoleState::NoDevice, 10000);
        const QString name = m_inventory.vm(vm).name;
        QCOMPARE(view.statusText(), QStringLiteral("No display for %1: the VM has no graphics.").arg(name));
        QLabel *shown = message(view);
        QVERIFY(shown);
        QVERIFY(shown->isVisible());
        QCOMPARE(shown->textFormat(), Qt::PlainText);
        QVERIFY(shown->text().startsWith(view.statusText()));
        QVERIFY(!button<QToolButton>(view, QStringLiteral("Send key"))->isVisible());
        QVERIFY(!button<QPushButton>(view, QStringLiteral("Type clipboard"))->isVisible());
        QVERIFY(!button<QPushButton>(view, QStringLiteral("Open in window"))->isVisible());
        QVERIFY(button<QPushButton>(view, QStringLiteral("Reconnect"))->isVisible());
        // Nothing to grab without a display.
        view.setGrabbed(true);
        QVERIFY(!view.isGrabbed());
        // Type clipboard with nothing connected says so and types nothing.
        view.typeText(QStringLiteral("hello"));
        QVERIFY(!view.isGrabbed());
        // Hidden (another tab): let go.
        view.hide();
        QCOMPARE(view.session()->state(), ConsoleState::Closed);
    }

    void shutOffVm()
    {
        const VmKey vm = vmWhere(false);
        VncView view(m_sessions.get(), &m_inventory);
        view.setVm(vm);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.session()->state(), ConsoleState::VmNotRunning);
        QVERIFY(view.statusText().contains(QLatin1String("is not running")));
        // Shown elsewhere (its own window): this one lets it go and says so.
        view.setShownElsewhere(true);
        QCOMPARE(view.session()->state(), ConsoleState::Closed);
        QVERIFY(view.statusText().contains(QLatin1String("in its own window")));
    }

    void scaleToggle()
    {
        VncView view(m_sessions.get(), &m_inventory);
        QVERIFY(view.scaledToFit());
        view.setScaledToFit(false);
        QVERIFY(!view.scaledToFit());
        QVERIFY(!button<QPushButton>(view, QStringLiteral("Scale to fit"))->isChecked());
        view.setScaledToFit(true);
        QVERIFY(button<QPushButton>(view, QStringLiteral("Scale to fit"))->isChecked());
    }
};

QTEST_MAIN(tst_VncView)
#include "tst_vncview.moc"
