#include "engine/analysis.h"

#include "engine/kpi_ratio.h"
#include "engine/window.h"
#include "engine/window_stats.h"
#include "util/simd_state.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <thread>

namespace vigil {
namespace {

using detail::ColumnPresence;
using detail::Exclusions;
using detail::ParsedRatio;
using detail::WindowStatsBuilder;

constexpr std::size_t kParallelRows = 200'000;
constexpr unsigned kMaxThreads = 4;
constexpr std::uint32_t kNoneSegment = std::numeric_limits<std::uint32_t>::max();

// The rows of one non-empty window: order[begin, end) in the grouped order.
struct WindowGroup
{
    std::uint64_t key = 0; // window number counted from the first window
    std::size_t begin = 0;
    std::size_t end = 0;
};

struct Grouping
{
    std::vector<std::uint32_t> order; // row indices, grouped by window, stable
    std::vector<WindowGroup> groups;  // ascending key
};

// An optional column is either absent (empty) or has one entry per row.
Result<bool> checkColumn(std::size_t size, std::size_t rows, const std::string& name)
{
    if (size == 0)
        return false;
    if (size != rows)
        return Error{"column '" + name + "' has " + std::to_string(size) + " values for " +
                     std::to_string(rows) + " rows"};
    return true;
}

Result<ColumnPresence> columnPresence(const LogTable& t)
{
    ColumnPresence c;
    const std::size_t n = t.rows();
    auto check = [&](std::size_t size, const std::string& name, bool& present) -> std::optional<Error> {
        auto r = checkColumn(size, n, name);
        if (!r)
            return r.error();
        present = r.value();
        return std::nullopt;
    };
    if (auto e = check(t.latencyMs.values.size(), t.latencyMs.name, c.latency))
        return *e;
    if (auto e = check(t.status.size(), "status", c.status))
        return *e;
    if (auto e = check(t.prediction.values.size(), t.prediction.name, c.prediction))
        return *e;
    if (auto e = check(t.label.values.size(), t.label.name, c.label))
        return *e;
    bool version = false;
    if (auto e = check(t.version.codes.size(), t.version.name, version))
        return *e;
    for (const NumericColumn* col : {&t.latencyMs, &t.prediction, &t.label}) {
        if (col->valid.size() != col->values.size())
            return Error{"column '" + col->name + "' has mismatched value and null flags"};
    }
    for (const NumericColumn& k : t.kpis) {
        bool present = false;
        if (auto e = check(k.values.size(), "kpi." + k.name, present))
            return *e;
        if (k.valid.size() != k.values.size())
            return Error{"column 'kpi." + k.name + "' has mismatched value and null flags"};
        c.kpis.push_back(present);
    }
    return c;
}

// Stable grouping by window: a counting sort when the key range is small
// compared with the row count (the usual case), a stable sort otherwise.
Grouping groupByWindow(const std::vector<std::int64_t>& ts, std::int64_t firstStart, std::int64_t windowMs)
{
    const std::size_t n = ts.size();
    std::vector<std::uint64_t> keys(n);
    std::uint64_t maxKey = 0;
    for (std::size_t i = 0; i < n; ++i) {
        keys[i] = (static_cast<std::uint64_t>(ts[i]) - static_cast<std::uint64_t>(firstStart)) /
                  static_cast<std::uint64_t>(windowMs);
        maxKey = std::max(maxKey, keys[i]);
    }
    Grouping g;
    g.order.resize(n);
    if (maxKey <= static_cast<std::uint64_t>(n) + 1024) {
        std::vector<std::uint32_t> offsets(maxKey + 2, 0);
        for (std::uint64_t k : keys)
            ++offsets[k + 1];
        for (std::size_t k = 1; k < offsets.size(); ++k)
            offsets[k] += offsets[k - 1];
        for (std::uint64_t k = 0; k <= maxKey; ++k) {
            if (offsets[k + 1] > offsets[k])
                g.groups.push_back({k, offsets[k], offsets[k + 1]});
        }
        for (std::size_t i = 0; i < n; ++i)
            g.order[offsets[keys[i]]++] = static_cast<std::uint32_t>(i);
    } else {
        std::iota(g.order.begin(), g.order.end(), 0u);
        std::stable_sort(g.order.begin(), g.order.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
        for (std::size_t i = 0; i < n;) {
            std::size_t j = i;
            while (j < n && keys[g.order[j]] == keys[g.order[i]])
                ++j;
            g.groups.push_back({keys[g.order[i]], i, j});
            i = j;
        }
    }
    return g;
}

// Segments: one per version code that occurs, plus "(none)" for null versions,
// ordered by their earliest (ts, row). segmentOf maps a code to its position.
struct Segments
{
    std::vector<std::string> names;
    std::vector<std::uint32_t> ofCode; // dictionary index -> segment; last entry = null version
    bool present = false;

    std::uint32_t of(std::uint32_t code) const
    {
        return ofCode[code == CategoricalColumn::kNull ? ofCode.size() - 1 : code];
    }
};

Segments versionSegments(const LogTable& t)
{
    Segments s;
    if (t.version.codes.empty())
        return s;
    s.present = true;
    const std::size_t slots = t.version.dictionary.size() + 1;
    struct First
    {
        std::int64_t ts = std::numeric_limits<std::int64_t>::max();
        std::size_t row = std::numeric_limits<std::size_t>::max();
    };
    std::vector<First> first(slots);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::uint32_t code = t.version.codes[r];
        const std::size_t slot = code == CategoricalColumn::kNull ? slots - 1 : code;
        if (slot >= slots)
            continue; // validated by the caller
        if (first[slot].row == std::numeric_limits<std::size_t>::max() || t.tsMs[r] < first[slot].ts)
            first[slot] = {t.tsMs[r], r};
    }
    std::vector<std::size_t> used;
    for (std::size_t slot = 0; slot < slots; ++slot) {
        if (first[slot].row != std::numeric_limits<std::size_t>::max())
            used.push_back(slot);
    }
    std::sort(used.begin(), used.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(first[a].ts, first[a].row) < std::tie(first[b].ts, first[b].row);
    });
    s.ofCode.assign(slots, kNoneSegment);
    for (std::size_t i = 0; i < used.size(); ++i) {
        s.ofCode[used[i]] = static_cast<std::uint32_t>(i);
        s.names.push_back(used[i] == slots - 1 ? "(none)" : t.version.dictionary[used[i]]);
    }
    return s;
}

struct WindowResult
{
    WindowStats all;
    std::vector<std::pair<std::uint32_t, WindowStats>> bySegment;
};

struct JobContext
{
    const LogTable& table;
    const Grouping& grouping;
    const Segments& segments;
    std::int64_t firstStart;
    std::int64_t windowMs;
    const ColumnPresence& columns;
    PredictionKind kind;
    double threshold;
    const std::vector<ParsedRatio>& ratios;
    const std::stop_token& stop;
    const ProgressFn& progress;
};

struct Job : JobContext
{
    explicit Job(const JobContext& context) : JobContext(context), results(context.grouping.groups.size()) {}

