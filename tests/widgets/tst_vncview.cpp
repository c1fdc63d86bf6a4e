// The Display tab on the demo datacenter (libvirt's test driver; its domains have no graphics):
// it says so in plain words instead of showing an empty frame, offers no Send key, Type
// clipboard nor window to detach; a shut-off VM is said to be off; hidden, it lets go. Then on a
// real display (libvncserver in the test, with a password): the password typed in the tab, the
// keyboard and mouse grabbed by a click and given back by Ctrl+Alt, as an operator does it.
#include "hypervisor/sessionmanager.h"
#include "hypervisor/vncsession.h"
#include "inventory/inventory.h"
#include "testvncserver.h"
#include "vncview.h"

#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QTemporaryDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <QToolButton>

using namespace Vigie;
using Vigie::Test::TestVncServer;

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

    void passwordGrabAndRelease()
    {
        TestVncServer server("s3cret");
        QVERIFY(server.listening());
        QTemporaryDir dir;
        const QString uri = server.writeNodeFile(dir.filePath(QStringLiteral("vnc-host.xml")));
        QVERIFY(!uri.isEmpty());
        QVERIFY(m_sessions->addConnection(uri));
        const VmKey vm{uri, QLatin1String(TestVncServer::DomainUuid)};
        QTRY_VERIFY_WITH_TIMEOUT(m_inventory.hasVm(vm) && m_inventory.vm(vm).isActive(), 10000);

        VncView view(m_sessions.get(), &m_inventory);
        view.setVm(vm);
        view.setScaledToFit(false); // 1:1, so a point of the canvas is the same point of the frame
        view.resize(800, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // Asked for in the tab itself; typed, Enter connects.
        QLineEdit *password = nullptr;
        for (QLineEdit *edit : view.findChildren<QLineEdit *>()) {
            if (edit->echoMode() == QLineEdit::Password)
                password = edit;
        }
        QVERIFY(password);
        QTRY_VERIFY_WITH_TIMEOUT(password->isVisible(), 10000);
        QVERIFY2(view.statusText().contains(QLatin1String("protected by a password")), qPrintable(view.statusText()));
        QTest::keyClicks(password, QStringLiteral("s3cret"));
        QTest::keyClick(password, Qt::Key_Return);
        QVERIFY(password->text().isEmpty()); // not kept in the field
        QTRY_COMPARE_WITH_TIMEOUT(view.session()->state(), ConsoleState::Connected, 10000);
        QVERIFY(!password->isVisible());
        QCOMPARE(view.statusText(), QStringLiteral("Display of vnc-guest (127.0.0.1:%1).").arg(server.port()));

        // A click grabs keyboard and mouse (that click is not the guest's), and says how to let go.
        QWidget *canvas = view.findChild<QScrollArea *>()->widget();
        QTRY_COMPARE_WITH_TIMEOUT(view.session()->frameSize(), QSize(TestVncServer::Width, TestVncServer::Height), 10000);
        QTest::mouseClick(canvas, Qt::LeftButton, {}, QPoint(12, 34));
        QVERIFY(view.isGrabbed());
        QLabel *grabBar = nullptr;
        for (QLabel *label : view.findChildren<QLabel *>()) {
            if (label->text().startsWith(QLatin1String("Keyboard and mouse go to vnc-guest")))
                grabBar = label;
        }
        QVERIFY(grabBar && grabBar->isVisible());
        QVERIFY(grabBar->text().contains(QLatin1String("Ctrl+Alt")));
        // Keys and the pointer now go to the guest.
        QTest::keyClick(canvas, Qt::Key_A, {}, 0);
        QTest::mouseMove(canvas, QPoint(20, 30));
        QTRY_VERIFY_WITH_TIMEOUT(server.keys().size() >= 2, 10000);
        QCOMPARE(server.keys().at(0), qMakePair(quint32(0x61), true));
        QCOMPARE(server.keys().at(1), qMakePair(quint32(0x61), false));
        QTRY_COMPARE_WITH_TIMEOUT(server.pointer(), QPoint(20, 30), 10000);
        // Keys held when Ctrl+Alt gives everything back are released in the guest: B, and the
        // Ctrl pressed first (it went to the guest, as it does when an operator presses Ctrl+Alt).
        QTest::keyPress(canvas, Qt::Key_B);
        QTest::keyPress(canvas, Qt::Key_Alt, Qt::ControlModifier); // Ctrl pressed, then Alt
        QVERIFY(!view.isGrabbed());
        QVERIFY(grabBar->text().startsWith(QLatin1String("Click the display")));
        constexpr quint32 ControlL = 0xffe3;
        QTRY_VERIFY_WITH_TIMEOUT(server.keys().size() >= 6, 10000);
        const QList<QPair<quint32, bool>> keys = server.keys();
        QCOMPARE(keys.mid(2, 2), (QList<QPair<quint32, bool>>{{0x62, true}, {ControlL, true}}));
        QVERIFY(keys.mid(4).contains(qMakePair(quint32(0x62), false)) && keys.mid(4).contains(qMakePair(ControlL, false)));
        view.hide();
        QCOMPARE(view.session()->state(), ConsoleState::Closed);
        m_sessions->removeConnection(uri);
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
