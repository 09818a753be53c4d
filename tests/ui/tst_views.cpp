// Views fed a fabricated snapshot: which charts, how many series and points, gaps,
// NaN markers, tooltips, empty states, linked zoom, UTC ticks.
#include "charts/time_axis.h"
#include "charts/time_range_sync.h"
#include "snapshot_fixture.h"
#include "views/kpi_view.h"
#include "views/operations_view.h"
#include "views/performance_view.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QSet>
#include <QTest>
#include <QWheelEvent>

using namespace vigil;
using namespace vigil::test;

namespace {
constexpr double kStart = static_cast<double>(kFixtureStartMs);
constexpr double kHour = static_cast<double>(kHourMs);
} // namespace

class TestViews : public QObject
{
    Q_OBJECT
  private slots:
    void performanceCharts_data();
    void performanceCharts();
    void seriesPointsAndGaps_data();
    void seriesPointsAndGaps();
    void performanceEmptyState();
    void noResultEmptyState();
    void operationsCharts();
    void kpiCharts();
    void kpiEmptyState();
    void nonFiniteMarkers();
    void tooltip();
    void chartsReusedOnNewResult();
    void hideSeries();
    void linkedZoom();
    void mouseAndKeyboardZoom();
    void longSeriesDecimatedToVisibleRange();
    void utcTicks_data();
    void utcTicks();
};

void TestViews::performanceCharts_data()
{
    QTest::addColumn<int>("versions");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QStringList>("charts");
    QTest::addColumn<int>("seriesPerChart");
    const QStringList score = {QStringLiteral("accuracy"), QStringLiteral("precision"),
                               QStringLiteral("recall"),   QStringLiteral("f1"),
                               QStringLiteral("roc_auc"),  QStringLiteral("log_loss"),
                               QStringLiteral("brier"),    QStringLiteral("labeled")};
    const QStringList regression = {QStringLiteral("mae"), QStringLiteral("rmse"), QStringLiteral("r2"),
                                    QStringLiteral("labeled")};
    QTest::newRow("score, 3 versions") << 3 << int(PredictionKind::Score) << score << 4;
    QTest::newRow("score, 1 version") << 1 << int(PredictionKind::Score) << score << 1;
    QTest::newRow("regression, 2 versions") << 2 << int(PredictionKind::Regression) << regression << 3;
}

void TestViews::performanceCharts()
{
    QFETCH(int, versions);
    QFETCH(int, kind);
    QFETCH(QStringList, charts);
    QFETCH(int, seriesPerChart);
    PerformanceView view;
    view.resize(1200, 900);
    view.setResult(makeFixtureResult(versions, static_cast<PredictionKind>(kind)));
    QVERIFY(!view.isShowingEmptyState());
    QCOMPARE(view.chartIds(), charts);
    for (const QString& id : charts)
        QCOMPARE(view.chart(id)->seriesCount(), seriesPerChart);
    QCOMPARE(view.seriesCount(), seriesPerChart * int(charts.size()));
}

void TestViews::seriesPointsAndGaps_data()
{
    QTest::addColumn<QString>("chart");
    QTest::addColumn<QString>("series");
    QTest::addColumn<int>("points");
    QTest::addColumn<int>("segments");
    // 162 windows (168 h minus a 6 h outage); labels stop 12 h before the end.
    QTest::newRow("accuracy all") << "accuracy"
                                  << "all" << 150 << 2;
    QTest::newRow("accuracy v1 (retired at h96)") << "accuracy"
                                                  << "v1" << 90 << 2;
    QTest::newRow("accuracy v3 (canary from h120)") << "accuracy"
                                                    << "v3" << 36 << 1;
    QTest::newRow("labelled rows all") << "labeled"
                                       << "all" << kFixtureWindows << 2;
}

void TestViews::seriesPointsAndGaps()
{
    QFETCH(QString, chart);
    QFETCH(QString, series);
    QFETCH(int, points);
    QFETCH(int, segments);
    PerformanceView view;
    view.resize(1400, 1000);
    view.setResult(makeFixtureResult(3));
    TimeSeriesChart* c = view.chart(chart);
    QVERIFY(c);
    QCOMPARE(c->pointCount(series), points);
    QCOMPARE(c->segmentCount(series), segments);
}

void TestViews::performanceEmptyState()
{
    PerformanceView view;
    view.setResult(makeFixtureResult(2, PredictionKind::Score, /*withLabels=*/false));
    QVERIFY(view.isShowingEmptyState());
    QCOMPARE(view.chartCount(), 0);
    QVERIFY(view.emptyStateText().contains(QStringLiteral("No labelled rows yet")));
}

