#include "engine/drift_pool_times.h"

#include <algorithm>
#include <cstdio>

namespace vigil {

DriftPoolTimes::DriftPoolTimes(std::size_t tasks) : m_tasks(tasks), m_start(std::chrono::steady_clock::now())
{
}

unsigned DriftPoolTimes::join()
{
    return m_tasks.empty() ? 0 : m_threads++;
}

double DriftPoolTimes::now() const
{
    if (m_tasks.empty())
        return 0.0;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

void DriftPoolTimes::record(std::size_t task, unsigned thread, double begin)
{
    if (task < m_tasks.size())
        m_tasks[task] = {begin, now(), thread};
}

void DriftPoolTimes::print(const std::vector<Group>& groups) const
{
    if (m_tasks.empty())
        return;
    for (const Group& g : groups) {
        double sum = 0.0;
        double longest = 0.0;
        for (std::size_t t = g.first; t < g.last && t < m_tasks.size(); ++t) {
            const double d = m_tasks[t].end - m_tasks[t].begin;
            sum += d;
            longest = std::max(longest, d);
        }
        std::fprintf(stderr, "vigil: timing   drift pool %-14.*s %4zu tasks %7.3f s (longest %.3f s)\n",
                     static_cast<int>(g.name.size()), g.name.data(), g.last - g.first, sum, longest);
    }
    const unsigned threads = m_threads.load();
    for (unsigned th = 0; th < threads; ++th) {
        double busy = 0.0;
        double last = 0.0;
        for (const Task& t : m_tasks)
            if (t.thread == th && t.end > 0.0) {
                busy += t.end - t.begin;
                last = std::max(last, t.end);
            }
        std::fprintf(stderr, "vigil: timing   drift pool thread %u busy %.3f s, last task ended at %.3f s\n",
                     th, busy, last);
    }
}

} // namespace vigil
