// A lab guest's graphical console through Vigie's own code (VncSession on the session manager's
// connection, as the Display tab uses it): the display opens through libvirt's graphics channel
// (virDomainOpenGraphicsFD on the host's unix socket), its frame is real pixels, text typed
// through the session appears on the guest's VGA console (a shell runs on tty1), a key
// combination sent through virDomainSendKey switches the guest's virtual terminal, and the
// display follows the VM through a restart. virsh only restarts the guest.
#include "hypervisor/sessionmanager.h"
#include "hypervisor/vncsession.h"
#include "inventory/inventory.h"
#include "labenvironment.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

using namespace Vigie;
using namespace Vigie::LabTest;

namespace {

QString describe(const VncSession &session)
{
    return QStringLiteral("state %1: %2").arg(int(session.state())).arg(session.detail());
}

// Pixels that differ between two frames of the same size, and the width of the box they span.
struct Difference
{
    int pixels = 0;
    int width = 0;
};

Difference difference(const QByteArray &a, const QByteArray &b, int frameWidth)
{
    Difference result;
    if (a.size() != b.size() || frameWidth <= 0)
        return result;
    const auto *pa = reinterpret_cast<const quint32 *>(a.constData());
    const auto *pb = reinterpret_cast<const quint32 *>(b.constData());
    int left = frameWidth, right = -1;
    for (qsizetype i = 0; i < a.size() / 4; ++i) {
        if (pa[i] != pb[i]) {
            ++result.pixels;
            left = std::min(left, int(i % frameWidth));
            right = std::max(right, int(i % frameWidth));
        }
    }
    result.width = right >= left ? right - left + 1 : 0;
    return result;
}

// Distinct colours in a frame: a real picture (text on a background) has at least two.
int colours(const QByteArray &pixels)
{
    QSet<quint32> seen;
    const auto *p = reinterpret_cast<const quint32 *>(pixels.constData());
    for (qsizetype i = 0; i < pixels.size() / 4 && seen.size() < 16; ++i)
        seen.insert(p[i]);
    return int(seen.size());
}

} // namespace

class tst_LabVnc : public QObject
{
    Q_OBJECT

private:
    LabEnvironment m_lab;
    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    LabHost m_host;
    QString m_guest;
    VmKey m_vm;

    // Waits until the frame stops changing for QUIETMS (a blinking cursor aside: changes of
    // fewer than 64 pixels), then returns it.
    static QByteArray settledFrame(VncSession &session, int quietMs = 1500)
    {
        QByteArray last = session.framePixels();
        QElapsedTimer quiet;
        quiet.start();
        QElapsedTimer clock;
        clock.start();
        while (quiet.elapsed() < quietMs && clock.elapsed() < 60000) {
            QTest::qWait(100);
            const QByteArray now = session.framePixels();
            if (difference(last, now, session.frameSize().width()).pixels >= 64 || now.size() != last.size())
                quiet.restart();
            last = now;
        }
        return last;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        for (const LabHost &host : m_lab.hosts())
            QVERIFY(m_sessions->addConnection(host.uri));
        QVERIFY(settled.wait(30000));
        for (const LabHost &host : m_lab.hosts())
            QCOMPARE(m_inventory.host(host.uri).state, ConnectionState::Connected);
        const LabEnvironment::RunningGuest guest = m_lab.runningShellGuest(m_inventory);
        m_host = guest.host;
        m_guest = guest.name;
        m_vm = guest.vm;
        QVERIFY2(!m_guest.isEmpty(), "no running lab guest with a kernel");
    }

