// False alarms of the streaming detectors on stationary streams: events per 100,000 updates,
// raw and after the report's grouping (a detection within `gap` updates of the previous one
// joins its event). Plain executable, not a test; figures: docs/DRIFT.md.
//
//   bench_drift_stationary [updates=1000000] [seeds=3]
//
// Streams: Bernoulli(0.05) and Bernoulli(0.2) misclassification streams (every detector) and
// an absolute-error stream |N(0,1)| (ADWIN, Page-Hinkley, KSWIN: the others take 0/1 only).
#include "drift/adwin.h"
#include "drift/error_rate_detectors.h"
#include "drift/kswin.h"
#include "drift/page_hinkley.h"

#include <fmt/core.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace vigil;

namespace {

struct Count
{
    long raw = 0;
    long grouped1k = 0;
    long grouped10k = 0;
};

Count run(StreamDetector& d, const std::function<double()>& next, long updates)
{
    Count c;
    long previous = -1'000'000'000; // update index of the previous detection
    for (long i = 0; i < updates; ++i) {
        if (!d.update(next()).drift)
            continue;
        ++c.raw;
        c.grouped1k += i - previous > 1000;
        c.grouped10k += i - previous > 10000;
        previous = i;
    }
    return c;
}

} // namespace

int main(int argc, char** argv)
{
    const long updates = argc > 1 ? std::atol(argv[1]) : 1'000'000;
    const int seeds = argc > 2 ? std::atoi(argv[2]) : 3;
    struct Stream
    {
        std::string name;
        bool binary;
        std::function<double(std::mt19937_64&)> draw;
    };
    const std::vector<Stream> streams{
        {"Bernoulli(0.05)", true,
         [](std::mt19937_64& r) {
             return std::uniform_real_distribution<double>(0, 1)(r) < 0.05 ? 1.0 : 0.0;
         }},
        {"Bernoulli(0.2)", true,
         [](std::mt19937_64& r) {
             return std::uniform_real_distribution<double>(0, 1)(r) < 0.2 ? 1.0 : 0.0;
         }},
        {"|N(0,1)|", false,
         [](std::mt19937_64& r) { return std::abs(std::normal_distribution<double>(0, 1)(r)); }},
    };
    const std::vector<std::pair<std::string, std::function<std::unique_ptr<StreamDetector>()>>> detectors{
        {"ADWIN", [] { return std::make_unique<Adwin>(); }},
        {"DDM", [] { return std::make_unique<Ddm>(); }},
        {"EDDM", [] { return std::make_unique<Eddm>(); }},
        {"HDDM-A", [] { return std::make_unique<HddmA>(); }},
        {"Page-Hinkley", [] { return std::make_unique<PageHinkley>(); }},
        {"KSWIN", [] { return std::make_unique<Kswin>(); }},
    };
    fmt::print("{} updates x {} seeds per cell; events per 100,000 updates: raw / grouped (gap 1,000) / "
               "grouped (gap 10,000)\n\n",
               updates, seeds);
    fmt::print("| detector |");
    for (const auto& s : streams)
        fmt::print(" {} |", s.name);
    fmt::print("\n|---|");
    for (std::size_t i = 0; i < streams.size(); ++i)
        fmt::print("---|");
    fmt::print("\n");
    for (const auto& [name, make] : detectors) {
        fmt::print("| {} |", name);
        for (const auto& s : streams) {
            const bool binaryOnly = name == "DDM" || name == "EDDM" || name == "HDDM-A";
            if (binaryOnly && !s.binary) {
                fmt::print(" — |");
                continue;
            }
            Count total;
            for (int seed = 0; seed < seeds; ++seed) {
                std::mt19937_64 rng(static_cast<std::uint64_t>(seed) + 1);
                auto d = make();
                const Count c = run(
                    *d, [&] { return s.draw(rng); }, updates);
                total.raw += c.raw;
                total.grouped1k += c.grouped1k;
                total.grouped10k += c.grouped10k;
            }
            const double per = 100'000.0 / (static_cast<double>(updates) * seeds);
            fmt::print(" {:.2f} / {:.2f} / {:.2f} |", static_cast<double>(total.raw) * per,
                       static_cast<double>(total.grouped1k) * per,
                       static_cast<double>(total.grouped10k) * per);
        }
        fmt::print("\n");
    }
    return 0;
}
