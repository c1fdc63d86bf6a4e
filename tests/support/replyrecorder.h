#pragma once

#include "hypervisor/reply.h"

#include <QObject>
#include <QString>

namespace Vigie {

// Waits for one reply (reply.h) in a test: reply() hands the callback, and the answer is kept
// (QTRY_VERIFY(recorder.answered) then reads it).
struct OperationRecorder
{
    QObject context;
    bool answered = false;
    int calls = 0;
    bool ok = false;
    QString message;

    OperationReply reply()
    {
        return {&context, [this](bool success, const QString &text) {
                    answered = true;
                    ++calls;
                    ok = success;
                    message = text;
                }};
    }
};

struct XmlRecorder
{
    QObject context;
    bool answered = false;
    QString xml;
    QString error;

    XmlReply reply()
    {
        return {&context, [this](const QString &text, const QString &failure) {
                    answered = true;
                    xml = text;
                    error = failure;
                }};
    }
};

} // namespace Vigie
