// The drift report's whole computation (computeDrift: every feature x window, PCA, ADWIN/DDM,
// decisions) on a generated in-memory table, with wall time, process CPU time and peak RSS.
//
//   bench_drift_scale [numeric=20] [categorical=5] [windows=168] [rowsPerWindow=5952] [threads=0] [dump]
//
// With a sixth argument every computed value is written to that file (%.17g, one line a
// feature-window), so that two builds can be compared value by value.
// The defaults mirror bench_generate_log's 1M-row log (25 features, hourly windows); the issue's
// scale target is `bench_drift_scale 900 100 200 500`. Figures: docs/PERFORMANCE.md.
#include "engine/analysis.h"
#include "engine/drift_analysis.h"

#include <fmt/core.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace vigil;

namespace {

LogTable makeTable(int numeric, int categorical, int windows, std::size_t rowsPerWindow)
{
    std::mt19937_64 rng(11);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::size_t rows = static_cast<std::size_t>(windows) * rowsPerWindow;
    const std::int64_t start = 1'700'000'000'000 - 1'700'000'000'000 % 3'600'000;
    const double msPerRow = 3'600'000.0 / static_cast<double>(rowsPerWindow);
    LogTable t;
    for (std::size_t i = 0; i < rows; ++i) {
        t.tsMs.push_back(start + static_cast<std::int64_t>(static_cast<double>(i) * msPerRow));
        t.model.codes.push_back(0);
        t.version.codes.push_back(0);
        t.latencyMs.push(20.0 + u(rng));
        t.status.push_back(RowStatus::Ok);
        const double score = u(rng);
        t.prediction.push(score);
        t.label.push(u(rng) < score ? 1.0 : 0.0);
    }
    t.model.dictionary = {"m"};
    t.version.dictionary = {"v1"};
    t.numericFeatures.resize(static_cast<std::size_t>(numeric));
    for (int f = 0; f < numeric; ++f) {
        auto& c = t.numericFeatures[static_cast<std::size_t>(f)];
        c.name = fmt::format("n{}", f);
        c.values.reserve(rows);
        c.valid.reserve(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            // The second half of every 7th feature drifts by 0.3 std.
            const double shift = (f % 7 == 0 && i >= rows / 2) ? 0.3 : 0.0;
            c.push(shift + normal(rng));
        }
    }
    t.categoricalFeatures.resize(static_cast<std::size_t>(categorical));
    for (int f = 0; f < categorical; ++f) {
        auto& c = t.categoricalFeatures[static_cast<std::size_t>(f)];
        c.name = fmt::format("c{}", f);
        c.dictionary = {"a", "b", "c", "d", "e", "f"};
        c.codes.reserve(rows);
        for (std::size_t i = 0; i < rows; ++i)
            c.codes.push_back(static_cast<std::uint32_t>(u(rng) * u(rng) * 6.0));
    }
    return t;
}

double cpuSeconds()
{
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

long peakRssKb()
{
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return r.ru_maxrss;
}

} // namespace

int main(int argc, char** argv)
{
    const int numeric = argc > 1 ? std::atoi(argv[1]) : 20;
    const int categorical = argc > 2 ? std::atoi(argv[2]) : 5;
    const int windows = argc > 3 ? std::atoi(argv[3]) : 168;
    const std::size_t rowsPerWindow = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 5952;
    const unsigned threads = argc > 5 ? static_cast<unsigned>(std::atoi(argv[5])) : 0;

    const LogTable table = makeTable(numeric, categorical, windows, rowsPerWindow);
    const long tableRss = peakRssKb();
    AnalysisOptions options;
    options.windowMs = 3'600'000;
    const auto snapshot = analyze(table, InferredSchema{}, options);
    if (!snapshot.ok()) {
        std::fprintf(stderr, "error: %s\n", snapshot.error().message.c_str());
        return 1;
    }
    DriftOptions drift;
    drift.enabled = true;
    drift.threads = threads;
    const double cpu0 = cpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = computeDrift(table, snapshot.value(), drift);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpuSeconds() - cpu0;
    if (!result.ok()) {
        std::fprintf(stderr, "error: %s\n", result.error().message.c_str());
        return 1;
    }
    if (argc > 6) {
        std::FILE* dump = std::fopen(argv[6], "w");
        if (!dump) {
            std::fprintf(stderr, "error: cannot write %s\n", argv[6]);
            return 1;
        }
        const auto put = [dump](const std::optional<double>& v) {
            if (v)
                std::fprintf(dump, " %.17g", *v);
            else
                std::fprintf(dump, " -");
        };
        for (const auto& w : result->windows) {
            std::fprintf(dump, "%lld multivariate", static_cast<long long>(w.startMs));
            put(w.multivariate.reconstructionError);
            put(w.multivariate.lower);
            put(w.multivariate.upper);
            std::fprintf(dump, " %d\n", w.multivariate.drifted ? 1 : 0);
            for (const auto& f : w.features) {
                std::fprintf(dump, "%lld %s", static_cast<long long>(w.startMs), f.name.c_str());
                for (const auto& v :
                     {f.ksD, f.ksP, f.wasserstein, f.psi, f.js, f.hellinger, f.chi2, f.chi2P, f.missingShare})
                    put(v);
                std::fprintf(dump, " %d\n", f.drifted ? 1 : 0);
            }
        }
        std::fclose(dump);
    }
    std::size_t drifted = 0;
    for (const auto& w : result->windows)
        for (const auto& f : w.features)
            drifted += f.drifted ? 1 : 0;
    std::printf("features=%d+%d windows=%zu rows=%zu reference_rows=%llu threads=%u\n", numeric, categorical,
                result->windows.size(), table.rows(), static_cast<unsigned long long>(result->reference.rows),
                threads);
    std::printf("computeDrift: wall %.3f s, cpu %.3f s; peak RSS %.0f MB (table + analysis %.0f MB); "
                "drifted feature-windows %zu\n",
                wall, cpu, static_cast<double>(peakRssKb()) / 1024.0, static_cast<double>(tableRss) / 1024.0,
                drifted);
    return 0;
}
