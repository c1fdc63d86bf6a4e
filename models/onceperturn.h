#pragma once

#include <QObject>

#include <functional>
#include <utility>

namespace Vigie {

// Runs WORK at the next turn of CONTEXT's event loop, once however often it is asked before then:
// what many changes touch (a count over every row) is done once per burst. A member of CONTEXT
// (the call is dropped with it).
class OncePerTurn
{
public:
    OncePerTurn(QObject *context, std::function<void()> work)
        : m_context(context)
        , m_work(std::move(work))
    {
    }
    OncePerTurn(const OncePerTurn &) = delete;
    OncePerTurn &operator=(const OncePerTurn &) = delete;

    void request()
    {
        if (std::exchange(m_due, true))
            return;
        QMetaObject::invokeMethod(
            m_context, [this] {
                m_due = false;
                m_work();
            },
            Qt::QueuedConnection);
    }

private:
    QObject *m_context;
    std::function<void()> m_work;
    bool m_due = false;
};

} // namespace Vigie
