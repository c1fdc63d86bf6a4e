// The topology scene and view, offscreen: built from an inventory, updated item by item, dragged
// with the mouse (press, move, release on the viewport), VLAN badges and links (selection and
// hover only, crossing no chip), stable slots, three levels of detail, host selection, export.
#include "arrivalghostitem.h"
#include "dragghostitem.h"
#include "hostitem.h"
#include "hypervisor/migrationcontroller.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "inventory/tenantscope.h"
#include "itemmodels/vmfilterproxymodel.h"
#include "itemmodels/vmtablemodel.h"
#include "itemmodels/roles.h"
#include "niclinkitem.h"
#include "placement/hostrating.h"
#include "placement/preflight.h"
#include "ratingbadgeitem.h"
#include "topologylegend.h"
#include "topologyscene.h"
#include "topologyview.h"
#include "vlanlaneitem.h"
#include "vmchipitem.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QMimeData>
#include <QPainter>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleOptionGraphicsItem>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QHelpEvent>
#include <QTest>
#include <QToolTip>

#include <memory>

using namespace Vigie;

namespace {

const QString Hv1 = QStringLiteral("test:///hv1.xml");
const QString Hv2 = QStringLiteral("test:///hv2.xml");
const QString Hv3 = QStringLiteral("test:///hv3.xml");
const QString Hv4 = QStringLiteral("test:///hv4.xml");
constexpr quint64 GiB = 1024 * 1024;

NetworkInfo network(const QString &uri, const QList<QPair<QString, int>> &groups)
{
    NetworkInfo net;
    net.hostUri = uri;
    net.uuid = uri + QStringLiteral("-net");
    net.name = QStringLiteral("lab-ovs");
    net.virtualPortType = QStringLiteral("openvswitch");
    net.active = true;
    for (const auto &[name, tag] : groups)
        net.portgroups.append({name, {tag}, false});
    return net;
}

VmInfo vm(const QString &uri, const QString &uuid, const QString &name, VmState state, int vcpus, quint64 memoryKiB,
          const QString &portgroup)
{
    VmInfo info;
    info.hostUri = uri;
    info.uuid = uuid;
    info.name = name;
    info.tenant = QStringLiteral("acme");
    info.state = state;
    info.vcpus = vcpus;
    info.memoryKiB = memoryKiB;
    info.maxMemoryKiB = memoryKiB;
    NicInfo nic;
    nic.mac = QStringLiteral("52:54:00:00:00:%1").arg(uuid.right(2));
    nic.sourceType = QStringLiteral("network");
    nic.source = QStringLiteral("lab-ovs");
    nic.portgroup = portgroup;
    info.nics.append(nic);
    return info;
}

HostSnapshot host(const QString &uri, const QString &name, int cpus, quint64 memoryKiB, ConnectionState state)
{
    HostSnapshot snapshot;
    snapshot.host.uri = uri;
    snapshot.host.displayName = name;
    snapshot.host.hypervisorType = QStringLiteral("QEMU");
    snapshot.host.cpus = cpus;
    snapshot.host.memoryKiB = memoryKiB;
    snapshot.host.state = state;
    return snapshot;
}

// hv1 (web-1 in front, db-1 in data), hv2 (app-1; carries every VLAN), hv3 (4 GiB, front only),
// hv4 unreachable.
void fill(Inventory &inventory)
{
    HostSnapshot hv1 = host(Hv1, QStringLiteral("hv1"), 16, 32 * GiB, ConnectionState::Connected);
    hv1.networks = {network(Hv1, {{QStringLiteral("front"), 100}, {QStringLiteral("data"), 200}})};
    hv1.vms = {vm(Hv1, QStringLiteral("uuid-01"), QStringLiteral("web-1"), VmState::Running, 2, 2 * GiB, QStringLiteral("front")),
               vm(Hv1, QStringLiteral("uuid-02"), QStringLiteral("db-1"), VmState::Running, 4, 8 * GiB, QStringLiteral("data"))};
    HostSnapshot hv2 = host(Hv2, QStringLiteral("hv2"), 16, 32 * GiB, ConnectionState::Connected);
    hv2.networks = {network(Hv2, {{QStringLiteral("front"), 100}, {QStringLiteral("data"), 200}, {QStringLiteral("backoffice"), 300}})};
    hv2.vms = {vm(Hv2, QStringLiteral("uuid-03"), QStringLiteral("app-1"), VmState::Paused, 1, 1 * GiB, QStringLiteral("backoffice"))};
    HostSnapshot hv3 = host(Hv3, QStringLiteral("hv3"), 8, 4 * GiB, ConnectionState::Connected);
    hv3.networks = {network(Hv3, {{QStringLiteral("front"), 100}})};
    HostSnapshot hv4 = host(Hv4, QStringLiteral("hv4"), 8, 64 * GiB, ConnectionState::Connected);
    for (const HostSnapshot &snapshot : {hv1, hv2, hv3, hv4})
        inventory.applySnapshot(snapshot);
    inventory.setHostState(Hv4, ConnectionState::Unreachable, QStringLiteral("keepalive timeout"));
}

const VmKey Web1{Hv1, QStringLiteral("uuid-01")};
const VmKey Db1{Hv1, QStringLiteral("uuid-02")};
const VmKey App1{Hv2, QStringLiteral("uuid-03")};

} // namespace

class TestTopologyScene : public QObject
{
    Q_OBJECT

private:
    struct Fixture
    {
        Inventory inventory;
        Preflight preflight{&inventory};
        HostRater rater{&preflight};
        std::unique_ptr<TopologyScene> scene;
        std::unique_ptr<TopologyView> view;

        Fixture()
        {
            fill(inventory);
            scene = std::make_unique<TopologyScene>(&inventory);
            scene->setPreflight(&preflight);
            scene->setHostRater(&rater);
            view = std::make_unique<TopologyView>(scene.get());
            view->resize(1400, 800);
            view->show();
        }
        QPoint at(const QGraphicsItem *item) const
        {
            return view->mapFromScene(item->sceneBoundingRect().center());
        }
        // A point of the host's body away from its chips (its lower right corner).
        QPoint inHost(const QString &uri) const
        {
            const QRectF rect = scene->hostItem(uri)->sceneBoundingRect();
            return view->mapFromScene(rect.bottomRight() - QPointF(20, 8));
        }
        QPoint onLane(int vlanId) const
        {
            const VlanLaneItem *lane = scene->laneItem(vlanId);
            return view->mapFromScene(lane->mapToScene(QPointF(300, 0)));
        }
        void press(const QPoint &from)
        {
            QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
        }
        void moveTo(const QPoint &from, const QPoint &to)
        {
            QTest::mouseMove(view->viewport(), from + QPoint(15, 15));
            QTest::mouseMove(view->viewport(), to);
        }
        void release(const QPoint &to, Qt::KeyboardModifiers modifiers = {})
        {
            QTest::mouseRelease(view->viewport(), Qt::LeftButton, modifiers, to);
        }
    };

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // never the user's own settings
        QCoreApplication::setOrganizationName(QStringLiteral("VigieTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_topologyscene"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
    }

    // The changes of many VMs at once (a controller read again changes the 10,000 of a fleet)
    // are applied a slice at a time, one per event-loop turn, not in one long stall.
    void chipsRefreshedInSlices()
    {
        Fixture f;
        f.scene->setSlice(0, 1); // one chip per turn
        const QList<VmKey> keys{Web1, Db1, App1};
        for (const VmKey &key : keys) {
            VmInfo vm = f.inventory.vm(key);
            vm.displayName = vm.name + QStringLiteral(" (renamed)");
            f.inventory.updateVm(vm);
        }
        const auto refreshed = [&] {
            return std::count_if(keys.cbegin(), keys.cend(), [&](const VmKey &key) {
                return f.scene->vmItem(key)->vm().displayName.endsWith(QStringLiteral("(renamed)"));
            });
        };
        QCOMPARE(refreshed(), 0);
        QCoreApplication::processEvents();
        QCOMPARE(refreshed(), 1);
        QCoreApplication::processEvents();
        QCOMPARE(refreshed(), 2);
        QTRY_COMPARE(refreshed(), 3);
        // flush() applies everything at once.
        for (const VmKey &key : keys) {
            VmInfo vm = f.inventory.vm(key);
            vm.displayName = vm.name;
            f.inventory.updateVm(vm);
        }
        f.scene->flush();
        QCOMPARE(refreshed(), 0);
    }

    void buildsFromInventory()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QCOMPARE(f.scene->hostItemCount(), 4);
        QCOMPARE(f.scene->vmItemCount(), 3);
        QCOMPARE(f.scene->laneItemCount(), 3);
        VmChipItem *web = f.scene->vmItem(Web1);
        QVERIFY(web);
        QCOMPARE(web->parentItem(), f.scene->hostItem(Hv1));
        QVERIFY(f.scene->hostItem(Hv1)->sceneBoundingRect().contains(web->sceneBoundingRect().center()));
        // web-1's NIC is in VLAN 100: a badge says so; its link to the lane is drawn once selected.
        QCOMPARE(web->ports().size(), 1);
        QCOMPARE(web->ports().first().label, QStringLiteral("100"));
        QCOMPARE(web->ports().first().color, f.scene->laneItem(100)->color());
        QVERIFY(!web->portRect(0).isEmpty());
        QVERIFY(web->links().isEmpty());
        f.scene->selectVms({Web1});
        QCOMPARE(web->links().size(), 1);
        QCOMPARE(web->links().first()->vlanId(), 100);
        const QPointF end = web->links().first()->mapToScene(web->links().first()->endPoint());
        QCOMPARE(end.y(), f.scene->laneItem(100)->scenePos().y());
        // Chips do not overlap.
        QVERIFY(!web->sceneBoundingRect().adjusted(2, 2, -2, -2).intersects(
            f.scene->vmItem(Db1)->sceneBoundingRect().adjusted(2, 2, -2, -2)));
        QVERIFY(f.scene->hostItem(Hv1)->isReachable());
        QVERIFY(!f.scene->hostItem(Hv4)->isReachable());
        // Capacity: 6 vCPUs and 10 GiB committed on hv1.
        QVERIFY(f.scene->hostItem(Hv1)->toolTip().contains(QStringLiteral("6 of 16")));
    }

