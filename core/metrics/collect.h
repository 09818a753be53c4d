#pragma once
// Gathers resource frames for a fixed time (vigil snapshot --view resources): scrapes the
// endpoints every interval and/or samples this machine, then returns what was read.
#include "metrics/resource_frames.h"
#include "net/scraper.h"
#include "util/result.h"

#include <chrono>
#include <stop_token>
#include <vector>

namespace vigil {

struct CollectOptions
{
    std::vector<ScrapeTarget> targets;
    bool local = true; // the /proc + NVML sampler
    std::chrono::milliseconds interval{1000};
    std::chrono::milliseconds duration{10'000};
};

// At least two rounds, so counters have a rate. Fails only when there is nothing at all
// (no endpoint answered and the local sampler is off or could not read /proc).
Result<ResourceFrames> collectResources(const CollectOptions& options, std::stop_token stop = {});

} // namespace vigil
