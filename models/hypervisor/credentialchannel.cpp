#include "credentialchannel.h"

namespace Vigie {

CredentialReply CredentialChannel::wait()
{
    QMutexLocker locker(&m_mutex);
    while (!m_reply && !m_aborted)
        m_answered.wait(&m_mutex);
    CredentialReply reply = m_aborted ? CredentialReply{} : std::move(*m_reply);
    m_reply.reset();
    return reply;
}

void CredentialChannel::answer(CredentialReply &&reply)
{
    QMutexLocker locker(&m_mutex);
    m_reply = std::move(reply);
    m_answered.wakeAll();
}

void CredentialChannel::abort()
{
    QMutexLocker locker(&m_mutex);
    m_aborted = true;
    m_answered.wakeAll();
}

void CredentialChannel::reset()
{
    QMutexLocker locker(&m_mutex);
    m_reply.reset();
}

} // namespace Vigie
