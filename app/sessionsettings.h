#pragma once

class QSettings;

namespace Vigie {

class Inventory;
class NetworkController;
class SessionManager;

// The session as it is remembered between starts: the hosts' URIs (never a credential), those
// opened read-only from the Connect dialog, whether the demo was open. The controller is
// remembered by ControllerSettings.
namespace SessionSettings {

// Hosts whose connection failed (a wrong URI or credentials) are not remembered; a session run
// with --read-only does not change which hosts were chosen read-only.
void save(QSettings &settings, const SessionManager &sessions, const Inventory &inventory);
// Reopens the hosts (and the demo) of the last session, and its controller if it had one.
void restore(const QSettings &settings, SessionManager &sessions, NetworkController &network);
// The last session had only the demo datacenter (so restoring it needs the demo's history).
[[nodiscard]] bool isDemoOnly(const QSettings &settings);

} // namespace SessionSettings

} // namespace Vigie
