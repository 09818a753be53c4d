// GUI follow mode: the window tails a log a writer thread fills (and rotates both
// ways) while the event loop runs; every line ends up counted once, the status bar
// says "following", and view updates are coalesced (at most one per 250 ms).
#include "follow/follow_worker.h"
#include "main_window.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <fcntl.h>
#include <filesystem>
#include <thread>
#include <unistd.h>

using namespace vigil;

namespace {

constexpr int kTimeoutMs = 120'000; // sanitizer builds on a shared machine
constexpr std::int64_t kBaseMs = 1'767'225'600'000;

std::string jsonLine(std::uint64_t seq)
{
    return "{\"ts\":" + std::to_string(kBaseMs + static_cast<std::int64_t>(seq) * 20) +
           ",\"model\":\"m\",\"latency_ms\":" + std::to_string(seq % 50) +
           ",\"prediction\":0.7,\"label\":" + std::to_string(seq % 2) + "}\n";
}

void appendLines(int fd, std::uint64_t from, std::uint64_t to)
{
    std::string text;
    for (std::uint64_t s = from; s < to; ++s)
        text += jsonLine(s);
    if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        qFatal("write failed");
}

std::uint64_t rowsShown(const MainWindow& w)
{
    const auto r = w.currentResult();
    return r && r->log ? r->log->table.rows() : 0;
}

} // namespace

class TestFollow : public QObject
{
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void followsAWriterAcrossRotations()
    {
        QTemporaryDir dir;
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / "live.log").string();
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        QVERIFY(fd >= 0);
        appendLines(fd, 0, 100);

        MainWindow window;
        window.resize(1200, 800);
        window.show();
        window.setFollowMode(true);
        window.openPaths({QString::fromStdString(path)});
        QTRY_COMPARE_WITH_TIMEOUT(rowsShown(window), 100u, kTimeoutMs);
        QVERIFY2(window.statusText().contains(QStringLiteral("following")), qPrintable(window.statusText()));
        QVERIFY(window.followWorker()->isRunning());

        QSignalSpy updates(&window, &MainWindow::analysisFinished);
        std::atomic<bool> done{false};
        constexpr std::uint64_t kTotal = 4100;
        QElapsedTimer clock;
        clock.start();
        std::jthread writer([&] {
            std::uint64_t seq = 100;
            int out = fd;
            for (int step = 0; seq < kTotal; ++step) {
                const std::uint64_t next = std::min(kTotal, seq + 20);
                appendLines(out, seq, next);
                seq = next;
                if (step == 60) { // rename-and-create
                    std::filesystem::rename(path, path + ".1");
                    appendLines(out, seq, seq + 5); // before the writer reopens
                    seq += 5;
                    ::close(out);
                    out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
                }
                if (step == 120) { // copy-truncate
                    std::filesystem::rename(path + ".1", path + ".2");
                    std::filesystem::copy_file(path, path + ".1");
                    if (::truncate(path.c_str(), 0) != 0)
                        qFatal("truncate failed");
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            ::close(out);
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), kTimeoutMs);
        const double writingSeconds = static_cast<double>(clock.elapsed()) / 1000.0;
        const int duringWriting = static_cast<int>(updates.count());
        QTRY_COMPARE_WITH_TIMEOUT(rowsShown(window), kTotal, kTimeoutMs);
        const auto result = window.currentResult();
        QVERIFY(result->follow);
        QCOMPARE(result->follow->renameRotations, 1u);
        QCOMPARE(result->follow->truncateRotations, 1u);
        QCOMPARE(result->log->malformed, 0u);
        // Live, not only at the end; and coalesced: no more than one per 250 ms.
        QVERIFY2(duringWriting >= 2, qPrintable(QString::number(duringWriting)));
        QVERIFY2(duringWriting <= static_cast<int>(writingSeconds / 0.25) + 2,
                 qPrintable(QStringLiteral("%1 updates in %2 s").arg(duringWriting).arg(writingSeconds)));
        // For looking at it: VIGIL_GRAB_DIR=/tmp ctest -R tst_follow
        if (const QString grabDir = qEnvironmentVariable("VIGIL_GRAB_DIR"); !grabDir.isEmpty())
            window.grab().save(grabDir + QStringLiteral("/vigil-follow.png"));

        window.setFollowMode(false);
        QVERIFY(!window.followWorker()->isRunning());
    }

    void missingFileIsReported()
    {
        MainWindow window;
        QSignalSpy failed(&window, &MainWindow::analysisFailed);
        window.setFollowMode(true);
        window.openPaths({QStringLiteral("/nonexistent-vigil-dir/live.jsonl")});
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QVERIFY(window.bannerText().contains(QStringLiteral("no such file")));
    }
};

QTEST_MAIN(TestFollow)
#include "tst_follow.moc"