void TestViews::noResultEmptyState()
{
    OperationsView view;
    view.setResult(nullptr);
    QVERIFY(view.isShowingEmptyState());
    QVERIFY(view.emptyStateText().contains(QStringLiteral("Open a prediction log")));
}

void TestViews::operationsCharts()
{
    OperationsView view;
    view.resize(1200, 900);
    view.setResult(makeFixtureResult(3));
    QCOMPARE(view.chartIds(),
             (QStringList{QStringLiteral("latency"), QStringLiteral("latency_p95_by_version"),
                          QStringLiteral("throughput"), QStringLiteral("error_rate")}));
    TimeSeriesChart* latency = view.chart(QStringLiteral("latency"));
    QCOMPARE(latency->seriesNames(), (QStringList{QStringLiteral("p50"), QStringLiteral("p90"),
                                                  QStringLiteral("p95"), QStringLiteral("p99")}));
    QCOMPARE(latency->pointCount(QStringLiteral("p99")), kFixtureWindows);
    QCOMPARE(latency->segmentCount(QStringLiteral("p99")), 2);
    QCOMPARE(view.chart(QStringLiteral("throughput"))->seriesCount(), 4);

    OperationsView single;
    single.setResult(makeFixtureResult(1));
    QVERIFY(!single.chart(QStringLiteral("latency_p95_by_version")));
    QCOMPARE(single.chartCount(), 3);
}

void TestViews::kpiCharts()
{
    KpiView view;
    view.resize(1200, 900);
    view.setResult(makeFixtureResult(3));
    QCOMPARE(view.chartIds(),
             (QStringList{QStringLiteral("kpi_sum:revenue"), QStringLiteral("kpi_mean:revenue"),
                          QStringLiteral("kpi_sum:clicks"), QStringLiteral("kpi_mean:clicks"),
                          QStringLiteral("ratio:conversion")}));
    QCOMPARE(view.chart(QStringLiteral("kpi_sum:revenue"))->pointCount(QStringLiteral("all")),
             kFixtureWindows);
    QVERIFY(view.chart(QStringLiteral("kpi_sum:revenue"))->title().contains(QStringLiteral("revenue")));
}

void TestViews::kpiEmptyState()
{
    auto result = std::const_pointer_cast<AnalysisResult>(makeFixtureResult(2));
    for (WindowStats& w : result->snapshot.windows) {
        w.kpis.clear();
        w.ratios.clear();
    }
    KpiView view;
    view.setResult(result);
    QVERIFY(view.isShowingEmptyState());
    QVERIFY(view.emptyStateText().contains(QStringLiteral("No business KPIs")));
}

void TestViews::nonFiniteMarkers()
{
    OperationsView view;
    view.setResult(makeFixtureResult(3));
    // 3 NaN latencies in each window h % 37 == 5 (h = 5, 42, 79, 116, 153).
    TimeSeriesChart* latency = view.chart(QStringLiteral("latency"));
    QCOMPARE(latency->nonFiniteCount(), std::uint64_t{15});
    QVERIFY(latency->title().contains(QStringLiteral("15 NaN/Inf")));
    QCOMPARE(view.chart(QStringLiteral("throughput"))->nonFiniteCount(), std::uint64_t{0});
    QVERIFY(!view.chart(QStringLiteral("throughput"))->title().contains(QStringLiteral("NaN")));
}

void TestViews::tooltip()
{
    OperationsView view;
    view.setResult(makeFixtureResult(3));
    TimeSeriesChart* latency = view.chart(QStringLiteral("latency"));
    const QString tip = latency->tooltipAt(kStart + 5.5 * kHour);
    QVERIFY2(tip.contains(QStringLiteral("2025-12-01 05:00 UTC")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("3 NaN/Inf latencies in this window")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("p99")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral(" rows")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral(" ms</b>")), qPrintable(tip));
    // Inside the outage nothing is shown, not even the inserted break point.
    QVERIFY(latency->tooltipAt(kStart + 60.5 * kHour).isEmpty());
    QVERIFY(latency->tooltipAt(kStart - kHour).isEmpty());
    // Per-version chart lists only the versions live in that window.
    const QString late = view.chart(QStringLiteral("throughput"))->tooltipAt(kStart + 130.2 * kHour);
    QVERIFY(late.contains(QStringLiteral("v3")));
    QVERIFY(!late.contains(QStringLiteral("v1")));
}

