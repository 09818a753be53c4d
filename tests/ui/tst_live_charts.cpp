// Live updates of the charts: a followed log (real file, real FollowSession, the
// results the dashboard gets every 250 ms) updates the views' series in place: the
// same Qt Charts objects before and after, with the new points; series are created or
// removed only when the set of lines changes.
#include "charts/nice_range.h"
#include "charts/time_series_chart.h"
#include "engine/follow_session.h"
#include "views/kpi_view.h"
#include "views/operations_view.h"
#include "views/performance_view.h"

#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>

#include <cmath>
#include <fcntl.h>
#include <filesystem>
#include <limits>
#include <string>
#include <unistd.h>

using namespace vigil;

namespace {

constexpr std::int64_t kStartMs = 1'767'225'600'000; // 2026-01-01 00:00 UTC
constexpr std::int64_t kMinuteMs = 60'000;

// Rows i in [from, to): 2 s apart (30 per 1-minute window), two versions throughout.
std::string lines(int from, int to)
{
    std::string out;
    for (int i = from; i < to; ++i) {
        const double p = ((i * 37) % 100) / 100.0;
        out += "{\"ts\":" + std::to_string(kStartMs + i * 2000LL) + ",\"model\":\"m\",\"version\":\"" +
               (i % 4 == 0 ? "1.3.0" : "1.4.0") + "\",\"latency_ms\":" + std::to_string(20 + (i * 7) % 31) +
               ",\"status\":\"ok\",\"prediction\":" + std::to_string(p) +
               ",\"label\":" + std::to_string((i * 13) % 10 < p * 10 ? 1 : 0) +
               ",\"kpi\":{\"revenue\":" + std::to_string(i % 9) + "}}\n";
    }
    return out;
}

ChartSeries series(const QString& name, std::vector<double> y)
{
    ChartSeries s;
    s.name = name;
    s.color = Qt::darkBlue;
    for (std::size_t i = 0; i < y.size(); ++i) {
        s.xMs.push_back(static_cast<double>(kStartMs + static_cast<std::int64_t>(i) * kMinuteMs));
        s.rows.push_back(10);
    }
    s.y = std::move(y);
    return s;
}

} // namespace

class TstLiveCharts : public QObject
{
    Q_OBJECT

  private slots:
    // The y range a chart decides on without an axis is Qt's own nice range.
    void niceRangeIsQtsApplyNiceNumbers_data()
    {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addRow("fraction") << 0.0 << 1.0;
        QTest::addRow("accuracy band") << 0.7412 << 0.7523;
        QTest::addRow("counts") << 0.0 << 612'345.0;
        QTest::addRow("negative to positive") << -3.25 << 1234.5;
        QTest::addRow("tiny") << 1e-6 << 3.7e-6;
        QTest::addRow("narrow, far from zero") << 100.0 << 100.5;
    }
    void niceRangeIsQtsApplyNiceNumbers()
    {
        QFETCH(double, lo);
        QFETCH(double, hi);
        QValueAxis axis;
        axis.setRange(lo, hi);
        axis.setTickCount(5);
        axis.applyNiceNumbers();
        const NiceRange nice = niceRange(lo, hi, 5);
        QCOMPARE(nice.min, axis.min());
        QCOMPARE(nice.max, axis.max());
        QCOMPARE(nice.ticks, axis.tickCount());
    }

    void followedLogUpdatesChartsInPlace_data()
    {
        QTest::addColumn<int>("rowsPerStep");
        QTest::addRow("within the newest window") << 7;
        QTest::addRow("a new window each step") << 45;
    }

    void followedLogUpdatesChartsInPlace()
    {
        QFETCH(int, rowsPerStep);
        QTemporaryDir dir;
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / "live.jsonl").string();
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        QVERIFY(fd >= 0);
        AnalysisOptions options;
        options.windowMs = kMinuteMs;
        FollowSession session({path}, {}, options);

        PerformanceView performance;
        OperationsView operations;
        KpiView kpis;
        performance.resize(1200, 900);
        operations.resize(1200, 900);
        kpis.resize(1200, 900);
        const std::vector<ChartGridView*> views = {&performance, &operations, &kpis};

