#pragma once
// A fixed set of worker threads running jobs in FIFO order. The loader keeps the
// futures in submission order, so output order never depends on scheduling.
#include "util/simd_state.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vigil::ingest {

class BlockPool
{
  public:
    // `makeWorker` runs once on each thread and returns that thread's job runner,
    // so per-thread state (a simdjson parser) is built where it is used.
    using Job = std::function<void(void* workerState)>;

    explicit BlockPool(unsigned threads, std::function<std::shared_ptr<void>()> makeState)
    {
        for (unsigned i = 0; i < threads; ++i) {
            m_threads.emplace_back([this, makeState] {
                std::shared_ptr<void> state = makeState();
                while (true) {
                    Job job;
                    {
                        std::unique_lock lock(m_mutex);
                        m_wake.wait(lock, [this] { return m_closing || !m_jobs.empty(); });
                        if (m_jobs.empty())
                            return;
                        job = std::move(m_jobs.front());
                        m_jobs.pop_front();
                    }
                    clearUpperSimdState(); // see util/simd_state.h
                    job(state.get());
                }
            });
        }
    }

    ~BlockPool()
    {
        {
            std::lock_guard lock(m_mutex);
            m_closing = true;
        }
        m_wake.notify_all();
        m_threads.clear(); // jthread joins
    }

    BlockPool(const BlockPool&) = delete;
    BlockPool& operator=(const BlockPool&) = delete;

    void submit(Job job)
    {
        {
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(std::move(job));
        }
        m_wake.notify_one();
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_closing = false;
    std::vector<std::jthread> m_threads; // last: joined before the rest is destroyed
};

} // namespace vigil::ingest
