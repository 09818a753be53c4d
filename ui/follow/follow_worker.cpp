#include "follow/follow_worker.h"

#include "engine/follow_session.h"

#include <QMetaObject>

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace vigil {

namespace {

using Clock = std::chrono::steady_clock;

// Like JobRunner's jobs: the GUI thread must win the CPU when both want it.
void lowerThisThreadsPriority()
{
#if defined(__linux__)
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 5);
#endif
}

} // namespace

FollowWorker::FollowWorker(QObject* parent) : QObject(parent) {}

FollowWorker::~FollowWorker()
{
    stop();
}

void FollowWorker::start(std::vector<std::string> paths, LoadOptions load, AnalysisOptions options)
{
    stop();
    const std::uint64_t generation = ++m_generation;
    m_acknowledged = std::make_shared<std::atomic<bool>>(true);
    m_running = true;
    m_thread = std::jthread([this, generation, paths = std::move(paths), load = std::move(load),
                             options = std::move(options), labels = m_labels](std::stop_token stop) mutable {
        run(stop, generation, std::move(paths), std::move(load), std::move(options), std::move(labels));
    });
}

void FollowWorker::stop()
{
    ++m_generation; // whatever the old worker still posts is dropped
    m_running = false;
    if (m_thread.joinable()) {
        m_thread.request_stop();
        m_thread.join();
    }
}

void FollowWorker::acknowledge()
{
    if (m_acknowledged)
        m_acknowledged->store(true, std::memory_order_release);
}

// Worker thread: touches only its locals, the shared acknowledgement flag, and
// queued calls to this object.
void FollowWorker::run(std::stop_token stop, std::uint64_t generation, std::vector<std::string> paths,
                       LoadOptions load, AnalysisOptions options, std::optional<LabelSourceConfig> labels)
{
    lowerThisThreadsPriority();
    const auto acknowledged = m_acknowledged;
    FollowSession session(std::move(paths), std::move(load), std::move(options));
    if (labels && !labels->path.empty())
        session.followLabels(std::move(*labels));
    auto lastPublish = Clock::now() - kMinPublishInterval;
    std::size_t rowsAtPublish = 0;
    std::uint64_t linesSeen = 0;
    bool dirty = false;
    bool published = false;
    while (!stop.stop_requested()) {
        auto polled = session.poll(false, stop);
        if (!polled) {
            postFailure(generation, polled.error().message);
            return;
        }
        const std::uint64_t lines = session.linesRead(); // label lines too
        if (polled.value() > 0 || lines != linesSeen) {
            linesSeen = lines;
            dirty = true;
        }
        const auto now = Clock::now();
        if (dirty && session.ready() && now - lastPublish >= kMinPublishInterval &&
            acknowledged->load(std::memory_order_acquire)) {
            auto result = session.analyze(stop);
            if (stop.stop_requested())
                return;
            if (!result) {
                postFailure(generation, result.error().message);
                return;
            }
            const double seconds = std::chrono::duration<double>(now - lastPublish).count();
            const std::size_t rows = session.rows();
            // The first result holds the backlog that was already there: no rate yet.
            const double rate =
                published ? static_cast<double>(rows - rowsAtPublish) / std::max(seconds, 1e-3) : 0.0;
            published = true;
            rowsAtPublish = rows;
            lastPublish = now;
            dirty = false;
            acknowledged->store(false, std::memory_order_release);
            post(generation, std::move(result.value()), rate);
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

void FollowWorker::post(std::uint64_t generation, std::shared_ptr<const AnalysisResult> result, double rate)
{
    QMetaObject::invokeMethod(
        this,
        [this, generation, result = std::move(result), rate] {
            if (generation == m_generation)
                emit updated(result, rate);
        },
        Qt::QueuedConnection);
}

void FollowWorker::postFailure(std::uint64_t generation, const std::string& message)
{
    QMetaObject::invokeMethod(
        this,
        [this, generation, text = QString::fromStdString(message)] {
            if (generation != m_generation)
                return;
            m_running = false;
            emit failed(text);
        },
        Qt::QueuedConnection);
}

} // namespace vigil
