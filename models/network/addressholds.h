#pragma once

#include <QHash>
#include <QString>

namespace Vigie {

class SubnetPlan;

// The addresses this console has written to the controller and not yet read back: between a
// transaction and the update that brings its rows, the switch's rows do not show them, and a
// second placement a moment later would be offered the same address. A hold ends when its
// transaction fails, or with the first update of the rows after its answer (the server sends a
// transaction's update before, or right after, its answer). Another console's transactions cannot
// be seen: OVSDB has no "no port has this address" condition; the duplicate-address mismatch
// shows such a race.
class AddressHolds
{
public:
    // Holds ADDRESS on the switch for PORT (a name, for messages); returns the hold's id.
    quint64 hold(const QString &switchUuid, const QString &address, const QString &port);
    // The hold's transaction was answered: a failure releases it now, a success at the next update.
    void answered(quint64 id, bool ok);
    // The controller's rows were updated: answered holds end.
    void rowsUpdated();
    // Marks the switch's held addresses used in PLAN.
    void applyTo(SubnetPlan *plan, const QString &switchUuid) const;
    [[nodiscard]] qsizetype size() const { return m_holds.size(); }

private:
    struct Hold
    {
        QString switchUuid;
        QString address;
        QString port;
        bool answered = false;
    };
    QHash<quint64, Hold> m_holds;
    quint64 m_next = 1;
};

} // namespace Vigie
