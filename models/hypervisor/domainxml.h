#pragma once

#include "inventory/vminfo.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Vigie {

// Parses libvirt domain XML (virDomainGetXMLDesc) into a VmInfo. The XML may come from any
// daemon, so it is treated as hostile: no DTD or entity is ever processed, sizes are bounded,
// text is cleaned of control characters, and what had to be dropped is listed in warnings.
class DomainXml
{
public:
    static constexpr qsizetype MaxXmlBytes = 8 * 1024 * 1024;
    static constexpr qsizetype MaxTextLength = 1024; // names, titles, tenant, paths
    static constexpr qsizetype MaxNics = 256;
    static constexpr qsizetype MaxDisks = 256;
    static constexpr int MaxDepth = 64;

    struct Result
    {
        std::optional<VmInfo> vm; // set on success; state and hostUri are left to the caller
        QString error;            // set on failure: what is wrong, with line and column
        qint64 errorLine = 0;     // where the XML itself is wrong (1-based), 0: not a place in it
        qint64 errorColumn = 0;
    };

    [[nodiscard]] static Result parse(const QByteArray &xml);
};

} // namespace Vigie
