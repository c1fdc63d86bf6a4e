#pragma once

#include "demo/labdescription.h"
#include "inventory/vminfo.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace Vigie {
class Inventory;
}

namespace Vigie::LabTest {

using LabHost = LabDescription::Host;
using LabVlan = LabDescription::Vlan;
using LabGuest = LabDescription::Guest;

// What status.json says beyond LabDescription (read by the tests only): how the lab wires its
// guests and where OVN's southbound database and probes are (see scripts/lab.d/guests.sh).
struct LabNic
{
    QString mac;
    int vlan = 0;
    QString ip;
    QString port;      // ML2/OVN: the logical switch port (= Open vSwitch interfaceid)
    QString switchName; // ML2/OVN: the logical switch holding the port
};
struct LabWiring
{
    QString uuid;   // the domain's (= neutron:device_id on Neutron-shaped ports)
    QString wiring; // "ovn" (ML2/OVN, on br-int) or "libvirt" (lab-vlan network, portgroup tag)
    QList<LabNic> nics;
    [[nodiscard]] bool isOvn() const { return wiring == QLatin1String("ovn"); }
};
struct LabSwitch
{
    QString name;  // the logical switch: the VLAN's name, or neutron-<uuid>
    QString owner; // "lab" or "neutron"
    QString probeHost;
    QString probeIp;
};

// The lab a lab test runs against (read from $VIGIE_LAB_DIR/status.json, written by
// scripts/lab up), and the commands the tests use to check and disturb it. Synchronous, the event
// loop running meanwhile (the tests' OVSDB and libvirt clients stay alive): for tests.
class LabEnvironment
{
public:
    // Reads the description; on failure isValid() is false and error() says why.
    LabEnvironment();

    [[nodiscard]] bool isValid() const { return m_error.isEmpty(); }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QString directory() const { return m_lab.directory; }
    [[nodiscard]] QList<LabHost> hosts() const { return m_lab.hosts; }
    [[nodiscard]] QList<LabVlan> vlans() const { return m_lab.vlans; }
    [[nodiscard]] QList<LabGuest> guests() const { return m_lab.guests; }
    [[nodiscard]] QStringList controllerRemotes() const { return m_lab.controllerRemotes; }
    [[nodiscard]] LabHost host(const QString &name) const;
    // A guest that boots a kernel (its shell answers on ttyS0) and that INVENTORY lists running,
    // on the lab host it is on now (the first host in the lab's order holding one; other lab
    // tests move guests about); an empty name when none runs.
    struct RunningGuest
    {
        LabHost host;
        QString name;
        VmKey vm;
    };
    [[nodiscard]] RunningGuest runningShellGuest(const Inventory &inventory) const;
    [[nodiscard]] QStringList southboundRemotes() const { return m_southboundRemotes; }
    [[nodiscard]] LabWiring wiring(const QString &guest) const { return m_wiring.value(guest); }
    [[nodiscard]] LabSwitch switchOfVlan(int vlan) const { return m_switches.value(vlan); }

    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
        [[nodiscard]] bool ok() const { return exitCode == 0; }
    };
    // virsh -c URI ARGS against a lab host.
    [[nodiscard]] static Result virsh(const LabHost &host, const QStringList &args, int timeoutMs = 60000);
    // scripts/lab ARGS (daemon faults, exec in a host).
    [[nodiscard]] static Result lab(const QStringList &args, int timeoutMs = 60000);
    // CMD in the probe namespace of VLAN (scripts/lab probe): a port of that VLAN's switch.
    [[nodiscard]] static Result probe(const QString &vlanName, const QStringList &command, int timeoutMs = 60000);
    [[nodiscard]] static Result run(const QString &program, const QStringList &args, int timeoutMs);

private:
    void readWiring();
    // The guests that boot a kernel and that the lab started, by name (guests.tsv).
    [[nodiscard]] QStringList shellGuests() const;

    LabDescription m_lab;
    QString m_error;
    QStringList m_southboundRemotes;
    QHash<QString, LabWiring> m_wiring;
    QHash<int, LabSwitch> m_switches;
};

} // namespace Vigie::LabTest
