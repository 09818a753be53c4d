// KLL sketch costs (docs/SKETCHES.md, docs/PERFORMANCE.md "Sketches"): update throughput per
// value, merge time, query time and memory for several k, and the WindowSketchBuilder's
// rows per second on a wide table. bench_kll [values] [k...]
#include "engine/window_sketch.h"
#include "stats/kll_estimates.h"
#include "stats/kll_sketch.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using namespace vigil;

namespace {

double seconds(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void sketchCosts(const std::vector<double>& values, std::uint32_t k)
{
    // Best of 3 for the update loop.
    double best = 1e9;
    stats::KllSketch s(k, 1);
    for (int rep = 0; rep < 3; ++rep) {
        stats::KllSketch t(k, 1);
        const auto t0 = std::chrono::steady_clock::now();
        for (const double v : values)
            t.update(v);
        best = std::min(best, seconds(t0));
        s = t;
    }
    // Merge: 64 sketches of 1/64 of the values into one.
    std::vector<stats::KllSketch> parts;
    const std::size_t part = values.size() / 64;
    for (std::size_t p = 0; p < 64; ++p) {
        stats::KllSketch t(k, 10 + p);
        for (std::size_t i = p * part; i < (p + 1) * part; ++i)
            t.update(values[i]);
        parts.push_back(t);
    }
    auto t0 = std::chrono::steady_clock::now();
    stats::KllSketch merged(k, 2);
    for (const auto& p : parts)
        merged.merge(p);
    const double mergeS = seconds(t0);
    t0 = std::chrono::steady_clock::now();
    const auto view = s.sortedView();
    double sink = 0.0;
    for (int q = 1; q < 100; ++q)
        sink += view.quantile(q / 100.0);
    const double queryS = seconds(t0);
    std::printf("k=%5u  update %6.1f ns/value (%6.1f M values/s)  merge of 64: %7.3f ms (%.1f us each)  "
                "view + 99 quantiles %6.3f ms  retained %5zu  memory %6.1f KB  eps %.3f %%  (%g)\n",
                k, 1e9 * best / static_cast<double>(values.size()),
                static_cast<double>(values.size()) / best / 1e6, 1e3 * mergeS, 1e6 * mergeS / 64,
                1e3 * queryS, s.retained(), static_cast<double>(s.memoryBytes()) / 1024.0,
                100 * stats::kllRankError(k), sink > 0 ? 1.0 : 0.0);
}

// A wide window: `features` numeric features, a score and a label, fed in chunks of 100k rows.
void builderCosts(std::size_t rows, std::size_t features)
{
    std::mt19937_64 rng(5);
    std::normal_distribution<double> normal(0.0, 1.0);
    const std::size_t chunkRows = 100'000;
    LogTable chunk;
    for (std::size_t f = 0; f < features; ++f) {
        std::string name(1, 'f'); // not "f" + std::string: GCC 12 -O3 warns falsely (-Wrestrict)
        name += std::to_string(f);
        chunk.numericFeatures.push_back({std::move(name), {}, {}});
    }
    for (std::size_t i = 0; i < chunkRows; ++i) {
        chunk.tsMs.push_back(static_cast<std::int64_t>(i));
        chunk.latencyMs.push(std::exp(3.0 + 0.5 * normal(rng)));
        chunk.status.push_back(RowStatus::Ok);
        const double s = std::clamp(0.5 + 0.2 * normal(rng), 0.0, 1.0);
        chunk.prediction.push(s);
        chunk.label.push(s > 0.5 ? 1.0 : 0.0);
        for (auto& c : chunk.numericFeatures)
            c.push(normal(rng));
    }
    std::vector<std::uint32_t> all(chunkRows);
    for (std::size_t i = 0; i < chunkRows; ++i)
        all[i] = static_cast<std::uint32_t>(i);
    // A profile of 5,000 reference values per feature (exact), so that every feature is sketched.
    auto profile = std::make_shared<ReferenceProfile>();
    const auto numericProfile = [&](const std::string& name) {
        std::vector<double> ref(5'000);
        for (double& v : ref)
            v = normal(rng);
        const NumericReference r = NumericReference::build(ref);
        ProfileFeature f;
        f.name = name;
        f.numeric.rows = r.rows;
        f.numeric.values = r.sorted;
        f.numeric.edges = r.edges;
        f.numeric.binCounts = r.binCounts;
        f.numeric.mean = r.mean;
        f.numeric.stdDev = r.stdDev;
        return f;
    };
    for (const auto& c : chunk.numericFeatures)
        profile->features.push_back(numericProfile(c.name));
    profile->features.push_back(numericProfile("prediction"));
    profile->features.push_back(numericProfile("label"));
    AnalysisOptions options;
    auto b = WindowSketchBuilder::create(chunk, 0, 3'600'000, PredictionKind::Score, options, profile);
    if (!b) {
        std::printf("builder: %s\n", b.error().message.c_str());
        return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t done = 0; done < rows; done += chunkRows)
        (void)b->add(chunk, all);
    const std::size_t bytes = b->memoryBytes();
    const auto out = b->finish();
    const double s = seconds(t0);
    std::printf("WindowSketchBuilder with drift: %zu rows x %zu features in %.2f s (%.2f M rows/s), "
                "%.1f KB held, %zu estimates\n",
                rows, features, s, static_cast<double>(rows) / s / 1e6, static_cast<double>(bytes) / 1024.0,
                out ? out->stats.estimates.size() : 0);
}

} // namespace

int main(int argc, char** argv)
{
    const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
    std::vector<std::uint32_t> ks;
    for (int i = 2; i < argc; ++i)
        ks.push_back(static_cast<std::uint32_t>(std::strtoul(argv[i], nullptr, 10)));
    if (ks.empty())
        ks = {200, 1024, 2048};
    std::mt19937_64 rng(1);
    std::lognormal_distribution<double> dist(3.0, 1.5);
    std::vector<double> values(n);
    for (double& v : values)
        v = dist(rng);
    std::printf("%zu log-normal values\n", n);
    for (const std::uint32_t k : ks)
        sketchCosts(values, k);
    builderCosts(1'000'000, 20);
    return 0;
}
