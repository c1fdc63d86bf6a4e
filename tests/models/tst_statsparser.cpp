// Raw stats parsing from libvirt's typed parameters, including hostile input: the same function
// the worker runs on virConnectGetAllDomainStats records.
#include "metrics/statsparser.h"

#include <QTest>

#include <libvirt/libvirt.h>

#include <cstring>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

struct Param
{
    QByteArray name;
    int type = VIR_TYPED_PARAM_ULLONG;
    qint64 value = 0;
};

Param ull(const char *name, qint64 value)
{
    return {name, VIR_TYPED_PARAM_ULLONG, value};
}

std::vector<virTypedParameter> toTyped(const QList<Param> &params)
{
    static char text[] = "vda";
    std::vector<virTypedParameter> result(size_t(params.size()));
    for (size_t i = 0; i < result.size(); ++i) {
        const Param &p = params.at(qsizetype(i));
        virTypedParameter &t = result[i];
        std::memset(&t, 0, sizeof t);
        // Field names longer than the field are not terminated: the parser must not read past.
        std::memcpy(t.field, p.name.constData(), std::min(size_t(p.name.size()), sizeof t.field));
        t.type = p.type;
        switch (p.type) {
        case VIR_TYPED_PARAM_INT: t.value.i = int(p.value); break;
        case VIR_TYPED_PARAM_UINT: t.value.ui = unsigned(p.value); break;
        case VIR_TYPED_PARAM_LLONG: t.value.l = p.value; break;
        case VIR_TYPED_PARAM_ULLONG: t.value.ul = quint64(p.value); break;
        case VIR_TYPED_PARAM_DOUBLE: t.value.d = double(p.value); break;
        case VIR_TYPED_PARAM_BOOLEAN: t.value.b = char(p.value); break;
        case VIR_TYPED_PARAM_STRING: t.value.s = text; break;
        default: break;
        }
    }
    return result;
}

QString describe(const RawVmStats &s)
{
    QStringList parts;
    const auto add = [&parts](const char *name, const auto &v) {
        if (v)
            parts.append(QString::fromLatin1(name) + u'=' + QString::number(*v));
    };
    parts.append(u"state=%1"_s.arg(s.state));
    add("cpu", s.cpuTimeNs);
    add("vcpus", s.vcpus);
    add("current", s.balloonCurrentKiB);
    add("available", s.balloonAvailableKiB);
    add("unused", s.balloonUnusedKiB);
    add("rss", s.balloonRssKiB);
    if (s.netDevices)
        parts.append(u"nics=%1"_s.arg(s.netDevices));
    add("rx", s.rxBytes);
    add("rxp", s.rxPackets);
    add("tx", s.txBytes);
    add("txp", s.txPackets);
    if (s.blockDevices)
        parts.append(u"disks=%1"_s.arg(s.blockDevices));
    add("rd", s.readBytes);
    add("rdr", s.readRequests);
    add("wr", s.writeBytes);
    add("wrr", s.writeRequests);
    return parts.join(u' ');
}

} // namespace

Q_DECLARE_METATYPE(QList<Param>)

class TestStatsParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseDomain_data()
    {
        QTest::addColumn<QList<Param>>("params");
        QTest::addColumn<QString>("expected");

        // As lab-hv1 reports a running guest (virsh domstats --raw), abridged.
        QTest::newRow("qemu running guest")
            << QList<Param>{ull("state.state", 1), ull("state.reason", 1), ull("cpu.time", 6880000000),
                            ull("cpu.user", 6210000000), ull("balloon.current", 98304), ull("balloon.maximum", 98304),
                            ull("balloon.rss", 176020), ull("vcpu.current", 1), ull("vcpu.maximum", 1),
                            ull("vcpu.0.time", 5780000000), ull("net.count", 1), ull("net.0.rx.bytes", 25390),
                            ull("net.0.rx.pkts", 277), ull("net.0.rx.errs", 0), ull("net.0.tx.bytes", 23602),
                            ull("net.0.tx.pkts", 253), ull("block.count", 1), ull("block.0.rd.reqs", 1),
                            ull("block.0.rd.bytes", 512), ull("block.0.rd.times", 31972566), ull("block.0.wr.reqs", 0),
                            ull("block.0.wr.bytes", 0), ull("block.0.capacity", 33554432)}
            << u"state=1 cpu=6880000000 vcpus=1 current=98304 rss=176020 nics=1 rx=25390 rxp=277 tx=23602 txp=253 "
               "disks=1 rd=512 rdr=1 wr=0 wrr=0"_s;
        QTest::newRow("guest memory stats")
            << QList<Param>{ull("state.state", 1), ull("balloon.available", 1000), ull("balloon.unused", 400)}
            << u"state=1 available=1000 unused=400"_s;
        QTest::newRow("two nics summed")
            << QList<Param>{ull("net.count", 2), ull("net.0.rx.bytes", 100), ull("net.1.rx.bytes", 23),
                            ull("net.0.tx.pkts", 4), ull("net.1.tx.pkts", 5)}
            << u"state=0 nics=2 rx=123 txp=9"_s;
        QTest::newRow("state only (test driver)") << QList<Param>{ull("state.state", 5), ull("state.reason", 0)}
                                                  << u"state=5"_s;
        QTest::newRow("NOWAIT without the monitor: block listed, no counters")
            << QList<Param>{ull("state.state", 1), ull("cpu.time", 10), ull("balloon.current", 98304),
                            ull("block.count", 1), {"block.0.name", VIR_TYPED_PARAM_STRING, 0}}
            << u"state=1 cpu=10 current=98304"_s;
        QTest::newRow("other integer types")
            << QList<Param>{{"cpu.time", VIR_TYPED_PARAM_LLONG, 77}, {"vcpu.current", VIR_TYPED_PARAM_UINT, 4},
                            {"net.0.rx.bytes", VIR_TYPED_PARAM_INT, 9}}
            << u"state=0 cpu=77 vcpus=4 nics=1 rx=9"_s;
        QTest::newRow("hostile: negative counters are no value")
            << QList<Param>{{"cpu.time", VIR_TYPED_PARAM_LLONG, -5}, {"net.0.rx.bytes", VIR_TYPED_PARAM_INT, -1}}
            << u"state=0"_s;
        QTest::newRow("hostile: wrong types")
            << QList<Param>{{"cpu.time", VIR_TYPED_PARAM_STRING, 0}, {"balloon.rss", VIR_TYPED_PARAM_DOUBLE, 3},
                            {"vcpu.current", VIR_TYPED_PARAM_BOOLEAN, 1}, {"state.state", 99, 1}}
            << u"state=0"_s;
        QTest::newRow("hostile: bad device indices")
            << QList<Param>{ull("net.x.rx.bytes", 1), ull("net.-1.rx.bytes", 2), ull("net.99999.rx.bytes", 3),
                            ull("net.0", 4), ull("net.0.", 5), ull("net..rx.bytes", 6), ull("block.3rd.bytes", 7),
                            ull("net.2.rx.bytes", 8)}
            << u"state=0 nics=3 rx=8"_s;
        QTest::newRow("hostile: unterminated 80-character field")
            << QList<Param>{ull(QByteArray("cpu.time").leftJustified(80, 'x').constData(), 1), ull("cpu.time", 2)}
            << u"state=0 cpu=2"_s;
        QTest::newRow("hostile: absurd values") << QList<Param>{ull("state.state", 1000), ull("vcpu.current", 0)}
                                                << u"state=0"_s;
        QTest::newRow("hostile: empty and unknown names")
            << QList<Param>{ull("", 1), ull("c", 2), ull("balloon.", 3), ull("x.y.z", 4)} << u"state=0"_s;
        QTest::newRow("nothing") << QList<Param>{} << u"state=0"_s;
    }

    void parseDomain()
    {
        QFETCH(QList<Param>, params);
        QFETCH(QString, expected);
        const std::vector<virTypedParameter> typed = toTyped(params);
        RawVmStats stats;
        StatsParser::parseDomain(typed.data(), int(typed.size()), &stats);
        QCOMPARE(describe(stats), expected);
    }

    void parseNode()
    {
        // As virsh nodecpustats / nodememstats show them on a lab host.
        virNodeCPUStats cpu[4] = {};
        const char *cpuNames[] = {VIR_NODE_CPU_STATS_USER, VIR_NODE_CPU_STATS_KERNEL, VIR_NODE_CPU_STATS_IDLE,
                                  VIR_NODE_CPU_STATS_IOWAIT};
        const quint64 cpuValues[] = {1917330000000, 444420000000, 7421950000000, 17490000000};
        for (int i = 0; i < 4; ++i) {
            std::strcpy(cpu[i].field, cpuNames[i]);
            cpu[i].value = cpuValues[i];
        }
        virNodeMemoryStats memory[4] = {};
        const char *memoryNames[] = {VIR_NODE_MEMORY_STATS_TOTAL, VIR_NODE_MEMORY_STATS_FREE,
                                     VIR_NODE_MEMORY_STATS_BUFFERS, VIR_NODE_MEMORY_STATS_CACHED};
        const quint64 memoryValues[] = {24684092, 22087396, 5300, 255096};
        for (int i = 0; i < 4; ++i) {
            std::strcpy(memory[i].field, memoryNames[i]);
            memory[i].value = memoryValues[i];
        }
        RawHostStats host;
        StatsParser::parseNodeCpu(cpu, 4, &host);
        StatsParser::parseNodeMemory(memory, 4, &host);
        QCOMPARE(host.cpuTotalNs.value_or(0), quint64(1917330000000 + 444420000000 + 7421950000000 + 17490000000));
        QCOMPARE(host.cpuBusyNs.value_or(0), quint64(1917330000000 + 444420000000));
        QCOMPARE(host.memoryTotalKiB.value_or(0), quint64(24684092));
        QCOMPARE(host.memoryFreeKiB.value_or(0), quint64(22087396 + 5300 + 255096));

        // Only "utilization" (some drivers): no busy/total split, so no figure rather than a wrong one.
        virNodeCPUStats utilization[1] = {};
        std::strcpy(utilization[0].field, VIR_NODE_CPU_STATS_UTILIZATION);
        utilization[0].value = 42;
        RawHostStats other;
        StatsParser::parseNodeCpu(utilization, 1, &other);
        QVERIFY(!other.cpuBusyNs);
        QVERIFY(!other.cpuTotalNs);
    }
};

QTEST_GUILESS_MAIN(TestStatsParser)
#include "tst_statsparser.moc"
