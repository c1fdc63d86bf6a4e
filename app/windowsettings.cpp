#include "windowsettings.h"

#include "itemmodels/vmtablemodel.h"
#include "topologyview.h"

#include <QHeaderView>
#include <QMainWindow>
#include <QScreen>
#include <QSettings>
#include <QTabWidget>

namespace Vigie {

namespace {

const QString Geometry = QStringLiteral("window/geometry");
const QString State = QStringLiteral("window/state");
const QString VmTableHeader = QStringLiteral("window/vmTableHeader");
const QString VmTableColumns = QStringLiteral("window/vmTableColumns");
const QString CentralTab = QStringLiteral("window/centralTab");
const QString MetricsInterval = QStringLiteral("metrics/intervalSeconds");
const QString TopologyColour = QStringLiteral("topology/colour");

} // namespace

void WindowSettings::save(QSettings &settings, const Views &views)
{
    settings.setValue(Geometry, views.window->saveGeometry());
    settings.setValue(State, views.window->saveState());
    settings.setValue(VmTableHeader, views.vmTableHeader->saveState());
    settings.setValue(VmTableColumns, int(VmTableModel::ColumnCount));
    settings.setValue(CentralTab, views.centralTabs->currentIndex());
    views.topology->saveSettings(settings);
}

bool WindowSettings::restore(const QSettings &settings, const Views &views)
{
    QMainWindow *window = views.window;
    const bool saved = window->restoreGeometry(settings.value(Geometry).toByteArray());
    if (!saved) {
        const QRect available = window->screen()->availableGeometry();
        window->resize(firstStartSize(available.size()));
        window->move(available.center() - QPoint(window->width() / 2, window->height() / 2));
    }
    window->restoreState(settings.value(State).toByteArray());
    // A state saved with other columns (an older Vigie) would put its widths and order on the
    // wrong ones: the default layout then.
    if (settings.value(VmTableColumns).toInt() == VmTableModel::ColumnCount)
        views.vmTableHeader->restoreState(settings.value(VmTableHeader).toByteArray());
    views.centralTabs->setCurrentIndex(settings.value(CentralTab, 0).toInt());
    views.topology->restoreSettings(settings);
    return saved;
}

QSize WindowSettings::firstStartSize(const QSize &available)
{
    return QSize(1600, 1000).boundedTo(available * 0.96);
}

int WindowSettings::metricsInterval()
{
    return QSettings().value(MetricsInterval, 1).toInt();
}

void WindowSettings::setMetricsInterval(int seconds)
{
    QSettings().setValue(MetricsInterval, seconds);
}

bool WindowSettings::topologyByTenant()
{
    return QSettings().value(TopologyColour).toString() == QLatin1String("tenant");
}

void WindowSettings::setTopologyByTenant(bool byTenant)
{
    QSettings().setValue(TopologyColour, byTenant ? QStringLiteral("tenant") : QStringLiteral("state"));
}

} // namespace Vigie
