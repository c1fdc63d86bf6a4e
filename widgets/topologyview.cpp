#include "topologyview.h"

#include "hostitem.h"
#include "topologylegend.h"
#include "topologyscene.h"
#include "vmchipitem.h"

#include <QContextMenuEvent>
#include <QImage>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSettings>
#include <QSvgGenerator>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace Vigie {

namespace {
const QString SettingsZoom = QStringLiteral("topology/zoom");
const QString SettingsCenter = QStringLiteral("topology/center");
const QString SettingsFit = QStringLiteral("topology/fit");
// A PNG of a huge fleet stays under this many pixels a side.
constexpr qreal MaxExportSide = 12000;
} // namespace

TopologyView::TopologyView(TopologyScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
    , m_legend(new TopologyLegend(this))
{
    setObjectName(QStringLiteral("topologyView"));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    // Items repaint only where they changed; the background is flat, so no cache is needed.
    setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(tr("Topology: drag a VM onto a host to migrate it, onto a VLAN to move its NIC. Ctrl+click or "
                  "Ctrl+drag around VMs selects several. Wheel or + and - zoom, 0 is actual size, F fits."));
    connect(scene, &TopologyScene::layoutChanged, this, &TopologyView::sceneLaidOut);
    // The level of detail follows the scale: zoomed out, chips are hidden and hosts aggregated.
    connect(this, &TopologyView::zoomChanged, this, [this](qreal zoom) { m_scene->setDetailLevel(TopologyStyle::detailLevel(zoom)); });
    connect(scene, &TopologyScene::legendChanged, this, &TopologyView::updateLegend);
    // Scroll bars come and go with the zoom and the picture's size: the legend keeps clear of them.
    connect(this, &TopologyView::zoomChanged, this, &TopologyView::updateLegend);
    connect(scene, &TopologyScene::layoutChanged, this, &TopologyView::updateLegend);
    updateLegend();
}

void TopologyView::updateLegend()
{
    const bool byTenant = m_scene->colouring() == TopologyStyle::ChipColouring::Tenant;
    if (byTenant)
        m_legend->setEntries(m_scene->tenantLegend());
    m_legend->setVisible(byTenant);
    // Bottom right, over the lanes' far ends rather than a host: clear of the scroll bars.
    const int right = (verticalScrollBar()->isVisible() ? verticalScrollBar()->width() : 0) + 8;
    const int bottom = (horizontalScrollBar()->isVisible() ? horizontalScrollBar()->height() : 0) + 8;
    m_legend->move(width() - m_legend->width() - right - frameWidth(), height() - m_legend->height() - bottom - frameWidth());
    m_legend->raise();
}

qreal TopologyView::zoom() const
{
    return transform().m11();
}

void TopologyView::setZoom(qreal zoom)
{
    zoom = std::clamp(zoom, MinZoom, MaxZoom);
    if (qFuzzyCompare(zoom, this->zoom()))
        return;
    setTransform(QTransform::fromScale(zoom, zoom));
    Q_EMIT zoomChanged(zoom);
}

void TopologyView::scaleBy(qreal factor)
{
    setAutoFit(false);
    const qreal target = std::clamp(zoom() * factor, MinZoom, MaxZoom);
    if (qFuzzyCompare(target, zoom()))
        return;
    scale(target / zoom(), target / zoom());
    Q_EMIT zoomChanged(zoom());
}

void TopologyView::zoomIn()
{
    scaleBy(1.25);
}

void TopologyView::zoomOut()
{
    scaleBy(0.8);
}

void TopologyView::resetZoom()
{
    setAutoFit(false);
    setZoom(1.0);
}

void TopologyView::fitToView()
{
    setAutoFit(true);
    const QRectF content = m_scene->contentRect();
    if (content.isEmpty() || viewport()->width() < 10)
        return;
    fitInView(content, Qt::KeepAspectRatio);
    if (zoom() > 1.0) // a small fleet is shown at actual size, not blown up
        setTransform(QTransform());
    if (zoom() < MinZoom)
        setTransform(QTransform::fromScale(MinZoom, MinZoom));
    centerOn(content.center());
    Q_EMIT zoomChanged(zoom());
}

void TopologyView::setAutoFit(bool fit)
{
    m_autoFit = fit;
    // Fitted, the whole fleet is in view: scroll bars would only take room (and show a scene
    // that seems bigger than it is). Zoomed or panned by hand, they say where the view is.
    const Qt::ScrollBarPolicy policy = fit ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded;
    setHorizontalScrollBarPolicy(policy);
    setVerticalScrollBarPolicy(policy);
}

void TopologyView::zoomTo(qreal zoom, const QPointF &centre)
{
    setAutoFit(false);
    setZoom(zoom);
    centerOn(centre);
}

void TopologyView::sceneLaidOut(bool reflowed)
{
    // Only a new arrangement (hosts came or went, the view's shape changed) is fitted again: a VM
    // arriving or leaving never moves the view under the pointer.
    if (m_autoFit && reflowed) {
        fitToView();
    } else if (m_hasRestoredCenter) {
        m_hasRestoredCenter = false;
        centerOn(m_restoredCenter);
    }
}

void TopologyView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (event->size().height() > 0)
        m_scene->setViewAspect(qreal(event->size().width()) / event->size().height());
    if (m_autoFit)
        fitToView();
    updateLegend();
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    // Plain wheel or Ctrl+wheel zoom, as in maps; 120 is one notch.
    scaleBy(std::pow(1.0015, delta));
    event->accept();
}

