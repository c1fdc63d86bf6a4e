// The evacuation dialog on a plan made from an inventory: one row per move with the destinations
// the pre-flight accepts, the planner's choice selected; another choice changes the plan it
// returns, and one that overfills a host says so in red and disables Evacuate until undone. The
// VMs that stay, the caveats and the disk copy are shown; the dialog fits a 1366x768 screen.
#include "displaytext.h"
#include "evacuationdialog.h"
#include "inventory/inventory.h"
#include "placement/evacuationplan.h"
#include "placement/preflight.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

using namespace Vigie;

namespace {

const QString Par1 = QStringLiteral("test:///par-hv01.xml");
const QString Par2 = QStringLiteral("test:///par-hv02.xml");
const QString Par3 = QStringLiteral("test:///par-hv03.xml");
const QString Lyo1 = QStringLiteral("test:///lyo-hv01.xml");

VmInfo vm(const QString &host, const QString &name, quint64 memoryMiB, int vlan = 100, VmState state = VmState::Running)
{
    VmInfo v;
    v.hostUri = host;
    v.uuid = name;
    v.name = name;
    v.tenant = QStringLiteral("acme");
    v.state = state;
    v.vcpus = 2;
    v.memoryKiB = memoryMiB * 1024;
    v.maxMemoryKiB = v.memoryKiB;
    NicInfo nic;
    nic.mac = QStringLiteral("52:54:00:00:00:01");
    nic.sourceType = QStringLiteral("network");
    nic.source = QStringLiteral("lab-ovs");
    nic.portgroup = QStringLiteral("vlan%1").arg(vlan);
    v.nics.append(nic);
    DiskInfo disk;
    disk.device = QStringLiteral("disk");
    disk.target = QStringLiteral("vda");
    v.disks.append(disk);
    return v;
}

HostSnapshot host(const QString &uri, quint64 memoryMiB, const QList<int> &vlans, const QList<VmInfo> &vms)
{
    HostSnapshot s;
    s.host.uri = uri;
    s.host.displayName = uri.section(u'/', -1).section(u'.', 0, 0);
    s.host.hypervisorType = QStringLiteral("QEMU");
    s.host.cpus = 16;
    s.host.memoryKiB = memoryMiB * 1024;
    s.host.state = ConnectionState::Connected;
    s.vms = vms;
    NetworkInfo net;
    net.hostUri = uri;
    net.uuid = QStringLiteral("net-") + uri;
    net.name = QStringLiteral("lab-ovs");
    net.active = true;
    for (int tag : vlans)
        net.portgroups.append({QStringLiteral("vlan%1").arg(tag), {tag}, false});
    s.networks = {net};
    return s;
}

// par-hv01 is emptied: par-hv02 (8 GiB) and par-hv03 (8 GiB) in Paris, lyo-hv01 (64 GiB) in
// Lyon. "back" needs VLAN 300, which only Lyon carries; "huge" fits nowhere.
struct Fleet
{
    Inventory inventory;
    Preflight preflight{&inventory};
    Fleet()
    {
        inventory.applySnapshot(host(Par1, 262144, {100, 300},
                                     {vm(Par1, QStringLiteral("app-01"), 6144), vm(Par1, QStringLiteral("cache"), 4096),
                                      vm(Par1, QStringLiteral("back"), 2048, 300),
                                      vm(Par1, QStringLiteral("template"), 8192, 100, VmState::Shutoff),
                                      vm(Par1, QStringLiteral("huge"), 131072)}));
        inventory.applySnapshot(host(Par2, 8192, {100}, {}));
        inventory.applySnapshot(host(Par3, 8192, {100}, {}));
        inventory.applySnapshot(host(Lyo1, 65536, {100, 300}, {}));
    }
};

int rowOf(const EvacuationPlan &plan, const QString &vm)
{
    for (int row = 0; row < plan.moves.size(); ++row) {
        if (plan.moves.at(row).vm.uuid == vm)
            return row;
    }
    return -1;
}

QComboBox *destinationBox(EvacuationDialog &dialog, int row)
{
    auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("evacuationMoves"));
    return table ? qobject_cast<QComboBox *>(table->cellWidget(row, EvacuationDialog::DestinationColumn)) : nullptr;
}

} // namespace

