// Times analyze() on a generated table (default 1M rows, 24 h, 4 versions, 2 KPIs,
// 30 % labelled): bench_analysis [rows] [repeats] [window e.g. 5m]
#include "engine/analysis.h"
#include "engine/window.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace vigil;

namespace {

LogTable makeTable(std::size_t rows)
{
    std::mt19937_64 rng(123);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    LogTable t;
    t.version.dictionary = {"v1", "v2", "v3", "v4"};
    t.kpis.resize(2);
    t.kpis[0].name = "revenue";
    t.kpis[1].name = "converted";
    const std::int64_t start = 1'700'000'000'000;
    for (std::size_t i = 0; i < rows; ++i) {
        // Slightly out of order, as merged log files are.
        t.tsMs.push_back(start + static_cast<std::int64_t>(u(rng) * 86'400'000.0));
        t.version.codes.push_back(static_cast<std::uint32_t>(u(rng) * 4));
        const double lat = std::exp(3.0 + 0.7 * u(rng));
        u(rng) < 0.001 ? t.latencyMs.push(std::nan("")) : t.latencyMs.push(lat);
        t.status.push_back(u(rng) < 0.02 ? RowStatus::Error : RowStatus::Ok);
        const double score = u(rng);
        t.prediction.push(score);
        u(rng) < 0.3 ? t.label.push(u(rng) < score ? 1.0 : 0.0) : t.label.pushNull();
        u(rng) < 0.5 ? t.kpis[0].push(10.0 * u(rng)) : t.kpis[0].pushNull();
        t.kpis[1].push(u(rng) < 0.1 ? 1.0 : 0.0);
    }
    return t;
}

} // namespace

int main(int argc, char** argv)
{
    const std::size_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
    AnalysisOptions options;
    if (argc > 3)
        options.windowMs = parseWindowSize(argv[3]);
    options.kpiRatios = {{"conversion", "sum(converted) / rows"}};
    const LogTable table = makeTable(rows);
    double best = 1e9, total = 0.0;
    std::size_t windows = 0;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto result = analyze(table, InferredSchema{}, options);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (!result.ok()) {
            std::fprintf(stderr, "error: %s\n", result.error().message.c_str());
            return 1;
        }
        windows = result->windows.size();
        best = std::min(best, s);
        total += s;
    }
    std::printf("rows=%zu windows=%zu best=%.3f s mean=%.3f s (%d runs)\n", rows, windows, best,
                total / repeats, repeats);
    return 0;
}
