#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <utility>

namespace Vigie {

// The answer to one request, the one style of the console's asynchronous calls (like
// OvsdbClient::transact's): the caller hands a callback with a context object, and the callee
// calls it once on the caller's thread, or never if the context is gone by then. Nobody filters
// broadcast replies by request ids. Never called from within the call that made the request (a
// refusal is answered on the next pass too), so the caller may still be setting things up.
template<typename... Args>
class Reply
{
public:
    // Nobody waits for the answer.
    Reply() = default;
    template<typename F>
    Reply(QObject *context, F call)
        : m_context(context)
        , m_call(std::move(call))
    {
    }

    void operator()(Args... args) const
    {
        if (m_call && m_context)
            m_call(args...);
    }

    // Calls the reply on the next pass of its context's event loop (an answer known at once, or
    // the last word of a callee that goes away).
    void post(std::decay_t<Args>... args) const
    {
        if (QObject *context = m_context)
            QMetaObject::invokeMethod(
                context, [reply = *this, args...] { reply(args...); }, Qt::QueuedConnection);
    }

private:
    QPointer<QObject> m_context;
    std::function<void(Args...)> m_call;
};

// How an operation on a domain went: MESSAGE says why it failed, or adds a remark (e.g. "applies
// at next boot") to a success.
using OperationReply = Reply<bool, const QString &>;
// A domain's XML, or the error that kept it.
using XmlReply = Reply<const QString &, const QString &>;

} // namespace Vigie
