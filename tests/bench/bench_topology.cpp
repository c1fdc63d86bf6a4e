// bench_topology: the topology scene with 1,000 and 10,000 VMs (10 or 100 hosts of 100 VMs, one NIC
// each, over 20 VLANs). Prints scene build time, frame time at each zoom level (fitted, far, mid,
// near, the same scales for both fleets), the cost of one VM update, of a change of detail level,
// and the time from drop to the migrate request, then the frame ratios 10,000 / 1,000 per zoom.
// A frame is the view's own paint event (QGraphicsView::paintEvent, what the screen shows) into a
// QImage, timed in CPU time of the GUI thread (a busy machine's other work is not counted; the
// wall time is printed beside it). --render times QGraphicsView::render() instead, which the
// application never uses on screen (it walks every item under the view, not the scene's index).
// Figures, not pass/fail: compare runs made on the same machine. --profile also prints what each
// kind of item costs at each zoom (frames rendered with that kind hidden: the difference is its
// cost).
#include "hostitem.h"
#include "inventory/inventory.h"
#include "placement/preflight.h"
#include "topologyscene.h"
#include "topologyview.h"
#include "vmchipitem.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace Vigie;

namespace {

constexpr int VlanCount = 20;
constexpr quint64 GiB = 1024 * 1024;

HostSnapshot makeHost(int h, int vmsPerHost)
{
    HostSnapshot snapshot;
    const QString uri = QStringLiteral("test:///bench/hv%1.xml").arg(h, 3, 10, QLatin1Char('0'));
    snapshot.host.uri = uri;
    snapshot.host.displayName = QStringLiteral("hv%1").arg(h, 3, 10, QLatin1Char('0'));
    snapshot.host.hypervisorType = QStringLiteral("QEMU");
    snapshot.host.cpus = 256;
    snapshot.host.memoryKiB = 1024 * GiB;
    snapshot.host.state = ConnectionState::Connected;
    NetworkInfo net;
    net.hostUri = uri;
    net.uuid = uri + QStringLiteral("/net");
    net.name = QStringLiteral("fabric");
    net.active = true;
    for (int v = 0; v < VlanCount; ++v)
        net.portgroups.append({QStringLiteral("vlan%1").arg(100 + v), {100 + v}, false});
    snapshot.networks = {net};
    for (int i = 0; i < vmsPerHost; ++i) {
        VmInfo vm;
        vm.hostUri = uri;
        vm.uuid = QStringLiteral("%1-%2").arg(h).arg(i);
        vm.name = QStringLiteral("vm-%1-%2").arg(h, 3, 10, QLatin1Char('0')).arg(i, 3, 10, QLatin1Char('0'));
        vm.tenant = QStringLiteral("tenant-%1").arg(i % 7);
        vm.state = i % 10 == 9 ? VmState::Shutoff : VmState::Running;
        vm.vcpus = 2;
        vm.memoryKiB = 4 * GiB;
        NicInfo nic;
        nic.mac = QStringLiteral("52:54:00:%1:%2:%3").arg(h % 256, 2, 16, QLatin1Char('0')).arg(i / 256, 2, 16, QLatin1Char('0')).arg(i % 256, 2, 16, QLatin1Char('0'));
        nic.sourceType = QStringLiteral("network");
        nic.source = net.name;
        nic.portgroup = QStringLiteral("vlan%1").arg(100 + (h + i) % VlanCount);
        vm.nics = {nic};
        snapshot.vms.append(vm);
    }
    return snapshot;
}

double ms(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

double threadCpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

bool g_render = false;
double g_lastWall = 0; // the wall time of the last frameTime(), for the figures

// The median frame's CPU time (the median wall time in g_lastWall).
double frameTime(TopologyView &view, int frames)
{
    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    QList<double> times;
    QList<double> walls;
    for (int i = 0; i < frames; ++i) {
        image.fill(Qt::white);
        QElapsedTimer timer;
        timer.start();
        const double cpu = threadCpuMs();
        if (g_render) {
            QPainter painter(&image);
            view.render(&painter);
            painter.end();
        } else {
            view.viewport()->render(&image); // the view's paintEvent, as on screen
        }
        times.append(threadCpuMs() - cpu);
        walls.append(ms(timer));
    }
    g_lastWall = median(walls);
    return median(times);
}

struct Frames
{
    QList<QPair<QString, double>> perZoom;
};

bool g_profile = false;

// The frame at ZOOM centred on CENTRE; with --profile, what chips, hosts, lanes and the links of
// a selected chip cost there (frames with those items hidden).
double frameAt(TopologyView &view, TopologyScene &scene, qreal zoom, const QPointF &centre, const char *label)
{
    view.zoomTo(zoom, centre); // the operator's zoom: no fit follows
    QApplication::processEvents();
    const double frame = frameTime(view, 10);
    std::printf("%-34s %8.2f ms per frame (wall %.2f; zoom %.3f, %s)\n", label, frame, g_lastWall, view.zoom(),
                scene.detailLevel() == TopologyStyle::DetailLevel::Far   ? "far: hosts as aggregates"
                : scene.detailLevel() == TopologyStyle::DetailLevel::Mid ? "mid: chips without text"
                                                                         : "near: chips with text");
    if (!g_profile)
        return frame;
    const auto without = [&](int type) {
        QList<QGraphicsItem *> hidden;
        for (QGraphicsItem *item : scene.items()) {
            if (item->type() == type && item->isVisible()) {
                item->setVisible(false);
                hidden.append(item);
            }
        }
        QApplication::processEvents();
        const double cost = frame - frameTime(view, 10);
        for (QGraphicsItem *item : std::as_const(hidden))
            item->setVisible(true);
        return cost;
    };
    std::printf("    profile: chips %.2f, lanes %.2f, links %.2f ms; hosts and the rest %.2f ms\n",
                without(TopologyStyle::VmChipType), without(TopologyStyle::VlanLaneType), without(TopologyStyle::NicLinkType),
                [&] {
                    // Everything hidden: the view's own cost (background, index walk).
                    QList<QGraphicsItem *> hidden;
                    for (QGraphicsItem *item : scene.items()) {
                        if (!item->parentItem() && item->isVisible()) {
                            item->setVisible(false);
                            hidden.append(item);
                        }
                    }
                    QApplication::processEvents();
                    const double empty = frameTime(view, 10);
                    for (QGraphicsItem *item : std::as_const(hidden))
                        item->setVisible(true);
                    std::printf("    profile: an empty scene's frame %.2f ms\n", empty);
                    return frame - empty;
                }());
    return frame;
}

Frames run(int hosts, int vmsPerHost)
{
    Frames frames;
    const int vms = hosts * vmsPerHost;
    std::printf("\n== %d hosts x %d VMs = %d VMs, %d VLANs ==\n", hosts, vmsPerHost, vms, VlanCount);
    QList<HostSnapshot> snapshots;
    for (int h = 0; h < hosts; ++h)
        snapshots.append(makeHost(h, vmsPerHost));

    // 1. The scene built from a loaded inventory (the window opening on a connected fleet).
    Inventory loaded;
    for (const HostSnapshot &snapshot : std::as_const(snapshots))
        loaded.applySnapshot(snapshot);
    QElapsedTimer timer;
    timer.start();
    auto scene = std::make_unique<TopologyScene>(&loaded);
    const double buildLoaded = ms(timer);
    std::printf("scene items: %lld (hosts %d, VM chips %d, lanes %d; NIC links only for the selection)\n",
                qlonglong(scene->items().size()), scene->hostItemCount(), scene->vmItemCount(), scene->laneItemCount());
    std::printf("build from a loaded inventory:        %8.1f ms\n", buildLoaded);
    scene.reset();

    // 2. The scene following snapshots as hosts connect (the incremental path), one flush.
    Inventory inventory;
    Preflight preflight(&inventory);
    TopologyScene live(&inventory);
    live.setPreflight(&preflight);
    timer.restart();
    for (const HostSnapshot &snapshot : std::as_const(snapshots))
        inventory.applySnapshot(snapshot);
    const double applied = ms(timer);
    live.flush();
    std::printf("snapshots applied with the scene live: %8.1f ms (inventory + signals), flush %.1f ms\n", applied,
                ms(timer) - applied);

    // 3. One VM changes state: the chip and its host are updated, no relayout.
    QList<double> updates;
    for (int i = 0; i < 20; ++i) {
        VmInfo vm = inventory.vm({snapshots.at(i % hosts).host.uri, snapshots.at(i % hosts).vms.at(0).uuid});
        vm.state = vm.state == VmState::Running ? VmState::Paused : VmState::Running;
        timer.restart();
        inventory.updateVm(vm);
        live.flush();
        updates.append(ms(timer));
    }
    std::printf("one VM update (signal to chip redrawn): %8.3f ms median\n", median(updates));

    TopologyView view(&live);
    view.resize(1600, 900);
    view.show();
    QApplication::processEvents();
    view.fitToView();
    QApplication::processEvents();
    const qreal fit = view.zoom();
    const QPointF whole = live.contentRect().center();
    // A VM selected, as an operator would have one: its links are drawn.
    const VmKey selected{snapshots.at(hosts / 2).host.uri, snapshots.at(hosts / 2).vms.at(0).uuid};
    live.selectVms({selected});
    const QPointF middle = live.hostItem(selected.hostUri)->sceneBoundingRect().center();
    frames.perZoom.append({QStringLiteral("fitted"), frameAt(view, live, fit, whole, "fitted (whole fleet):")});
    frames.perZoom.append({QStringLiteral("far 0.08"), frameAt(view, live, 0.08, middle, "far (zoom 0.08):")});
    frames.perZoom.append({QStringLiteral("mid 0.3"), frameAt(view, live, 0.3, middle, "mid (zoom 0.3):")});
    frames.perZoom.append({QStringLiteral("near 1.0"), frameAt(view, live, 1.0, middle, "near (zoom 1.0, 100 %):")});
    // Coloured by tenant (7 tenants), every VM outlined as isolated: the costliest painting.
    {
        QElapsedTimer recolour;
        recolour.start();
        live.setIsolationLookup([](const VmKey &, const QString &) { return std::pair<QString, QString>{QStringLiteral("tenant-1"), QStringLiteral("vigie_iso_tenant_1")}; });
        live.setColouring(TopologyStyle::ChipColouring::Tenant);
        std::printf("colouring by tenant (every chip again):  %8.1f ms\n", ms(recolour));
        frameAt(view, live, 0.3, middle, "by tenant, mid (zoom 0.3):");
        frameAt(view, live, 1.0, middle, "by tenant, near (zoom 1.0):");
        live.setIsolationLookup({});
        live.setColouring(TopologyStyle::ChipColouring::State);
    }

    // Crossing the far level hides or shows every chip, once.
    timer.restart();
    view.setZoom(0.08);
    const double toFar = ms(timer);
    timer.restart();
    view.setZoom(0.3);
    const double fromFar = ms(timer);
    std::printf("detail level far -> mid / mid -> far: %8.2f / %.2f ms\n", fromFar, toFar);

    // 4. Drag a VM from one host onto another: drag start (pre-flight for every host), a move,
    // and the release up to the migrate request.
    view.setZoom(0.5);
    VmChipItem *chip = live.vmItem({snapshots.at(0).host.uri, snapshots.at(0).vms.at(0).uuid});
    HostItem *target = live.hostItem(snapshots.at(1).host.uri);
    view.centerOn(chip);
    QApplication::processEvents();
    const QPoint from = view.mapFromScene(chip->sceneBoundingRect().center());
    const QPoint to = view.mapFromScene(target->sceneBoundingRect().bottomRight() - QPointF(20, 6));
    double requestedAt = -1;
    QElapsedTimer dropTimer;
    QObject::connect(&live, &TopologyScene::migrationRequested, &live, [&] { requestedAt = ms(dropTimer); });
    QTest::mousePress(view.viewport(), Qt::LeftButton, {}, from);
    timer.restart();
    QTest::mouseMove(view.viewport(), from + QPoint(20, 20));
    const double dragStart = ms(timer);
    timer.restart();
    QTest::mouseMove(view.viewport(), to);
    const double dragMove = ms(timer);
    dropTimer.start();
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, to);
    std::printf("drag start (pre-flight of %d hosts):    %8.2f ms\n", hosts, dragStart);
    std::printf("drag move onto a host:                  %8.2f ms\n", dragMove);
    std::printf("drop to migrate request:                %8.3f ms%s\n", requestedAt,
                requestedAt < 0 ? " (no request: the drop missed)" : "");
    return frames;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never the user's own settings
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    g_profile = QCoreApplication::arguments().contains(QStringLiteral("--profile"));
    g_render = QCoreApplication::arguments().contains(QStringLiteral("--render"));
    std::printf("frames: %s, CPU time of the GUI thread\n", g_render ? "QGraphicsView::render()" : "the view's paint event");
    const Frames small = run(10, 100);
    const Frames large = run(100, 100);
    std::printf("\n== frame at 10,000 VMs / frame at 1,000 VMs, CPU time (target <= 2) ==\n");
    for (qsizetype i = 0; i < small.perZoom.size(); ++i) {
        const double a = small.perZoom.at(i).second;
        const double b = large.perZoom.at(i).second;
        std::printf("%-10s %6.2f ms / %6.2f ms = %5.2fx\n", qPrintable(small.perZoom.at(i).first), b, a, a > 0 ? b / a : 0.0);
    }
    return 0;
}
