#pragma once

#include <QByteArray>
#include <QString>

namespace Vigie {

// The <cpu> definitions libvirt's CPU comparisons take, cut out of what a host tells of itself.
// Hostile input is read with GuardedXmlReader's policy; anything unexpected gives an empty
// string (the comparison is then not made: "not known", never "incompatible").
namespace CpuXml {

// The host-model CPU of domain capabilities (<domainCapabilities><cpu><mode name='host-model'
// supported='yes'>), as a guest CPU for virConnectCompareHypervisorCPU on another host: what
// `virsh hypervisor-cpu-compare` makes of a domcapabilities file.
[[nodiscard]] QString fromDomainCapabilities(const QByteArray &xml);
// The host's own CPU of capabilities (<capabilities><host><cpu>), for virConnectCompareCPU.
[[nodiscard]] QString fromCapabilities(const QByteArray &xml);

} // namespace CpuXml

} // namespace Vigie
