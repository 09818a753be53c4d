#include "jobs/job_runner.h"

#include <QLoggingCategory>
#include <QMetaObject>
#include <QPointer>
#include <QThread>

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

#include <atomic>
#include <chrono>
#include <exception>

Q_LOGGING_CATEGORY(lcJobs, "vigil.ui.jobs", QtWarningMsg)

namespace vigil {

namespace {

using Clock = std::chrono::steady_clock;

// Loading saturates every core; the GUI thread must still get the CPU when it needs
// it (a stalled event loop is what the user feels). On Linux the nice value is per
// thread and inherited by the threads the job starts, so the whole job yields.
void lowerThisThreadsPriority()
{
#if defined(__linux__)
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 5);
#endif
}

constexpr auto kProgressInterval = std::chrono::milliseconds(50); // <= 20 Hz

} // namespace

JobRunner::JobRunner(QObject* parent) : QObject(parent) {}

JobRunner::~JobRunner()
{
    m_stop.request_stop();
    // jthread's destructor requests stop and joins; their queued calls to us die with
    // the event queue entries of this object.
    m_workers.clear();
}

std::uint64_t JobRunner::start(AnalysisWork work, const QString& description)
{
    reapFinishedThreads();
    m_stop.request_stop();
    m_stop = std::stop_source{};
    const std::uint64_t generation = m_generation.next();
    m_busy = true;
    emit started(description);

    auto done = std::make_shared<std::atomic<bool>>(false);
    auto lastProgress = std::make_shared<std::atomic<Clock::rep>>(0);
    QObject* receiver = this;
    ProgressFn progressFn = [receiver, generation, lastProgress](double fraction, std::string_view stage) {
        // Called from worker threads (possibly several): claim the slot with a CAS so
        // that at most one update per interval crosses to the GUI.
        const Clock::rep now = Clock::now().time_since_epoch().count();
        Clock::rep last = lastProgress->load(std::memory_order_relaxed);
        if (now - last < std::chrono::duration_cast<Clock::duration>(kProgressInterval).count() &&
            fraction < 1.0)
            return;
        if (!lastProgress->compare_exchange_strong(last, now))
            return;
        QMetaObject::invokeMethod(
            receiver,
            [receiver, generation, fraction,
             text = QString::fromUtf8(stage.data(), qsizetype(stage.size()))] {
                auto* self = static_cast<JobRunner*>(receiver);
                if (self->m_generation.isCurrent(generation))
                    emit self->progress(fraction, text);
            },
            Qt::QueuedConnection);
    };

    std::jthread thread([work = std::move(work), progressFn = std::move(progressFn),
                         token = m_stop.get_token(), receiver, generation, done] {
        lowerThisThreadsPriority();
        Result<std::shared_ptr<const AnalysisResult>> result = Error{"not run"};
        try {
            result = work(token, progressFn);
        } catch (const std::exception& e) {
            result = Error{std::string("internal error: ") + e.what()};
        } catch (...) {
            result = Error{"internal error"};
        }
        const bool stopped = token.stop_requested();
        QMetaObject::invokeMethod(
            receiver,
            [receiver, generation, result = std::move(result), stopped]() mutable {
                static_cast<JobRunner*>(receiver)->deliver(generation, std::move(result), stopped);
            },
            Qt::QueuedConnection);
        done->store(true, std::memory_order_release);
    });
    m_workers.push_back({std::move(thread), std::move(done)});
    qCDebug(lcJobs) << "started generation" << generation << description;
    return generation;
}

void JobRunner::cancel()
{
    m_stop.request_stop();
    // The cancelled job's result is obsolete whatever it turns out to be.
    m_generation.next();
    if (m_busy) {
        m_busy = false;
        emit cancelled();
    }
}

void JobRunner::deliver(std::uint64_t generation, Result<std::shared_ptr<const AnalysisResult>> result,
                        bool stopped)
{
    Q_ASSERT(QThread::currentThread() == thread());
    reapFinishedThreads();
    if (!m_generation.isCurrent(generation)) {
        ++m_dropped;
        qCDebug(lcJobs) << "dropped obsolete generation" << generation;
        return;
    }
    m_busy = false;
    if (!result.ok()) {
        if (stopped)
            emit cancelled();
        else
            emit failed(QString::fromStdString(result.error().message));
        return;
    }
    QStringList warnings;
    for (const std::string& w : result.warnings)
        warnings << QString::fromStdString(w);
    emit finished(std::move(result).value(), warnings);
}

void JobRunner::reapFinishedThreads()
{
    std::erase_if(m_workers, [](const Worker& w) { return w.done->load(std::memory_order_acquire); });
}

} // namespace vigil