void TestViews::chartsReusedOnNewResult()
{
    PerformanceView view;
    view.setResult(makeFixtureResult(3));
    TimeSeriesChart* before = view.chart(QStringLiteral("accuracy"));
    view.setResult(makeFixtureResult(3));
    QCOMPARE(view.chart(QStringLiteral("accuracy")), before);
    view.setResult(makeFixtureResult(2, PredictionKind::Regression));
    QVERIFY(!view.chart(QStringLiteral("accuracy")));
    QCOMPARE(view.chart(QStringLiteral("mae"))->seriesCount(), 3);
}

void TestViews::hideSeries()
{
    PerformanceView view;
    view.setResult(makeFixtureResult(3));
    TimeSeriesChart* accuracy = view.chart(QStringLiteral("accuracy"));
    QVERIFY(accuracy->isSeriesVisible(QStringLiteral("v2")));
    accuracy->setSeriesVisible(QStringLiteral("v2"), false);
    QVERIFY(!accuracy->isSeriesVisible(QStringLiteral("v2")));
    QCOMPARE(accuracy->pointCount(QStringLiteral("v2")), 150); // still there, just not drawn
    // A new result (e.g. a reload) keeps the choice.
    view.setResult(makeFixtureResult(3));
    QCOMPARE(view.chart(QStringLiteral("accuracy")), accuracy);
    QVERIFY(!accuracy->isSeriesVisible(QStringLiteral("v2")));
    accuracy->setSeriesVisible(QStringLiteral("v2"), true);
    QVERIFY(accuracy->isSeriesVisible(QStringLiteral("v2")));
}

void TestViews::linkedZoom()
{
    TimeRangeSync sync;
    PerformanceView performance;
    OperationsView operations;
    performance.setSync(&sync);
    operations.setSync(&sync);
    const auto result = makeFixtureResult(3);
    sync.setDataRange(kStart, kStart + kFixtureHours * kHour);
    performance.setResult(result);
    operations.setResult(result);

    TimeSeriesChart* accuracy = performance.chart(QStringLiteral("accuracy"));
    TimeSeriesChart* latency = operations.chart(QStringLiteral("latency"));
    QCOMPARE(latency->visibleRange(), std::make_pair(kStart, kStart + kFixtureHours * kHour));

    accuracy->zoomBy(0.5, kStart + 84 * kHour);
    QVERIFY(sync.isZoomed());
    const auto zoomed = std::make_pair(kStart + 42 * kHour, kStart + 126 * kHour);
    QCOMPARE(accuracy->visibleRange(), zoomed);
    QCOMPARE(latency->visibleRange(), zoomed);
    QCOMPARE(operations.chart(QStringLiteral("error_rate"))->visibleRange(), zoomed);

    latency->panBy(0.25);
    const auto panned = std::make_pair(kStart + 63 * kHour, kStart + 147 * kHour);
    QCOMPARE(accuracy->visibleRange(), panned);

    // A new result (e.g. following a growing log) keeps the zoom.
    sync.setDataRange(kStart, kStart + (kFixtureHours + 5) * kHour);
    QCOMPARE(latency->visibleRange(), panned);

    accuracy->resetZoom();
    QVERIFY(!sync.isZoomed());
    QCOMPARE(latency->visibleRange(), std::make_pair(kStart, kStart + (kFixtureHours + 5) * kHour));
}

