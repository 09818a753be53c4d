// Background jobs: an obsolete generation is dropped, cancel stops and discards,
// errors and exceptions become messages, progress is throttled, results arrive on
// the GUI thread. Also the event-loop stall probe.
#include "jobs/job_runner.h"
#include "snapshot_fixture.h"
#include "stall_probe.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

using namespace vigil;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(std::shared_ptr<const vigil::AnalysisResult>)

namespace {

std::shared_ptr<const AnalysisResult> tagged(std::int64_t windowMs)
{
    auto r = std::make_shared<AnalysisResult>();
    r->snapshot.windowMs = windowMs;
    return r;
}

} // namespace

class TestJobs : public QObject
{
    Q_OBJECT
  private slots:
    void initTestCase() { qRegisterMetaType<std::shared_ptr<const AnalysisResult>>(); }
    void deliversOnGuiThread();
    void obsoleteGenerationIsDropped();
    void cancelStopsAndDiscards();
    void errorsBecomeMessages_data();
    void errorsBecomeMessages();
    void progressIsThrottled();
    void destroyWhileRunning();
    void stallProbe();
};

void TestJobs::deliversOnGuiThread()
{
    JobRunner runner;
    QThread* workerThread = nullptr;
    QThread* arrivalThread = nullptr;
    std::int64_t got = 0;
    connect(&runner, &JobRunner::finished, this,
            [&](std::shared_ptr<const AnalysisResult> r, const QStringList&) {
                arrivalThread = QThread::currentThread();
                got = r->snapshot.windowMs;
            });
    runner.start(
        [&](std::stop_token, const ProgressFn&) -> Result<std::shared_ptr<const AnalysisResult>> {
            workerThread = QThread::currentThread();
            return tagged(42);
        },
        QStringLiteral("job"));
    QVERIFY(runner.isBusy());
    QTRY_COMPARE(got, std::int64_t{42});
    QCOMPARE(arrivalThread, QThread::currentThread());
    QVERIFY(workerThread != QThread::currentThread());
    QVERIFY(!runner.isBusy());
}

void TestJobs::obsoleteGenerationIsDropped()
{
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<bool> oldSawStop{false};

    // The old job ignores stop requests on purpose: its result must still be dropped.
    runner.start(
        [&, released](std::stop_token stop,
                      const ProgressFn&) -> Result<std::shared_ptr<const AnalysisResult>> {
            released.wait();
            oldSawStop = stop.stop_requested();
            return tagged(1);
        },
        QStringLiteral("old"));
    runner.start([](std::stop_token,
                    const ProgressFn&) -> Result<std::shared_ptr<const AnalysisResult>> { return tagged(2); },
                 QStringLiteral("new"));
    QTRY_COMPARE(finished.count(), 1);
    release.set_value();
    QTRY_COMPARE(runner.droppedResults(), std::uint64_t{1});
    QCoreApplication::processEvents();
    QCOMPARE(finished.count(), 1);
    const auto delivered = finished.at(0).at(0).value<std::shared_ptr<const AnalysisResult>>();
    QCOMPARE(delivered->snapshot.windowMs, std::int64_t{2});
    QVERIFY(oldSawStop); // the newer request asked the older one to stop
}

void TestJobs::cancelStopsAndDiscards()
{
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy failed(&runner, &JobRunner::failed);
    QSignalSpy cancelled(&runner, &JobRunner::cancelled);
    std::atomic<bool> running{false};
    runner.start(
        [&](std::stop_token stop, const ProgressFn&) -> Result<std::shared_ptr<const AnalysisResult>> {
            running = true;
            while (!stopRequested(stop))
                std::this_thread::sleep_for(1ms);
            return Error{"cancelled"};
        },
        QStringLiteral("long"));
    QTRY_VERIFY(running.load());
    runner.cancel();
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!runner.isBusy());
    QTRY_COMPARE(runner.droppedResults(), std::uint64_t{1});
    QCOMPARE(finished.count(), 0);
    QCOMPARE(failed.count(), 0);
}

void TestJobs::errorsBecomeMessages_data()
{
    QTest::addColumn<bool>("throws");
    QTest::addColumn<QString>("expected");
    QTest::newRow("error result") << false << "line 3: expected ','";
    QTest::newRow("exception") << true << "internal error: bad_alloc-ish";
}

void TestJobs::errorsBecomeMessages()
{
    QFETCH(bool, throws);
    QFETCH(QString, expected);
    JobRunner runner;
    QSignalSpy failed(&runner, &JobRunner::failed);
    runner.start(
        [throws](std::stop_token, const ProgressFn&) -> Result<std::shared_ptr<const AnalysisResult>> {
            if (throws)
                throw std::runtime_error("bad_alloc-ish");
            return Error{"line 3: expected ','"};
        },
        QStringLiteral("bad"));
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), expected);
}

void TestJobs::progressIsThrottled()
{
    JobRunner runner;
    QSignalSpy progress(&runner, &JobRunner::progress);
    QSignalSpy finished(&runner, &JobRunner::finished);
    const auto t0 = std::chrono::steady_clock::now();
    runner.start(
        [](std::stop_token, const ProgressFn& report) -> Result<std::shared_ptr<const AnalysisResult>> {
            // 300 ms of very chatty progress from two threads.
            auto spam = [&] {
                const auto end = std::chrono::steady_clock::now() + 300ms;
                while (std::chrono::steady_clock::now() < end)
                    report(0.5, "parsing");
            };
            std::thread other(spam);
            spam();
            other.join();
            report(1.0, "done");
            return tagged(1);
        },
        QStringLiteral("chatty"));
    QTRY_COMPARE(finished.count(), 1);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    QVERIFY(progress.count() >= 2);
    // At most one update per 50 ms (plus the final one).
    QVERIFY2(progress.count() <= ms.count() / 50 + 2,
             qPrintable(QStringLiteral("%1 updates in %2 ms").arg(progress.count()).arg(ms.count())));
    QCOMPARE(progress.last().at(1).toString(), QStringLiteral("done"));
}

void TestJobs::destroyWhileRunning()
{
    std::atomic<bool> stopped{false};
    {
        JobRunner runner;
        std::atomic<bool> running{false};
        runner.start(
            [&](std::stop_token stop, const ProgressFn&) -> Result<std::shared_ptr<const AnalysisResult>> {
                running = true;
                while (!stopRequested(stop))
                    std::this_thread::sleep_for(1ms);
                stopped = true;
                return Error{"stopped"};
            },
            QStringLiteral("long"));
        QTRY_VERIFY(running.load());
    }
    QVERIFY(stopped.load());           // the destructor stopped and joined the worker
    QCoreApplication::processEvents(); // its queued delivery must not reach the dead runner
}

void TestJobs::stallProbe()
{
    StallProbe probe;
    probe.start();
    QTest::qWait(50);
    std::this_thread::sleep_for(150ms); // the GUI thread is blocked: the probe cannot tick
    QTest::qWait(30);
    probe.stop();
    QVERIFY(probe.ticks() > 3);
    QVERIFY2(probe.longestStallMs() >= 140, qPrintable(QString::number(probe.longestStallMs())));
    QVERIFY2(probe.longestStallMs() < 2000, qPrintable(QString::number(probe.longestStallMs())));
}

QTEST_MAIN(TestJobs)
#include "tst_jobs.moc"
