// Late labels in the GUI while following: the window follows a prediction log, File ▸
// Open labels… (setLabelsPath) adds a label file while following, and labels a writer
// appends afterwards (for predictions already shown, and ahead of predictions not
// written yet) reach the views: the labelled rows of the windows and the status bar.
#include "follow/follow_worker.h"
#include "ingest/label_summary.h"
#include "main_window.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <filesystem>
#include <string>
#include <unistd.h>

using namespace vigil;

namespace {

constexpr int kTimeoutMs = 60'000;
constexpr std::int64_t kT0 = 1'767'225'600'000;

void append(const std::string& path, const std::string& text)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    QVERIFY(fd >= 0);
    QCOMPARE(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fd);
}

std::string predictions(int from, int to)
{
    std::string text;
    for (int i = from; i < to; ++i)
        text += "{\"ts\":" + std::to_string(kT0 + i * 1000LL) + ",\"request_id\":\"r" + std::to_string(i) +
                "\",\"latency_ms\":5,\"prediction\":" + std::to_string((i % 10) / 10.0) + "}\n";
    return text;
}

std::string labels(int from, int to)
{
    std::string text;
    for (int i = from; i < to; ++i)
        text += "{\"request_id\":\"r" + std::to_string(i) + "\",\"label\":" + std::to_string(i % 2) +
                ",\"ts\":" + std::to_string(kT0 + i * 1000LL + 30'000) + "}\n";
    return text;
}

std::uint64_t labelledRows(const MainWindow& window)
{
    const auto r = window.currentResult();
    std::uint64_t n = 0;
    if (r)
        for (const WindowStats& w : r->snapshot.windows)
            n += w.labeled;
    return n;
}

std::uint64_t rowsShown(const MainWindow& window)
{
    const auto r = window.currentResult();
    return r && r->log ? r->log->table.rows() : 0;
}

} // namespace

class TestFollowLabelsWindow : public QObject
{
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void labelsArriveWhileFollowing()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string pred = (std::filesystem::path(dir.path().toStdString()) / "pred.jsonl").string();
        const std::string lab = (std::filesystem::path(dir.path().toStdString()) / "labels.jsonl").string();
        append(pred, predictions(0, 300)); // 5 minutes
        append(lab, labels(0, 50));

        MainWindow window;
        window.resize(1400, 900);
        window.show();
        window.setFollowMode(true);
        window.openPaths({QString::fromStdString(pred)});
        QTRY_COMPARE_WITH_TIMEOUT(rowsShown(window), 300u, kTimeoutMs);
        QCOMPARE(labelledRows(window), 0u);

        // File ▸ Open labels… while following: following restarts with the labels.
        window.setLabelsPath(QString::fromStdString(lab));
        QTRY_COMPARE_WITH_TIMEOUT(labelledRows(window), 50u, kTimeoutMs);
        QVERIFY(window.followWorker()->isRunning());

        // Labels for rows already shown, and for 20 predictions not written yet.
        append(lab, labels(50, 320));
        QTRY_COMPARE_WITH_TIMEOUT(labelledRows(window), 300u, kTimeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(window.statusText().contains(QStringLiteral("20 labels pending")),
                                  qPrintable(window.statusText()), kTimeoutMs);
        append(pred, predictions(300, 320));
        QTRY_COMPARE_WITH_TIMEOUT(labelledRows(window), 320u, kTimeoutMs);
        const auto result = window.currentResult();
        QVERIFY(result && result->log->labels && result->follow && result->follow->labels);
        QCOMPARE(result->log->labels->predictionsLabelled, 320u);
        QCOMPARE(result->log->labels->unmatchedLabels, 0u);
        QVERIFY2(window.statusText().contains(QStringLiteral("320 predictions labelled")),
                 qPrintable(window.statusText()));
        // For looking at it: VIGIL_GRAB_DIR=/tmp ctest -R tst_follow_labels_window
        if (const QString grabDir = qEnvironmentVariable("VIGIL_GRAB_DIR"); !grabDir.isEmpty())
            window.grab().save(grabDir + QStringLiteral("/vigil-follow-labels.png"));
        window.setFollowMode(false);
        QVERIFY(!window.followWorker()->isRunning());
    }
};

QTEST_MAIN(TestFollowLabelsWindow)
#include "tst_follow_labels_window.moc"
