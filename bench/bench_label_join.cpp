// Times the late-label join on a generated table: bench_label_join [rows] [repeats]
// Predictions with ids "req-00000042" over 24 h; labels for 90 % of them, shuffled, plus
// 2 % duplicates and 1 % ids the log never saw. Reports the join in both arrival orders,
// its memory, and recomputing the windows a 1 % batch of late labels touches against a
// full analyze().
#include "engine/analysis.h"
#include "engine/label_join.h"
#include "engine/window_update.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>
#include <random>
#include <string>

using namespace vigil;

namespace {

using Clock = std::chrono::steady_clock;

// CPU seconds of this (single-threaded) process: on a shared, oversubscribed machine
// wall time mostly measures the other processes.
double cpuNow()
{
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

struct Timer
{
    Clock::time_point wall = Clock::now();
    double cpu = cpuNow();
    double cpuSeconds() const { return cpuNow() - cpu; }
    double wallSeconds() const { return std::chrono::duration<double>(Clock::now() - wall).count(); }
};

std::string id(std::size_t i)
{
    return fmt::format("req-{:08}", i);
}

LogTable makePredictions(std::size_t rows, std::mt19937_64& rng)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    LogTable t;
    const std::int64_t start = 1'700'000'000'000;
    for (std::size_t i = 0; i < rows; ++i) {
        t.tsMs.push_back(start + static_cast<std::int64_t>(86'400'000.0 * static_cast<double>(i) /
                                                           static_cast<double>(rows)));
        t.requestId.push(id(i));
        t.prediction.push(u(rng));
        t.label.pushNull();
        t.latencyMs.push(20.0 + 10.0 * u(rng));
        t.status.push_back(RowStatus::Ok);
    }
    return t;
}

LogTable makeLabels(const LogTable& predictions, std::mt19937_64& rng, double share)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::size_t n = predictions.rows();
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < n; ++i) {
        if (u(rng) < share)
            rows.push_back(i);
    }
    const std::size_t extra = rows.size() / 50;
    for (std::size_t k = 0; k < extra; ++k)
        rows.push_back(rows[static_cast<std::size_t>(u(rng) * static_cast<double>(rows.size()))]);
    std::shuffle(rows.begin(), rows.end(), rng);
    LogTable labels;
    for (const std::size_t r : rows) {
        labels.tsMs.push_back(predictions.tsMs[r] + static_cast<std::int64_t>(u(rng) * 3.6e7));
        labels.requestId.push(id(r));
        labels.label.push(u(rng) < 0.3 ? 1.0 : 0.0);
    }
    for (std::size_t k = 0; k < n / 100; ++k) {
        labels.tsMs.push_back(predictions.tsMs[0]);
        labels.requestId.push(id(n + k));
        labels.label.push(1.0);
    }
    return labels;
}

} // namespace

int main(int argc, char** argv)
{
    const std::size_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
    std::mt19937_64 rng(7);
    const LogTable base = makePredictions(rows, rng);
    const LogTable labels = makeLabels(base, rng, 0.9);
    std::printf("%zu predictions (request ids: %.1f MB), %zu label records\n", rows,
                static_cast<double>(base.requestId.bytes.size() + base.requestId.ends.size() * 9) / 1e6,
                labels.rows());

    double bestPredFirst = 1e9, bestLabelsFirst = 1e9;
    std::size_t memory = 0;
    LabelSummary summary;
    for (int r = 0; r < repeats; ++r) {
        LogTable t = base;
        LabelJoin join;
        Timer t0;
        join.addPredictions(t, 0);
        join.addLabels(t, labels);
        summary = join.summary(t);
        bestPredFirst = std::min(bestPredFirst, t0.cpuSeconds());
        memory = join.memoryBytes();

        LogTable u = base;
        LabelJoin other;
        Timer t1;
        other.addLabels(u, labels);
        other.addPredictions(u, 0);
        (void)other.summary(u);
        bestLabelsFirst = std::min(bestLabelsFirst, t1.cpuSeconds());
    }
    std::printf("join, predictions first (index, join, summary with delay quantiles): %.3f s CPU\n",
                bestPredFirst);
    std::printf("join, labels first: %.3f s CPU\n", bestLabelsFirst);
    std::printf("join state: %.1f MB (%.1f bytes per prediction + label)\n",
                static_cast<double>(memory) / 1e6,
                static_cast<double>(memory) / static_cast<double>(rows + labels.rows()));
    std::printf("labelled %llu, unmatched %llu, duplicates %llu, delay p50 %.0f ms\n",
                static_cast<unsigned long long>(summary.predictionsLabelled),
                static_cast<unsigned long long>(summary.unmatchedLabels),
                static_cast<unsigned long long>(summary.duplicateLabels), summary.delayP50Ms.value_or(0.0));

    // Live: a batch of late labels for 1 % of the rows of the last hour.
    LogTable t = base;
    LabelJoin join;
    join.addPredictions(t, 0);
    join.addLabels(t, labels);
    AnalysisOptions options;
    options.windowMs = 5 * 60'000;
    auto snapshot = analyze(t, InferredSchema{}, options);
    if (!snapshot) {
        std::fprintf(stderr, "%s\n", snapshot.error().message.c_str());
        return 1;
    }
    LogTable batch;
    for (std::size_t k = 0; k < rows / 100; ++k) {
        const std::size_t r = rows - 1 - (k * 37) % (rows / 24);
        batch.tsMs.push_back(t.tsMs[r] + 3'600'000);
        batch.requestId.push(id(r));
        batch.label.push(1.0);
    }
    double bestPartial = 1e9, bestFull = 1e9;
    std::size_t touched = 0;
    for (int r = 0; r < repeats; ++r) {
        Timer t0;
        const auto changed = join.addLabels(t, batch);
        const auto windows = windowsOfRows(t, changed, snapshot->windowMs);
        auto updated = recomputeWindows(t, InferredSchema{}, options, snapshot.value(), windows);
        bestPartial = std::min(bestPartial, t0.cpuSeconds());
        touched = windows.size();
        if (!updated)
            return 1;
        Timer t1;
        auto full = analyze(t, InferredSchema{}, options);
        bestFull = std::min(bestFull, t1.cpuSeconds());
    }
    std::printf(
        "late batch of %zu labels: %zu of %zu windows recomputed in %.3f s CPU (full analyze %.3f s CPU)\n",
        batch.rows(), touched, snapshot->windows.size(), bestPartial, bestFull);
    return 0;
}
