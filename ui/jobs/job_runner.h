#pragma once
// Runs load/analysis work off the GUI thread. Each start() takes a new generation;
// a result whose generation is no longer the latest is dropped, never delivered.
// Workers never touch this object's members: they only post queued calls to it.
#include "engine/pipeline.h"
#include "util/generation.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <stop_token>
#include <thread>
#include <vector>

namespace vigil {

using AnalysisWork =
    std::function<Result<std::shared_ptr<const AnalysisResult>>(std::stop_token, const ProgressFn&)>;

class JobRunner : public QObject
{
    Q_OBJECT
  public:
    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override; // requests stop on every worker and joins them

    // Makes any running job obsolete (and asks it to stop), then runs `work` on a new thread.
    std::uint64_t start(AnalysisWork work, const QString& description);
    void cancel();
    bool isBusy() const { return m_busy; }
    std::uint64_t droppedResults() const { return m_dropped; }

  signals:
    void started(const QString& description);
    void progress(double fraction, const QString& stage); // at most ~20 Hz
    void finished(std::shared_ptr<const AnalysisResult> result, const QStringList& warnings);
    void failed(const QString& message);
    void cancelled();

  private:
    void deliver(std::uint64_t generation, Result<std::shared_ptr<const AnalysisResult>> result,
                 bool stopped);
    void reapFinishedThreads();

    struct Worker
    {
        std::jthread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };

    GenerationCounter m_generation;
    std::stop_source m_stop;
    std::vector<Worker> m_workers;
    bool m_busy = false;
    std::uint64_t m_dropped = 0;
};

} // namespace vigil
