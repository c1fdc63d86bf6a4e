#pragma once

#include <QThread>

#include <atomic>
#include <memory>

namespace Vigie {

// The one thread that runs libvirt's default event loop (keepalive, domain and network events,
// close callbacks). Shared by every session: acquire() starts it, the last owner to let go stops
// and joins it. libvirt's loop runs on GLib's default main context, so the Qt application must
// not (QT_NO_GLIB=1, see useLibvirtCompatibleEventDispatcher()).
class LibvirtEventLoop : public QThread
{
    Q_OBJECT

public:
    ~LibvirtEventLoop() override;

    [[nodiscard]] static std::shared_ptr<LibvirtEventLoop> acquire();
    // To call before the Q*Application exists: makes Qt use its own event dispatcher, leaving
    // GLib's default main context to libvirt.
    static void useLibvirtCompatibleEventDispatcher();

protected:
    void run() override;

private:
    LibvirtEventLoop();
    std::atomic_bool m_quit = false;
};

} // namespace Vigie
