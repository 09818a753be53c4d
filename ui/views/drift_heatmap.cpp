#include "views/drift_heatmap.h"

#include "charts/time_axis.h"
#include "charts/time_range_sync.h"
#include "engine/window.h"
#include "format.h"
#include "views/drift_colors.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace vigil {

namespace {
constexpr int kAxisHeight = 34;
constexpr int kMinLabelRowHeight = 9; // below this, row labels would overlap
constexpr int kOutlineCell = 6;       // from this size drifted cells get an outline, not a fill
constexpr int kDefaultRowHeight = 16;
constexpr int kMaxAutoRowHeight = 30;
} // namespace

DriftHeatmap::DriftHeatmap(QWidget* parent) : QAbstractScrollArea(parent)
{
    viewport()->setMouseTracking(true);
    viewport()->setBackgroundRole(QPalette::Base);
    setFrameShape(QFrame::NoFrame);
    setMinimumSize(300, 160);
    // Only a scroll the user made moves the shared time range; range changes from layout
    // (resizes, new data) must not drag the other views along.
    connect(horizontalScrollBar(), &QAbstractSlider::actionTriggered, this, [this] { m_userScroll = true; });
}

void DriftHeatmap::setResult(std::shared_ptr<const AnalysisResult> result, DriftStatistic statistic)
{
    m_result = std::move(result);
    m_statistic = statistic;
    m_selectedFeature.clear();
    m_selectedWindow = -1;
    rebuildModel();
}

void DriftHeatmap::setStatistic(DriftStatistic statistic)
{
    if (statistic == m_statistic && (m_model || m_building))
        return;
    m_statistic = statistic;
    rebuildModel();
}

void DriftHeatmap::setSync(TimeRangeSync* sync)
{
    if (m_sync)
        disconnect(m_sync, nullptr, this, nullptr);
    m_sync = sync;
    if (m_sync)
        connect(m_sync, &TimeRangeSync::rangeChanged, this, &DriftHeatmap::applySyncRange);
}

void DriftHeatmap::rebuildModel()
{
    m_task.cancel();
    m_building = false;
    m_model.reset();
    m_windowOfColumn.clear();
    m_columnOfWindow.clear();
    if (!m_result || !m_result->snapshot.drift) {
        applyModel(nullptr);
        return;
    }
    const DriftSnapshot& drift = *m_result->snapshot.drift;
    const auto& windows = m_result->snapshot.windows;
    m_windowMs = std::max<std::int64_t>(m_result->snapshot.windowMs, 1);
    if (!windows.empty()) {
        m_firstMs = windows.front().startMs;
        const auto columns = static_cast<std::size_t>((windows.back().startMs - m_firstMs) / m_windowMs) + 1;
        m_windowOfColumn.assign(columns, -1);
        for (std::size_t w = 0; w < drift.windows.size() && w < windows.size(); ++w) {
            const auto c = static_cast<std::size_t>((windows[w].startMs - m_firstMs) / m_windowMs);
            m_windowOfColumn[c] = static_cast<int>(w);
            m_columnOfWindow.push_back(static_cast<int>(c));
        }
    }
    const std::size_t cells =
        drift.windows.size() * (drift.windows.empty() ? 0 : drift.windows.front().features.size());
    if (cells <= kSyncCells) {
        applyModel(std::make_shared<const DriftHeatmapModel>(buildHeatmapModel(drift, m_statistic)));
        return;
    }
    // Sorting and laying out a million cells takes a few hundred ms: not on the UI thread.
    m_building = true;
    rebuildRows();
    auto result = m_result;
    const DriftStatistic statistic = m_statistic;
    m_task.start(
        [result, statistic](std::stop_token) -> Result<std::shared_ptr<const DriftHeatmapModel>> {
            return std::shared_ptr<const DriftHeatmapModel>(std::make_shared<const DriftHeatmapModel>(
                buildHeatmapModel(*result->snapshot.drift, statistic)));
        },
        [this](Result<std::shared_ptr<const DriftHeatmapModel>> model) {
            m_building = false;
            applyModel(model ? model.value() : nullptr);
        });
}

void DriftHeatmap::applyModel(std::shared_ptr<const DriftHeatmapModel> model)
{
    m_model = std::move(model);
    rebuildRows();
    emit modelChanged();
}