    std::vector<WindowResult> results;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::atomic<bool> failed{false};
    std::mutex mutex; // guards the members below
    Exclusions exclusions;
    std::string error;
    std::size_t reported = 0;

    void work()
    {
        clearUpperSimdState(); // see util/simd_state.h
        WindowStatsBuilder builder(table, columns, kind, threshold, ratios);
        Exclusions local;
        std::vector<std::uint32_t> scratch;
        const std::size_t count = grouping.groups.size();
        const std::size_t step = std::max<std::size_t>(1, count / 100);
        try {
            for (std::size_t i = next++; i < count; i = next++) {
                if (stopRequested(stop) || failed.load(std::memory_order_relaxed))
                    break;
                computeWindow(i, builder, local, scratch);
                const std::size_t finished = ++done;
                if (progress && finished % step == 0)
                    reportProgress(finished, count);
            }
        } catch (const std::exception& e) {
            failed = true;
            std::lock_guard lock(mutex);
            error = e.what();
        }
        std::lock_guard lock(mutex);
        exclusions.badPair += local.badPair;
        exclusions.missingPrediction += local.missingPrediction;
    }

    // Serialised and monotonic, so a progress bar never steps back when two
    // workers finish windows at the same moment. At most ~100 calls per analysis.
    void reportProgress(std::size_t finished, std::size_t count)
    {
        std::lock_guard lock(mutex);
        if (finished <= reported)
            return;
        reported = finished;
        progress(static_cast<double>(finished) / static_cast<double>(count), "windows");
    }

