#pragma once

#include "migration.h"

#include <QList>
#include <QObject>
#include <QTimer>

namespace Vigie {

class Inventory;
class MigrationController;

// Migrations asked for by name (the command line's --migrate VM:HOST), run one after another
// through the controller's start(), the path a drag onto a host takes, pre-flight included. A
// request succeeds once libvirt completed the job and the inventory shows the VM on its
// destination (running, if it ran before) and no longer running on its source; a refusal or a
// failure is reported and the next request goes on.
class MigrationQueue : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QString vmName;
        QString host; // display name or URI
    };

    MigrationQueue(MigrationController *migrations, Inventory *inventory, QObject *parent = nullptr);

    void setOptions(const MigrationOptions &options) { m_options = options; }
    // How long the inventory may take, after libvirt's completion, to show the VM on its
    // destination (its hosts' events and the controller's resync).
    void setArrivalTimeoutMs(int ms) { m_arrivalTimer.setInterval(ms); }

    void enqueue(const QString &vmName, const QString &host);
    // Starts the first request; the others follow as each one ends. Names are resolved when a
    // request's turn comes, against the inventory as it is then.
    void start();

    [[nodiscard]] bool isFinished() const { return m_started && m_current < 0 && m_next >= m_requests.size(); }
    [[nodiscard]] int failureCount() const { return m_failures; }
    [[nodiscard]] QList<Request> requests() const { return m_requests; }
    // The job id of the request under way, if it got one.
    [[nodiscard]] QString currentJobId() const { return m_jobId; }

    // VM_NAME and HOST (display name or URI) as keys of the inventory, or why not.
    [[nodiscard]] static QString resolve(const Inventory &inventory, const QString &vmName, const QString &host, VmKey *vm,
                                         QString *destUri);

Q_SIGNALS:
    void requestStarted(int index, const Vigie::MigrationProgress &progress);
    void requestProgressed(int index, const Vigie::MigrationProgress &progress);
    // OK: the VM runs (or is defined, if it was not running) on the destination. Otherwise
    // MESSAGE says why not: the refusal, libvirt's error, or the VM not showing up there.
    void requestFinished(int index, bool ok, const QString &message);
    void finished();

private:
    void startNext();
    void jobFinished(const MigrationProgress &progress);
    void checkArrival();
    void endCurrent(bool ok, const QString &message);

    MigrationController *m_migrations;
    Inventory *m_inventory;
    MigrationOptions m_options;
    QList<Request> m_requests;
    bool m_started = false;
    int m_next = 0;
    int m_current = -1;
    int m_failures = 0;
    QString m_jobId;
    VmKey m_arrival;   // the VM as it should appear on its destination
    VmKey m_departure; // and as it was on its source
    bool m_wasActive = false;
    QTimer m_arrivalTimer;
};

} // namespace Vigie