void DriftHeatmap::rebuildRows()
{
    m_rows.clear();
    int widest = 40;
    const QFontMetrics fm(font());
    if (m_model) {
        const auto& features = m_model->features;
        for (std::size_t i = 0; i < features.size(); ++i) {
            const FeatureGroup g = features[i].group;
            if (i == 0 || features[i - 1].group != g) {
                const auto count = std::count_if(features.begin(), features.end(),
                                                 [g](const HeatmapFeature& f) { return f.group == g; });
                m_rows.push_back({true, g, -1, static_cast<int>(count)});
            }
            if (!m_collapsed.contains(static_cast<int>(g)))
                m_rows.push_back({false, g, static_cast<int>(i), 0});
        }
        // Measuring every name costs ~50 µs of text shaping each; the longest few decide.
        std::vector<const std::string*> longest;
        for (const DisplayRow& r : m_rows)
            if (!r.header)
                longest.push_back(&features[static_cast<std::size_t>(r.modelRow)].name);
        const std::size_t measured = std::min<std::size_t>(longest.size(), 32);
        std::partial_sort(longest.begin(), longest.begin() + static_cast<std::ptrdiff_t>(measured),
                          longest.end(),
                          [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
        for (std::size_t i = 0; i < measured; ++i)
            widest = std::max(widest, fm.horizontalAdvance(QString::fromStdString(*longest[i])));
    }
    m_labelWidth = std::clamp(widest, 60, 220) + 30;
    m_selectedRow = m_selectedFeature.isEmpty() ? -1 : displayRowOfFeature(m_selectedFeature);
    rebuildImage();
    updateGeometryAndScrollBars();
    viewport()->update();
}

void DriftHeatmap::rebuildImage()
{
    const int columns = static_cast<int>(m_windowOfColumn.size());
    const int rows = static_cast<int>(m_rows.size());
    if (!m_model || columns == 0 || rows == 0) {
        m_image = QImage();
        m_driftImage = QImage();
        return;
    }
    m_image = QImage(columns, rows, QImage::Format_ARGB32_Premultiplied);
    m_image.fill(Qt::transparent);
    m_driftImage = QImage(columns, rows, QImage::Format_ARGB32_Premultiplied);
    m_driftImage.fill(Qt::transparent);
    const QRgb mark = driftcolors::driftedMark().rgba();
    std::array<QRgb, 256> lut{}; // 256 steps are finer than the eye (and the legend) can tell
    for (std::size_t k = 0; k < lut.size(); ++k)
        lut[k] = driftcolors::scale(static_cast<double>(k) / 255.0);
    for (int r = 0; r < rows; ++r) {
        const DisplayRow& row = m_rows[static_cast<std::size_t>(r)];
        if (row.header)
            continue;
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(r));
        auto* marks = reinterpret_cast<QRgb*>(m_driftImage.scanLine(r));
        const auto mr = static_cast<std::size_t>(row.modelRow);
        for (std::size_t w = 0; w < m_columnOfWindow.size(); ++w) {
            const int c = m_columnOfWindow[w];
            const float v = m_model->value(mr, w);
            if (!std::isnan(v))
                line[c] = lut[static_cast<std::size_t>(m_model->scale.position(v) * 255.0 + 0.5)];
            if (m_model->isDrifted(mr, w))
                marks[c] = mark;
        }
    }
}

QString DriftHeatmap::displayRowName(int row) const
{
    if (row < 0 || row >= displayRowCount() || !m_model)
        return {};
    const DisplayRow& r = m_rows[static_cast<std::size_t>(row)];
    return r.header ? QString()
                    : QString::fromStdString(m_model->features[static_cast<std::size_t>(r.modelRow)].name);
}

void DriftHeatmap::setGroupCollapsed(FeatureGroup group, bool collapsed)
{
    if (collapsed)
        m_collapsed.insert(static_cast<int>(group));
    else
        m_collapsed.remove(static_cast<int>(group));
    rebuildRows();
}

bool DriftHeatmap::isGroupCollapsed(FeatureGroup group) const
{
    return m_collapsed.contains(static_cast<int>(group));
}

int DriftHeatmap::displayRowOfFeature(const QString& feature) const
{
    for (std::size_t r = 0; r < m_rows.size(); ++r)
        if (!m_rows[r].header && displayRowName(static_cast<int>(r)) == feature)
            return static_cast<int>(r);
    return -1;
}

int DriftHeatmap::columnOfWindow(int window) const
{
    if (window < 0 || window >= static_cast<int>(m_columnOfWindow.size()))
        return -1;
    return m_columnOfWindow[static_cast<std::size_t>(window)];
}

QRect DriftHeatmap::plotRect() const
{
    const QRect v = viewport()->rect();
    return QRect(v.left() + m_labelWidth, v.top() + kAxisHeight, std::max(1, v.width() - m_labelWidth),
                 std::max(1, v.height() - kAxisHeight));
}

double DriftHeatmap::columnX(double column) const
{
    return plotRect().left() + column * m_cellW - horizontalScrollBar()->value();
}

void DriftHeatmap::setCellSize(double width, int height)
{
    m_fitWidth = width <= 0.0;
    if (!m_fitWidth)
        m_cellW = std::clamp(width, 1.0, 80.0);
    m_fitHeight = height <= 0;
    if (!m_fitHeight)
        m_cellH = std::clamp(height, 1, 60);
    updateGeometryAndScrollBars();
    viewport()->update();
}

void DriftHeatmap::updateGeometryAndScrollBars()
{
    const QRect plot = plotRect();
    const auto columns = static_cast<double>(std::max<std::size_t>(1, m_windowOfColumn.size()));
    if (m_fitWidth)
        m_cellW = std::max(1.0, plot.width() / columns);
    // A few features fill the height (up to a comfortable row); many scroll at 16 px rows.
    if (m_fitHeight && !m_rows.empty())
        m_cellH =
            std::clamp(plot.height() / static_cast<int>(m_rows.size()), kDefaultRowHeight, kMaxAutoRowHeight);
    const int contentW = static_cast<int>(std::ceil(columns * m_cellW));
    const int contentH = static_cast<int>(m_rows.size()) * m_cellH;
    horizontalScrollBar()->setRange(0, m_fitWidth ? 0 : std::max(0, contentW - plot.width()));
    horizontalScrollBar()->setPageStep(plot.width());
    horizontalScrollBar()->setSingleStep(std::max(1, static_cast<int>(m_cellW)));
    verticalScrollBar()->setRange(0, std::max(0, contentH - plot.height()));
    verticalScrollBar()->setPageStep(plot.height());
    verticalScrollBar()->setSingleStep(m_cellH);
}

void DriftHeatmap::applySyncRange(double minMs, double maxMs)
{
    if (m_windowOfColumn.empty() || !(maxMs > minMs) || !m_sync)
        return;
    const QRect plot = plotRect();
    const double visibleColumns = (maxMs - minMs) / static_cast<double>(m_windowMs);
    m_fitWidth = !m_sync->isZoomed();
    m_cellW = m_fitWidth ? std::max(1.0, plot.width() / static_cast<double>(m_windowOfColumn.size()))
                         : std::clamp(plot.width() / std::max(visibleColumns, 1.0), 1.0, 80.0);
    updateGeometryAndScrollBars();
    m_applyingSync = true;
    horizontalScrollBar()->setValue(static_cast<int>(
        std::lround((minMs - static_cast<double>(m_firstMs)) / static_cast<double>(m_windowMs) * m_cellW)));
    m_applyingSync = false;
    viewport()->update();
}

void DriftHeatmap::scrollContentsBy(int dx, int /*dy*/)
{
    const bool user = std::exchange(m_userScroll, false);
    if (dx != 0 && user && m_sync && !m_applyingSync && !m_fitWidth) {
        const double first = horizontalScrollBar()->value() / m_cellW;
        const double lo = static_cast<double>(m_firstMs) + first * static_cast<double>(m_windowMs);
        const double hi = lo + plotRect().width() / m_cellW * static_cast<double>(m_windowMs);
        m_applyingSync = true;
        m_sync->setRange(lo, hi);
        m_applyingSync = false;
    }
    viewport()->update();
}

void DriftHeatmap::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateGeometryAndScrollBars();
}

