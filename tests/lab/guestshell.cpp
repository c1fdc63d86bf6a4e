#include "guestshell.h"

#include "hypervisor/consolesession.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

namespace Vigie::LabTest {

GuestShell::GuestShell(ConsoleSession *session)
    : m_session(session)
{
    QObject::connect(session, &ConsoleSession::dataReceived, session, [this](const QByteArray &bytes) { m_text.append(bytes); });
}

bool GuestShell::answers(const QByteArray &prefix, int timeoutMs)
{
    const QByteArray token = QByteArray::number(QRandomGenerator::global()->bounded(100000, 999999));
    const QByteArray expected = "vigie-42-" + token;
    m_text.clear();
    QElapsedTimer clock;
    clock.start();
    qint64 typedAt = -5000;
    while (clock.elapsed() < timeoutMs && !m_text.contains(expected)) {
        if (clock.elapsed() - typedAt >= 5000) {
            m_session->send(prefix + "echo vigie-$((6*7))-" + token + "\r");
            typedAt = clock.elapsed();
        }
        QTest::qWait(50);
    }
    return m_text.contains(expected);
}

} // namespace Vigie::LabTest