        int rows = 0;
        std::vector<QList<const QObject*>> before; // per chart of every view, the previous update's series
        QStringList ids;
        for (int step = 0; step < 12; ++step) {
            const std::string text = lines(rows, rows + 40 + step * rowsPerStep);
            rows += 40 + step * rowsPerStep;
            QCOMPARE(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
            QVERIFY(session.poll());
            auto result = session.analyze();
            QVERIFY2(result, result ? "" : result.error().message.c_str());
            const AnalysisResult& r = *result.value();
            QCOMPARE(r.log->table.rows(), static_cast<std::size_t>(rows));
            QCOMPARE(r.snapshot.byVersion.size(), 2u);
            const int windows = static_cast<int>(r.snapshot.windows.size());
            QCOMPARE(windows, (rows - 1) / 30 + 1); // rows 2 s apart from a minute boundary

            std::vector<QList<const QObject*>> now;
            QStringList nowIds;
            for (ChartGridView* view : views) {
                view->setResult(result.value());
                QVERIFY(!view->isShowingEmptyState());
                for (const QString& id : view->chartIds()) {
                    TimeSeriesChart* chart = view->chart(id);
                    nowIds << id;
                    now.push_back(chart->seriesObjects());
                    QCOMPARE(chart->structuralRebuilds(), 1); // built once, then updated in place
                }
            }
            // Every window a point (no gaps: every minute has rows), on every line.
            const TimeSeriesChart* accuracy = performance.chart(QStringLiteral("accuracy"));
            QVERIFY(accuracy);
            QCOMPARE(accuracy->seriesNames(),
                     (QStringList{QStringLiteral("all"), QStringLiteral("1.3.0"), QStringLiteral("1.4.0")}));
            for (const QString& name : accuracy->seriesNames()) {
                QCOMPARE(accuracy->pointCount(name), windows);
                QCOMPARE(accuracy->segmentCount(name), 1);
            }
            const TimeSeriesChart* labeled = performance.chart(QStringLiteral("labeled"));
            QCOMPARE(labeled->pointCount(QStringLiteral("all")), windows);
            const TimeSeriesChart* latency = operations.chart(QStringLiteral("latency"));
            QVERIFY(latency);
            QCOMPARE(latency->pointCount(QStringLiteral("p50")), windows);
            if (step > 0) {
                QCOMPARE(nowIds, ids);
                QCOMPARE(now.size(), before.size());
                for (std::size_t c = 0; c < now.size(); ++c)
                    QVERIFY2(now[c] == before[c], qPrintable(nowIds[static_cast<int>(c)]));
            }
            before = std::move(now);
            ids = nowIds;
            // The newest window's row count is what the chart holds for it.
            const QString tip =
                labeled->tooltipAt(static_cast<double>(r.snapshot.windows.back().startMs) + 1.0);
            QVERIFY2(tip.contains(QString::number(r.snapshot.windows.back().labeled)), qPrintable(tip));
        }
        ::close(fd);
    }

    // A short chart (the drift view's multivariate strip) gets as many value ticks as its plot
    // height spaces readably; with five, Qt Charts elided every label to "…".
    void valueTicksFitAShortPlot_data()
    {
        QTest::addColumn<int>("height");
        QTest::addRow("strip") << 170;
        QTest::addRow("small") << 230;
        QTest::addRow("tall") << 500;
    }
    void valueTicksFitAShortPlot()
    {
        QFETCH(int, height);
        TimeSeriesChart chart(QStringLiteral("c"), QStringLiteral("C"));
        chart.resize(900, height);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setData({series(QStringLiteral("a"), {1.17, 1.32, 1.08, 1.45, 1.21, 1.38})}, {}, kMinuteMs);
        QCoreApplication::processEvents(); // the plot area is laid out on an event
        chart.setData({series(QStringLiteral("a"), {1.17, 1.32, 1.08, 1.45, 1.21, 1.38})}, {}, kMinuteMs);
        QCoreApplication::processEvents();
        const auto* view = qobject_cast<const QChartView*>(chart.canvas());
        QVERIFY(view);
        const auto axes = view->chart()->axes(Qt::Vertical);
        QCOMPARE(axes.size(), 1);
        const auto* axis = qobject_cast<const QValueAxis*>(axes.front());
        QVERIFY(axis);
        const double plot = view->chart()->plotArea().height();
        const double spacing = plot / std::max(1, axis->tickCount() - 1);
        QVERIFY2(spacing >= 22.0,
                 qPrintable(QStringLiteral("%1 ticks over %2 px").arg(axis->tickCount()).arg(plot)));
        if (height >= 500)
            QVERIFY(axis->tickCount() >= 4); // a tall chart keeps its ticks
    }

