#include "libvirteventloop.h"

#include "logging.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QMutex>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

namespace Vigie {

namespace {

// libvirt prints every error to stderr unless told otherwise; Vigie reports them itself.
void ignoreLibvirtError(void *, virErrorPtr) {}

void wakeOnce(int timer, void *)
{
    virEventRemoveTimeout(timer);
}

QMutex s_mutex;
std::weak_ptr<LibvirtEventLoop> s_instance;

} // namespace

LibvirtEventLoop::LibvirtEventLoop()
{
    setObjectName(QStringLiteral("libvirt-events"));
}

LibvirtEventLoop::~LibvirtEventLoop()
{
    m_quit = true;
    // Adding a timer interrupts the poll() the loop sleeps in, so it sees m_quit at once.
    virEventAddTimeout(0, wakeOnce, nullptr, nullptr);
    wait();
}

std::shared_ptr<LibvirtEventLoop> LibvirtEventLoop::acquire()
{
    QMutexLocker locker(&s_mutex);
    if (auto loop = s_instance.lock())
        return loop;
    static bool registered = false;
    if (!registered) {
        // libvirt's own log goes to stderr from warnings up; Vigie reports what matters itself,
        // so only errors stay there unless the operator asks for more.
        if (!qEnvironmentVariableIsSet("LIBVIRT_DEBUG"))
            qputenv("LIBVIRT_DEBUG", "error");
        virSetErrorFunc(nullptr, ignoreLibvirtError);
        if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0)
            qCCritical(lcHypervisor) << "cannot start libvirt's event loop:" << virGetLastErrorMessage();
        registered = true;
    }
    // libvirt >= 6 runs its loop on GLib's default main context, which Qt's GLib dispatcher
    // holds on the GUI thread: libvirt's thread would then wait for it forever (no events, no
    // keepalive, a hang at exit). Programs using sessions start Qt with QT_NO_GLIB=1.
    if (auto *dispatcher = QAbstractEventDispatcher::instance(QCoreApplication::instance()
                                                                  ? QCoreApplication::instance()->thread()
                                                                  : nullptr);
        dispatcher && QByteArray(dispatcher->metaObject()->className()).contains("Glib"))
        qCCritical(lcHypervisor) << "Qt uses GLib's main context, which libvirt's event loop needs: "
                                    "set QT_NO_GLIB=1 before creating the application";
    std::shared_ptr<LibvirtEventLoop> loop(new LibvirtEventLoop);
    loop->start();
    s_instance = loop;
    return loop;
}

void LibvirtEventLoop::useLibvirtCompatibleEventDispatcher()
{
    qputenv("QT_NO_GLIB", "1");
}

void LibvirtEventLoop::run()
{
    virSetErrorFunc(nullptr, ignoreLibvirtError);
    while (!m_quit) {
        if (virEventRunDefaultImpl() < 0) {
            qCWarning(lcHypervisor) << "libvirt event loop iteration failed:" << virGetLastErrorMessage();
            msleep(100); // a persistent failure must not spin a core
        }
    }
}

} // namespace Vigie
