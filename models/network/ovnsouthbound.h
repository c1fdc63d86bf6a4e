#pragma once

#include "network/ovnchassis.h"
#include "network/ovnportbinding.h"
#include "network/ovsdbcache.h"
#include "network/ovsdbchangeset.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace Vigie {

class OvsdbClient;

// The OVN southbound database seen as chassis and port bindings: value snapshots derived from an
// OvsdbClient's cache, updated from each change set. Only rows touched by a change are
// recomputed (every chassis when an Encap changes: there are few).
class OvnSouthbound : public QObject
{
    Q_OBJECT

public:
    explicit OvnSouthbound(QObject *parent = nullptr);

    // The tables and columns to monitor (columns an older server lacks are left out by the client).
    [[nodiscard]] static QHash<QString, QStringList> monitoredTables();
    void attach(OvsdbClient *client);
    void applyChanges(const OvsdbCache &cache, const OvsdbChangeSet &changes);
    // Forgets everything (the controller was disconnected or changed).
    void clear();

    [[nodiscard]] QList<OvnChassis> chassis() const { return m_chassis.values(); }
    [[nodiscard]] const QHash<QString, OvnChassis> &chassisTable() const { return m_chassis; }
    [[nodiscard]] OvnChassis chassisByUuid(const QString &uuid) const { return m_chassis.value(uuid); }
    // The binding of a northbound port, by the port's name; nullptr when the SB has none.
    [[nodiscard]] const OvnPortBinding *bindingOf(const QString &logicalPort) const;
    [[nodiscard]] qsizetype bindingCount() const { return m_bindings.size(); }

Q_SIGNALS:
    // Chassis (or their encapsulations) came, changed or went.
    void chassisChanged();
    // The bindings of these logical ports came, changed or went.
    void bindingsChanged(const QStringList &logicalPorts);
    // After the signals of one change set.
    void changesApplied();

private:
    QHash<QString, OvnChassis> m_chassis;        // by uuid
    QHash<QString, OvnPortBinding> m_bindings;   // by uuid
    QHash<QString, QString> m_bindingByPort;     // logical_port -> binding uuid
    QPointer<OvsdbClient> m_client;
};

} // namespace Vigie
