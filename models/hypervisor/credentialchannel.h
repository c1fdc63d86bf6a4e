#pragma once

#include "credentials.h"

#include <QMutex>
#include <QWaitCondition>

#include <optional>

namespace Vigie {

// Hands credentials from the GUI thread to a worker blocked in virConnectOpenAuth.
class CredentialChannel
{
public:
    // Worker side: blocks until answered or aborted.
    [[nodiscard]] CredentialReply wait();
    // GUI side.
    void answer(CredentialReply &&reply);
    void abort();
    void reset();

private:
    QMutex m_mutex;
    QWaitCondition m_answered;
    std::optional<CredentialReply> m_reply;
    bool m_aborted = false;
};

} // namespace Vigie
