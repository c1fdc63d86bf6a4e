#pragma once

#include <QObject>

class QSocketNotifier;

namespace Vigie {

// SIGTERM, SIGINT and SIGHUP as Qt signals on the GUI thread. The handler only writes the signal's
// number into a socket pair (the one thing a handler may safely do); a QSocketNotifier reads it
// in the event loop, where quitting cleanly is allowed. One instance per process.
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

    // The name of a watched signal ("SIGTERM"), for messages and logs.
    [[nodiscard]] static QString signalName(int signal);

Q_SIGNALS:
    void signalReceived(int signal);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Vigie
