#include "signalwatcher.h"

#include <QSocketNotifier>

#include <array>
#include <cerrno>
#include <csignal>

#include <sys/socket.h>
#include <unistd.h>

namespace Vigie {

namespace {

constexpr std::array WatchedSignals{SIGTERM, SIGINT, SIGHUP};
int s_fds[2] = {-1, -1}; // [0] written by the handler, [1] read by the notifier

void handleSignal(int signal)
{
    const int savedErrno = errno;
    const char byte = char(signal);
    // A full socket buffer means quitting is already on its way: dropping this one is fine.
    [[maybe_unused]] const ssize_t written = ::write(s_fds[0], &byte, 1);
    errno = savedErrno;
}

} // namespace

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{
    Q_ASSERT(s_fds[0] < 0);
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, s_fds) != 0)
        qFatal("vigie: socketpair for the signal handlers failed");
    m_notifier = new QSocketNotifier(s_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::readSignal);
    struct sigaction action = {};
    action.sa_handler = handleSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    // Also replaces the SIG_IGN a shell gives SIGINT in background jobs: a clean quit is wanted.
    for (int signal : WatchedSignals)
        ::sigaction(signal, &action, nullptr);
}

SignalWatcher::~SignalWatcher()
{
    struct sigaction action = {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int signal : WatchedSignals)
        ::sigaction(signal, &action, nullptr);
    delete m_notifier;
    ::close(s_fds[0]);
    ::close(s_fds[1]);
    s_fds[0] = s_fds[1] = -1;
}

QString SignalWatcher::signalName(int signal)
{
    switch (signal) {
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGHUP:
        return QStringLiteral("SIGHUP");
    default:
        return QStringLiteral("signal %1").arg(signal);
    }
}

void SignalWatcher::readSignal()
{
    char byte = 0;
    while (::read(s_fds[1], &byte, 1) == 1)
        Q_EMIT signalReceived(int(byte));
}

} // namespace Vigie
