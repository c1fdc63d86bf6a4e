#pragma once

#include <QMetaObject>
#include <QMutex>

namespace Vigie {

// What libvirt's callbacks (on the event-loop thread) and helper threads post to an object on
// its own thread, through a shared reference that may outlive the object by one dispatch: calls
// are queued only while the object is attached, and the object detaches before it goes.
template<typename Target>
class PostSink
{
public:
    explicit PostSink(Target *target)
        : m_target(target)
    {
    }

    void detach()
    {
        QMutexLocker locker(&m_mutex);
        m_target = nullptr;
    }

    // Queues call(target) on the target's thread; dropped if the target is gone by then.
    template<typename F>
    void post(F call)
    {
        QMutexLocker locker(&m_mutex);
        if (Target *target = m_target)
            QMetaObject::invokeMethod(target, [target, call] { call(target); }, Qt::QueuedConnection);
    }

private:
    QMutex m_mutex;
    Target *m_target;
};

} // namespace Vigie