QRect DriftHeatmap::cellRect(const QString& feature, int window) const
{
    const int row = displayRowOfFeature(feature);
    const int c = columnOfWindow(window);
    if (row < 0 || c < 0)
        return {};
    const int x0 = static_cast<int>(std::floor(columnX(c)));
    const int x1 = static_cast<int>(std::floor(columnX(c + 1)));
    const int y = plotRect().top() + row * m_cellH - verticalScrollBar()->value();
    return QRect(x0, y, std::max(1, x1 - x0), m_cellH);
}

DriftHeatmap::Hit DriftHeatmap::hitAt(QPoint pos) const
{
    Hit hit;
    const QRect plot = plotRect();
    if (pos.y() < plot.top())
        return hit;
    const int row = (pos.y() - plot.top() + verticalScrollBar()->value()) / m_cellH;
    if (row < 0 || row >= displayRowCount())
        return hit;
    hit.displayRow = row;
    if (pos.x() < plot.left())
        return hit;
    const auto c =
        static_cast<long>(std::floor((pos.x() - plot.left() + horizontalScrollBar()->value()) / m_cellW));
    if (c >= 0 && c < static_cast<long>(m_windowOfColumn.size()))
        hit.window = m_windowOfColumn[static_cast<std::size_t>(c)];
    return hit;
}

