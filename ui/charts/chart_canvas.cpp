#include "charts/chart_canvas.h"

#include "charts/time_range_sync.h"

#include <QtCharts/QChart>

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace vigil {

ChartCanvas::ChartCanvas(TimeSeriesChart* owner) : QChartView(new QChart), m_owner(owner)
{
    setRubberBand(QChartView::HorizontalRubberBand);
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
}

double ChartCanvas::xAt(double px) const
{
    const QRectF plot = chart()->plotArea();
    const double span = xAxis->max() - xAxis->min();
    return xAxis->min() + (px - plot.left()) / std::max(1.0, plot.width()) * span;
}

void ChartCanvas::wheelEvent(QWheelEvent* event)
{
    const QPointF pos = event->position();
    const double notches = event->angleDelta().y() / 120.0;
    if (!chart()->plotArea().contains(pos) || notches == 0.0) {
        event->ignore(); // let the surrounding scroll area scroll
        return;
    }
    m_owner->zoomBy(std::pow(0.8, notches), xAt(pos.x()));
    event->accept();
}

void ChartCanvas::mousePressEvent(QMouseEvent* event)
{
    const bool pan = event->button() == Qt::MiddleButton ||
                     (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    if (pan) {
        m_panning = true;
        m_panStartPx = event->position().x();
        m_panStartRange = m_owner->visibleRange();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    if (event->button() == Qt::RightButton) {
        event->accept(); // the context menu event follows; never QChartView's zoom-out
        return;
    }
    QChartView::mousePressEvent(event);
}

void ChartCanvas::mouseMoveEvent(QMouseEvent* event)
{
    if (m_panning) {
        const auto [lo, hi] = m_panStartRange;
        const double delta =
            -(event->position().x() - m_panStartPx) / std::max(1.0, chart()->plotArea().width()) * (hi - lo);
        m_owner->m_sync->setRange(lo + delta, hi + delta);
        return;
    }
    QChartView::mouseMoveEvent(event);
    if (chart()->plotArea().contains(event->position())) {
        const QString text = m_owner->tooltipAt(xAt(event->position().x()));
        if (!text.isEmpty()) {
            QToolTip::showText(event->globalPosition().toPoint(), text, this);
            return;
        }
    }
    QToolTip::hideText();
}

void ChartCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_panning) {
        m_panning = false;
        unsetCursor();
        return;
    }
    if (event->button() == Qt::RightButton) {
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void ChartCanvas::mouseDoubleClickEvent(QMouseEvent*)
{
    m_owner->resetZoom();
}

void ChartCanvas::keyPressEvent(QKeyEvent* event)
{
    const auto [lo, hi] = m_owner->visibleRange();
    switch (event->key()) {
    case Qt::Key_Left:
        m_owner->panBy(-0.1);
        break;
    case Qt::Key_Right:
        m_owner->panBy(0.1);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_owner->zoomBy(0.8, (lo + hi) / 2);
        break;
    case Qt::Key_Minus:
        m_owner->zoomBy(1.25, (lo + hi) / 2);
        break;
    case Qt::Key_Home:
    case Qt::Key_0:
        m_owner->resetZoom();
        break;
    default:
        QChartView::keyPressEvent(event);
    }
}

void ChartCanvas::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu* menu = m_owner->createExportMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

} // namespace vigil