class tst_EvacuationDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsThePlan()
    {
        Fleet fleet;
        const EvacuationPlan plan = EvacuationPlan::make(fleet.inventory, fleet.preflight, Par1);
        QCOMPARE(plan.moves.size(), 4);
        QCOMPARE(plan.unplaced.size(), 1);
        MigrationOptions defaults;
        defaults.copyStorage = true;
        defaults.maxDowntimeMs = 123;
        EvacuationDialog dialog(plan, defaults);
        dialog.setCaveats({QStringLiteral("2 of them are managed by OpenStack Nova")});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("evacuationMoves"));
        QVERIFY(table);
        QCOMPARE(table->rowCount(), 4);
        for (int row = 0; row < plan.moves.size(); ++row) {
            const EvacuationPlan::Move &move = plan.moves.at(row);
            QCOMPARE(table->item(row, EvacuationDialog::VmColumn)->text(), move.vmName);
            QComboBox *box = destinationBox(dialog, row);
            QVERIFY(box);
            QCOMPARE(box->count(), move.candidates.size());
            QCOMPARE(box->currentData().toString(), move.destUri);
            // Wide enough for its longest choice (sized by the longest destination's length, not
            // by measuring each choice of each box).
            int longest = 0;
            for (int i = 0; i < box->count(); ++i)
                longest = std::max(longest, box->fontMetrics().horizontalAdvance(box->itemText(i)));
            QVERIFY2(box->width() >= longest, qPrintable(QStringLiteral("%1 < %2").arg(box->width()).arg(longest)));
        }
        // "back" can only go to Lyon: its only choice, with the site in its name, and the note.
        const int back = rowOf(plan, QStringLiteral("back"));
        QCOMPARE(destinationBox(dialog, back)->count(), 1);
        QCOMPARE(destinationBox(dialog, back)->currentText(), QStringLiteral("lyo-hv01 (site lyo)"));
        QVERIFY2(table->item(back, EvacuationDialog::NoteColumn)->text().contains(QStringLiteral("another site")),
                 qPrintable(table->item(back, EvacuationDialog::NoteColumn)->text()));
        QVERIFY(table->item(rowOf(plan, QStringLiteral("template")), EvacuationDialog::SizeColumn)->text().endsWith(QStringLiteral("off")));
        // Untranslated here: the English plurals ("2 vCPUs") are in vigie_en.ts.
        const QString size = table->item(rowOf(plan, QStringLiteral("app-01")), EvacuationDialog::SizeColumn)->text();
        QVERIFY2(size.startsWith(QStringLiteral("6 GiB · 2 vCPU")) && size.contains(QStringLiteral(" · 1 disk")), qPrintable(size));

        auto *unplaced = dialog.findChild<QTreeWidget *>(QStringLiteral("evacuationUnplaced"));
        QVERIFY(unplaced && unplaced->isVisible());
        QCOMPARE(unplaced->topLevelItemCount(), 1);
        QCOMPARE(unplaced->topLevelItem(0)->text(0), QStringLiteral("huge"));
        QVERIFY(!unplaced->topLevelItem(0)->text(1).isEmpty());
        auto *caveats = dialog.findChild<QLabel *>(QStringLiteral("evacuationCaveats"));
        QVERIFY(caveats && caveats->isVisible());
        QCOMPARE(caveats->textFormat(), Qt::PlainText);
        QVERIFY(!dialog.findChild<QLabel *>(QStringLiteral("evacuationProblem"))->isVisible());

        auto *evacuate = dialog.findChild<QPushButton *>(QStringLiteral("evacuateButton"));
        QVERIFY(evacuate && evacuate->isEnabled());
        QVERIFY(!evacuate->isDefault());
        auto *copy = dialog.findChild<QCheckBox *>(QStringLiteral("evacuationCopyDisks"));
        QVERIFY(copy && copy->isEnabled() && copy->isChecked());
        copy->setChecked(false);
        QCOMPARE(dialog.options().copyStorage, false);
        QCOMPARE(dialog.options().maxDowntimeMs, 123); // the other options as they were

        // On a 1366x768 screen with a title bar and a panel.
        QVERIFY2(dialog.height() <= 600, qPrintable(QString::number(dialog.height())));
        QVERIFY2(dialog.width() <= 1300, qPrintable(QString::number(dialog.width())));
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES"))
            dialog.grab().save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + QStringLiteral("/evacuation-dialog.png"));
    }

    // Another destination is the plan the dialog returns; its notes follow the choice.
    void changingADestinationChangesThePlan()
    {
        Fleet fleet;
        const EvacuationPlan plan = EvacuationPlan::make(fleet.inventory, fleet.preflight, Par1);
        EvacuationDialog dialog(plan, MigrationOptions{});
        const int row = rowOf(plan, QStringLiteral("cache"));
        QComboBox *box = destinationBox(dialog, row);
        QVERIFY(box);
        QVERIFY(plan.moves.at(row).destUri != Lyo1);
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("evacuationMoves"));
        QVERIFY(table->item(row, EvacuationDialog::NoteColumn)->text().isEmpty());
        QSignalSpy changed(&dialog, &EvacuationDialog::planChanged);
        box->setCurrentIndex(box->findData(Lyo1));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(dialog.plan().moves.at(row).destUri, Lyo1);
        QCOMPARE(dialog.plan().moves.at(row).plannedDestUri, plan.moves.at(row).destUri);
        QVERIFY(table->item(row, EvacuationDialog::NoteColumn)->text().contains(QStringLiteral("another site")));
        // The other moves are as planned.
        for (int other = 0; other < plan.moves.size(); ++other) {
            if (other != row)
                QCOMPARE(dialog.plan().moves.at(other).destUri, plan.moves.at(other).destUri);
        }
        QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("evacuateButton"))->isEnabled());
    }

    // app-01 (6 GiB) and cache (4 GiB) on one 8 GiB host: both say it in red, Evacuate is
    // disabled and says why; moving one away again enables it.
    void anOverfullChoiceDisablesEvacuate()
    {
        Fleet fleet;
        const EvacuationPlan plan = EvacuationPlan::make(fleet.inventory, fleet.preflight, Par1);
        EvacuationDialog dialog(plan, MigrationOptions{});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const int app = rowOf(plan, QStringLiteral("app-01"));
        const int cache = rowOf(plan, QStringLiteral("cache"));
        QVERIFY(plan.moves.at(app).destUri != plan.moves.at(cache).destUri);
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("evacuationMoves"));
        auto *evacuate = dialog.findChild<QPushButton *>(QStringLiteral("evacuateButton"));
        auto *problem = dialog.findChild<QLabel *>(QStringLiteral("evacuationProblem"));
        QComboBox *cacheBox = destinationBox(dialog, cache);
        cacheBox->setCurrentIndex(cacheBox->findData(plan.moves.at(app).destUri));

        QVERIFY(!dialog.plan().fits());
        QVERIFY(!evacuate->isEnabled());
        QVERIFY2(evacuate->toolTip().contains(QStringLiteral("do not fit where they are sent")), qPrintable(evacuate->toolTip()));
        QVERIFY(problem->isVisible());
        QVERIFY2(problem->text().startsWith(QStringLiteral("2 VM")), qPrintable(problem->text()));
        QVERIFY2(problem->text().endsWith(QStringLiteral("do not fit where they are sent: choose another host for them.")),
                 qPrintable(problem->text()));
        for (int row : {app, cache}) {
            QTableWidgetItem *note = table->item(row, EvacuationDialog::NoteColumn);
            QVERIFY2(note->text().startsWith(QStringLiteral("Not enough free memory on")), qPrintable(note->text()));
            QVERIFY(note->text().contains(QStringLiteral("10 GiB needed, 8 GiB free")));
            QCOMPARE(note->foreground().color(), QColor(0xc6, 0x28, 0x28));
        }
        // The off VM may join: it takes no memory there.
        const int off = rowOf(plan, QStringLiteral("template"));
        QComboBox *offBox = destinationBox(dialog, off);
        offBox->setCurrentIndex(offBox->findData(plan.moves.at(app).destUri));
        QVERIFY(dialog.plan().moves.at(off).problem.isEmpty());
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES"))
            dialog.grab().save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + QStringLiteral("/evacuation-dialog-overfull.png"));

        cacheBox->setCurrentIndex(cacheBox->findData(plan.moves.at(cache).destUri));
        QVERIFY(dialog.plan().fits());
        QVERIFY(evacuate->isEnabled());
        QVERIFY(evacuate->toolTip().isEmpty());
        QVERIFY(!problem->isVisible());
        QCOMPARE(table->item(app, EvacuationDialog::NoteColumn)->foreground().color(),
                 dialog.palette().color(QPalette::Text));
    }

    // Names from libvirt are text: markup shows as written, a long name is cut in the cell.
    void namesArePlainText()
    {
        Inventory inventory;
        const QString hostile = QStringLiteral("<b>web</b>-") + QString(400, u'x') + QStringLiteral("-01");
        inventory.applySnapshot(host(Par1, 65536, {100}, {vm(Par1, hostile, 1024)}));
        inventory.applySnapshot(host(Par2, 65536, {100}, {}));
        Preflight preflight(&inventory);
        const EvacuationPlan plan = EvacuationPlan::make(inventory, preflight, Par1);
        EvacuationDialog dialog(plan, MigrationOptions{});
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("evacuationMoves"));
        const QString shown = table->item(0, EvacuationDialog::VmColumn)->text();
        QVERIFY(shown.startsWith(QStringLiteral("<b>web</b>-")));
        QVERIFY(shown.size() <= DisplayText::MaxLength);
        QVERIFY(!table->item(0, EvacuationDialog::VmColumn)->toolTip().contains(QStringLiteral("<b>web")));
        QVERIFY2(dialog.width() <= 1300, qPrintable(QString::number(dialog.width())));
    }
};

QTEST_MAIN(tst_EvacuationDialog)
#include "tst_evacuationdialog.moc"