QRgb DriftHeatmap::cellColour(const QString& feature, int window) const
{
    const int row = displayRowOfFeature(feature);
    const int c = columnOfWindow(window);
    if (row < 0 || c < 0 || m_image.isNull())
        return 0;
    return m_image.pixel(c, row);
}

QString DriftHeatmap::tooltipFor(const QString& feature, int window) const
{
    if (!m_result || !m_result->snapshot.drift || window < 0)
        return {};
    const DriftSnapshot& drift = *m_result->snapshot.drift;
    if (static_cast<std::size_t>(window) >= drift.windows.size())
        return {};
    const auto& features = drift.windows[static_cast<std::size_t>(window)].features;
    const auto it = std::find_if(features.begin(), features.end(), [&](const FeatureDrift& f) {
        return QString::fromStdString(f.name) == feature;
    });
    if (it == features.end())
        return {};
    const FeatureDrift& f = *it;
    const auto& ws = m_result->snapshot.windows[static_cast<std::size_t>(window)];
    QString html = QStringLiteral("<b>%1</b> (%2)<br/>%3 &middot; %4 window<br/>")
                       .arg(feature.toHtmlEscaped(), f.categorical ? tr("categorical") : tr("numeric"),
                            formatUtc(ws.startMs),
                            QString::fromStdString(formatWindowSize(m_result->snapshot.windowMs)));
    html +=
        f.drifted ? QStringLiteral("<b style=\"color:#B00000\">%1</b>").arg(tr("drifted")) : tr("no drift");
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\">");
    const auto row = [&html](const QString& name, const std::optional<double>& v) {
        html += QStringLiteral("<tr><td>%1</td><td align=\"right\">&nbsp;<b>%2</b></td></tr>")
                    .arg(name, v ? formatValue(*v) : QStringLiteral("—"));
    };
    row(tr("KS D"), f.ksD);
    row(tr("KS p-value"), f.ksP);
    row(tr("Wasserstein-1"), f.wasserstein);
    row(tr("PSI"), f.psi);
    row(tr("Jensen-Shannon"), f.js);
    row(tr("Hellinger"), f.hellinger);
    row(tr("chi²"), f.chi2);
    row(tr("chi² p-value"), f.chi2P);
    row(tr("Missing share"), f.missingShare);
    html += QStringLiteral("</table><i>%1</i>").arg(tr("Click for the distributions"));
    return html;
}

void DriftHeatmap::setSelectedCell(const QString& feature, int window)
{
    m_selectedFeature = feature;
    m_selectedRow = displayRowOfFeature(feature);
    m_selectedWindow = window;
    viewport()->update();
}

