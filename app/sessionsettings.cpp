#include "sessionsettings.h"

#include "hypervisor/accesspolicy.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "network/controllersettings.h"
#include "network/networkcontroller.h"

#include <QSettings>

namespace Vigie::SessionSettings {

namespace {

const QString Connections = QStringLiteral("connections/uris");
const QString Demo = QStringLiteral("connections/demo");
const QString ReadOnly = QStringLiteral("connections/readOnlyUris");

} // namespace

void save(QSettings &settings, const SessionManager &sessions, const Inventory &inventory)
{
    QStringList uris;
    QStringList readOnly;
    bool demo = false;
    const AccessPolicy *access = sessions.accessPolicy();
    for (const QString &uri : sessions.uris()) {
        const HostInfo host = inventory.host(uri);
        if (host.demo) {
            demo = true;
        } else if (host.state != ConnectionState::Failed) { // a wrong URI or credentials: not again
            uris.append(uri);
            // Those chosen in the Connect dialog; --read-only is the command line's alone.
            if (access->isReadOnly(uri) && !access->allReadOnly())
                readOnly.append(uri);
        }
    }
    settings.setValue(Connections, uris);
    if (!access->allReadOnly())
        settings.setValue(ReadOnly, readOnly);
    settings.setValue(Demo, demo);
}

void restore(const QSettings &settings, SessionManager &sessions, NetworkController &network)
{
    if (settings.value(Demo, false).toBool())
        sessions.openDemo();
    const QStringList uris = settings.value(Connections).toStringList();
    const QStringList readOnly = settings.value(ReadOnly).toStringList();
    for (const QString &uri : uris)
        sessions.addConnection(uri, false, readOnly.contains(uri));
    // None saved: the demo opened above keeps its simulated controller.
    if (const ControllerSettings saved = ControllerSettings::load(settings); !saved.northbound.isEmpty()) {
        network.setSouthboundRemotes(saved.southbound);
        network.setRemotes(saved.northbound);
    }
}

bool isDemoOnly(const QSettings &settings)
{
    return settings.value(Demo, false).toBool() && settings.value(Connections).toStringList().isEmpty();
}

} // namespace Vigie::SessionSettings
