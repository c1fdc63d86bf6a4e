#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigie {

// The project's lab as scripts/lab up describes it in LAB_DIR/status.json: its hypervisor hosts,
// VLANs, guests and the network controller's remotes. Read by `vigie --lab` and the lab tests.
struct LabDescription
{
    struct Host
    {
        QString name; // lab-hv1, ...
        QString uri;  // qemu+unix:///system?socket=...
        QString address;
    };
    struct Vlan
    {
        int id = 0;
        QString name;
    };
    struct Guest
    {
        QString name;
        QString host;
        QString tenant;
        int memoryMiB = 0;
        bool running = false;
    };

    QString directory;
    QList<Host> hosts;
    QList<Vlan> vlans;
    QList<Guest> guests;
    QStringList controllerRemotes; // OVSDB remotes of the OVN northbound database
    QStringList southboundRemotes; // and of the southbound database

    // $VIGIE_LAB_DIR, or /tmp/vigie-lab as scripts/lab uses by default.
    [[nodiscard]] static QString defaultDirectory();
    // Reads DIR/status.json; on failure returns nothing and sets *error to what to tell the user.
    [[nodiscard]] static std::optional<LabDescription> read(const QString &directory, QString *error);
};

} // namespace Vigie