void TestViews::mouseAndKeyboardZoom()
{
    TimeRangeSync sync;
    OperationsView view;
    view.setSync(&sync);
    view.resize(1200, 800);
    view.setAttribute(Qt::WA_DontShowOnScreen);
    sync.setDataRange(kStart, kStart + kFixtureHours * kHour);
    view.setResult(makeFixtureResult(3));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view) || true);
    QCoreApplication::processEvents();

    TimeSeriesChart* latency = view.chart(QStringLiteral("latency"));
    auto* canvas = qobject_cast<QAbstractScrollArea*>(latency->canvas());
    QVERIFY(canvas);
    const QPoint centre = canvas->viewport()->rect().center();

    QWheelEvent wheel(centre, canvas->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(canvas->viewport(), &wheel);
    QVERIFY(sync.isZoomed());
    const double span = sync.max() - sync.min();
    QVERIFY2(std::abs(span - 0.8 * kFixtureHours * kHour) < kHour, qPrintable(QString::number(span / kHour)));

    const double before = sync.min();
    QTest::keyClick(canvas, Qt::Key_Right);
    QVERIFY(sync.min() > before);
    QCOMPARE(view.chart(QStringLiteral("throughput"))->visibleRange().first, sync.min());

    // Rubber band: drag across the left half of the plot.
    const QRect area = canvas->viewport()->rect();
    QTest::mousePress(canvas->viewport(), Qt::LeftButton, {}, QPoint(area.width() / 4, area.height() / 2));
    QTest::mouseMove(canvas->viewport(), QPoint(area.width() / 2, area.height() / 2));
    QTest::mouseRelease(canvas->viewport(), Qt::LeftButton, {}, QPoint(area.width() / 2, area.height() / 2));
    QVERIFY(sync.max() - sync.min() < span * 0.5);

    QTest::mouseDClick(canvas->viewport(), Qt::LeftButton, {}, centre);
    QVERIFY(!sync.isZoomed());
    QCOMPARE(latency->visibleRange(), std::make_pair(kStart, kStart + kFixtureHours * kHour));
}

void TestViews::longSeriesDecimatedToVisibleRange()
{
    constexpr int n = 20'000; // two weeks of 1-minute windows
    ChartSeries series;
    series.name = QStringLiteral("s");
    series.color = Qt::blue;
    for (int i = 0; i < n; ++i) {
        series.xMs.push_back(kStart + i * 60'000.0);
        series.y.push_back(std::sin(i / 300.0));
    }
    TimeSeriesChart chart(QStringLiteral("long"), QStringLiteral("Long"));
    chart.resize(900, 400);
    chart.setAttribute(Qt::WA_DontShowOnScreen);
    chart.show();
    QCoreApplication::processEvents();
    chart.setData({series}, {}, 60'000.0);
    const int full = chart.pointCount(QStringLiteral("s"));
    QVERIFY2(full > 100 && full <= 4 * 900, qPrintable(QString::number(full)));

    // 5% of the range is 1,000 minutes: few enough to draw every point (plus one each side).
    chart.zoomBy(0.05, kStart + n / 2 * 60'000.0);
    const int zoomed = chart.pointCount(QStringLiteral("s"));
    QVERIFY2(zoomed >= 999 && zoomed <= 1003, qPrintable(QString::number(zoomed)));
    chart.resetZoom();
    // Back to the whole range: decimated again (the plot may have changed width by a
    // few pixels with the new axis labels, so the count is close, not equal).
    const int reset = chart.pointCount(QStringLiteral("s"));
    QVERIFY2(std::abs(reset - full) < full / 10, qPrintable(QStringLiteral("%1 vs %2").arg(reset).arg(full)));
}

void TestViews::utcTicks_data()
{
    QTest::addColumn<double>("span");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<QString>("firstLabel");
    QTest::addColumn<QString>("firstShortLabel");
    QTest::newRow("week") << 7 * 24 * kHour << 8 << "Dec 2"
                          << "";
    QTest::newRow("6 hours") << 6 * kHour << 8 << "Dec 1"
                             << "01:00";
    QTest::newRow("2 days") << 48 * kHour << 12 << "Dec 1 06:00"
                            << "";
    QTest::newRow("tight 3 ticks over a day") << 24 * kHour << 3 << "Dec 1 12:00"
                                              << "";
}

void TestViews::utcTicks()
{
    QFETCH(double, span);
    QFETCH(int, maxTicks);
    QFETCH(QString, firstLabel);
    QFETCH(QString, firstShortLabel);
    // Starting at 00:00 UTC Dec 1 plus 1 ms so the first tick is the next round time.
    const auto ticks = vigil::utcTicks(kStart - 1, kStart - 1 + span, maxTicks);
    QVERIFY(!ticks.empty());
    QVERIFY(int(ticks.size()) <= maxTicks);
    QSet<QString> labels;
    for (const TimeTick& t : ticks)
        labels.insert(t.label);
    QCOMPARE(int(labels.size()), int(ticks.size()));
    QCOMPARE(ticks.front().ms, kStart);
    if (!firstShortLabel.isEmpty()) {
        QCOMPARE(ticks.front().label, firstLabel); // midnight carries the date
        QCOMPARE(ticks[1].label, firstShortLabel);
    } else {
        QCOMPARE(ticks[1].label, firstLabel);
    }
}

QTEST_MAIN(TestViews)
#include "tst_views.moc"