    void typeAndSee()
    {
        VncSession display(m_sessions.get(), &m_inventory);
        display.setVm(m_vm);
        QElapsedTimer clock;
        clock.start();
        display.start();
        QTRY_VERIFY2_WITH_TIMEOUT(display.state() == ConsoleState::Connected, qPrintable(describe(display)), 20000);
        // The lab's hosts are reached by their unix socket: libvirt hands the display over.
        QCOMPARE(display.connection(), QStringLiteral("through libvirt"));
        QTRY_VERIFY_WITH_TIMEOUT(!display.frameSize().isEmpty(), 20000);
        qInfo("display of %s open in %lld ms, %dx%d", qPrintable(m_guest), qlonglong(clock.elapsed()),
              display.frameSize().width(), display.frameSize().height());
        const QByteArray before = settledFrame(display);
        QVERIFY2(colours(before) >= 2, "the frame is a single colour");

        // Typed through the session (the Type clipboard path): the shell on tty1 echoes it.
        QSignalSpy progress(&display, &VncSession::typingProgress);
        const int typed = display.typeText(QStringLiteral("echo VIGIE VNC TEST $((6*7))\n"));
        QCOMPARE(typed, 29);
        clock.restart();
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0) == progress.last().at(1), 20000);
        Difference seen;
        while (clock.elapsed() < 30000 && (seen.pixels < 600 || seen.width < 150)) {
            QTest::qWait(100);
            seen = difference(before, display.framePixels(), display.frameSize().width());
        }
        qInfo("%d pixels changed over %d columns, %lld ms after typing", seen.pixels, seen.width,
              qlonglong(clock.elapsed()));
        // More than a cursor's blink: a line of text.
        QVERIFY2(seen.pixels >= 600 && seen.width >= 150, qPrintable(QString::number(seen.pixels)));
        display.stop();
        QCOMPARE(display.state(), ConsoleState::Closed);
    }

    void sendKeyCombination()
    {
        VncSession display(m_sessions.get(), &m_inventory);
        display.setVm(m_vm);
        display.start();
        QTRY_VERIFY2_WITH_TIMEOUT(display.state() == ConsoleState::Connected && !display.frameSize().isEmpty(),
                                  qPrintable(describe(display)), 20000);
        // The kernel switches only to a virtual terminal that exists: opening tty2 makes it.
        // The keys sent is not the command run: a loaded guest echoes it seconds later, and
        // Ctrl+Alt+F2 before tty2 exists does nothing. The echo and the next prompt are awaited.
        const QByteArray shown = settledFrame(display);
        QSignalSpy progress(&display, &VncSession::typingProgress);
        QVERIFY(display.typeText(QStringLiteral(": > /dev/tty2\n")) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0) == progress.last().at(1), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(difference(shown, display.framePixels(), display.frameSize().width()).pixels >= 150, 20000);
        const QByteArray tty1 = settledFrame(display);
        QSignalSpy sent(&display, &VncSession::keysSent);
        const auto back = qScopeGuard([&] { display.sendCombination(QStringLiteral("ctrl-alt-f1")); });
        // Ctrl+Alt+F2 through virDomainSendKey: the kernel switches to tty2, which is empty.
        QVERIFY(display.sendCombination(QStringLiteral("ctrl-alt-f2")));
        QVERIFY(sent.wait(20000));
        QVERIFY2(sent.first().at(1).toBool(), qPrintable(sent.first().at(2).toString()));
        const auto changedFrom = [&display](const QByteArray &frame) {
            return difference(frame, display.framePixels(), display.frameSize().width()).pixels;
        };
        // Seen lost in two lab runs on a loaded machine (ten TCG guests on two cores and a build):
        // libvirt took the keys, the guest's kernel did not switch for 20 s. Not reproduced by hand
        // (virsh send-key under the same load switched each time). Sent again once, and said.
        if (!QTest::qWaitFor([&] { return changedFrom(tty1) >= 300; }, 10000)) {
            qWarning("Ctrl+Alt+F2 not seen on the display 10 s after libvirt took it (%lld pixels changed): sent again",
                     qlonglong(changedFrom(tty1)));
            QVERIFY(display.sendCombination(QStringLiteral("ctrl-alt-f2")));
        }
        QTRY_VERIFY2_WITH_TIMEOUT(changedFrom(tty1) >= 300, qPrintable(QString::number(changedFrom(tty1))), 20000);
        // And back: tty1's text again.
        const QByteArray tty2 = settledFrame(display);
        QVERIFY(display.sendCombination(QStringLiteral("ctrl-alt-f1")));
        QTRY_VERIFY_WITH_TIMEOUT(difference(tty2, display.framePixels(), display.frameSize().width()).pixels >= 300,
                                 20000);
    }

    void followsRestart()
    {
        VncSession display(m_sessions.get(), &m_inventory);
        display.setVm(m_vm);
        display.start();
        QTRY_VERIFY2_WITH_TIMEOUT(display.state() == ConsoleState::Connected, qPrintable(describe(display)), 20000);
        const auto running = qScopeGuard([&] { (void)LabEnvironment::virsh(m_host, {QStringLiteral("start"), m_guest}); });
        QVERIFY(LabEnvironment::virsh(m_host, {QStringLiteral("destroy"), m_guest}).ok());
        QTRY_VERIFY2_WITH_TIMEOUT(display.state() == ConsoleState::VmNotRunning, qPrintable(describe(display)), 20000);
        QVERIFY(LabEnvironment::virsh(m_host, {QStringLiteral("start"), m_guest}).ok());
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY2_WITH_TIMEOUT(display.state() == ConsoleState::Connected, qPrintable(describe(display)), 20000);
        qInfo("display reconnected %lld ms after virsh start", qlonglong(clock.elapsed()));
        QTRY_VERIFY_WITH_TIMEOUT(!display.frameSize().isEmpty() && colours(display.framePixels()) >= 2, 60000);
    }

    void cleanupTestCase()
    {
        m_sessions.reset();
    }
};

QTEST_GUILESS_MAIN(tst_LabVnc)
#include "tst_labvnc.moc"
