#pragma once

#include <QByteArray>

namespace Vigie {
class ConsoleSession;
}

namespace Vigie::LabTest {

// A lab guest's shell on its serial console, through a ConsoleSession: everything received, for
// the test to search, and a line the shell must answer.
class GuestShell
{
public:
    explicit GuestShell(ConsoleSession *session);

    // Types PREFIX (empty, or a command for the shell on the same line) and
    // "echo vigie-$((6*7))-TOKEN", TOKEN fresh, and waits up to TIMEOUT_MS for the answer
    // "vigie-42-TOKEN" (computed by the guest, so the echo of what was typed cannot pass for it).
    // A guest still booting loses what is typed before its shell runs: the line is typed again
    // every 5 s. text() then holds what the console said since the line was first typed.
    [[nodiscard]] bool answers(const QByteArray &prefix = {}, int timeoutMs = 90000);
    [[nodiscard]] QByteArray text() const { return m_text; }

private:
    ConsoleSession *m_session;
    QByteArray m_text;
};

} // namespace Vigie::LabTest
