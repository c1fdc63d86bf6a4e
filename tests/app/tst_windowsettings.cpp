// The window's settings: a first start sized to the screen, and a VM table header saved with
// other columns (an older Vigie) left out rather than put on the wrong columns.
#include "windowsettings.h"

#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QHeaderView>
#include <QMainWindow>
#include <QSettings>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigie;

namespace {

// A window with what WindowSettings keeps: a VM table's header, two tabs, a topology.
struct Window
{
    Inventory inventory;
    QMainWindow window;
    QStandardItemModel columns{0, VmTableModel::ColumnCount};
    QTableView *table = new QTableView(&window);
    QTabWidget *tabs = new QTabWidget(&window);
    TopologyScene scene{&inventory};
    TopologyView *topology = new TopologyView(&scene, &window);

    Window()
    {
        table->setModel(&columns);
        tabs->addTab(new QWidget, QStringLiteral("table"));
        tabs->addTab(new QWidget, QStringLiteral("topology"));
    }
    [[nodiscard]] WindowSettings::Views views() { return {&window, table->horizontalHeader(), tabs, topology}; }
};

} // namespace

class TestWindowSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstStartSize_data()
    {
        QTest::addColumn<QSize>("available");
        QTest::addColumn<QSize>("expected");
        QTest::newRow("large screen") << QSize(2560, 1400) << QSize(1600, 1000);
        QTest::newRow("laptop") << QSize(1366, 740) << QSize(1311, 710);
        QTest::newRow("wide, short") << QSize(3440, 900) << QSize(1600, 864);
    }

    void firstStartSize()
    {
        QFETCH(QSize, available);
        QFETCH(QSize, expected);
        QCOMPARE(WindowSettings::firstStartSize(available), expected);
    }

    void firstStartIsTold()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("vigie.ini")), QSettings::IniFormat);
        Window window;
        QVERIFY(!WindowSettings::restore(settings, window.views()));
        QCOMPARE(window.tabs->currentIndex(), 0);
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("savedColumns");
        QTest::addColumn<bool>("headerRestored");
        QTest::newRow("same columns") << int(VmTableModel::ColumnCount) << true;
        QTest::newRow("an older Vigie's columns") << int(VmTableModel::ColumnCount) - 1 << false;
    }

    void roundTrip()
    {
        QFETCH(int, savedColumns);
        QFETCH(bool, headerRestored);
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("vigie.ini")), QSettings::IniFormat);
        {
            Window saved;
            saved.table->horizontalHeader()->moveSection(VmTableModel::NameColumn, VmTableModel::TagsColumn);
            saved.tabs->setCurrentIndex(1);
            WindowSettings::save(settings, saved.views());
        }
        settings.setValue(QStringLiteral("window/vmTableColumns"), savedColumns);

        Window restored;
        QVERIFY(WindowSettings::restore(settings, restored.views()));
        QCOMPARE(restored.tabs->currentIndex(), 1);
        QCOMPARE(restored.table->horizontalHeader()->visualIndex(VmTableModel::NameColumn) == VmTableModel::TagsColumn,
                 headerRestored);
    }
};

QTEST_MAIN(TestWindowSettings)
#include "tst_windowsettings.moc"
