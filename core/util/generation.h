#pragma once
// A newer request makes an older one obsolete: each request takes a generation
// number, and a finished job publishes only if its number is still the latest.
#include <atomic>
#include <cstdint>

namespace vigil {

class GenerationCounter
{
  public:
    std::uint64_t next() { return m_current.fetch_add(1, std::memory_order_acq_rel) + 1; }
    bool isCurrent(std::uint64_t generation) const
    {
        return m_current.load(std::memory_order_acquire) == generation;
    }

  private:
    std::atomic<std::uint64_t> m_current{0};
};

} // namespace vigil
