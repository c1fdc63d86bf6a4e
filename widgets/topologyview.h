#pragma once

#include "topologystyle.h"

#include <QGraphicsView>

class QAction;
class QSettings;

namespace Vigie {

class TopologyLegend;
class TopologyScene;

// Looks at the topology: zoom with the wheel (anchored under the mouse) or + - 0 F, pan by
// dragging the background, context menu with the window's VM actions, export as PNG and SVG.
// Fits the whole topology until the operator zooms or pans, and then only when the picture is
// arranged again (never when a VM comes or goes); zoom and centre persist. The scale sets the
// scene's level of detail.
class TopologyView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit TopologyView(TopologyScene *scene, QWidget *parent = nullptr);

    [[nodiscard]] TopologyScene *topologyScene() const { return m_scene; }
    // The key of the tenant colouring, in the bottom-right corner while the chips are so coloured.
    [[nodiscard]] TopologyLegend *legend() const { return m_legend; }
    [[nodiscard]] qreal zoom() const;
    void setZoom(qreal zoom);
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void fitToView();
    // The operator's choice of zoom and centre: no fit follows.
    void zoomTo(qreal zoom, const QPointF &centre);
    [[nodiscard]] bool followsFit() const { return m_autoFit; }

    // What right-clicking a VM offers (the window's lifecycle actions and menus).
    void setVmActions(const QList<QAction *> &actions) { m_vmActions = actions; }

    // The whole topology, whatever is on screen. Return false with the reason in *error.
    bool exportPng(const QString &path, QString *error = nullptr) const;
    bool exportSvg(const QString &path, QString *error = nullptr) const;

    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);

    static constexpr qreal MinZoom = 0.02;
    static constexpr qreal MaxZoom = 4.0;

Q_SIGNALS:
    void zoomChanged(qreal zoom);
    // Right-click on a host (not on one of its VMs).
    void hostMenuRequested(const QString &hostUri, const QPoint &globalPos);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void scaleBy(qreal factor);
    void setAutoFit(bool fit);
    void sceneLaidOut(bool reflowed);
    void updateLegend();

    // While alive, the scene draws its chips (an export), then goes back to the view's level.
    class NearDetail
    {
    public:
        explicit NearDetail(TopologyScene *scene);
        ~NearDetail();
        Q_DISABLE_COPY_MOVE(NearDetail)

    private:
        TopologyScene *m_scene;
        TopologyStyle::DetailLevel m_level;
    };

    TopologyScene *m_scene;
    TopologyLegend *m_legend;
    QList<QAction *> m_vmActions;
    bool m_autoFit = true; // set through setAutoFit()
    QPointF m_restoredCenter;
    bool m_hasRestoredCenter = false;
    QPoint m_scrollAtPress;
};

} // namespace Vigie