void TopologyView::keyPressEvent(QKeyEvent *event)
{
    if (m_scene->isDragging()) {
        if (event->key() == Qt::Key_Escape) {
            m_scene->cancelDrag();
            return;
        }
    } else {
        switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal: zoomIn(); return;
        case Qt::Key_Minus: zoomOut(); return;
        case Qt::Key_0: resetZoom(); return;
        case Qt::Key_F:
        case Qt::Key_Asterisk: fitToView(); return;
        default: break;
        }
    }
    QGraphicsView::keyPressEvent(event);
}

void TopologyView::mousePressEvent(QMouseEvent *event)
{
    m_scrollAtPress = QPoint(horizontalScrollBar()->value(), verticalScrollBar()->value());
    // Ctrl + drag away from a VM draws a selection rectangle (adding to the selection); a plain
    // drag of the background pans.
    bool onChip = false;
    for (QGraphicsItem *item : items(event->position().toPoint()))
        onChip = onChip || qgraphicsitem_cast<VmChipItem *>(item);
    if (event->button() == Qt::LeftButton && event->modifiers().testFlag(Qt::ControlModifier) && !onChip)
        setDragMode(QGraphicsView::RubberBandDrag);
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::mouseReleaseEvent(QMouseEvent *event)
{
    QGraphicsView::mouseReleaseEvent(event);
    setDragMode(QGraphicsView::ScrollHandDrag);
    // Panning by hand means the operator chose where to look: stop following the fit.
    if (QPoint(horizontalScrollBar()->value(), verticalScrollBar()->value()) != m_scrollAtPress)
        setAutoFit(false);
}

void TopologyView::contextMenuEvent(QContextMenuEvent *event)
{
    VmChipItem *chip = nullptr;
    const QList<QGraphicsItem *> under = items(event->pos());
    for (QGraphicsItem *item : under) {
        if ((chip = qgraphicsitem_cast<VmChipItem *>(item)))
            break;
    }
    if (!chip) {
        for (QGraphicsItem *item : under) {
            if (auto *host = qgraphicsitem_cast<HostItem *>(item)) {
                Q_EMIT hostMenuRequested(host->uri(), event->globalPos());
                return;
            }
        }
    }
    if (!chip || m_vmActions.isEmpty()) {
        QGraphicsView::contextMenuEvent(event);
        return;
    }
    // Right-click on a VM outside the selection acts on that VM alone, as in the table.
    if (!chip->isSelected())
        m_scene->selectVms({chip->key()});
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    menu.addActions(m_vmActions);
    menu.exec(event->globalPos());
}

TopologyView::NearDetail::NearDetail(TopologyScene *scene)
    : m_scene(scene)
    , m_level(scene->detailLevel())
{
    // A picture of the whole topology shows the chips, whatever the view's zoom.
    scene->setDetailLevel(TopologyStyle::DetailLevel::Near);
}

TopologyView::NearDetail::~NearDetail()
{
    m_scene->setDetailLevel(m_level);
}

bool TopologyView::exportPng(const QString &path, QString *error) const
{
    const NearDetail chipsShown(m_scene);
    const QRectF source = m_scene->contentRect();
    const qreal scale = std::min<qreal>(2.0, MaxExportSide / std::max(source.width(), source.height()));
    QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        if (error)
            *error = tr("The topology is too large to draw as a picture.");
        return false;
    }
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        m_scene->render(&painter, QRectF(QPointF(0, 0), image.size()), source);
    }
    if (!image.save(path, "PNG")) {
        if (error)
            *error = tr("Cannot write %1.").arg(path);
        return false;
    }
    return true;
}

bool TopologyView::exportSvg(const QString &path, QString *error) const
{
    const NearDetail chipsShown(m_scene);
    const QRectF source = m_scene->contentRect();
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(source.size().toSize());
    // The screen's resolution: text keeps the size it has in the view.
    generator.setResolution(96);
    generator.setViewBox(QRectF(QPointF(0, 0), source.size()));
    generator.setTitle(tr("Vigie topology"));
    generator.setDescription(tr("Hosts, VMs and VLANs exported from Vigie"));
    QPainter painter;
    if (!painter.begin(&generator)) {
        if (error)
            *error = tr("Cannot write %1.").arg(path);
        return false;
    }
    painter.fillRect(QRectF(QPointF(0, 0), source.size()), Qt::white);
    m_scene->render(&painter, QRectF(QPointF(0, 0), source.size()), source);
    painter.end();
    return true;
}

void TopologyView::saveSettings(QSettings &settings) const
{
    settings.setValue(SettingsFit, m_autoFit);
    settings.setValue(SettingsZoom, zoom());
    settings.setValue(SettingsCenter, mapToScene(viewport()->rect().center()));
}

void TopologyView::restoreSettings(const QSettings &settings)
{
    setAutoFit(settings.value(SettingsFit, true).toBool());
    if (m_autoFit) {
        fitToView();
        return;
    }
    setZoom(settings.value(SettingsZoom, 1.0).toDouble());
    m_restoredCenter = settings.value(SettingsCenter).toPointF();
    m_hasRestoredCenter = true;
    centerOn(m_restoredCenter);
}

} // namespace Vigie
