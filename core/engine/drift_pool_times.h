#pragma once
// With VIGIL_TIMINGS set (util/phase_timer.h): when each task of computeDrift's pool ran and
// on which thread, summed per kind of task, to see how evenly the pool keeps the cores busy.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

namespace vigil {

class DriftPoolTimes
{
  public:
    // tasks == 0: disabled, every call returns at once.
    explicit DriftPoolTimes(std::size_t tasks);

    unsigned join();    // a worker starts: its number
    double now() const; // seconds since construction
    void record(std::size_t task, unsigned thread, double begin);

    struct Group
    {
        std::string_view name;
        std::size_t first;
        std::size_t last; // one past
    };
    // One stderr line per group (summed task time, longest task) and one per thread (busy
    // time, when its last task ended).
    void print(const std::vector<Group>& groups) const;

  private:
    struct Task
    {
        double begin = 0.0;
        double end = 0.0;
        unsigned thread = 0;
    };
    std::vector<Task> m_tasks; // each written by the one thread that ran the task
    std::chrono::steady_clock::time_point m_start;
    std::atomic<unsigned> m_threads{0};
};

} // namespace vigil