    void updatesIncrementally()
    {
        Fixture f;
        VmChipItem *web = f.scene->vmItem(Web1);
        HostItem *hv1 = f.scene->hostItem(Hv1);
        VmInfo changed = f.inventory.vm(Web1);
        changed.state = VmState::Shutoff;
        f.inventory.updateVm(changed);
        f.scene->flush();
        // The same chip, updated in place.
        QCOMPARE(f.scene->vmItem(Web1), web);
        QCOMPARE(web->vm().state, VmState::Shutoff);
        QCOMPARE(f.scene->hostItem(Hv1), hv1);
        QVERIFY(hv1->toolTip().contains(QStringLiteral("4 of 16")));

        VmInfo added = vm(Hv3, QStringLiteral("uuid-09"), QStringLiteral("new-1"), VmState::Running, 1, GiB, QStringLiteral("front"));
        QCOMPARE(f.scene->laneItem(100)->vlan().vmCount, 1);
        f.inventory.updateVm(added);
        f.scene->flush();
        QCOMPARE(f.scene->vmItemCount(), 4);
        QCOMPARE(f.scene->vmItem(added.key())->parentItem(), f.scene->hostItem(Hv3));
        QCOMPARE(f.scene->vmItem(Web1), web);
        // The lane counts its new VM (it used to wait for a change of networks).
        QCOMPARE(f.scene->laneItem(100)->vlan().vmCount, 2);
        // A NIC moved to another VLAN: both lanes' counts follow.
        QCOMPARE(f.scene->laneItem(200)->vlan().vmCount, 1);
        VmInfo db = f.inventory.vm(Db1);
        db.nics.first().portgroup = QStringLiteral("front");
        f.inventory.updateVm(db);
        f.scene->flush();
        QCOMPARE(f.scene->laneItem(100)->vlan().vmCount, 3);
        QCOMPARE(f.scene->laneItem(200)->vlan().vmCount, 0);

        f.inventory.removeVm(added.key());
        f.scene->flush();
        QCOMPARE(f.scene->vmItemCount(), 3);
        QVERIFY(!f.scene->vmItem(added.key()));
        QCOMPARE(f.scene->laneItem(100)->vlan().vmCount, 2);

        f.inventory.removeHost(Hv4);
        f.scene->flush();
        QCOMPARE(f.scene->hostItemCount(), 3);
    }

    void dropOnAllowedHostRequestsMigration_data()
    {
        QTest::addColumn<Qt::KeyboardModifiers>("modifiers");
        QTest::addColumn<bool>("skipDialog");
        QTest::newRow("dialog") << Qt::KeyboardModifiers() << false;
        QTest::newRow("shift skips the dialog") << Qt::KeyboardModifiers(Qt::ShiftModifier) << true;
    }

    void dropOnAllowedHostRequestsMigration()
    {
        QFETCH(Qt::KeyboardModifiers, modifiers);
        QFETCH(bool, skipDialog);
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QSignalSpy migrations(f.scene.get(), &TopologyScene::migrationRequested);
        QSignalSpy vlanMoves(f.scene.get(), &TopologyScene::vlanMoveRequested);
        const QPoint from = f.at(f.scene->vmItem(Web1));
        const QPoint to = f.inHost(Hv2);
        f.press(from);
        f.moveTo(from, to);
        QVERIFY(f.scene->isDragging());
        QCOMPARE(f.scene->hostItem(Hv2)->dropState(), TopologyStyle::DropState::TargetAllowed);
        QCOMPARE(f.scene->hostItem(Hv3)->dropState(), TopologyStyle::DropState::Allowed);
        // Its own host and the unreachable one cannot take it, and say why.
        QCOMPARE(f.scene->hostItem(Hv1)->dropState(), TopologyStyle::DropState::Refused);
        QCOMPARE(f.scene->hostItem(Hv4)->dropState(), TopologyStyle::DropState::Refused);
        QVERIFY(f.scene->hostItem(Hv4)->toolTip().contains(QStringLiteral("not connected")));
        f.release(to, modifiers);
        QVERIFY(!f.scene->isDragging());
        QCOMPARE(migrations.size(), 1);
        QCOMPARE(migrations.first().at(0).value<QList<VmKey>>(), QList<VmKey>{Web1});
        QCOMPARE(migrations.first().at(1).toString(), Hv2);
        QCOMPARE(migrations.first().at(2).toBool(), skipDialog);
        QCOMPARE(vlanMoves.size(), 0);
        // Drop states are cleared.
        QCOMPARE(f.scene->hostItem(Hv1)->dropState(), TopologyStyle::DropState::None);
        QCOMPARE(f.scene->hostItem(Hv1)->opacity(), 1.0);
    }

