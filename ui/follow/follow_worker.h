#pragma once
// Live following for the GUI: a worker thread tails the logs (core FollowSession)
// and publishes an immutable AnalysisResult at most every 250 ms, and only once the
// window has shown the previous one (acknowledge()), so updates coalesce instead of
// queueing up. The GUI thread never reads a file or computes a window.
#include "config/config.h"
#include "engine/pipeline.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vigil {

class FollowWorker : public QObject
{
    Q_OBJECT
  public:
    static constexpr std::chrono::milliseconds kMinPublishInterval{250};
    static constexpr std::chrono::milliseconds kPollInterval{100};

    explicit FollowWorker(QObject* parent = nullptr);
    ~FollowWorker() override; // stops and joins the worker

    // Starts following from the start of the files; a running follow is replaced.
    void start(std::vector<std::string> paths, LoadOptions load, AnalysisOptions options);
    void stop();
    // Label files to tail alongside the log from the next start() on (nullopt: none);
    // their records are joined by request id and the windows they label recomputed.
    void setLabelSource(std::optional<LabelSourceConfig> labels) { m_labels = std::move(labels); }
    bool isRunning() const { return m_running; }
    // The shown result is on screen: the worker may publish the next one.
    void acknowledge();

  signals:
    // rowsPerSecond: rows appended per second over the last publish interval.
    void updated(std::shared_ptr<const AnalysisResult> result, double rowsPerSecond);
    void failed(const QString& message);

  private:
    void run(std::stop_token stop, std::uint64_t generation, std::vector<std::string> paths, LoadOptions load,
             AnalysisOptions options, std::optional<LabelSourceConfig> labels);
    void post(std::uint64_t generation, std::shared_ptr<const AnalysisResult> result, double rate);
    void postFailure(std::uint64_t generation, const std::string& message);

    std::uint64_t m_generation = 0; // GUI thread only
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_acknowledged;
    std::optional<LabelSourceConfig> m_labels; // GUI thread only; copied into each run
    std::jthread m_thread;
};

} // namespace vigil
