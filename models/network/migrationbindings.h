#pragma once

#include "hypervisor/migration.h"

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QObject>
#include <QPointer>

namespace Vigie {

class MigrationController;
class NetworkController;

// Keeps a migrating VM's network attached as OpenStack does: while a live migration runs, each
// controller-wired port of the VM is requested on both the source and the destination chassis
// (options:requested-chassis="src,dst", activation-strategy=rarp), so ovn-controller on the
// destination installs the port's flows beforehand and activates them on the guest's first RARP
// after switch-over, instead of claiming the port only when the source lets it go. At the end the
// options are put back as they were, the destination taking the source's place when the
// migration completed. Rows another system owns (Neutron's) are left alone: Neutron does this
// itself when Nova asks it to.
class MigrationBindings : public QObject
{
    Q_OBJECT

public:
    MigrationBindings(NetworkController *network, MigrationController *migrations, QObject *parent = nullptr);

    // Turned off, migrations leave the ports as they are (for measuring the difference).
    void setEnabled(bool enabled) { m_enabled = enabled; }
    [[nodiscard]] bool isEnabled() const { return m_enabled; }

    // One port's options before the migration, as read.
    struct PortOptions
    {
        QString portUuid;
        QString portName;
        QString requestedChassis; // empty: the key was absent
        QString activationStrategy;
    };
    // The transactions, for tests: set the port's options for the migration, and put them back
    // (COMPLETED: the destination replaces the source in requested-chassis).
    [[nodiscard]] static QJsonArray pinOperations(const PortOptions &port, const QString &source, const QString &destination);
    [[nodiscard]] static QJsonArray releaseOperations(const PortOptions &port, const QString &source, const QString &destination,
                                                      bool completed);

Q_SIGNALS:
    // A port was pinned or released (ok false: the controller refused; MESSAGE says why).
    void portUpdated(const QString &portName, bool pinned, bool ok, const QString &message);

private:
    struct Pinned
    {
        PortOptions port;
        QString source;
        QString destination;
    };

    void onStarted(const MigrationProgress &progress);
    void onFinished(const MigrationProgress &progress);
    [[nodiscard]] QString chassisOfHost(const QString &hostUri) const;

    QPointer<NetworkController> m_network;
    bool m_enabled = true;
    QHash<QString, QList<Pinned>> m_pinned; // by job id
};

} // namespace Vigie
