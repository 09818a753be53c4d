// The Drift view: heatmap from a known DriftSnapshot (row order, colours of known cells,
// null vs 0, tooltips, clicks, groups), the drill-down from a real log, the Performance
// view's drift additions, and the GUI's background drift stage on the demo log.
#include "demo/demo_log.h"
#include "engine/drift_stage.h"
#include "main_window.h"
#include "snapshot_fixture.h"
#include "views/drift_charts.h"
#include "views/drift_colors.h"
#include "views/drift_heatmap.h"
#include "views/drift_view.h"
#include "views/performance_view.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;
using namespace vigil::test;

namespace {

constexpr int kTimeoutMs = 120'000; // sanitizer builds on a shared machine

FeatureDrift feature(const char* name, bool categorical, double value, bool drifted)
{
    FeatureDrift f;
    f.name = name;
    f.categorical = categorical;
    if (!categorical) {
        f.ksD = value;
        f.ksP = 0.01;
        f.wasserstein = value * 10;
    } else {
        f.chi2 = value * 100;
        f.chi2P = 0.02;
    }
    f.psi = value * 2;
    f.js = value;
    f.hellinger = value / 2;
    f.missingShare = 0.0;
    f.drifted = drifted;
    return f;
}

// The fixture's windows with drift: "steady" never drifts but has the largest JS (0.3);
// "shifted" drifts from window 100 (JS 0.2); "colour" drifts in windows 150..152; the
// prediction has no value in window 7. Concept drift: ADWIN in windows 120, 121, 140.
std::shared_ptr<const AnalysisResult> resultWithDrift()
{
    auto base = makeFixtureResult(1);
    auto result = std::make_shared<AnalysisResult>(*base);
    DriftSnapshot drift;
    drift.reference = {kFixtureStartMs, kFixtureStartMs + 24 * kHourMs, 5000, "range"};
    const auto& windows = result->snapshot.windows;
    for (std::size_t w = 0; w < windows.size(); ++w) {
        WindowDrift wd;
        wd.startMs = windows[w].startMs;
        const bool shifted = w >= 100;
        wd.features = {feature("steady", false, w == 50 ? 0.3 : 0.01, false),
                       feature("shifted", false, shifted ? 0.2 : 0.0, shifted),
                       feature("colour", true, 0.05, w >= 150 && w <= 152),
                       feature("prediction", false, 0.02, false)};
        if (w == 7)
            wd.features[3] = FeatureDrift{"prediction", false, {}, {}, {}, {}, {}, {}, {}, {}, {}, false};
        wd.multivariate = {1.0 + (shifted ? 0.5 : 0.0), 0.8, 1.2, shifted};
        if (w >= 100)
            wd.estimated = {0.9, 0.8, 0.93};
        drift.windows.push_back(wd);
    }
    for (const std::size_t w : {120u, 121u, 140u})
        drift.conceptDrift.push_back({"ADWIN", windows[w].startMs + 1000, "misclassification"});
    result->snapshot.drift = std::move(drift);
    return result;
}

QStringList displayRows(const DriftHeatmap& h)
{
    QStringList out;
    for (int r = 0; r < h.displayRowCount(); ++r)
        out << (h.displayRowName(r).isEmpty() ? QStringLiteral("#") : h.displayRowName(r));
    return out;
}

// A real log: two days hourly, "x" shifts by +3 on day 2, "colour" gains a new category.
QString writeShiftingLog(const QTemporaryDir& dir)
{
    const QString path = dir.filePath(QStringLiteral("shift.jsonl"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    std::uint64_t state = 7;
    const auto uniform = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * (1.0 / 9007199254740992.0);
    };
    for (int i = 0; i < 48 * 60; ++i) {
        const bool late = i >= 24 * 60;
        const double x = uniform() * 2 + (late ? 3.0 : 0.0);
        const char* colour = late && i % 3 == 0 ? "green" : (i % 2 ? "red" : "blue");
        const double p = uniform();
        f.write(
            QStringLiteral("{\"ts\": %1, \"features\": {\"x\": %2, \"colour\": \"%3\"}, \"prediction\": %4, "
                           "\"label\": %5}\n")
                .arg(kFixtureStartMs + i * 60'000LL)
                .arg(x, 0, 'g', 17)
                .arg(QLatin1String(colour))
                .arg(p, 0, 'g', 17)
                .arg(p > 0.5 ? 1 : 0)
                .toUtf8());
    }
    return path;
}

} // namespace

class TestDriftView : public QObject
{
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void rowOrderAndGroups();
    void colourOfKnownCells_data();
    void colourOfKnownCells();
    void nullIsHatchedNotZero();
    void tooltipHasEveryStatistic();
    void clickEmitsTheCell();
    void collapseGroup();
    void drilldownFromARealLog();
    void performanceViewShowsDrift();
    void pendingUntilDrift();
    void demoDriftInTheHeatmap();
};

void TestDriftView::rowOrderAndGroups()
{
    DriftHeatmap h;
    h.resize(900, 500);
    h.setResult(resultWithDrift(), DriftStatistic::JensenShannon);
    // Drifted windows first ("shifted": 62, "steady": 0 despite its larger max), by group.
    QCOMPARE(displayRows(h),
             QStringList({QStringLiteral("#"), QStringLiteral("shifted"), QStringLiteral("steady"),
                          QStringLiteral("#"), QStringLiteral("colour"), QStringLiteral("#"),
                          QStringLiteral("prediction")}));
    const DriftHeatmapModel* m = h.model();
    QCOMPARE(m->features[0].driftedWindows, kFixtureWindows - 100);
    QCOMPARE(m->features[1].maxValue, 0.3);
    QCOMPARE(m->features[2].group, FeatureGroup::Categorical);
    QCOMPARE(m->features[3].group, FeatureGroup::Output);
}

void TestDriftView::colourOfKnownCells_data()
{
    QTest::addColumn<int>("statistic");
    QTest::addColumn<QString>("feature");
    QTest::addColumn<int>("window");
    QTest::addColumn<double>("position"); // value / the scale's upper end
    QTest::newRow("JS 0.3 of 0.5") << int(DriftStatistic::JensenShannon) << "steady" << 50 << 0.6;
    QTest::newRow("JS 0.2 of 0.5") << int(DriftStatistic::JensenShannon) << "shifted" << 120 << 0.4;
    QTest::newRow("JS 0 is the scale's start")
        << int(DriftStatistic::JensenShannon) << "shifted" << 10 << 0.0;
    QTest::newRow("PSI 0.6 clipped at 0.5") << int(DriftStatistic::Psi) << "steady" << 50 << 1.0;
    QTest::newRow("KS D 0.2 of 0.5") << int(DriftStatistic::KsD) << "shifted" << 101 << 0.4;
}

void TestDriftView::colourOfKnownCells()
{
    QFETCH(int, statistic);
    QFETCH(QString, feature);
    QFETCH(int, window);
    QFETCH(double, position);
    DriftHeatmap h;
    h.resize(1000, 400);
    h.setResult(resultWithDrift(), static_cast<DriftStatistic>(statistic));
    const QRgb expected = driftcolors::scale(position);
    QCOMPARE(h.cellColour(feature, window), expected);
    // As painted: the centre of a cell without a drifted mark has exactly that colour.
    h.setCellSize(12, 20);
    h.show();
    const QRect cell = h.cellRect(feature, window);
    QVERIFY(!cell.isEmpty());
    const QImage shot = h.viewport()->grab().toImage();
    const QPoint probe = cell.topLeft() + QPoint(2, 2);
    if (!h.model()->isDrifted(static_cast<std::size_t>(h.model()->rowOf(feature.toStdString())),
                              static_cast<std::size_t>(window)))
        QCOMPARE(shot.pixel(probe) & 0xFFFFFF, expected & 0xFFFFFF);
}

void TestDriftView::nullIsHatchedNotZero()
{
    DriftHeatmap h;
    h.resize(1000, 400);
    h.setResult(resultWithDrift(), DriftStatistic::KsD);
    QCOMPARE(h.cellColour(QStringLiteral("colour"), 3), QRgb(0)); // KS is undefined for categories
    QCOMPARE(h.cellColour(QStringLiteral("prediction"), 7), QRgb(0));
    QVERIFY(h.cellColour(QStringLiteral("shifted"), 3) != 0); // a 0 is a colour
    h.setCellSize(12, 20);
    h.show();
    const QImage shot = h.viewport()->grab().toImage();
    const QRect cell = h.cellRect(QStringLiteral("colour"), 3);
    QSet<QRgb> seen;
    for (int x = cell.left(); x <= cell.right(); ++x)
        for (int y = cell.top(); y <= cell.bottom(); ++y)
            seen.insert(shot.pixel(x, y) | 0xFF000000);
    QVERIFY(seen.contains(driftcolors::nullBackground().rgb()));
    QVERIFY(seen.contains(driftcolors::nullHatch().rgb()));
    QVERIFY(!seen.contains(driftcolors::scale(0.0)));
}

void TestDriftView::tooltipHasEveryStatistic()
{
    DriftHeatmap h;
    h.setResult(resultWithDrift(), DriftStatistic::KsD);
    const QString tip = h.tooltipFor(QStringLiteral("shifted"), 120);
    for (const char* label : {"KS D", "KS p-value", "Wasserstein-1", "PSI", "Jensen-Shannon", "Hellinger",
                              "chi²", "chi² p-value", "Missing share", "drifted", "shifted"})
        QVERIFY2(tip.contains(QString::fromUtf8(label)),
                 qPrintable(QString::fromUtf8(label) + QStringLiteral(": ") + tip));
    QVERIFY2(tip.contains(QStringLiteral("<b>0.2</b>")), qPrintable(tip)); // KS D and JS
    QVERIFY2(tip.contains(QStringLiteral("<b>2</b>")), qPrintable(tip));   // Wasserstein
    QVERIFY(h.tooltipFor(QStringLiteral("shifted"), 10).contains(QStringLiteral("no drift")));
    QVERIFY(h.tooltipFor(QStringLiteral("nope"), 10).isEmpty());
}

void TestDriftView::clickEmitsTheCell()
{
    DriftHeatmap h;
    h.resize(1000, 400);
    h.setResult(resultWithDrift(), DriftStatistic::JensenShannon);
    h.setCellSize(4, 18);
    h.show();
    QSignalSpy clicked(&h, &DriftHeatmap::cellClicked);
    for (const auto& [name, window] :
         {std::pair(QStringLiteral("colour"), 151), std::pair(QStringLiteral("steady"), 50)}) {
        const QRect cell = h.cellRect(name, window);
        QVERIFY(h.viewport()->rect().contains(cell.center()));
        QTest::mouseClick(h.viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(clicked.last().at(0).toString(), name);
        QCOMPARE(clicked.last().at(1).toInt(), window);
    }
    QCOMPARE(clicked.count(), 2);
    // The outage (hours 60..65) is a column without a window: nothing to open.
    const QRect before = h.cellRect(QStringLiteral("steady"), kGapFirstHour - 1);
    QTest::mouseClick(h.viewport(), Qt::LeftButton, {}, before.center() + QPoint(2 * before.width(), 0));
    QCOMPARE(clicked.count(), 2);
}

void TestDriftView::collapseGroup()
{
    DriftHeatmap h;
    h.resize(1000, 400);
    h.setResult(resultWithDrift(), DriftStatistic::JensenShannon);
    h.show();
    // Clicking the first group header folds the numeric features away.
    QTest::mouseClick(h.viewport(), Qt::LeftButton, {},
                      QPoint(30, h.cellRect(QStringLiteral("shifted"), 0).top() - 4));
    QVERIFY(h.isGroupCollapsed(FeatureGroup::Numeric));
    QCOMPARE(displayRows(h), QStringList({QStringLiteral("#"), QStringLiteral("#"), QStringLiteral("colour"),
                                          QStringLiteral("#"), QStringLiteral("prediction")}));
    QVERIFY(h.cellRect(QStringLiteral("shifted"), 0).isEmpty());
    h.setGroupCollapsed(FeatureGroup::Numeric, false);
    QCOMPARE(h.displayRowCount(), 7);
}

void TestDriftView::drilldownFromARealLog()
{
    QTemporaryDir dir;
    const QString path = writeShiftingLog(dir);
    QVERIFY(!path.isEmpty());
    VigilConfig config;
    config.windowMs = kHourMs;
    auto loaded = runPipeline({path.toStdString()}, config);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    auto result = withDrift(loaded.value(), DriftOptions{});
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());

    DriftView view;
    view.resize(1400, 1000);
    view.setResult(result.value());
    view.show();
    QVERIFY(!view.isShowingMessage());
    QVERIFY(!view.isDrilldownVisible());
    DriftHeatmap* h = view.heatmap();
    QCOMPARE(h->displayRowName(1), QStringLiteral("x")); // drifted on day 2, so first
    QSignalSpy shown(&view, &DriftView::drilldownShown);
    const QRect cell = h->cellRect(QStringLiteral("x"), 30);
    QTest::mouseClick(h->viewport(), Qt::LeftButton, {}, cell.center());
    QVERIFY(shown.wait(kTimeoutMs));
    QCOMPARE(shown.last().at(0).toString(), QStringLiteral("x"));
    QCOMPARE(shown.last().at(1).toInt(), 30);
    const auto d = view.drilldown();
    QVERIFY(d && d->numeric);
    // The default reference: the first 10 % of the 48 windows.
    QCOMPARE(d->numeric->ref.rows, 4u * 60u);
    QVERIFY(d->numeric->ks && d->numeric->ks->d == 1.0); // [0, 2) against [3, 5)
    QVERIFY(d->statistics.drifted);
    QVERIFY(view.isDrilldownVisible());
    QAbstractItemModelTester tester(view.statisticsTable()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(view.statisticsTable()->rowCount(), 10);
    QCOMPARE(view.statisticsTable()->item(0, 1)->text(), QStringLiteral("1"));
    QCOMPARE(view.featureOverTimeChart()->seriesCount(), 2);

    // A categorical cell: shares with the new category flagged.
    QTest::mouseClick(h->viewport(), Qt::LeftButton, {}, h->cellRect(QStringLiteral("colour"), 40).center());
    QVERIFY(shown.wait(kTimeoutMs));
    QVERIFY(view.drilldown()->categories);
    QCOMPARE(view.drilldown()->categories->unseenCategories, 1u);
}

void TestDriftView::performanceViewShowsDrift()
{
    PerformanceView view;
    view.resize(1400, 1000);
    view.setResult(resultWithDrift());
    QVERIFY(view.chartIds().contains(QStringLiteral("multivariate_drift")));
    TimeSeriesChart* accuracy = view.chart(QStringLiteral("accuracy"));
    QVERIFY(accuracy->seriesNames().contains(QStringLiteral("estimated (CBPE, no labels needed)")));
    QVERIFY(accuracy->seriesNames().contains(QStringLiteral("all (realized, from labels)")));
    // ADWIN in windows 120 and 121 is one grouped event, 140 another.
    QCOMPARE(accuracy->eventCount(), 2);
    const double at = static_cast<double>(resultWithDrift()->snapshot.windows[120].startMs);
    QVERIFY2(accuracy->tooltipAt(at + 1).contains(QStringLiteral("ADWIN concept drift ×2")),
             qPrintable(accuracy->tooltipAt(at + 1)));
    QVERIFY(!view.chart(QStringLiteral("precision"))
                 ->seriesNames()
                 .contains(QStringLiteral("estimated (CBPE, no labels needed)")));
    // Without drift the view is as before.
    view.setResult(makeFixtureResult(1));
    QVERIFY(!view.chartIds().contains(QStringLiteral("multivariate_drift")));
    QCOMPARE(view.chart(QStringLiteral("accuracy"))->eventCount(), 0);
}

void TestDriftView::pendingUntilDrift()
{
    DriftView view;
    view.setPendingText(QStringLiteral("Computing drift…"));
    view.setResult(makeFixtureResult(1));
    QVERIFY(view.isShowingMessage());
    QCOMPARE(view.messageText(), QStringLiteral("Computing drift…"));
    view.setResult(resultWithDrift());
    QVERIFY(!view.isShowingMessage());
    QVERIFY(view.legend()->text().contains(QStringLiteral("Jensen-Shannon")));
    view.setStatistic(DriftStatistic::Wasserstein);
    QCOMPARE(view.heatmap()->model()->statistic, DriftStatistic::Wasserstein);
    QVERIFY2(view.legend()->text().contains(QStringLiteral("99th percentile")),
             qPrintable(view.legend()->text()));
}

void TestDriftView::demoDriftInTheHeatmap()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("predictions.jsonl"));
    DemoScenario scenario;
    scenario.startMs = kFixtureStartMs;
    scenario.rowsPerMinute = 4.0;
    DemoLogGenerator generator(scenario);
    auto written = writeDemoRange(generator, path.toStdString(), kFixtureStartMs,
                                  kFixtureStartMs + 7 * DemoTimeline::kDay, false);
    QVERIFY(written.ok());
    MainWindow window;
    window.resize(1400, 900);
    QSignalSpy drift(&window, &MainWindow::driftFinished);
    window.openPaths({path});
    QTRY_VERIFY_WITH_TIMEOUT(drift.count() > 0, kTimeoutMs);
    const DriftHeatmapModel* m = window.driftView()->heatmap()->model();
    QVERIFY(m);
    // The incidents: amount and country drift from day 5½, and nothing drifts on day 1-4.
    for (const char* name : {"amount", "country"}) {
        const int row = m->rowOf(name);
        QVERIFY(row >= 0);
        QCOMPARE(m->features[static_cast<std::size_t>(row)].group,
                 std::string_view(name) == "country" ? FeatureGroup::Categorical : FeatureGroup::Numeric);
        QVERIFY2(m->features[static_cast<std::size_t>(row)].driftedWindows >= 24, name);
        std::size_t lastWindow = m->windows - 1;
        QVERIFY(m->isDrifted(static_cast<std::size_t>(row), lastWindow));
    }
    QCOMPARE(window.driftView()->heatmap()->displayRowName(1), QStringLiteral("amount"));
    QVERIFY(window.currentResult()->snapshot.drift.has_value());
    QVERIFY(window.performanceView()->chartIds().contains(QStringLiteral("multivariate_drift")));
}

QTEST_MAIN(TestDriftView)
#include "tst_drift_view.moc"
