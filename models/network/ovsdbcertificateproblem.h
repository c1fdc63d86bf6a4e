#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Vigie {

// A server certificate that failed verification, for the operator to judge.
struct OvsdbCertificateProblem
{
    QString remote;
    QString subject;
    QString sha256Fingerprint; // hex with colons
    QStringList errors;
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::OvsdbCertificateProblem)
