// The main window end to end: a fabricated result fills views, docks and status bar;
// a real log written to a temporary folder goes through openPaths -> runPipeline ->
// views; the window-size selector re-analyzes without re-reading; follow mode picks
// up appended rows; a missing file becomes a banner, not a crash.
#include "charts/time_range_sync.h"
#include "demo/demo_log.h"
#include "engine/window.h"
#include "jobs/job_runner.h"
#include "main_window.h"
#include "models/mapping_model.h"
#include "models/problems_model.h"
#include "snapshot_fixture.h"
#include "views/kpi_view.h"
#include "views/operations_view.h"
#include "views/performance_view.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

namespace {

constexpr int kLoadTimeoutMs = 120'000;                  // generous: sanitizer builds on a shared machine
constexpr std::int64_t kDemoStartMs = 1'764'547'200'000; // 2025-12-01 00:00 UTC

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void showFabricatedResult();
    void openRealLog();
    void missingFileShowsBanner();
    void dropOpensFiles();
    void recentFilesKeepTen();
};

void TestMainWindow::showFabricatedResult()
{
    MainWindow window;
    QSignalSpy finished(&window, &MainWindow::analysisFinished);
    window.showResult(test::makeFixtureResult(3), {QStringLiteral("column 'x' is all null")});
    // The visible view is filled at once, the hidden ones on later event-loop turns.
    QCOMPARE(window.performanceView()->chartCount(), 8);
    QCOMPARE(finished.count(), 0);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(window.performanceView()->chartCount(), 8);
    QCOMPARE(window.operationsView()->chartCount(), 4);
    QCOMPARE(window.kpiView()->chartCount(), 5);
    QCOMPARE(window.problemsModel()->rowCount(), 4); // 3 listed + "2 more" summary
    QCOMPARE(window.mappingModel()->rowCount(), 8);
    QVERIFY2(window.statusText().contains(QStringLiteral("5 malformed")), qPrintable(window.statusText()));
    QVERIFY2(window.statusText().contains(QStringLiteral("MB/s")), qPrintable(window.statusText()));
    QVERIFY(window.bannerText().contains(QStringLiteral("all null")));
    const TimeRangeSync* sync = window.timeRangeSync();
    QCOMPARE(sync->min(), double(test::kFixtureStartMs));
    QCOMPARE(sync->max(), double(test::kFixtureStartMs + test::kFixtureHours * test::kHourMs));
}

void TestMainWindow::openRealLog()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("predictions.jsonl"));
    DemoScenario scenario;
    scenario.startMs = kDemoStartMs;
    scenario.rowsPerMinute = 2.0;
    DemoLogGenerator generator(scenario);
    const std::int64_t endMs = kDemoStartMs + 2 * DemoTimeline::kDay;
    auto written = writeDemoRange(generator, path.toStdString(), kDemoStartMs, endMs, false);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write("{\"this is\": not json\n");
    }

    MainWindow window;
    window.resize(1400, 900);
    QSignalSpy finished(&window, &MainWindow::analysisFinished);
    QSignalSpy failed(&window, &MainWindow::analysisFailed);
    window.openPaths({path});
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, kLoadTimeoutMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));

    const auto first = window.currentResult();
    QVERIFY(first && first->log);
    const std::size_t rows = first->log->table.rows();
    QCOMPARE(static_cast<std::uint64_t>(rows), written.value());
    QVERIFY(window.performanceView()->chartCount() > 0);
    QVERIFY(window.operationsView()->chart(QStringLiteral("latency")));
    QVERIFY(window.operationsView()->chart(QStringLiteral("latency"))->pointCount(QStringLiteral("p50")) >
            10);
    QCOMPARE(window.problemsModel()->rowCount(), 1);
    QVERIFY(window.mappingModel()->rowCount() > 3);
    QVERIFY2(window.statusText().contains(QStringLiteral("1 malformed")), qPrintable(window.statusText()));
    QVERIFY(QSettings(QStringLiteral("Vigil"), QStringLiteral("vigil"))
                .value(QStringLiteral("recentFiles"))
                .toStringList()
                .contains(QFileInfo(path).absoluteFilePath()));

    // Another window size re-analyzes the loaded log: same LoadedLog, new windows.
    window.setWindowSize(15 * kMinuteMs);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, kLoadTimeoutMs);
    QCOMPARE(window.currentResult()->snapshot.windowMs, 15 * kMinuteMs);
    QCOMPARE(window.currentResult()->log, first->log);

    // Follow mode: appended rows are picked up by a coalesced reload, zoom kept.
    window.timeRangeSync()->setRange(double(kDemoStartMs + DemoTimeline::kDay),
                                     double(kDemoStartMs + DemoTimeline::kDay + 6 * DemoTimeline::kHour));
    window.setFollowMode(true);
    QVERIFY(writeDemoRange(generator, path.toStdString(), endMs, endMs + 2 * DemoTimeline::kHour, true).ok());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 3, kLoadTimeoutMs);
    QVERIFY(window.currentResult()->log->table.rows() > rows);
    QCOMPARE(window.currentResult()->snapshot.windowMs, 15 * kMinuteMs);
    QCOMPARE(window.timeRangeSync()->min(), double(kDemoStartMs + DemoTimeline::kDay));
    window.setFollowMode(false);
}

void TestMainWindow::missingFileShowsBanner()
{
    MainWindow window;
    QSignalSpy failed(&window, &MainWindow::analysisFailed);
    window.openPaths({QStringLiteral("/nonexistent-vigil-dir/predictions.jsonl")});
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, kLoadTimeoutMs);
    QVERIFY2(window.bannerText().contains(QStringLiteral("Could not analyze")),
             qPrintable(window.bannerText()));
    QVERIFY(!window.currentResult());
}

void TestMainWindow::dropOpensFiles()
{
    MainWindow window;
    QSignalSpy failed(&window, &MainWindow::analysisFailed);
    const QString path = QStringLiteral("/nonexistent-vigil-dir/dropped.jsonl");
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path), QUrl(QStringLiteral("https://example.com/x.jsonl"))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(window.windowTitle().contains(QStringLiteral("dropped.jsonl")));
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, kLoadTimeoutMs);
    QVERIFY(window.bannerText().contains(path));

    QMimeData remoteOnly;
    remoteOnly.setUrls({QUrl(QStringLiteral("https://example.com/x.jsonl"))});
    QDragEnterEvent remote(QPoint(10, 10), Qt::CopyAction, &remoteOnly, Qt::LeftButton, Qt::NoModifier);
    remote.setAccepted(false);
    QApplication::sendEvent(&window, &remote);
    QVERIFY(!remote.isAccepted());
}

void TestMainWindow::recentFilesKeepTen()
{
    MainWindow window;
    for (int i = 0; i < 12; ++i)
        window.openPaths({QStringLiteral("/nonexistent-vigil-dir/log%1.jsonl").arg(i)});
    const QStringList recent = QSettings(QStringLiteral("Vigil"), QStringLiteral("vigil"))
                                   .value(QStringLiteral("recentFiles"))
                                   .toStringList();
    QCOMPARE(recent.size(), 10);
    QCOMPARE(recent.front(), QStringLiteral("/nonexistent-vigil-dir/log11.jsonl"));
    QVERIFY(!recent.contains(QStringLiteral("/nonexistent-vigil-dir/log1.jsonl")));
    QTRY_VERIFY_WITH_TIMEOUT(!window.jobRunner()->isBusy(), kLoadTimeoutMs);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
