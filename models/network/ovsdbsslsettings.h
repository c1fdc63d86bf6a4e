#pragma once

#include <QString>
#include <QStringList>

namespace Vigie {

// Files for ssl: remotes (PEM), as ovn-nbctl's --ca-cert/--certificate/--private-key.
struct OvsdbSslSettings
{
    QString caCertificateFile;
    QString certificateFile;
    QString privateKeyFile;
    // SHA-256 fingerprints (hex, any case, colons allowed) of server certificates the operator
    // accepted explicitly despite verification errors. Nothing else is ever accepted.
    QStringList trustedFingerprints;

    friend bool operator==(const OvsdbSslSettings &, const OvsdbSslSettings &) = default;
};

} // namespace Vigie
