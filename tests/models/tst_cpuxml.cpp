// The <cpu> definitions cut out of capabilities and domain capabilities for libvirt's CPU
// comparisons (see HypervisorWorker::compareCpu), data-driven, hostile input included: anything
// unexpected gives nothing (not compared), never a half definition.
#include "hypervisor/cpuxml.h"

#include <QTest>

using namespace Vigie;

namespace {

// Shortened from what lab-hv1 (libvirt 11.3, QEMU 10.0, TCG) answers.
const QByteArray DomainCapabilities = R"(<domainCapabilities>
  <path>/usr/bin/qemu-system-x86_64</path>
  <domain>qemu</domain>
  <arch>x86_64</arch>
  <cpu>
    <mode name='host-passthrough' supported='no'/>
    <mode name='maximum' supported='yes'>
      <enum name='maximumMigratable'><value>on</value></enum>
    </mode>
    <mode name='host-model' supported='yes'>
      <model fallback='forbid'>EPYC</model>
      <vendor>AMD</vendor>
      <feature policy='require' name='x2apic'/>
      <feature policy='disable' name='vme'/>
    </mode>
    <mode name='custom' supported='yes'>
      <model usable='yes' vendor='unknown'>486</model>
    </mode>
  </cpu>
</domainCapabilities>)";

const QByteArray Capabilities = R"(<capabilities>
  <host>
    <uuid>5a1ab000-0000-4000-8000-000000000001</uuid>
    <cpu>
      <arch>x86_64</arch>
      <model>kvm64-v1</model>
      <vendor>AMD</vendor>
      <topology sockets='1' dies='1' clusters='1' cores='2' threads='1'/>
      <feature name='avx2'/>
    </cpu>
    <power_management/>
  </host>
  <guest><os_type>hvm</os_type></guest>
</capabilities>)";

} // namespace

class tst_CpuXml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void domainCapabilities()
    {
        const QString cpu = CpuXml::fromDomainCapabilities(DomainCapabilities);
        QCOMPARE(cpu, QStringLiteral(R"(<cpu mode="custom" match="exact"><model fallback="forbid">EPYC</model>)"
                                     R"(<vendor>AMD</vendor><feature policy="require" name="x2apic"/>)"
                                     R"(<feature policy="disable" name="vme"/></cpu>)"));
    }

    void capabilities()
    {
        const QString cpu = CpuXml::fromCapabilities(Capabilities);
        QCOMPARE(cpu, QStringLiteral(R"(<cpu><arch>x86_64</arch><model>kvm64-v1</model><vendor>AMD</vendor>)"
                                     R"(<topology sockets="1" dies="1" clusters="1" cores="2" threads="1"/>)"
                                     R"(<feature name="avx2"/></cpu>)"));
    }

    void nothingUsable_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not XML") << QByteArray("host-model");
        QTest::newRow("other root") << QByteArray("<domain><cpu><model>EPYC</model></cpu></domain>");
        QTest::newRow("host-model unsupported")
            << QByteArray("<domainCapabilities><cpu><mode name='host-model' supported='no'/></cpu></domainCapabilities>");
        QTest::newRow("no model") << QByteArray(
            "<domainCapabilities><cpu><mode name='host-model' supported='yes'><vendor>AMD</vendor></mode></cpu></domainCapabilities>");
        QTest::newRow("truncated") << DomainCapabilities.left(DomainCapabilities.indexOf("<feature policy='disable'"));
        QTest::newRow("DTD") << QByteArray("<!DOCTYPE d [<!ENTITY a 'x'>]><domainCapabilities><cpu><mode name='host-model' "
                                           "supported='yes'><model>&a;</model></mode></cpu></domainCapabilities>");
        QTest::newRow("too deep") << QByteArray("<domainCapabilities><cpu><mode name='host-model' supported='yes'><model>EPYC</model>")
                                         + QByteArray("<x>").repeated(100) + QByteArray("</x>").repeated(100)
                                         + QByteArray("</mode></cpu></domainCapabilities>");
    }

    void nothingUsable()
    {
        QFETCH(QByteArray, xml);
        QCOMPARE(CpuXml::fromDomainCapabilities(xml), QString());
        QCOMPARE(CpuXml::fromCapabilities(xml), QString());
    }
};

QTEST_GUILESS_MAIN(tst_CpuXml)
#include "tst_cpuxml.moc"
