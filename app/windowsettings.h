#pragma once

#include <QSize>

class QHeaderView;
class QMainWindow;
class QSettings;
class QTabWidget;

namespace Vigie {

class TopologyView;

// The window's own settings, every key of them here: its geometry and docks, the VM table's
// columns, the tab in front, the topology's view, the metrics interval and the topology colour.
// The connections are SessionSettings', the controller's ControllerSettings'.
class WindowSettings
{
public:
    // What the window shows and the next start shows again.
    struct Views
    {
        QMainWindow *window;
        QHeaderView *vmTableHeader;
        QTabWidget *centralTabs;
        TopologyView *topology;
    };

    static void save(QSettings &settings, const Views &views);
    // Puts back what save() kept. False at a first start (no geometry saved): the window is then
    // given firstStartSize, centred on its screen, and its docks still want their default sizes.
    static bool restore(const QSettings &settings, const Views &views);
    // As large as the screen allows (a laptop's 1366x768 included), up to 1600x1000; never the
    // layout's own size hint, which can overflow a small screen.
    [[nodiscard]] static QSize firstStartSize(const QSize &available);

    // Seconds between metrics ticks, 0 for none (1 until chosen).
    [[nodiscard]] static int metricsInterval();
    static void setMetricsInterval(int seconds);
    // Topology › Colour: by tenant, else by state (the default).
    [[nodiscard]] static bool topologyByTenant();
    static void setTopologyByTenant(bool byTenant);
};

} // namespace Vigie
