#pragma once

#include "inventory/networkinfo.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Vigie {

// Parses libvirt network XML (virNetworkGetXMLDesc), with the same hostile-input rules as
// DomainXml.
class NetworkXml
{
public:
    static constexpr qsizetype MaxPortgroups = 4096;

    struct Result
    {
        std::optional<NetworkInfo> network; // active and hostUri are left to the caller
        QString error;
    };

    [[nodiscard]] static Result parse(const QByteArray &xml);
};

} // namespace Vigie
