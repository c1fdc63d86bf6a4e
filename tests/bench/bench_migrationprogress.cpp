// Progress of a real migration as the console sees it: the interval between the controller's
// jobProgressed signals (libvirt's job statistics polled by MigrationJob, then queued to the GUI
// thread) during a bandwidth-limited live migration in the lab, there and back. The issue asks for
// an update at least every 250 ms. Prints figures; not a pass/fail test.
// Usage: VIGIE_LAB_DIR=... bench_migrationprogress [GUEST [MiB/s]]   (default tiny-1 at 8 MiB/s)
#include "hypervisor/libvirteventloop.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "labenvironment.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Vigie;
using namespace Vigie::LabTest;

namespace {

// Runs the event loop until PREDICATE holds or TIMEOUT_MS pass.
template<typename Predicate>
bool waitFor(Predicate predicate, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!predicate()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return true;
}

VmKey vmNamed(const Inventory &inventory, const QString &name)
{
    for (const VmKey &key : inventory.vmKeys()) {
        if (inventory.vm(key).name == name)
            return key;
    }
    return {};
}

double percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype index = std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size() - 1) + 0.5));
    return double(values.at(index));
}

} // namespace

int main(int argc, char **argv)
{
    LibvirtEventLoop::useLibvirtCompatibleEventDispatcher();
    QCoreApplication app(argc, argv);
    const QString guest = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("tiny-1");
    const int bandwidth = argc > 2 ? QByteArray(argv[2]).toInt() : 8;
    const LabEnvironment lab;
    if (!lab.isValid() || lab.hosts().size() < 2) {
        std::fprintf(stderr, "no lab: %s\n", qPrintable(lab.error()));
        return 1;
    }
    Inventory inventory;
    SessionManager sessions(&inventory);
    MigrationController migrations(&sessions, &inventory);
    for (const LabHost &host : lab.hosts())
        sessions.addConnection(host.uri);
    if (!waitFor([&] { return sessions.isSettled() && !vmNamed(inventory, guest).uuid.isEmpty(); }, 60000)) {
        std::fprintf(stderr, "%s not found in the lab\n", qPrintable(guest));
        return 1;
    }

    QElapsedTimer clock;
    clock.start();
    QString jobId;
    QList<qint64> stamps;
    MigrationProgress done;
    QObject::connect(&migrations, &MigrationController::jobProgressed, &app, [&](const MigrationProgress &p) {
        if (p.jobId == jobId)
            stamps.append(clock.elapsed());
    });
    QObject::connect(&migrations, &MigrationController::jobFinished, &app, [&](const MigrationProgress &p) {
        if (p.jobId == jobId)
            done = p;
    });

    QList<qint64> intervals;
    int reports = 0;
    std::printf("progress of a live migration of %s limited to %d MiB/s (jobProgressed on the GUI thread):\n",
                qPrintable(guest), bandwidth);
    for (int leg = 0; leg < 2; ++leg) {
        const VmKey vm = vmNamed(inventory, guest);
        QString dest;
        for (const LabHost &host : lab.hosts()) {
            if (host.uri != vm.hostUri) {
                dest = host.uri;
                break;
            }
        }
        MigrationOptions options;
        options.bandwidthMiBs = bandwidth;
        options.autoConverge = false;
        QString error;
        stamps.clear();
        done = {};
        const qint64 started = clock.elapsed();
        jobId = migrations.start(vm, dest, options, &error);
        if (jobId.isEmpty()) {
            std::fprintf(stderr, "refused: %s\n", qPrintable(error));
            return 1;
        }
        if (!waitFor([&] { return !done.jobId.isEmpty(); }, 300000) || done.phase != MigrationPhase::Completed) {
            std::fprintf(stderr, "migration did not complete: %s\n", qPrintable(done.message));
            return 1;
        }
        QList<qint64> legIntervals;
        for (qsizetype i = 1; i < stamps.size(); ++i)
            legIntervals.append(stamps.at(i) - stamps.at(i - 1));
        std::printf("  leg %d: %.1f s, %llu bytes, %lld reports, first after %lld ms, intervals median %.0f ms, "
                    "p95 %.0f ms, max %.0f ms\n",
                    leg + 1, double(done.elapsedMs) / 1000.0, done.dataProcessed, qlonglong(stamps.size()),
                    stamps.isEmpty() ? -1LL : stamps.first() - started, percentile(legIntervals, 0.5),
                    percentile(legIntervals, 0.95), percentile(legIntervals, 1.0));
        intervals.append(legIntervals);
        reports += int(stamps.size());
        // Let the inventory catch up with where the guest now is before the way back.
        const QString destUri = dest;
        waitFor([&] { return vmNamed(inventory, guest).hostUri == destUri; }, 10000);
    }
    const qsizetype over = std::count_if(intervals.cbegin(), intervals.cend(), [](qint64 ms) { return ms > 250; });
    std::printf("  both legs: %d reports, %lld intervals: median %.0f ms, p95 %.0f ms, max %.0f ms; %lld over 250 ms\n",
                reports, qlonglong(intervals.size()), percentile(intervals, 0.5), percentile(intervals, 0.95),
                percentile(intervals, 1.0), qlonglong(over));
    return 0;
}
