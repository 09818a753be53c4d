#pragma once
// A background computation whose newest request wins (e.g. the drill-down of the cell the
// user clicked last): start() asks the previous run to stop, and a result is delivered
// (queued, on the receiver's thread) only if no newer run was started meanwhile.
// The worker never touches the receiver; it posts one queued call.
#include "util/result.h"

#include <QMetaObject>
#include <QObject>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <stop_token>
#include <thread>
#include <vector>

namespace vigil {

template <typename T> class LatestTask
{
  public:
    using Work = std::function<Result<T>(std::stop_token)>;
    using Done = std::function<void(Result<T>)>;

    explicit LatestTask(QObject* receiver) : m_receiver(receiver) {}
    ~LatestTask() { cancel(); } // jthreads join on destruction
    LatestTask(const LatestTask&) = delete;
    LatestTask& operator=(const LatestTask&) = delete;

    void start(Work work, Done done)
    {
        cancel();
        reap();
        const std::uint64_t generation = ++*m_generation;
        auto latest = m_generation;
        auto finished = std::make_shared<std::atomic<bool>>(false);
        QObject* receiver = m_receiver; // alive: its LatestTask member joins this thread first
        m_workers.push_back(
            {std::jthread([work = std::move(work), done = std::move(done), latest, generation, receiver,
                           finished](std::stop_token stop) mutable {
                 Result<T> result = Error{"cancelled"};
                 try {
                     result = work(stop);
                 } catch (const std::exception& e) {
                     result = Error{e.what()};
                 }
                 if (!stop.stop_requested())
                     QMetaObject::invokeMethod(
                         receiver,
                         [done = std::move(done), latest, generation, r = std::move(result)]() mutable {
                             if (*latest == generation)
                                 done(std::move(r));
                         },
                         Qt::QueuedConnection);
                 finished->store(true);
             }),
             finished});
    }

    // The running job is told to stop and its result will not be delivered.
    void cancel()
    {
        ++*m_generation;
        for (auto& w : m_workers)
            w.thread.request_stop();
    }

  private:
    struct Worker
    {
        std::jthread thread;
        std::shared_ptr<std::atomic<bool>> finished;
    };

    void reap()
    {
        std::erase_if(m_workers, [](const Worker& w) { return w.finished->load(); });
    }

    QObject* m_receiver;
    // Shared with queued calls, which may run after a newer start().
    std::shared_ptr<std::atomic<std::uint64_t>> m_generation =
        std::make_shared<std::atomic<std::uint64_t>>(0);
    std::vector<Worker> m_workers;
};

} // namespace vigil