bool DriftHeatmap::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const Hit hit = hitAt(help->pos());
        const QString name = displayRowName(hit.displayRow);
        const QString text = name.isEmpty() ? QString() : tooltipFor(name, hit.window);
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void DriftHeatmap::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QAbstractScrollArea::mousePressEvent(event);
    const Hit hit = hitAt(event->position().toPoint());
    if (hit.displayRow < 0)
        return;
    const DisplayRow& row = m_rows[static_cast<std::size_t>(hit.displayRow)];
    if (row.header) {
        setGroupCollapsed(row.group, !isGroupCollapsed(row.group));
        return;
    }
    if (hit.window < 0)
        return;
    const QString name = displayRowName(hit.displayRow);
    setSelectedCell(name, hit.window);
    emit cellClicked(name, hit.window);
}

void DriftHeatmap::wheelEvent(QWheelEvent* event)
{
    if (!(event->modifiers() & Qt::ControlModifier))
        return QAbstractScrollArea::wheelEvent(event);
    const double factor = event->angleDelta().y() > 0 ? 1.25 : 0.8;
    if (event->modifiers() & Qt::ShiftModifier) {
        setCellSize(m_fitWidth ? 0.0 : m_cellW,
                    static_cast<int>(std::lround(m_cellH * factor + (factor > 1 ? 1 : -1))));
        return;
    }
    // Zoom the columns around the pointer; with a shared time range every view follows.
    const QRect plot = plotRect();
    const double anchor = (event->position().x() - plot.left() + horizontalScrollBar()->value()) / m_cellW;
    const double newW = std::clamp(m_cellW * factor, 1.0, 80.0);
    const double first = anchor - (event->position().x() - plot.left()) / newW;
    const double lo = static_cast<double>(m_firstMs) + std::max(0.0, first) * static_cast<double>(m_windowMs);
    const double hi = lo + plot.width() / newW * static_cast<double>(m_windowMs);
    if (m_sync && m_sync->hasData()) {
        m_sync->setRange(lo, std::min(hi, m_sync->dataMax()));
    } else {
        m_fitWidth = false;
        m_cellW = newW;
        updateGeometryAndScrollBars();
        horizontalScrollBar()->setValue(static_cast<int>(std::max(0.0, first) * m_cellW));
        viewport()->update();
    }
    event->accept();
}

void DriftHeatmap::paintTimeAxis(QPainter& p, const QRect& plot)
{
    const double w = static_cast<double>(m_windowMs);
    const double tMin = static_cast<double>(m_firstMs) + (horizontalScrollBar()->value() / m_cellW) * w;
    const double tMax = tMin + plot.width() / m_cellW * w;
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(0, 0, m_labelWidth - 6, kAxisHeight), Qt::AlignRight | Qt::AlignVCenter,
               tr("time (UTC)"));
    p.setPen(QColor(0x99, 0x99, 0x99));
    p.drawLine(plot.left(), kAxisHeight - 1, plot.right(), kAxisHeight - 1);
    const auto ticks = utcTicks(tMin, tMax, std::max(1, plot.width() / 110));
    const QFontMetrics fm(font());
    for (const TimeTick& t : ticks) {
        const double x = columnX((t.ms - static_cast<double>(m_firstMs)) / w);
        if (x < plot.left() || x > plot.right())
            continue;
        p.setPen(QColor(0x66, 0x66, 0x66));
        p.drawLine(QPointF(x, kAxisHeight - 7), QPointF(x, kAxisHeight - 1));
        p.setPen(palette().color(QPalette::Text));
        const int tw = fm.horizontalAdvance(t.label);
        p.drawText(QPointF(std::clamp(x - tw / 2.0, double(plot.left()), double(plot.right() - tw)),
                           kAxisHeight - 11),
                   t.label);
    }
}

