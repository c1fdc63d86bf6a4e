#pragma once

#include "hypervisor/migration.h"
#include "inventory/eventrecord.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

namespace Vigie {

class MigrationController;
class NetworkController;

// Shows a migrated VM's network following it: when a live migration of a VM with
// controller-wired NICs ends, watches the southbound database until each of their ports is bound
// to the destination's chassis, and tells (in the event log) how long after the end of the
// migration that happened, or that it did not within the patience given (the VM then has no
// network: ovn-controller on the destination is the suspect). Reads only.
class BindingWatch : public QObject
{
    Q_OBJECT

public:
    BindingWatch(NetworkController *network, MigrationController *migrations, QObject *parent = nullptr);

    // How long a port may stay bound elsewhere after the migration (default 30 s).
    void setPatience(int milliseconds) { m_patienceMs = milliseconds; }

Q_SIGNALS:
    // PORT of VM_NAME is bound on CHASSIS (the destination's) MS milliseconds after the migration
    // to DEST_URI ended (0: it already was).
    void portFollowed(const QString &vmName, const QString &port, const QString &chassis, const QString &destUri, qint64 ms);
    // PORT is still not bound on the destination's chassis after the patience.
    void portStranded(const QString &vmName, const QString &port, const QString &chassis, const QString &destUri);
    void eventRecorded(const Vigie::EventRecord &record);

private:
    struct Watched
    {
        QString vmName;
        QString destUri;
        QStringList ports;   // still waited for, by name
        QElapsedTimer since; // the migration's end
    };

    void onStarted(const MigrationProgress &progress);
    void onFinished(const MigrationProgress &progress);
    void check();
    // The chassis PORT is bound to and the host that chassis is (empty: unbound or unknown).
    [[nodiscard]] std::pair<QString, QString> bindingOf(const QString &port) const;
    void record(const Watched &watched, const QString &result, EventRecord::Severity severity);

    QPointer<NetworkController> m_network;
    int m_patienceMs = 30000;
    QHash<QString, QStringList> m_started; // job id -> the VM's controller-wired ports
    QList<Watched> m_watched;
    QTimer m_patience;
};

} // namespace Vigie