    // Gaps come and go at the end while following (a window whose metric is undefined):
    // the line gets a segment more or less, in place; the legend keeps one entry per line.
    void segmentsFollowGapsInPlace()
    {
        TimeSeriesChart chart(QStringLiteral("c"), QStringLiteral("C"));
        chart.resize(800, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const double nan = std::numeric_limits<double>::quiet_NaN();
        chart.setData({series(QStringLiteral("a"), {1, 2, 3}), series(QStringLiteral("b"), {2, 2, 2})}, {},
                      kMinuteMs);
        const QList<const QObject*> first = chart.seriesObjects();
        QCOMPARE(first.size(), 2);
        QCOMPARE(chart.structuralRebuilds(), 1);

        chart.setData(
            {series(QStringLiteral("a"), {1, 2, 3, nan, 5}), series(QStringLiteral("b"), {2, 2, 2, 2, 2})},
            {}, kMinuteMs);
        const QList<const QObject*> split = chart.seriesObjects();
        QCOMPARE(chart.structuralRebuilds(), 1);
        QCOMPARE(split.size(), 3);         // a's second run is one more series
        QVERIFY(split.contains(first[0])); // a's first run, kept
        QVERIFY(split.contains(first[1])); // b, kept
        QCOMPARE(chart.segmentCount(QStringLiteral("a")), 2);
        QCoreApplication::processEvents(); // the legend lays out its entries on an event
        QCOMPARE(chart.legendEntries(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(chart.pointCount(QStringLiteral("a")), 4);
        QCOMPARE(chart.pointCount(QStringLiteral("b")), 5);

        chart.setData({series(QStringLiteral("a"), {1, 2, 3, 4, 5, 6}),
                       series(QStringLiteral("b"), {2, 2, 2, 2, 2, 3})},
                      {}, kMinuteMs);
        QCOMPARE(chart.seriesObjects(), first); // the gap's window got a value: one run again
        QCOMPARE(chart.segmentCount(QStringLiteral("a")), 1);
        QCOMPARE(chart.pointCount(QStringLiteral("a")), 6);
        QCOMPARE(chart.structuralRebuilds(), 1);

        // A new line (a version appears): the series are built again.
        chart.setData({series(QStringLiteral("a"), {1, 2}), series(QStringLiteral("b"), {2, 2}),
                       series(QStringLiteral("c"), {3, 3})},
                      {}, kMinuteMs);
        QCOMPARE(chart.structuralRebuilds(), 2);
        QCOMPARE(chart.seriesNames().size(), 3);

        // Hiding a line is a change of style, not of lines.
        const QList<const QObject*> three = chart.seriesObjects();
        chart.setSeriesVisible(QStringLiteral("b"), false);
        QCOMPARE(chart.seriesObjects(), three);
        QVERIFY(!chart.isSeriesVisible(QStringLiteral("b")));
        const QStringList legend = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
        QCoreApplication::processEvents();
        QCOMPARE(chart.legendEntries(), legend); // still there, to click it back on
        // A live update with a gap while b is hidden, then b shown again: one entry per line.
        chart.setData({series(QStringLiteral("a"), {1, nan, 2, nan, 3}),
                       series(QStringLiteral("b"), {2, nan, 2, 2, 2}),
                       series(QStringLiteral("c"), {3, 3, 3, 3, 3})},
                      {}, kMinuteMs);
        QCOMPARE(chart.structuralRebuilds(), 2);
        QCoreApplication::processEvents();
        QCOMPARE(chart.legendEntries(), legend);
        chart.setSeriesVisible(QStringLiteral("b"), true);
        QCoreApplication::processEvents();
        QCOMPARE(chart.legendEntries(), legend);
        QCOMPARE(chart.segmentCount(QStringLiteral("a")), 3);
        QCOMPARE(chart.segmentCount(QStringLiteral("b")), 2);
    }
};

QTEST_MAIN(TstLiveCharts)
#include "tst_live_charts.moc"
