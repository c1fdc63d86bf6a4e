#pragma once

#include "vmaction.h"

#include <QString>
#include <QStringList>

struct _virConnect;

namespace Vigie {

// The changes Vigie makes to a host's existing domains, each a few libvirt calls on the
// connection's worker thread: lifecycle actions, the definition read and written, tags, a NIC
// moved into a VLAN (a new VM is VmProvisioner's). Each says how it went, and which domain changed (the worker
// reads it again); what a failed step left behind is undone. The connection must be open.
class DomainOperations
{
public:
    struct Outcome
    {
        bool ok = false;
        QString message; // why not; or, when ok, a remark for the operator
        QString uuid;    // the domain that may have changed (empty: none)
    };

    DomainOperations(_virConnect *conn, const QString &uri, bool readOnly);

    // VM_NAME: the domain's name, when found.
    [[nodiscard]] Outcome run(const QString &uuid, VmAction action, QString *vmName) const;
    // The saved definition with its secrets (PERSISTENT, what virsh edit shows), else the live one.
    [[nodiscard]] Outcome readXml(const QString &uuid, bool persistent, QString *xml) const;
    // Defines a domain from XML, and starts it if asked (undefined again if it does not start).
    [[nodiscard]] Outcome define(const QString &xml, bool start) const;
    [[nodiscard]] Outcome remove(const QString &uuid) const;
    // Refused for a domain Nova owns.
    [[nodiscard]] Outcome editTags(const QString &uuid, const QStringList &add, const QStringList &remove) const;
    // Live and in the saved definition where the driver can; only in the definition otherwise
    // (the remark says it applies at next boot).
    [[nodiscard]] Outcome moveNic(const QString &uuid, const QString &mac, int vlanId, const QString &portgroup) const;

private:
    _virConnect *m_conn;
    QString m_uri;
    bool m_readOnly;
};

} // namespace Vigie