    // A chip's tooltip is written when the pointer rests on it (not at each refresh); a host's
    // body shows the host's own.
    void toolTipsWhereThePointerRests()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        const VmChipItem *chip = f.scene->vmItem(Web1);
        QVERIFY(chip);
        QVERIFY(chip->toolTip().isEmpty()); // nothing written beforehand
        const auto tipAt = [&f](const QPoint &pos) {
            QHelpEvent help(QEvent::ToolTip, pos, f.view->viewport()->mapToGlobal(pos));
            QCoreApplication::sendEvent(f.view->viewport(), &help);
            return QToolTip::isVisible() ? QToolTip::text() : QString();
        };
        const QString onChip = tipAt(f.at(chip));
        QVERIFY2(onChip.contains(chip->vm().name) && onChip == chip->toolTipText(), qPrintable(onChip));
        QToolTip::hideText();
        const QString onHost = tipAt(f.inHost(Hv1));
        QVERIFY2(!onHost.isEmpty() && onHost == f.scene->hostItem(Hv1)->toolTip(), qPrintable(onHost));
        QToolTip::hideText();
    }

    // Dragged towards the view's right and bottom edges, the ghost goes to the left of and above
    // the pointer: it stays whole on screen (it was cut by the edge).
    void ghostStaysInTheView()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        const QPoint from = f.at(f.scene->vmItem(Web1));
        const auto ghostOnScreen = [&f]() -> QRect {
            for (QGraphicsItem *item : f.scene->items()) {
                if (item->type() == DragGhostItem::Type)
                    return item->deviceTransform(f.view->viewportTransform()).mapRect(item->boundingRect()).toAlignedRect();
            }
            return {};
        };
        const QRect viewport = f.view->viewport()->rect();
        f.press(from);
        for (const QPoint &to : {QPoint(viewport.width() - 4, viewport.height() - 4), QPoint(4, viewport.height() - 4),
                                 QPoint(viewport.width() - 4, 4), QPoint(viewport.width() / 2, viewport.height() / 2)}) {
            f.moveTo(from, to);
            QVERIFY(f.scene->isDragging());
            const QRect ghost = ghostOnScreen();
            QVERIFY(!ghost.isEmpty());
            QVERIFY2(viewport.contains(ghost), qPrintable(QStringLiteral("ghost %1,%2 %3x%4 at pointer %5,%6 in %7x%8")
                                                             .arg(ghost.x()).arg(ghost.y()).arg(ghost.width()).arg(ghost.height())
                                                             .arg(to.x()).arg(to.y()).arg(viewport.width()).arg(viewport.height())));
        }
        QTest::keyClick(f.view->viewport(), Qt::Key_Escape);
        f.release(from);
    }

    void forbiddenHostRefusesDrop()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QSignalSpy migrations(f.scene.get(), &TopologyScene::migrationRequested);
        // db-1 needs 8 GiB and VLAN 200: hv3 has 4 GiB and carries only VLAN 100.
        const QPoint from = f.at(f.scene->vmItem(Db1));
        const QPoint to = f.inHost(Hv3);
        f.press(from);
        f.moveTo(from, to);
        QCOMPARE(f.scene->hostItem(Hv3)->dropState(), TopologyStyle::DropState::TargetRefused);
        QVERIFY2(f.scene->hostItem(Hv3)->dropReason().contains(QStringLiteral("memory")),
                 qPrintable(f.scene->hostItem(Hv3)->dropReason()));
        QCOMPARE(f.scene->hostItem(Hv2)->dropState(), TopologyStyle::DropState::Allowed);
        f.release(to);
        QCOMPARE(migrations.size(), 0);
        // Nor does a drop on the unreachable host or back on its own host do anything.
        for (const QString &uri : {Hv4, Hv1}) {
            f.press(from);
            f.moveTo(from, f.inHost(uri));
            f.release(f.inHost(uri));
        }
        QCOMPARE(migrations.size(), 0);
        // Escape cancels a drag.
        f.press(from);
        f.moveTo(from, f.inHost(Hv2));
        QVERIFY(f.scene->isDragging());
        QTest::keyClick(f.view->viewport(), Qt::Key_Escape);
        QVERIFY(!f.scene->isDragging());
        f.release(f.inHost(Hv2));
        QCOMPARE(migrations.size(), 0);
    }

    // Ctrl + drag around chips selects them all (a rubber band), adding to the selection.
    void rubberBandSelects()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        f.scene->selectVms({App1});
        const QRectF hv1 = f.scene->hostItem(Hv1)->sceneBoundingRect();
        // From the background beside the host (its header is the host's own handle).
        const QPoint from = f.view->mapFromScene(hv1.topLeft() - QPointF(6, 6));
        const QPoint to = f.view->mapFromScene(hv1.bottomRight() - QPointF(4, 4));
        QVERIFY(!f.scene->itemAt(f.view->mapToScene(from), f.view->transform()));
        QTest::mousePress(f.view->viewport(), Qt::LeftButton, Qt::ControlModifier, from);
        QTest::mouseMove(f.view->viewport(), from + QPoint(20, 20));
        QTest::mouseMove(f.view->viewport(), to);
        QTest::mouseRelease(f.view->viewport(), Qt::LeftButton, Qt::ControlModifier, to);
        QVERIFY(!f.scene->isDragging());
        QList<VmKey> selected = f.scene->selectedVms();
        std::sort(selected.begin(), selected.end(), [](const VmKey &a, const VmKey &b) { return a.uuid < b.uuid; });
        QCOMPARE(selected, (QList<VmKey>{Web1, Db1, App1}));
        // Without Ctrl the background pans, as before.
        QTest::mousePress(f.view->viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(f.view->viewport(), from + QPoint(30, 30));
        QTest::mouseRelease(f.view->viewport(), Qt::LeftButton, {}, from + QPoint(30, 30));
        QCOMPARE(f.view->dragMode(), QGraphicsView::ScrollHandDrag);
    }

    // Two VMs dragged together: a host that takes one of them is still a target and says which
    // stays; every target shows its score, the best is marked, and a drop beside the hosts offers
    // the best host.
    void severalVmsRatedAndBestHost()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        f.scene->selectVms({Web1, Db1});
        const QPoint from = f.at(f.scene->vmItem(Web1));
        f.press(from);
        f.moveTo(from, f.inHost(Hv3));
        QVERIFY(f.scene->isDragging());
        // hv3 (4 GiB, VLAN 100 only) takes web-1 but not db-1.
        HostItem *hv2 = f.scene->hostItem(Hv2);
        HostItem *hv3 = f.scene->hostItem(Hv3);
        QCOMPARE(hv3->dropState(), TopologyStyle::DropState::TargetAllowed);
        QVERIFY2(hv3->dropReason().contains(QLatin1String("Takes 1 of 2 VMs; db-1:")), qPrintable(hv3->dropReason()));
        QVERIFY(hv3->toolTip().contains(QLatin1String("Takes 1 of 2")));
        QVERIFY(hv2->rating() > hv3->rating());
        QVERIFY(hv3->rating() > 0);
        QVERIFY(hv2->isBestRated() && !hv3->isBestRated());
        QCOMPARE(f.scene->bestHost(), Hv2);
        QVERIFY2(hv2->dropReason().contains(QLatin1String("After the move")), qPrintable(hv2->dropReason()));
        // hv2's score sits half above its top edge: within hv2's bounds (the scene finds a host's
        // children through the host) and found where it is drawn.
        RatingBadgeItem *badge = nullptr;
        for (QGraphicsItem *child : hv2->childItems()) {
            if (auto *rating = dynamic_cast<RatingBadgeItem *>(child))
                badge = rating;
        }
        QVERIFY(badge && badge->isVisible());
        const QRectF badgeRect = badge->sceneBoundingRect();
        QVERIFY(badgeRect.top() < hv2->scenePos().y());
        QVERIFY(hv2->sceneBoundingRect().contains(badgeRect));
        QVERIFY(f.scene->items(QPointF(badgeRect.center().x(), badgeRect.top() + 3)).contains(badge));
        // Refused hosts get no score.
        QCOMPARE(f.scene->hostItem(Hv4)->rating(), -1);
        QCOMPARE(f.scene->hostItem(Hv1)->dropState(), TopologyStyle::DropState::Refused);

        if (const QString dir = qEnvironmentVariable("VIGIE_SHOT_DIR"); !dir.isEmpty())
            QVERIFY(f.view->grab().save(QDir(dir).filePath(QStringLiteral("topology-drag-ratings.png"))));
        // Beside every host and lane: the best host is offered.
        QSignalSpy best(f.scene.get(), &TopologyScene::bestHostMigrationRequested);
        QSignalSpy migrations(f.scene.get(), &TopologyScene::migrationRequested);
        const QPoint beside = f.view->mapFromScene(f.scene->contentRect().topLeft() + QPointF(3, 3));
        QTest::mouseMove(f.view->viewport(), beside);
        f.release(beside);
        QCOMPARE(migrations.size(), 0);
        QCOMPARE(best.size(), 1);
        QList<VmKey> dragged = best.first().at(0).value<QList<VmKey>>();
        QCOMPARE(dragged.size(), 2);
        QVERIFY(dragged.contains(Web1) && dragged.contains(Db1));
        QCOMPARE(best.first().at(1).toString(), Hv2);
        QVERIFY(best.first().at(2).toString().contains(QLatin1String("After the move")));
        // Scores go with the drag.
        QCOMPARE(hv2->rating(), -1);
        QCOMPARE(f.scene->bestHost(), QString());
    }

    void dropOnLaneRequestsVlanMove()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QSignalSpy vlanMoves(f.scene.get(), &TopologyScene::vlanMoveRequested);
        QSignalSpy migrations(f.scene.get(), &TopologyScene::migrationRequested);
        const QPoint from = f.at(f.scene->vmItem(Web1));
        f.press(from);
        f.moveTo(from, f.onLane(200));
        QCOMPARE(f.scene->laneItem(200)->dropState(), TopologyStyle::DropState::TargetAllowed);
        // VLAN 300 is not carried by hv1; web-1 is already in 100.
        QCOMPARE(f.scene->laneItem(300)->dropState(), TopologyStyle::DropState::Refused);
        QCOMPARE(f.scene->laneItem(100)->dropState(), TopologyStyle::DropState::Refused);
        f.release(f.onLane(200));
        QCOMPARE(vlanMoves.size(), 1);
        QCOMPARE(vlanMoves.first().at(0).value<VmKey>(), Web1);
        QCOMPARE(vlanMoves.first().at(1).toInt(), 200);
        QVERIFY(vlanMoves.first().at(2).toString().isEmpty()); // the VM, not one NIC
        QCOMPARE(migrations.size(), 0);

        f.press(from);
        f.moveTo(from, f.onLane(300));
        f.release(f.onLane(300));
        QCOMPARE(vlanMoves.size(), 1);
    }

    // One NIC of a VM with two, dragged by its port: only that NIC moves; hosts refuse it (a
    // NIC does not migrate alone), and so does the VLAN it is already in.
    void dragOneNicByItsPort()
    {
        Fixture f;
        VmInfo twoNics = vm(Hv2, QStringLiteral("uuid-07"), QStringLiteral("router-1"), VmState::Running, 1, GiB, QStringLiteral("front"));
        NicInfo second = twoNics.nics.first();
        second.mac = QStringLiteral("52:54:00:00:01:07");
        second.portgroup = QStringLiteral("data");
        twoNics.nics.append(second);
        f.inventory.updateVm(twoNics);
        f.scene->flush();
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QSignalSpy vlanMoves(f.scene.get(), &TopologyScene::vlanMoveRequested);
        VmChipItem *chip = f.scene->vmItem(twoNics.key());
        QCOMPARE(chip->ports().size(), 2);
        QCOMPARE(chip->ports().at(1).label, QStringLiteral("200"));
        const QPoint port = f.view->mapFromScene(chip->mapToScene(chip->portRect(1).center()));
        QCOMPARE(chip->portMacAt(chip->mapFromScene(f.view->mapToScene(port))), second.mac);
        f.press(port);
        f.moveTo(port, f.onLane(300));
        QVERIFY(f.scene->isDragging());
        QCOMPARE(f.scene->laneItem(300)->dropState(), TopologyStyle::DropState::TargetAllowed);
        QCOMPARE(f.scene->laneItem(100)->dropState(), TopologyStyle::DropState::Allowed); // the other NIC's VLAN
        QCOMPARE(f.scene->laneItem(200)->dropState(), TopologyStyle::DropState::Refused);
        QCOMPARE(f.scene->hostItem(Hv1)->dropState(), TopologyStyle::DropState::Refused);
        f.release(f.onLane(300));
        QCOMPARE(vlanMoves.size(), 1);
        QCOMPARE(vlanMoves.first().at(0).value<VmKey>(), twoNics.key());
        QCOMPARE(vlanMoves.first().at(1).toInt(), 300);
        QCOMPARE(vlanMoves.first().at(2).toString(), second.mac);
    }

    // The controller's overlay networks (no VLAN, Geneve) get lanes of their own after the
    // VLANs; a controller-wired NIC on one links to it; it takes no drop, and says why.
    void overlayNetworksGetLanes()
    {
        Fixture f;
        VmInfo tenant = vm(Hv2, QStringLiteral("uuid-08"), QStringLiteral("k8s-1"), VmState::Running, 1, GiB, QString());
        tenant.nics.first().sourceType = QStringLiteral("bridge");
        tenant.nics.first().source = QStringLiteral("br-int");
        tenant.nics.first().portgroup.clear();
        f.inventory.updateVm(tenant);
        f.inventory.setControllerOverlays({{QStringLiteral("neutron-c2b1a0f9"), QStringLiteral("tenant-net")},
                                           {QStringLiteral("neutron-0a0b0c0d"), QStringLiteral("tenant-net")}});
        ControllerNic port;
        port.network = QStringLiteral("tenant-net");
        port.switchName = QStringLiteral("neutron-0a0b0c0d");
        port.portName = QStringLiteral("c3d4e5f6-a7b8");
        f.inventory.setControllerNics({{tenant.nics.first().mac, port}});
        f.scene->flush();
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));

        QCOMPARE(f.scene->laneItemCount(), 5);
        // Two networks may share a display name: each switch has its lane, in the controller's order.
        const VlanLaneItem *first = f.scene->laneItem(-1);
        const VlanLaneItem *second = f.scene->laneItem(-2);
        QVERIFY(first && second);
        QVERIFY(first->isOverlay());
        QCOMPARE(first->vlan().networks, QStringList{QStringLiteral("neutron-c2b1a0f9")});
        QCOMPARE(second->vlan().networks, QStringList{QStringLiteral("neutron-0a0b0c0d")});
        QCOMPARE(first->vlan().vmCount, 0);
        QCOMPARE(second->vlan().vmCount, 1);
        QVERIFY(second->toolTip().contains(QStringLiteral("Geneve")));
        // Below every VLAN lane.
        QVERIFY(first->scenePos().y() > f.scene->laneItem(300)->scenePos().y());
        QVERIFY(second->scenePos().y() > first->scenePos().y());

        VmChipItem *chip = f.scene->vmItem(tenant.key());
        QCOMPARE(chip->ports().first().label, QStringLiteral("tenant"));
        f.scene->selectVms({tenant.key()});
        QCOMPARE(chip->links().size(), 1);
        QCOMPARE(chip->links().first()->vlanId(), -2);
        const QPointF end = chip->links().first()->mapToScene(chip->links().first()->endPoint());
        QCOMPARE(end.y(), second->scenePos().y());
        QVERIFY(chip->toolTipText().contains(QStringLiteral("overlay tenant-net")));

        // Found by the overlay's name.
        f.scene->setFilterText(QStringLiteral("tenant-net"));
        QVERIFY(chip->matchesFilter());
        QVERIFY(!f.scene->vmItem(Web1)->matchesFilter());
        f.scene->setFilterText({});

        // Dropping a VM on an overlay lane is refused with the reason.
        QSignalSpy vlanMoves(f.scene.get(), &TopologyScene::vlanMoveRequested);
        const QPoint from = f.at(f.scene->vmItem(Web1));
        f.press(from);
        f.moveTo(from, f.onLane(-1));
        QCOMPARE(f.scene->laneItem(-1)->dropState(), TopologyStyle::DropState::TargetRefused);
        QVERIFY(f.scene->laneItem(-1)->dropReason().contains(QStringLiteral("overlay network")));
        QCOMPARE(f.scene->laneItem(200)->dropState(), TopologyStyle::DropState::Allowed);
        f.release(f.onLane(-1));
        QCOMPARE(vlanMoves.size(), 0);

        // The controller gone, its overlays go.
        f.inventory.setControllerOverlays({});
        f.inventory.setControllerNics({});
        f.scene->flush();
        QCOMPARE(f.scene->laneItemCount(), 3);
        QCOMPARE(chip->links().size(), 0);
    }

    // A template from the palette: a real drag and drop (enter, move, drop events on the
    // viewport) onto a host with room; the new VM then waits there until it is dragged (mouse
    // press, move, release) onto a VLAN the host carries.
    void templatePlacement()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QSignalSpy placements(f.scene.get(), &TopologyScene::placementRequested);
        const VmTemplate tmpl{QStringLiteral("Big"), QStringLiteral("Debian 12"), 4, 8192, 40}; // 8 GiB
        QMimeData data;
        data.setData(VmTemplate::mimeType(), std::unique_ptr<QMimeData>(tmpl.toMimeData())->data(VmTemplate::mimeType()));
        QWidget *viewport = f.view->viewport();
        const auto dragTo = [&](QEvent::Type type, const QPoint &pos) {
            if (type == QEvent::Drop) {
                QDropEvent drop(pos, Qt::CopyAction, &data, Qt::LeftButton, {});
                QCoreApplication::sendEvent(viewport, &drop);
                return drop.isAccepted();
            }
            QDragMoveEvent move(pos, Qt::CopyAction, &data, Qt::LeftButton, {}, type);
            QCoreApplication::sendEvent(viewport, &move);
            return move.isAccepted();
        };
        QVERIFY(dragTo(QEvent::DragEnter, f.inHost(Hv3)));
        QVERIFY(f.scene->isDragging());
        // hv3 has 4 GiB, hv4 is unreachable: both refuse, with the reason.
        QVERIFY(!dragTo(QEvent::DragMove, f.inHost(Hv3)));
        QCOMPARE(f.scene->hostItem(Hv3)->dropState(), TopologyStyle::DropState::TargetRefused);
        QVERIFY2(f.scene->hostItem(Hv3)->dropReason().contains(QLatin1String("memory"), Qt::CaseInsensitive),
                 qPrintable(f.scene->hostItem(Hv3)->dropReason()));
        QCOMPARE(f.scene->hostItem(Hv4)->dropState(), TopologyStyle::DropState::Refused);
        // A lane is not a target yet: a host first.
        QVERIFY(!dragTo(QEvent::DragMove, f.onLane(200)));
        QVERIFY(dragTo(QEvent::DragMove, f.inHost(Hv2)));
        QCOMPARE(f.scene->hostItem(Hv2)->dropState(), TopologyStyle::DropState::TargetAllowed);
        QVERIFY(dragTo(QEvent::Drop, f.inHost(Hv2)));
        QVERIFY(!f.scene->isDragging());
        QCOMPARE(f.scene->hostItem(Hv3)->dropState(), TopologyStyle::DropState::None);
        QVERIFY(f.scene->hasPendingPlacement());
        QCOMPARE(f.scene->pendingPlacementHost(), Hv2);
        QVERIFY(f.scene->hostItem(Hv2)->sceneBoundingRect().intersects(f.scene->pendingPlacementItem()->sceneBoundingRect()));
        QCOMPARE(placements.size(), 0);
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES"))
            f.view->grab().save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + QStringLiteral("/placement-waiting.png"));

        // The waiting VM dragged onto another host moves there; onto VLAN 300, which hv1 does
        // not carry, it is refused and keeps waiting.
        QPoint from = f.at(f.scene->pendingPlacementItem());
        f.press(from);
        f.moveTo(from, f.inHost(Hv1));
        QCOMPARE(f.scene->hostItem(Hv1)->dropState(), TopologyStyle::DropState::TargetAllowed);
        f.release(f.inHost(Hv1));
        QCOMPARE(f.scene->pendingPlacementHost(), Hv1);
        from = f.at(f.scene->pendingPlacementItem());
        f.press(from);
        f.moveTo(from, f.onLane(300));
        QCOMPARE(f.scene->laneItem(300)->dropState(), TopologyStyle::DropState::TargetRefused);
        QCOMPARE(f.scene->laneItem(200)->dropState(), TopologyStyle::DropState::Allowed);
        f.release(f.onLane(300));
        QCOMPARE(placements.size(), 0);
        QVERIFY(f.scene->hasPendingPlacement());

        from = f.at(f.scene->pendingPlacementItem());
        f.press(from);
        f.moveTo(from, f.onLane(200));
        f.release(f.onLane(200));
        QCOMPARE(placements.size(), 1);
        QCOMPARE(placements.first().at(0).value<VmTemplate>(), tmpl);
        QCOMPARE(placements.first().at(1).toString(), Hv1);
        QCOMPARE(placements.first().at(2).toInt(), 200);
        QVERIFY(!f.scene->hasPendingPlacement());
    }

    void placementCancelledByEscape()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QSignalSpy placements(f.scene.get(), &TopologyScene::placementRequested);
        f.scene->placeTemplate({QStringLiteral("Tiny"), QString(), 1, 256, 0}, Hv3);
        QVERIFY(f.scene->hasPendingPlacement());
        // The first Escape ends the drag, the second drops the waiting VM.
        const QPoint from = f.at(f.scene->pendingPlacementItem());
        f.press(from);
        f.moveTo(from, f.onLane(100));
        QVERIFY(f.scene->isDragging());
        QTest::keyClick(f.view->viewport(), Qt::Key_Escape);
        QVERIFY(!f.scene->isDragging());
        QVERIFY(f.scene->hasPendingPlacement());
        f.release(f.onLane(100));
        QCOMPARE(placements.size(), 0);
        QTest::keyClick(f.view->viewport(), Qt::Key_Escape);
        QVERIFY(!f.scene->hasPendingPlacement());
        // A host that goes away takes its waiting VM with it.
        f.scene->placeTemplate({QStringLiteral("Tiny"), QString(), 1, 256, 0}, Hv3);
        f.inventory.removeHost(Hv3);
        QVERIFY(!f.scene->hasPendingPlacement());
    }

    // Regression: deleting the scene with chips selected told its listeners, which then read
    // the half-destroyed scene (the window crashed on exit).
    void deletedSilently()
    {
        auto f = std::make_unique<Fixture>();
        f->scene->selectVms({Web1, Db1});
        QCOMPARE(f->scene->selectedVms().size(), 2);
        int heard = 0;
        connect(f->scene.get(), &QGraphicsScene::selectionChanged, this, [&heard] { ++heard; });
        f->view.reset();
        f->scene.reset();
        QCOMPARE(heard, 0);
    }

    void selection()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QSignalSpy changed(f.scene.get(), &QGraphicsScene::selectionChanged);
        f.scene->selectVms({Db1, App1});
        QCOMPARE(f.scene->selectedVms().size(), 2);
        QVERIFY(f.scene->vmItem(Db1)->isSelected());
        QVERIFY(changed.size() >= 1);
        // A click selects that VM only.
        QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, f.at(f.scene->vmItem(Web1)));
        QCOMPARE(f.scene->selectedVms(), QList<VmKey>{Web1});
        // Ctrl+click adds.
        QTest::mouseClick(f.view->viewport(), Qt::LeftButton, Qt::ControlModifier, f.at(f.scene->vmItem(App1)));
        QCOMPARE(f.scene->selectedVms().size(), 2);
        f.scene->selectVms({});
        QVERIFY(f.scene->selectedVms().isEmpty());
    }

    void filterHighlights()
    {
        Fixture f;
        f.scene->setFilterText(QStringLiteral("db"));
        QVERIFY(f.scene->vmItem(Db1)->matchesFilter());
        QVERIFY(!f.scene->vmItem(Web1)->matchesFilter());
        QVERIFY(f.scene->vmItem(Web1)->opacity() < 0.5);
        // By VLAN name too, as the table does.
        f.scene->setFilterText(QStringLiteral("backoffice"));
        QVERIFY(f.scene->vmItem(App1)->matchesFilter());
        QVERIFY(!f.scene->vmItem(Db1)->matchesFilter());
        f.scene->setFilterText({});
        QVERIFY(f.scene->vmItem(Web1)->matchesFilter());
        QCOMPARE(f.scene->vmItem(Web1)->opacity(), 1.0);
    }

    // One matcher behind both: for the same text the table shows exactly the VMs the topology
    // highlights (before, the topology matched VLAN names the table did not).
    void filterAgreesWithTable_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *text : {"", "db", "front", "backoffice", "data", "200", "hv1", "hv2", "acme", "paused",
                                 "running", "tag:blue", "blue", "-tag:blue", "name~^(web|app)", "vlan:front",
                                 "vlan:300", "-vlan:100", "mem>4G", "mem<=1G", "vcpus>=2", "state:running -host:hv2",
                                 "hots:hv1 web", "name~(", "tenant:\"acme\" mem>1G", "zzz"})
            QTest::newRow(text) << QString::fromUtf8(text);
    }

    void filterAgreesWithTable()
    {
        QFETCH(QString, text);
        Fixture f;
        VmInfo web = f.inventory.vm(Web1);
        web.tags = {QStringLiteral("blue")};
        f.inventory.updateVm(web);
        VmTableModel model(&f.inventory);
        VmFilterProxyModel proxy;
        proxy.setInventory(&f.inventory);
        proxy.setSourceModel(&model);

        proxy.setFilterText(text);
        f.scene->setFilterText(text);

        QSet<VmKey> table;
        for (int row = 0; row < proxy.rowCount(); ++row) {
            const QModelIndex index = proxy.index(row, 0);
            table.insert({index.data(HostUriRole).toString(), index.data(UuidRole).toString()});
        }
        QSet<VmKey> topology;
        for (const VmKey &key : {Web1, Db1, App1}) {
            if (f.scene->vmItem(key)->matchesFilter())
                topology.insert(key);
        }
        QCOMPARE(topology, table);
        QCOMPARE(f.scene->filterText(), proxy.filterText());
    }

    // Three levels by the view's scale: near (text), mid (blocks), far (chips hidden, hosts as
    // aggregates with their VLANs as ticks).
    void levelOfDetail()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        VmChipItem *web = f.scene->vmItem(Web1);
        HostItem *hv1 = f.scene->hostItem(Hv1);
        f.view->setZoom(1.5);
        f.view->centerOn(web);
        f.view->viewport()->grab();
        QCOMPARE(f.scene->detailLevel(), TopologyStyle::DetailLevel::Near);
        QCOMPARE(web->lastPaintLevel(), TopologyStyle::DetailLevel::Near);
        QCOMPARE(hv1->lastPaintLevel(), TopologyStyle::DetailLevel::Near);

        f.view->setZoom(0.3);
        f.view->centerOn(hv1);
        f.view->viewport()->grab();
        QCOMPARE(f.scene->detailLevel(), TopologyStyle::DetailLevel::Mid);
        QVERIFY(web->isVisible());
        QCOMPARE(web->lastPaintLevel(), TopologyStyle::DetailLevel::Mid);
        QCOMPARE(hv1->lastPaintLevel(), TopologyStyle::DetailLevel::Mid);

        f.scene->selectVms({Web1});
        f.view->zoomTo(0.1, hv1->sceneBoundingRect().center()); // the operator's: no fit follows
        f.view->viewport()->grab();
        QCOMPARE(f.scene->detailLevel(), TopologyStyle::DetailLevel::Far);
        QCOMPARE(hv1->lastPaintLevel(), TopologyStyle::DetailLevel::Far);
        // Chips are not painted at all; the selection stays.
        QVERIFY(web->flags().testFlag(QGraphicsItem::ItemHasNoContents));
        QCOMPARE(f.scene->selectedVms(), QList<VmKey>{Web1});
        // hv1's aggregate: its VMs' VLANs as ticks, in the lanes' colours.
        QCOMPARE(hv1->vlanTicks().size(), 2);
        QCOMPARE(hv1->vlanTicks().at(0).id, 100);
        QCOMPARE(hv1->vlanTicks().at(0).color, f.scene->laneItem(100)->color());
        QCOMPARE(hv1->vlanTicks().at(1).id, 200);
        // A VM added while zoomed out is hidden as well.
        f.inventory.updateVm(vm(Hv3, QStringLiteral("uuid-09"), QStringLiteral("new-1"), VmState::Running, 1, GiB, QStringLiteral("front")));
        f.scene->flush();
        QVERIFY(f.scene->vmItem({Hv3, QStringLiteral("uuid-09")})->flags().testFlag(QGraphicsItem::ItemHasNoContents));

        // Zoomed in again, everything comes back, the selection and its link too; an export
        // always shows the chips.
        f.view->setZoom(0.6);
        QVERIFY(!web->flags().testFlag(QGraphicsItem::ItemHasNoContents));
        QCOMPARE(f.scene->selectedVms(), QList<VmKey>{Web1});
        QCOMPARE(web->links().size(), 1);
        QVERIFY(!f.scene->vmItem({Hv3, QStringLiteral("uuid-09")})->flags().testFlag(QGraphicsItem::ItemHasNoContents));
        f.view->setZoom(0.1);
        QTemporaryDir dir;
        QVERIFY(f.view->exportSvg(dir.filePath(QStringLiteral("t.svg"))));
        QFile svg(dir.filePath(QStringLiteral("t.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("web-1"));
        QVERIFY(web->flags().testFlag(QGraphicsItem::ItemHasNoContents));
    }

    // A NIC link is drawn for the selected chips and the hovered one only, and runs from the
    // badge down into the gap under the chip's row, to the host's side and down beside the host
    // to the lane: it crosses no other chip.
    void linksForSelectionAndHoverCrossNoChip()
    {
        Fixture f;
        // More chips on hv1, so that web-1's row has neighbours and rows below it.
        for (int i = 0; i < 7; ++i)
            f.inventory.updateVm(vm(Hv1, QStringLiteral("uuid-2%1").arg(i), QStringLiteral("fill-%1").arg(i), VmState::Running, 1, GiB,
                                    i % 2 ? QStringLiteral("front") : QStringLiteral("data")));
        f.scene->flush();
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        for (const VmKey &key : f.inventory.vmKeys())
            QVERIFY(f.scene->vmItem(key)->links().isEmpty());

        VmChipItem *web = f.scene->vmItem(Web1);
        f.scene->selectVms({Web1, Db1});
        for (const VmKey &key : f.inventory.vmKeys()) {
            VmChipItem *chip = f.scene->vmItem(key);
            QCOMPARE(chip->links().size(), key == Web1 || key == Db1 ? 1 : 0);
            for (NicLinkItem *link : chip->links()) {
                const QPolygonF route = link->mapToScene(link->route());
                QCOMPARE(route.last().y(), f.scene->laneItem(link->vlanId())->scenePos().y());
                // The last leg runs beside the host, in the gutter.
                QVERIFY(route.last().x() > chip->parentItem()->sceneBoundingRect().right());
                for (qsizetype i = 1; i < route.size(); ++i) {
                    const QRectF leg = QRectF(route.at(i - 1), route.at(i)).normalized().adjusted(-0.5, -0.5, 0.5, 0.5);
                    for (const VmKey &other : f.inventory.vmKeys()) {
                        if (other == key)
                            continue;
                        const QRectF box(f.scene->vmItem(other)->mapToScene(QPointF(0, 0)),
                                         QSizeF(TopologyStyle::ChipWidth, TopologyStyle::ChipHeight));
                        QVERIFY2(!leg.intersects(box), qPrintable(QStringLiteral("%1's link crosses %2")
                                                                      .arg(chip->vm().name, f.inventory.vm(other).name)));
                    }
                    // Nor any other host.
                    for (const QString &uri : f.inventory.hostUris()) {
                        if (uri != key.hostUri && f.scene->hostItem(uri)->isVisible())
                            QVERIFY(!leg.intersects(f.scene->hostItem(uri)->sceneBoundingRect().adjusted(2, 2, -2, -2)));
                    }
                }
            }
        }
        // Deselected: no link left.
        f.scene->selectVms({});
        QVERIFY(web->links().isEmpty());

        // Hovered: its link while the pointer is over it.
        QTest::mouseMove(f.view->viewport(), f.at(web));
        QTRY_VERIFY(web->isHovered());
        QCOMPARE(web->links().size(), 1);
        QTest::mouseMove(f.view->viewport(), f.view->mapFromScene(f.scene->contentRect().topLeft() + QPointF(2, 2)));
        QTRY_VERIFY(!web->isHovered());
        QVERIFY(web->links().isEmpty());

        // A link follows its NIC to another VLAN.
        f.scene->selectVms({Web1});
        VmInfo moved = f.inventory.vm(Web1);
        moved.nics.first().portgroup = QStringLiteral("data");
        f.inventory.updateVm(moved);
        f.scene->flush();
        QCOMPARE(web->links().size(), 1);
        QCOMPARE(web->links().first()->vlanId(), 200);
        QCOMPARE(web->links().first()->mapToScene(web->links().first()->endPoint()).y(), f.scene->laneItem(200)->scenePos().y());
        QCOMPARE(web->ports().first().label, QStringLiteral("200"));
    }

    // A selected chip's link leaves its host down to its lane: it is drawn where the view shows
    // it, its host out of view (a host holds its chips in its bounds; the links are not its
    // children).
    void linkDrawnWithItsHostOutOfView()
    {
        Fixture f;
        f.view->resize(320, 160);
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        f.scene->selectVms({Web1});
        VmChipItem *web = f.scene->vmItem(Web1);
        QCOMPARE(web->links().size(), 1);
        const NicLinkItem *link = web->links().first();
        const QPolygonF route = link->mapToScene(link->route());
        // On the last leg, down the gutter, just above the lane.
        const QPointF onLeg = route.last() - QPointF(0, 12);
        QCOMPARE(route.at(route.size() - 2).x(), onLeg.x());
        f.view->zoomTo(4.0, onLeg);
        const QRectF shown = f.view->mapToScene(f.view->viewport()->rect()).boundingRect();
        QVERIFY(shown.contains(onLeg));
        QVERIFY(!shown.intersects(f.scene->hostItem(Hv1)->sceneBoundingRect()));
        const QPoint at = f.view->mapFromScene(onLeg);
        const QColor withLink = f.view->viewport()->grab().toImage().pixelColor(at);
        f.scene->selectVms({});
        QVERIFY(web->links().isEmpty());
        const QColor without = f.view->viewport()->grab().toImage().pixelColor(at);
        QVERIFY2(withLink != without, qPrintable(withLink.name()));
    }

    // A link leaves the painter as it found it, its clip (off its chip's body) included: the view
    // does not save the painter's state between items, and a second link was cut to the first's.
    void linkLeavesThePainterAsFound()
    {
        Fixture f;
        f.scene->selectVms({Web1, Db1});
        for (const VmKey &key : {Web1, Db1}) {
            QCOMPARE(f.scene->vmItem(key)->links().size(), 1);
            NicLinkItem *link = f.scene->vmItem(key)->links().first();
            QImage image(400, 400, QImage::Format_ARGB32_Premultiplied);
            QPainter painter(&image);
            const QStyleOptionGraphicsItem option;
            link->paint(&painter, &option, nullptr);
            QVERIFY(!painter.hasClipping());
        }
    }

    // The tenant is shown whole on its own line (elided only when longer than the chip, with
    // the whole name in the tooltip); names of the outside world are plain text.
    void tenantNotCut()
    {
        Fixture f;
        VmInfo lumiere = vm(Hv2, QStringLiteral("uuid-31"), QStringLiteral("lumiere-hsm-proxy"), VmState::Running, 4, 16 * GiB,
                            QStringLiteral("front"));
        lumiere.tenant = QStringLiteral("banque-lumiere");
        VmInfo longer = lumiere;
        longer.uuid = QStringLiteral("uuid-32");
        longer.name = QStringLiteral("<b>bold</b>");
        longer.tenant = QStringLiteral("a-tenant-whose-name-is-far-too-long-for-any-chip");
        f.inventory.updateVm(lumiere);
        f.inventory.updateVm(longer);
        f.scene->flush();
        const QStringList texts = f.scene->vmItem(lumiere.key())->paintedTexts();
        QCOMPARE(texts.at(0), QStringLiteral("lumiere-hsm-proxy"));
        QCOMPARE(texts.at(1), QStringLiteral("banque-lumiere"));
        QCOMPARE(texts.at(2), QStringLiteral("4 vCPU · 16 GiB"));
        VmChipItem *chip = f.scene->vmItem(longer.key());
        QVERIFY(chip->paintedTexts().at(1).endsWith(QChar(0x2026)));
        QVERIFY(chip->toolTipText().contains(longer.tenant));
        QCOMPARE(chip->paintedTexts().at(0), longer.name);
        QVERIFY(chip->toolTipText().contains(QStringLiteral("&lt;b&gt;bold")));
    }

    // View › Topology colour › By tenant: one colour per tenant (the same for its VMs, another
    // for another tenant, the same again in another scene), a legend listing the tenants shown;
    // VMs isolated by Vigie outlined in their group's colour and the group named in the tooltip.
    void colouredByTenant()
    {
        QCOMPARE(TopologyStyle::tenantSlot(QStringLiteral("banque-lumiere")), TopologyStyle::tenantSlot(QStringLiteral("banque-lumiere")));
        Fixture f;
        VmInfo lumiere = vm(Hv2, QStringLiteral("uuid-31"), QStringLiteral("lumiere-sftp"), VmState::Running, 1, GiB, QStringLiteral("front"));
        lumiere.tenant = QStringLiteral("banque-lumiere");
        VmInfo other = lumiere;
        other.uuid = QStringLiteral("uuid-32");
        other.name = QStringLiteral("lumiere-batch");
        other.nics.first().mac = QStringLiteral("52:54:00:00:00:32");
        f.inventory.updateVm(lumiere);
        f.inventory.updateVm(other);
        f.scene->flush();
        VmChipItem *sftp = f.scene->vmItem(lumiere.key());
        VmChipItem *web = f.scene->vmItem(Web1);
        QVERIFY(sftp && web);
        // By state (the default): no tenant colour, no legend.
        QVERIFY(!sftp->tenantColour().isValid());
        QVERIFY(!f.view->legend()->isVisibleTo(f.view.get()));

        QSignalSpy legend(f.scene.get(), &TopologyScene::legendChanged);
        f.scene->setColouring(TopologyStyle::ChipColouring::Tenant);
        QCOMPARE(legend.size(), 1);
        QVERIFY(sftp->tenantColour().isValid());
        QCOMPARE(f.scene->vmItem(other.key())->tenantColour(), sftp->tenantColour());
        QVERIFY(web->tenantColour().isValid());
        QVERIFY(web->tenantColour() != sftp->tenantColour()); // acme's
        QCOMPARE(sftp->tenantColour(), f.scene->tenantColour(QStringLiteral("banque-lumiere")));
        QVERIFY(f.view->legend()->isVisibleTo(f.view.get()));
        QCOMPARE(f.view->legend()->lines(), (QStringList{QStringLiteral("Tenants"), QStringLiteral("acme"), QStringLiteral("banque-lumiere"),
                                                          QStringLiteral("isolated group")}));
        QCOMPARE(f.view->legend()->entries().at(1).second, sftp->tenantColour());
        // Twelve tenants, twelve colours.
        QSet<QRgb> colours;
        for (int i = 0; i < TopologyStyle::TenantColorCount; ++i)
            colours.insert(f.scene->tenantColour(QStringLiteral("tenant-%1").arg(i)).rgb());
        QCOMPARE(colours.size(), TopologyStyle::TenantColorCount - 2); // acme and banque-lumiere hold two
        // The same fleet has the same colours in another scene (another run): the tenants take
        // theirs in the order of their names, acme first.
        Fixture g;
        g.inventory.updateVm(lumiere);
        g.inventory.updateVm(other);
        g.scene->flush();
        g.scene->setColouring(TopologyStyle::ChipColouring::Tenant);
        QCOMPARE(g.scene->vmItem(lumiere.key())->tenantColour(), sftp->tenantColour());
        QCOMPARE(g.scene->vmItem(Web1)->tenantColour(), web->tenantColour());
        QCOMPARE(web->tenantColour(), TopologyStyle::tenantColor(TopologyStyle::tenantSlot(QStringLiteral("acme"))));

        // Isolated: outlined in the group's colour, the group named.
        f.scene->setIsolationLookup([&](const VmKey &key, const QString &) -> std::pair<QString, QString> {
            if (key == lumiere.key())
                return {QStringLiteral("banque-lumiere"), QStringLiteral("vigie_iso_banque_lumiere")};
            return {};
        });
        f.scene->flush();
        QCOMPARE(sftp->isolation(), QStringLiteral("banque-lumiere"));
        QVERIFY(f.scene->vmItem(other.key())->isolation().isEmpty());
        QVERIFY2(sftp->toolTipText().contains(QStringLiteral("vigie_iso_banque_lumiere")), qPrintable(sftp->toolTipText()));
        QVERIFY(!web->toolTipText().contains(QStringLiteral("Isolated")));
        // Drawn: the outline's colour is on the chip's edge.
        f.view->zoomTo(1.0, sftp->sceneBoundingRect().center());
        QImage image(f.view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            f.view->render(&painter, QRectF(image.rect()), f.view->viewport()->rect());
        }
        const QPoint corner = f.view->mapFromScene(sftp->mapToScene(QPointF(TopologyStyle::ChipWidth - 3, 2)));
        QCOMPARE(QColor(image.pixel(corner)).name(), sftp->tenantColour().name()); // its group: banque-lumiere's colour

        // Back by state; the legend hides.
        f.scene->setColouring(TopologyStyle::ChipColouring::State);
        QVERIFY(!sftp->tenantColour().isValid());
        QVERIFY(!f.view->legend()->isVisibleTo(f.view.get()));
        QCOMPARE(sftp->isolation(), QStringLiteral("banque-lumiere")); // the outline stays
    }

    // Clicking a host's header selects the host (the window shows it in the details); its body
    // is left to the view to pan.
    void hostHeaderClickSelectsHost()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        f.scene->selectVms({Web1});
        HostItem *hv2 = f.scene->hostItem(Hv2);
        const QPoint header = f.view->mapFromScene(hv2->mapToScene(QPointF(60, 14)));
        QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, header);
        QCOMPARE(f.scene->selectedHost(), Hv2);
        QVERIFY(f.scene->selectedVms().isEmpty());
        QVERIFY(hv2->isSelected());
        // A click on a chip selects the VM instead.
        QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, f.at(f.scene->vmItem(App1)));
        QCOMPARE(f.scene->selectedVms(), QList<VmKey>{App1});
        QVERIFY(f.scene->selectedHost().isEmpty());
        f.scene->selectHost(Hv1);
        QCOMPARE(f.scene->selectedHost(), Hv1);
        QVERIFY(f.scene->selectedVms().isEmpty());
        f.scene->selectHost({});
        QVERIFY(f.scene->selectedHost().isEmpty());
    }

    // Chips keep their slots: a VM that goes leaves a hole, one that comes takes the first hole
    // (or the host's free slot), nothing else moves and the view does not re-zoom; arrange()
    // closes the holes, by name.
    void chipsKeepTheirSlots()
    {
        Fixture f;
        for (int i = 0; i < 5; ++i)
            f.inventory.updateVm(vm(Hv1, QStringLiteral("uuid-4%1").arg(i), QStringLiteral("more-%1").arg(i), VmState::Running, 1, GiB,
                                    QStringLiteral("front")));
        f.scene->flush();
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QVERIFY(f.view->followsFit());
        const qreal zoom = f.view->zoom();
        const auto positions = [&] {
            QHash<QString, QPointF> at;
            for (const VmKey &key : f.inventory.vmKeys())
                at.insert(key.uuid, f.scene->vmItem(key)->scenePos());
            return at;
        };
        const QHash<QString, QPointF> before = positions();
        const QSizeF hv1Size = f.scene->hostItem(Hv1)->size();
        QSignalSpy laidOut(f.scene.get(), &TopologyScene::layoutChanged);

        // db-1 migrates from hv1 to hv2: removed from hv1, added on hv2.
        VmInfo db = f.inventory.vm(Db1);
        f.inventory.removeVm(Db1);
        db.hostUri = Hv2;
        f.inventory.updateVm(db);
        f.scene->flush();
        QVERIFY(!laidOut.isEmpty());
        QVERIFY(!laidOut.last().at(0).toBool()); // not arranged again
        QHash<QString, QPointF> after = positions();
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            if (it.key() != Db1.uuid)
                QCOMPARE(after.value(it.key()), it.value());
        }
        QCOMPARE(f.view->zoom(), zoom);
        QCOMPARE(f.scene->hostItem(Hv1)->size(), hv1Size); // a hole, not a smaller host
        // A VM coming to hv1 takes db-1's hole.
        const QPointF hole = before.value(Db1.uuid);
        f.inventory.updateVm(vm(Hv1, QStringLiteral("uuid-50"), QStringLiteral("zz-last"), VmState::Running, 1, GiB, QStringLiteral("front")));
        f.scene->flush();
        QCOMPARE(f.scene->vmItem({Hv1, QStringLiteral("uuid-50")})->scenePos(), hole);
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            if (it.key() != Db1.uuid)
                QCOMPARE(f.scene->vmItem({it.key() == App1.uuid ? Hv2 : Hv1, it.key()})->scenePos(), it.value());
        }

        // Arranged again: by name, zz-last last.
        f.scene->arrange();
        QVERIFY(laidOut.last().at(0).toBool());
        QList<VmChipItem *> chips;
        for (const VmKey &key : f.inventory.vmKeysOfHost(Hv1))
            chips.append(f.scene->vmItem(key));
        std::sort(chips.begin(), chips.end(), [](const VmChipItem *a, const VmChipItem *b) {
            return a->pos().y() != b->pos().y() ? a->pos().y() < b->pos().y() : a->pos().x() < b->pos().x();
        });
        QCOMPARE(chips.last()->vm().name, QStringLiteral("zz-last"));
        QCOMPARE(chips.first()->vm().name, QStringLiteral("more-0"));
    }

    // A VM migrating is listed once, on its source (the destination's copy is not listed, and the
    // demo, like libvirt, lists nothing there before the end): the destination draws it arriving,
    // from the job's progress, in a free slot of its own. Neither a VM to select nor a target of
    // its own (a drop on it is a drop on its host); gone when the job ends, the VM then listed
    // there (completed) or staying on its source (cancelled).
    void arrivalDrawnFromTheJob()
    {
        Inventory inventory;
        SessionManager sessions(&inventory);
        MigrationController migrations(&sessions, &inventory);
        QSignalSpy finished(&migrations, &MigrationController::jobFinished);
        QSignalSpy settled(&sessions, &SessionManager::settled);
        QVERIFY(sessions.openDemo());
        QVERIFY(settled.wait(10000));
        TopologyScene scene(&inventory);
        scene.setMigrationController(&migrations);
        TopologyView view(&scene);
        view.resize(1400, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        // Two running VMs of one host, and another host that takes either.
        QList<VmKey> movers;
        QString dest;
        for (const QString &uri : inventory.hostUris()) {
            for (const QString &from : inventory.hostUris()) {
                movers.clear();
                for (const VmKey &key : inventory.vmKeysOfHost(from)) {
                    if (movers.size() < 2 && inventory.vm(key).state == VmState::Running
                        && migrations.preflight().checkMigration(key, uri).allowed)
                        movers.append(key);
                }
                if (movers.size() == 2)
                    break;
            }
            if (movers.size() == 2) {
                dest = uri;
                break;
            }
        }
        QCOMPARE(movers.size(), 2);
        const VmKey vm = movers.first();
        const VmKey arriving{dest, vm.uuid};
        const QString source = inventory.host(vm.hostUri).displayName;
        const int vmCount = inventory.vmCount();

        migrations.setDemoDurationMs(6000);
        QString error;
        const QString job = migrations.start(vm, dest, {}, &error);
        QVERIFY2(!job.isEmpty(), qPrintable(error));
        QTRY_VERIFY(migrations.job(job).percent >= 10);
        scene.flush();
        ArrivalGhostItem *ghost = scene.arrivalItem(dest, vm.uuid);
        QVERIFY(ghost);
        QCOMPARE(scene.arrivalItemCount(), 1);
        QCOMPARE(ghost->parentItem(), scene.hostItem(dest));
        QCOMPARE(ghost->sourceVm(), vm);
        QCOMPARE(ghost->vmName(), inventory.vm(vm).name);
        // Drawn, not listed: the inventory and the chips count the VM once, on its source.
        QVERIFY(!inventory.hasVm(arriving));
        QVERIFY(!scene.vmItem(arriving));
        QVERIFY(scene.vmItem(vm)->isMigrating());
        QCOMPARE(scene.vmItemCount(), vmCount);
        QCOMPARE(ghost->percent(), qRound(migrations.job(job).percent));
        QVERIFY2(ghost->toolTip().contains(QStringLiteral("arriving from %1: %2 %").arg(source).arg(ghost->percent())),
                 qPrintable(ghost->toolTip()));
        // It follows the job.
        const int first = ghost->percent();
        QTRY_VERIFY(ghost->percent() > first);
        QCOMPARE(ghost->percent(), qRound(migrations.job(job).percent));
        // Scoped to another tenant, it is not drawn; back to every tenant, it is again.
        TenantScope scope(&inventory);
        scene.setTenantScope(&scope);
        QString otherTenant;
        for (const QString &tenant : TenantScope::tenants(inventory)) {
            if (tenant != inventory.vm(vm).tenant)
                otherTenant = tenant;
        }
        QVERIFY(!otherTenant.isEmpty());
        scope.setTenant(otherTenant);
        QVERIFY(!scene.arrivalItem(dest, vm.uuid));
        scope.setTenant({});
        ghost = scene.arrivalItem(dest, vm.uuid);
        QVERIFY(ghost);
        scene.flush();
        // In its host, on none of the host's chips.
        const QRectF place = ghost->sceneBoundingRect().adjusted(2, 2, -2, -2);
        QVERIFY(scene.hostItem(dest)->sceneBoundingRect().contains(place));
        for (const VmKey &key : inventory.vmKeysOfHost(dest))
            QVERIFY2(!scene.vmItem(key)->sceneBoundingRect().adjusted(2, 2, -2, -2).intersects(place), qPrintable(key.uuid));

        // A click on it selects no VM; pressed and dragged, it moves nothing.
        QPoint onGhost = view.mapFromScene(ghost->sceneBoundingRect().center());
        QSignalSpy requested(&scene, &TopologyScene::migrationRequested);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, onGhost);
        QVERIFY(scene.selectedVms().isEmpty());
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, onGhost);
        QTest::mouseMove(view.viewport(), onGhost + QPoint(15, 15));
        QTest::mouseMove(view.viewport(), view.mapFromScene(scene.hostItem(vm.hostUri)->sceneBoundingRect().center()));
        QVERIFY(!scene.isDragging());
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, view.mapFromScene(scene.hostItem(vm.hostUri)->sceneBoundingRect().center()));
        QCOMPARE(requested.size(), 0);
        // The other VM dropped on it: a migration to its host (the drag above may have panned).
        onGhost = view.mapFromScene(ghost->sceneBoundingRect().center());
        const QPoint from = view.mapFromScene(scene.vmItem(movers.last())->sceneBoundingRect().center());
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(view.viewport(), from + QPoint(15, 15));
        QTest::mouseMove(view.viewport(), onGhost);
        QVERIFY(scene.isDragging());
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, onGhost);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().at(1).toString(), dest);
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES")) {
            view.fitToView();
            view.grab().save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + QStringLiteral("/topology-arrival.png"));
        }

        // Completed: the VM listed on its destination, its ghost gone.
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.first().at(0).value<MigrationProgress>().phase, MigrationPhase::Completed);
        QTRY_VERIFY(inventory.hasVm(arriving) && !inventory.hasVm(vm));
        scene.flush();
        QVERIFY(!scene.arrivalItem(dest, vm.uuid));
        QCOMPARE(scene.arrivalItemCount(), 0);
        QVERIFY(scene.vmItem(arriving));

        // Cancelled: the ghost goes, and nothing is listed on the destination.
        const VmKey other = movers.last();
        const QString cancelled = migrations.start(other, dest, {}, &error);
        QVERIFY2(!cancelled.isEmpty(), qPrintable(error));
        QTRY_VERIFY(scene.arrivalItem(dest, other.uuid));
        finished.clear();
        migrations.cancel(cancelled);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).value<MigrationProgress>().phase, MigrationPhase::Cancelled);
        scene.flush();
        QVERIFY(!scene.arrivalItem(dest, other.uuid));
        QCOMPARE(scene.arrivalItemCount(), 0);
        QVERIFY(!scene.vmItem({dest, other.uuid}));
        QVERIFY(scene.vmItem(other));
    }

    void zoomKeysAndPersistence()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QVERIFY(f.view->followsFit());
        QTest::keyClick(f.view->viewport(), Qt::Key_0);
        QCOMPARE(f.view->zoom(), 1.0);
        QVERIFY(!f.view->followsFit());
        QTest::keyClick(f.view->viewport(), Qt::Key_Plus);
        QCOMPARE(f.view->zoom(), 1.25);
        QTest::keyClick(f.view->viewport(), Qt::Key_Minus);
        QTest::keyClick(f.view->viewport(), Qt::Key_Minus);
        QCOMPARE(f.view->zoom(), 0.8);
        QSettings settings;
        f.view->saveSettings(settings);
        Fixture g;
        g.view->restoreSettings(settings);
        QCOMPARE(g.view->zoom(), 0.8);
        QVERIFY(!g.view->followsFit());
        QTest::keyClick(g.view->viewport(), Qt::Key_F);
        QVERIFY(g.view->followsFit());
        settings.clear();
    }

    // Fitted, the whole content is in the viewport and no scroll bar takes room; zoomed by hand,
    // the scroll bars come back to say where the view is.
    void fitShowsNoScrollBars()
    {
        Fixture f;
        for (int i = 0; i < 30; ++i)
            f.inventory.updateVm(vm(Hv1, QStringLiteral("uuid-6%1").arg(i), QStringLiteral("many-%1").arg(i), VmState::Running, 1, GiB,
                                    QStringLiteral("front")));
        f.scene->flush();
        QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
        QTest::keyClick(f.view->viewport(), Qt::Key_F);
        QVERIFY(f.view->followsFit());
        QVERIFY(!f.view->horizontalScrollBar()->isVisible());
        QVERIFY(!f.view->verticalScrollBar()->isVisible());
        const QRectF shown = f.view->mapToScene(f.view->viewport()->rect()).boundingRect();
        const QRectF content = f.scene->contentRect();
        QVERIFY2(shown.adjusted(-1, -1, 1, 1).contains(content),
                 qPrintable(QStringLiteral("content %1x%2 not within the %3x%4 shown")
                                .arg(content.width()).arg(content.height()).arg(shown.width()).arg(shown.height())));
        QTest::keyClick(f.view->viewport(), Qt::Key_Plus);
        QTest::keyClick(f.view->viewport(), Qt::Key_Plus);
        QVERIFY(!f.view->followsFit());
        QTRY_VERIFY(f.view->horizontalScrollBar()->isVisible() || f.view->verticalScrollBar()->isVisible());
    }

    void exportsPngAndSvg()
    {
        Fixture f;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString png = dir.filePath(QStringLiteral("topology.png"));
        const QString svg = dir.filePath(QStringLiteral("topology.svg"));
        QString error;
        QVERIFY2(f.view->exportPng(png, &error), qPrintable(error));
        QVERIFY2(f.view->exportSvg(svg, &error), qPrintable(error));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= f.scene->contentRect().width());
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("web-1"));
        QVERIFY(text.contains("VLAN 200"));
        QVERIFY(!f.view->exportPng(dir.filePath(QStringLiteral("missing/dir/t.png"))));
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES"))
            image.save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + QStringLiteral("/topology.png"));
    }
};

QTEST_MAIN(TestTopologyScene)
#include "tst_topologyscene.moc"
