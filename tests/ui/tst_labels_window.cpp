// Late labels in the GUI: a log opened with a label file (as `vigil LOG --labels FILE`
// does) shows joined labels in the views and the status bar; File ▸ Open labels… is
// there; dropping the labels reloads without them.
#include "demo/demo_log.h"
#include "ingest/label_summary.h"
#include "main_window.h"

#include <QAction>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

namespace {

constexpr int kLoadTimeoutMs = 120'000;
constexpr std::int64_t kStartMs = 1'764'547'200'000; // 2025-12-01 00:00 UTC

std::uint64_t labelledRows(const AnalysisResult& r)
{
    std::uint64_t n = 0;
    for (const WindowStats& w : r.snapshot.windows)
        n += w.labeled;
    return n;
}

} // namespace

class TestLabelsWindow : public QObject
{
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void openWithLabels();
};

void TestLabelsWindow::openWithLabels()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string log = dir.filePath(QStringLiteral("predictions.jsonl")).toStdString();
    const std::string labels = dir.filePath(QStringLiteral("labels.jsonl")).toStdString();
    DemoScenario scenario;
    scenario.startMs = kStartMs;
    scenario.rowsPerMinute = 4.0;
    scenario.separateLabels = true;
    DemoLogGenerator generator(scenario);
    QVERIFY(writeDemoRange(generator, log, kStartMs, kStartMs + 2 * DemoTimeline::kDay, false, labels).ok());

    VigilConfig config;
    config.labels.emplace().path = labels;
    MainWindow window(config);
    window.resize(1400, 900);
    QSignalSpy finished(&window, &MainWindow::analysisFinished);
    QSignalSpy failed(&window, &MainWindow::analysisFailed);
    window.openPaths({QString::fromStdString(log)});
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, kLoadTimeoutMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));

    const auto result = window.currentResult();
    QVERIFY(result && result->log && result->log->labels);
    const LabelSummary& s = *result->log->labels;
    QVERIFY(s.predictionsLabelled > 100);
    QCOMPARE(s.unmatchedLabels, std::uint64_t{0});
    // The demo's log has no label of its own: every labelled row came from the file.
    QCOMPARE(labelledRows(*result), s.predictionsLabelled);
    QVERIFY2(window.statusText().contains(QStringLiteral("predictions labelled from labels.jsonl")),
             qPrintable(window.statusText()));

    bool found = false;
    for (QAction* menu : window.menuBar()->actions()) {
        if (!menu->menu())
            continue;
        for (QAction* a : menu->menu()->actions())
            found = found || a->text() == QStringLiteral("Open &labels…");
    }
    QVERIFY(found);
    if (const QString out = qEnvironmentVariable("VIGIL_LABELS_GRAB"); !out.isEmpty())
        window.grab().save(out);

    window.setLabelsPath(QString());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, kLoadTimeoutMs);
    QVERIFY(!window.currentResult()->log->labels);
    QCOMPARE(labelledRows(*window.currentResult()), std::uint64_t{0});
}

QTEST_MAIN(TestLabelsWindow)
#include "tst_labels_window.moc"
