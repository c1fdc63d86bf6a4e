#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Vigie {

// The <interface> element of the NIC with MAC in a domain's XML, rewritten to sit in VLAN_ID:
// its <vlan> replaced by one tag, and its source portgroup set to PORTGROUP when given (the
// portgroup of the network that carries that VLAN). Everything else of the element is kept, so
// the result can go to virDomainUpdateDeviceFlags. Nothing when the NIC is not there or the XML
// is unusable (*error says why).
[[nodiscard]] std::optional<QString> interfaceXmlInVlan(const QByteArray &domainXml, const QString &mac, int vlanId,
                                                        const QString &portgroup, QString *error);

// The whole domain XML with that NIC moved into VLAN_ID (the rest kept as it was, character
// for character): for drivers that cannot update a device but can redefine the domain.
[[nodiscard]] std::optional<QString> domainXmlWithNicInVlan(const QByteArray &domainXml, const QString &mac, int vlanId,
                                                            const QString &portgroup, QString *error);

} // namespace Vigie