    void computeWindow(std::size_t i, WindowStatsBuilder& builder, Exclusions& local,
                       std::vector<std::uint32_t>& scratch)
    {
        const WindowGroup& g = grouping.groups[i];
        const std::int64_t start = firstStart + static_cast<std::int64_t>(g.key) * windowMs;
        const std::span<const std::uint32_t> rows(grouping.order.data() + g.begin, g.end - g.begin);
        WindowResult& out = results[i];
        out.all = builder.build(rows, start, windowMs, &local);
        if (!segments.present)
            return;
        const auto& codes = table.version.codes;
        // A window of one version (most windows, outside a rollout) has that version's
        // statistics already: the same rows in the same order.
        if (!rows.empty()) {
            const std::uint32_t only = segments.of(codes[rows.front()]);
            if (std::all_of(rows.begin(), rows.end(),
                            [&](std::uint32_t r) { return segments.of(codes[r]) == only; })) {
                out.bySegment.emplace_back(only, out.all);
                return;
            }
        }
        // Stable partition by segment keeps each version's rows in the window's order.
        scratch.assign(rows.begin(), rows.end());
        std::stable_sort(scratch.begin(), scratch.end(), [&](std::uint32_t a, std::uint32_t b) {
            return segments.of(codes[a]) < segments.of(codes[b]);
        });
        for (std::size_t b = 0; b < scratch.size();) {
            const std::uint32_t segment = segments.of(codes[scratch[b]]);
            std::size_t e = b;
            while (e < scratch.size() && segments.of(codes[scratch[e]]) == segment)
                ++e;
            const std::span<const std::uint32_t> part(scratch.data() + b, e - b);
            out.bySegment.emplace_back(segment, builder.build(part, start, windowMs, nullptr));
            b = e;
        }
    }
};

Result<AnalysisSnapshot> analyzeUnchecked(const LogTable& table, const InferredSchema& schema,
                                          const AnalysisOptions& options, std::stop_token stop,
                                          const ProgressFn& progress)
{
    if (!std::isfinite(options.threshold))
        return Error{"the classification threshold must be a finite number"};
    if (options.windowMs && *options.windowMs <= 0)
        return Error{"the window size must be positive, got " + std::to_string(*options.windowMs) + " ms"};
    const std::size_t n = table.rows();
    if (n > std::numeric_limits<std::uint32_t>::max())
        return Error{"too many rows for one analysis (" + std::to_string(n) + ")"};
    auto columns = columnPresence(table);
    if (!columns)
        return columns.error();
    for (std::uint32_t code : table.version.codes) {
        if (code != CategoricalColumn::kNull && code >= table.version.dictionary.size())
            return Error{"column 'version' has a code outside its dictionary"};
    }

    std::vector<std::string> kpiNames;
    for (const NumericColumn& k : table.kpis)
        kpiNames.push_back(k.name);
    std::vector<ParsedRatio> ratios;
    for (const KpiRatio& r : options.kpiRatios) {
        auto parsed = detail::parseRatio(r, kpiNames);
        if (!parsed)
            return parsed.error();
        ratios.push_back(std::move(parsed.value()));
    }

    AnalysisSnapshot snapshot;
    snapshot.threshold = options.threshold;
    snapshot.predictionKind = detail::resolvePredictionKind(table, schema.mapping.predictionKind);
    if (n == 0) {
        snapshot.windowMs = options.windowMs.value_or(kWindowSizesMs.front());
        Result<AnalysisSnapshot> empty(std::move(snapshot));
        empty.warnings.push_back("the log has no rows");
        return empty;
    }

    if (progress)
        progress(0.0, "windows");
    const auto [minIt, maxIt] = std::minmax_element(table.tsMs.begin(), table.tsMs.end());
    snapshot.windowMs = options.windowMs.value_or(chooseWindowMs(*minIt, *maxIt));
    const std::int64_t firstStart = alignWindowStart(*minIt, snapshot.windowMs);
    const Grouping grouping = groupByWindow(table.tsMs, firstStart, snapshot.windowMs);
    const Segments segments = versionSegments(table);
    if (stopRequested(stop))
        return Error{"cancelled"};

    Job job(JobContext{table, grouping, segments, firstStart, snapshot.windowMs, columns.value(),
                       snapshot.predictionKind, options.threshold, ratios, stop, progress});
    const unsigned threads =
        n > kParallelRows ? std::clamp(std::thread::hardware_concurrency(), 1u, kMaxThreads) : 1u;
    if (threads == 1) {
        job.work();
    } else {
        std::vector<std::jthread> workers;
        for (unsigned t = 0; t < threads; ++t)
            workers.emplace_back([&job] { job.work(); });
    }
    if (stopRequested(stop))
        return Error{"cancelled"};
    if (job.failed)
        return Error{"analysis failed: " + job.error};

    snapshot.byVersion.resize(segments.names.size());
    for (std::size_t s = 0; s < segments.names.size(); ++s)
        snapshot.byVersion[s].version = segments.names[s];
    snapshot.windows.reserve(job.results.size());
    for (WindowResult& r : job.results) {
        snapshot.windows.push_back(std::move(r.all));
        for (auto& [segment, stats] : r.bySegment)
            snapshot.byVersion[segment].windows.push_back(std::move(stats));
    }

    snapshot.excludedBadPairs = job.exclusions.badPair;
    snapshot.excludedMissingPrediction = job.exclusions.missingPrediction;
    Result<AnalysisSnapshot> result(std::move(snapshot));
    result.warnings = exclusionWarnings(result.value());
    if (progress)
        progress(1.0, "windows");
    return result;
}

} // namespace

std::vector<std::string> exclusionWarnings(const AnalysisSnapshot& snapshot)
{
    std::vector<std::string> out;
    if (snapshot.excludedBadPairs > 0)
        out.push_back(std::to_string(snapshot.excludedBadPairs) +
                      " labelled rows were left out of the performance metrics: a non-finite "
                      "prediction or label, or a class outside {0,1}");
    if (snapshot.excludedMissingPrediction > 0)
        out.push_back(std::to_string(snapshot.excludedMissingPrediction) +
                      " labelled rows have no prediction and were left out of the performance "
                      "metrics");
    return out;
}

Result<AnalysisSnapshot> analyze(const LogTable& table, const InferredSchema& schema,
                                 const AnalysisOptions& options, std::stop_token stop,
                                 const ProgressFn& progress)
{
    try {
        return analyzeUnchecked(table, schema, options, std::move(stop), progress);
    } catch (const std::exception& e) {
        return Error{std::string("analysis failed: ") + e.what()};
    }
}

} // namespace vigil
