#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

namespace Vigie {

// The outcome of a transact request. ok only if the request was answered and every operation,
// and the commit, succeeded. Per RFC 7047 4.1.3 an operation's error comes back in its own result
// slot; a commit error (constraint violation, ...) in an extra slot after the last operation.
struct OvsdbTransactResult
{
    struct OperationError
    {
        int index = -1; // operation index, or the operation count for a commit error, -1: request
        QString error;   // the protocol keyword: "timed out", "constraint violation", ...
        QString details;

        friend bool operator==(const OperationError &, const OperationError &) = default;
    };

    bool ok = false;
    QJsonArray results;
    QList<OperationError> errors;

    [[nodiscard]] QString firstError() const { return errors.isEmpty() ? QString() : errors.first().error; }
};

} // namespace Vigie
