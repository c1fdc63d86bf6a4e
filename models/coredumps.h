#pragma once

namespace Vigie {

// Once the process has held a password (given to libvirt, read from the keyring), no core file
// may be written of it: libraries keep copies Vigie cannot wipe (Cyrus SASL holds a SCRAM
// password for the connection's life; libvirt frees the credentials it was given without wiping
// them). As ssh-agent and KeePassXC do: the core size limit set to 0 (the soft one: what Vigie
// starts may raise it again) and the process marked not dumpable (PR_SET_DUMPABLE 0, which also
// keeps other processes of the user from reading its memory; a program it starts is dumpable). The first call does it and says so in the log; later calls do nothing.
void keepSecretsOutOfCoreDumps();

} // namespace Vigie
