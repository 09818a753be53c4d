#pragma once
// The features x windows drift heatmap. It paints one QImage (a pixel per cell, scaled on
// paint), not a widget per cell, so thousands of features by hundreds of windows stay
// fluid. Columns are time slots of the window size (a window without rows is a hatched
// column), so the header lines up with the other views' time axis.
#include "engine/drift_heatmap.h"
#include "engine/pipeline.h"
#include "jobs/latest_task.h"

#include <QAbstractScrollArea>
#include <QImage>
#include <QPointer>
#include <QSet>

#include <memory>
#include <optional>

namespace vigil {

class TimeRangeSync;

class DriftHeatmap : public QAbstractScrollArea
{
    Q_OBJECT
  public:
    explicit DriftHeatmap(QWidget* parent = nullptr);

    // Models of more cells than this are built on a worker (modelChanged() says when).
    static constexpr std::size_t kSyncCells = 100'000;

    // result must carry snapshot.drift (else the heatmap is empty). model() is null until
    // the model is built: at once for small results, on a worker for large ones.
    void setResult(std::shared_ptr<const AnalysisResult> result, DriftStatistic statistic);
    void setStatistic(DriftStatistic statistic);
    DriftStatistic statistic() const { return m_statistic; }
    const DriftHeatmapModel* model() const { return m_model.get(); }
    bool isBuilding() const { return m_building; }
    void setSync(TimeRangeSync* sync);

    // Display rows: group headers and the features of expanded groups.
    int displayRowCount() const { return static_cast<int>(m_rows.size()); }
    QString displayRowName(int row) const; // feature name, or "" for a group header
    void setGroupCollapsed(FeatureGroup group, bool collapsed);
    bool isGroupCollapsed(FeatureGroup group) const;

    // Geometry, in viewport coordinates (for tests and the benchmark).
    QRect cellRect(const QString& feature, int window) const; // empty if not displayed
    struct Hit
    {
        int displayRow = -1;
        int window = -1; // index into the drift windows; -1 = no window in that slot
    };
    Hit hitAt(QPoint viewportPos) const;
    QRgb cellColour(const QString& feature, int window) const; // as painted (0 = no value)
    QString tooltipFor(const QString& feature, int window) const;

    // width <= 0: fit the columns to the width; height <= 0: rows of 16-30 px filling the height.
    void setCellSize(double width, int height);
    double cellWidth() const { return m_cellW; }
    int cellHeight() const { return m_cellH; }
    void setSelectedCell(const QString& feature, int window);

  signals:
    void cellClicked(const QString& feature, int window);
    void modelChanged(); // a new model (or none) is shown

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent* event) override;

  private:
    struct DisplayRow
    {
        bool header = false;
        FeatureGroup group = FeatureGroup::Numeric;
        int modelRow = -1;
        int count = 0; // features in the group (headers)
    };
    void rebuildModel();
    void applyModel(std::shared_ptr<const DriftHeatmapModel> model);
    void rebuildRows();
    void rebuildImage();
    void updateGeometryAndScrollBars();
    void applySyncRange(double minMs, double maxMs);
    int columnOfWindow(int window) const;
    int displayRowOfFeature(const QString& feature) const;
    double columnX(double column) const; // viewport x of a column's left edge
    QRect plotRect() const;
    void paintTimeAxis(QPainter& p, const QRect& plot);

    std::shared_ptr<const AnalysisResult> m_result;
    std::shared_ptr<const DriftHeatmapModel> m_model;
    DriftStatistic m_statistic = DriftStatistic::JensenShannon;
    QPointer<TimeRangeSync> m_sync;
    std::vector<DisplayRow> m_rows;
    QSet<int> m_collapsed;             // FeatureGroup values
    std::vector<int> m_windowOfColumn; // -1 = a slot without a window
    std::vector<int> m_columnOfWindow;
    std::int64_t m_firstMs = 0;
    std::int64_t m_windowMs = 0;
    QImage m_image;      // columns x display rows; transparent = no value or header
    QImage m_driftImage; // the drifted marks at scales too small for outlines
    double m_cellW = 4.0;
    int m_cellH = 16;
    bool m_fitWidth = true;
    bool m_fitHeight = true;
    int m_labelWidth = 120;
    QString m_selectedFeature;
    int m_selectedRow = -1; // display row of m_selectedFeature
    int m_selectedWindow = -1;
    bool m_applyingSync = false;
    bool m_userScroll = false;
    bool m_building = false;
    LatestTask<std::shared_ptr<const DriftHeatmapModel>> m_task{this}; // last member: joins first
};

} // namespace vigil
