// The dashboard's rankings: the top VMs across hosts by one series or a sum, rows rewritten in
// place on each tick, under the model tester; and the unit scaling every figure goes through.
#include "inventory/inventory.h"
#include "itemmodels/roles.h"
#include "itemmodels/topvmsmodel.h"
#include "metrics/metricformat.h"
#include "metrics/metricsstore.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

const QString HostA = u"test:///a.xml"_s;
const QString HostB = u"test:///b.xml"_s;
constexpr auto Tester = QAbstractItemModelTester::FailureReportingMode::QtTest;

HostSnapshot snapshot(const QString &uri, const QStringList &names)
{
    HostSnapshot s;
    s.host.uri = uri;
    s.host.displayName = uri.section(u'/', -1).section(u'.', 0, 0);
    s.host.state = ConnectionState::Connected;
    for (const QString &name : names) {
        VmInfo vm;
        vm.hostUri = uri;
        vm.uuid = u"uuid-"_s + name;
        vm.name = name;
        vm.state = VmState::Running;
        s.vms.append(vm);
    }
    return s;
}

// values: uuid -> (cpu, disk read, disk write)
MetricsTick tick(const QString &uri, qint64 timeMs, const QHash<QString, std::array<double, 3>> &values)
{
    MetricsTick t;
    t.hostUri = uri;
    t.timeMs = timeMs;
    t.host.timeMs = timeMs;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        VmSampleUpdate vm;
        vm.uuid = it.key();
        vm.sample.timeMs = timeMs;
        vm.sample.set(VmMetric::CpuPercent, it->at(0));
        vm.sample.set(VmMetric::DiskReadBytesPerSec, std::isnan(it->at(1)) ? std::nullopt : std::optional(it->at(1)));
        vm.sample.set(VmMetric::DiskWriteBytesPerSec, it->at(2));
        t.vms.append(vm);
    }
    return t;
}

QStringList names(const TopVmsModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, TopVmsModel::NameColumn).data().toString());
    return result;
}

} // namespace

class TestTopVmsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_inventory.applySnapshot(snapshot(HostA, {u"web-1"_s, u"web-2"_s, u"db-1"_s}));
        m_inventory.applySnapshot(snapshot(HostB, {u"app-1"_s, u"app-2"_s}));
    }

    void ranksAcrossHosts()
    {
        MetricsStore store;
        TopVmsModel model(&m_inventory, &store, {VmMetric::CpuPercent}, 3);
        QAbstractItemModelTester tester(&model, Tester);
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        store.appendTick(tick(HostA, 1000, {{u"uuid-web-1"_s, {10, 0, 0}}, {u"uuid-web-2"_s, {50, 0, 0}}, {u"uuid-db-1"_s, {5, 0, 0}}}));
        store.appendTick(tick(HostB, 1000, {{u"uuid-app-1"_s, {30, 0, 0}}, {u"uuid-app-2"_s, {90, 0, 0}}}));
        model.refresh();
        QCOMPARE(names(model), (QStringList{u"app-2"_s, u"web-2"_s, u"app-1"_s}));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.index(0, TopVmsModel::HostColumn).data().toString(), u"b"_s);
        QCOMPARE(model.index(0, TopVmsModel::ValueColumn).data(SortRole).toDouble(), 90.0);
        QCOMPARE(model.index(0, TopVmsModel::ValueColumn).data().toString(), u"90%"_s);
        QCOMPARE(model.keyAt(1), (VmKey{HostA, u"uuid-web-2"_s}));
        QCOMPARE(model.index(1, 0).data(HostUriRole).toString(), HostA);

        // The next tick reorders: the rows are rewritten in place, nothing inserted or removed.
        store.appendTick(tick(HostA, 2000, {{u"uuid-web-1"_s, {95, 0, 0}}, {u"uuid-web-2"_s, {50, 0, 0}}, {u"uuid-db-1"_s, {5, 0, 0}}}));
        changed.clear();
        model.refresh();
        QCOMPARE(names(model), (QStringList{u"web-1"_s, u"app-2"_s, u"web-2"_s}));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 2);

        // An unchanged ranking signals nothing.
        changed.clear();
        model.refresh();
        QCOMPARE(changed.size(), 0);

        // A VM leaving the inventory leaves the ranking at once.
        Inventory inventory;
        inventory.applySnapshot(snapshot(HostA, {u"web-1"_s, u"web-2"_s, u"db-1"_s}));
        TopVmsModel local(&inventory, &store, {VmMetric::CpuPercent}, 3);
        QAbstractItemModelTester localTester(&local, Tester);
        QCOMPARE(names(local), (QStringList{u"web-1"_s, u"web-2"_s, u"db-1"_s})); // HostB is not listed there
        inventory.removeVm({HostA, u"uuid-web-2"_s});
        QCOMPARE(names(local), (QStringList{u"web-1"_s, u"db-1"_s}));
    }

    void ranksBySum()
    {
        MetricsStore store;
        TopVmsModel model(&m_inventory, &store, {VmMetric::DiskReadBytesPerSec, VmMetric::DiskWriteBytesPerSec}, 10);
        QAbstractItemModelTester tester(&model, Tester);
        store.appendTick(tick(HostA, 1000, {{u"uuid-web-1"_s, {0, 3 * 1048576.0, 0}},
                                            {u"uuid-web-2"_s, {0, 1048576.0, 1048576.0}},
                                            {u"uuid-db-1"_s, {0, NAN, 4 * 1048576.0}}}));
        QSignalSpy appended(&store, &MetricsStore::samplesAppended);
        QVERIFY(appended.wait(1000)); // the model follows the store's coalesced signal by itself
        QCOMPARE(names(model), (QStringList{u"db-1"_s, u"web-1"_s, u"web-2"_s}));
        QCOMPARE(model.index(0, TopVmsModel::ValueColumn).data().toString(), u"4.00\u202FMiB/s"_s);
        QCOMPARE(model.headerData(TopVmsModel::ValueColumn, Qt::Horizontal).toString(), u"Disk read + Disk write"_s);
        // A short title keeps the full names as its tooltip.
        model.setValueTitle(u"R + W"_s);
        QCOMPARE(model.headerData(TopVmsModel::ValueColumn, Qt::Horizontal).toString(), u"R + W"_s);
        QCOMPARE(model.headerData(TopVmsModel::ValueColumn, Qt::Horizontal, Qt::ToolTipRole).toString(),
                 u"Disk read + Disk write"_s);
        QVERIFY(model.index(0, 0).data(Qt::ToolTipRole).toString().contains(u"Disk write: 4.00\u202FMiB/s"_s));
    }

    // A fleet's hosts tick all through the second: the ranking follows the first tick at once,
    // then at most once a second (RankEveryMs), not at each host's tick.
    void ranksAtMostEverySecond()
    {
        MetricsStore store;
        TopVmsModel model(&m_inventory, &store, {VmMetric::CpuPercent}, 2);
        QSignalSpy appended(&store, &MetricsStore::samplesAppended);
        store.appendTick(tick(HostA, 1000, {{u"uuid-web-1"_s, {10, 0, 0}}, {u"uuid-web-2"_s, {50, 0, 0}}}));
        QVERIFY(appended.wait(1000));
        QCOMPARE(names(model), (QStringList{u"web-2"_s, u"web-1"_s}));
        QElapsedTimer clock;
        clock.start();
        store.appendTick(tick(HostA, 2000, {{u"uuid-web-1"_s, {95, 0, 0}}, {u"uuid-web-2"_s, {50, 0, 0}}}));
        QVERIFY(appended.wait(1000));
        // Held back, unless this machine took a whole second to get here (then ranked at once).
        if (clock.elapsed() < TopVmsModel::RankEveryMs)
            QCOMPARE(names(model), (QStringList{u"web-2"_s, u"web-1"_s}));
        QTRY_COMPARE_WITH_TIMEOUT(names(model), (QStringList{u"web-1"_s, u"web-2"_s}), 2 * TopVmsModel::RankEveryMs);
    }

    void format_data()
    {
        QTest::addColumn<int>("unit");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("percent") << int(MetricUnit::Percent) << 42.04 << u"42%"_s;
        QTest::newRow("small percent") << int(MetricUnit::Percent) << 0.5 << u"0.5%"_s;
        QTest::newRow("KiB") << int(MetricUnit::KiB) << 512.0 << u"512\u202FKiB"_s;
        QTest::newRow("GiB") << int(MetricUnit::KiB) << 1.5 * 1024 * 1024 << u"1.50\u202FGiB"_s;
        QTest::newRow("zero rate") << int(MetricUnit::BytesPerSecond) << 0.0 << u"0\u202FB/s"_s;
        QTest::newRow("KiB/s") << int(MetricUnit::BytesPerSecond) << 12.5 * 1024 << u"12.5\u202FKiB/s"_s;
        QTest::newRow("GiB/s") << int(MetricUnit::BytesPerSecond) << 3.0 * 1024 * 1024 * 1024 << u"3.00\u202FGiB/s"_s;
        QTest::newRow("beyond the largest unit") << int(MetricUnit::BytesPerSecond) << 2048.0 * 1024 * 1024 * 1024 * 1024
                                                 << u"2048\u202FTiB/s"_s;
        QTest::newRow("packets") << int(MetricUnit::PerSecond) << 1500.0 << u"1.50\u202Fk/s"_s;
        QTest::newRow("no value") << int(MetricUnit::PerSecond) << double(NAN) << u"–"_s;
    }

    void format()
    {
        QFETCH(int, unit);
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(formatMetricValue(MetricUnit(unit), value), text);
    }

    void scaleFollowsTheLargestValue()
    {
        const UnitScale scale = unitScale(MetricUnit::BytesPerSecond, 5.0 * 1024 * 1024);
        QCOMPARE(scale.divisor, 1024.0 * 1024);
        QCOMPARE(scale.suffix, u"MiB/s"_s);
        QCOMPARE(unitScale(MetricUnit::KiB, NAN).divisor, 1.0);
    }

private:
    Inventory m_inventory;
};

QTEST_GUILESS_MAIN(TestTopVmsModel)
#include "tst_topvmsmodel.moc"
