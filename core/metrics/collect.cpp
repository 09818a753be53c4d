#include "metrics/collect.h"

#include "resources/sampler.h"
#include "util/progress.h"

#include <algorithm>
#include <exception>
#include <thread>

namespace vigil {

namespace {
std::int64_t wallMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

Result<ResourceFrames> collectResources(const CollectOptions& options, std::stop_token stop)
{
    try {
        LocalHistory history;
        std::unique_ptr<ResourceSampler> sampler;
        std::vector<std::string> warnings;
        if (options.local)
            sampler = std::make_unique<ResourceSampler>();
        auto sampleLocal = [&] {
            if (!sampler)
                return;
            auto s = sampler->sample(wallMs());
            if (s)
                history.add(s.value());
            else
                warnings.push_back("local sampler: " + s.error().message);
        };
        // Two rounds at least: a rate needs two samples.
        const auto duration = std::max(options.duration, options.interval + std::chrono::milliseconds(1));
        ResourceFrames frames;
        if (!options.targets.empty()) {
            Scraper scraper(options.targets);
            scraper.run(stop, options.interval, duration, [&](const ScrapeSnapshot&) { sampleLocal(); });
            frames = framesFromScrape(*scraper.snapshot());
        } else {
            const auto end = std::chrono::steady_clock::now() + duration;
            for (;;) {
                sampleLocal();
                if (stopRequested(stop) || std::chrono::steady_clock::now() >= end)
                    break;
                std::this_thread::sleep_for(options.interval);
            }
        }
        appendFrames(frames, history.frames());
        const bool anyUp = std::any_of(frames.endpoints.begin(), frames.endpoints.end(),
                                       [](const EndpointHealth& e) { return e.up; });
        if (frames.series.empty() && !anyUp) {
            std::string why =
                options.targets.empty() ? "the local sampler read nothing" : "no endpoint answered";
            for (const EndpointHealth& e : frames.endpoints)
                if (!e.lastError.empty())
                    why += "; " + e.url + ": " + e.lastError;
            return Error{"no resource data: " + why};
        }
        Result<ResourceFrames> out(std::move(frames));
        out.warnings = std::move(warnings);
        return out;
    } catch (const std::exception& e) {
        return Error{std::string("collecting resources: ") + e.what()};
    }
}

} // namespace vigil