void DriftHeatmap::paintEvent(QPaintEvent*)
{
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().color(QPalette::Base));
    if (!m_model || m_image.isNull()) {
        p.drawText(viewport()->rect(), Qt::AlignCenter,
                   m_building ? tr("Preparing the heatmap…") : tr("No drift statistics"));
        return;
    }
    const QRect plot = plotRect();
    const int columns = static_cast<int>(m_windowOfColumn.size());
    const int rows = displayRowCount();
    const int hs = horizontalScrollBar()->value();
    const int vs = verticalScrollBar()->value();
    const int c0 = std::clamp(static_cast<int>(std::floor(hs / m_cellW)), 0, columns - 1);
    const int c1 = std::clamp(static_cast<int>(std::ceil((hs + plot.width()) / m_cellW)), c0 + 1, columns);
    const int r0 = std::clamp(vs / m_cellH, 0, rows - 1);
    const int r1 = std::clamp((vs + plot.height()) / m_cellH + 1, r0 + 1, rows);
    const auto rowY = [&](int r) { return plot.top() + r * m_cellH - vs; };

    p.save();
    p.setClipRect(plot);
    const QRectF target(columnX(c0), rowY(r0), (c1 - c0) * m_cellW, (r1 - r0) * m_cellH);
    // Cells without a value show the hatch under the (transparent) image pixels.
    p.fillRect(target, driftcolors::nullBackground());
    p.fillRect(target, QBrush(driftcolors::nullHatch(), Qt::BDiagPattern));
    const QRectF source(c0, r0, c1 - c0, r1 - r0);
    p.drawImage(target, m_image, source);
    const bool outlines = m_cellW >= kOutlineCell && m_cellH >= kOutlineCell;
    if (!outlines) {
        p.drawImage(target, m_driftImage, source);
    } else {
        QVector<QRectF> marks;
        for (int r = r0; r < r1; ++r) {
            const DisplayRow& row = m_rows[static_cast<std::size_t>(r)];
            if (row.header)
                continue;
            for (int c = c0; c < c1; ++c) {
                const int w = m_windowOfColumn[static_cast<std::size_t>(c)];
                if (w >= 0 &&
                    m_model->isDrifted(static_cast<std::size_t>(row.modelRow), static_cast<std::size_t>(w)))
                    marks.append(QRectF(columnX(c) + 0.5, rowY(r) + 0.5, m_cellW - 1.0, m_cellH - 1.0));
            }
        }
        p.setPen(QPen(driftcolors::driftedMark(), std::min(2.0, m_cellW / 4.0)));
        p.setBrush(Qt::NoBrush);
        p.drawRects(marks);
        // A dot too, so a drifted cell reads as marked even where the outline sits on dark red.
        p.setPen(Qt::NoPen);
        p.setBrush(driftcolors::driftedMark());
        const double dot = std::min(m_cellW, static_cast<double>(m_cellH)) / 3.5;
        for (const QRectF& m : marks)
            p.drawEllipse(m.center(), dot, dot);
    }
    if (m_selectedRow >= r0 && m_selectedRow < r1 && m_selectedWindow >= 0) {
        const int c = columnOfWindow(m_selectedWindow);
        p.setPen(QPen(driftcolors::selection(), 2.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(columnX(c) - 1, rowY(m_selectedRow) - 1, m_cellW + 2, m_cellH + 2));
    }
    p.restore();

    // Group headers across the whole width, row labels at the left.
    p.save();
    p.setClipRect(QRect(0, plot.top(), viewport()->width(), plot.height()));
    const QFontMetrics fm(font());
    const bool labels = m_cellH >= kMinLabelRowHeight;
    for (int r = r0; r < r1; ++r) {
        const DisplayRow& row = m_rows[static_cast<std::size_t>(r)];
        const QRect band(0, rowY(r), viewport()->width(), m_cellH);
        if (row.header) {
            p.fillRect(band, QColor(0xEC, 0xEF, 0xF3));
            if (labels) {
                p.setPen(palette().color(QPalette::Text));
                const QString text =
                    QStringLiteral("%1 %2 (%3)")
                        .arg(isGroupCollapsed(row.group) ? QStringLiteral("▸") : QStringLiteral("▾"),
                             QString::fromUtf8(featureGroupLabel(row.group).data()))
                        .arg(row.count);
                p.drawText(band.adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
            }
        } else if (labels) {
            p.setPen(palette().color(QPalette::Text));
            const QString name =
                QString::fromStdString(m_model->features[static_cast<std::size_t>(row.modelRow)].name);
            p.drawText(QRect(10, rowY(r), m_labelWidth - 16, m_cellH), Qt::AlignLeft | Qt::AlignVCenter,
                       fm.elidedText(name, Qt::ElideMiddle, m_labelWidth - 16));
        }
    }
    p.restore();
    paintTimeAxis(p, plot);
}

} // namespace vigil
