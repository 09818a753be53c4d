#include "engine/window_update.h"

#include "engine/drift_analysis.h"
#include "engine/kpi_ratio.h"
#include "engine/window.h"
#include "engine/window_stats.h"

#include <algorithm>
#include <exception>
#include <unordered_map>

namespace vigil {

namespace {

detail::ColumnPresence presenceOf(const LogTable& t)
{
    const std::size_t n = t.rows();
    detail::ColumnPresence c;
    c.latency = n > 0 && t.latencyMs.size() == n;
    c.status = n > 0 && t.status.size() == n;
    c.prediction = n > 0 && t.prediction.size() == n;
    c.label = n > 0 && t.label.size() == n;
    for (const NumericColumn& k : t.kpis)
        c.kpis.push_back(n > 0 && k.size() == n);
    return c;
}

WindowStats* windowAt(std::vector<WindowStats>& windows, std::int64_t startMs)
{
    const auto it = std::lower_bound(windows.begin(), windows.end(), startMs,
                                     [](const WindowStats& w, std::int64_t s) { return w.startMs < s; });
    return it != windows.end() && it->startMs == startMs ? &*it : nullptr;
}

Result<AnalysisSnapshot> analyzeWhole(const LogTable& table, const InferredSchema& schema,
                                      const AnalysisOptions& options, std::stop_token stop)
{
    auto full = analyze(table, schema, options, stop);
    if (!full || !options.drift.enabled)
        return full;
    auto drift = computeDrift(table, full.value(), options.drift, stop);
    if (!drift)
        return drift.error();
    full.value().drift = std::move(drift.value());
    return full;
}

Result<AnalysisSnapshot> recompute(const LogTable& table, const InferredSchema& schema,
                                   const AnalysisOptions& options, AnalysisSnapshot snapshot,
                                   std::span<const std::int64_t> windowStarts, std::stop_token stop)
{
    const PredictionKind kind = detail::resolvePredictionKind(table, schema.mapping.predictionKind);
    if (kind != snapshot.predictionKind || snapshot.windowMs <= 0)
        return analyzeWhole(table, schema, options, stop);
    std::vector<std::int64_t> starts(windowStarts.begin(), windowStarts.end());
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    if (starts.empty())
        return snapshot;

    std::vector<std::string> kpiNames;
    for (const NumericColumn& k : table.kpis)
        kpiNames.push_back(k.name);
    std::vector<detail::ParsedRatio> ratios;
    for (const KpiRatio& r : options.kpiRatios) {
        auto parsed = detail::parseRatio(r, kpiNames);
        if (!parsed)
            return parsed.error();
        ratios.push_back(std::move(parsed.value()));
    }

    // The rows of each affected window in row order, the order analyze() groups them in.
    const std::int64_t windowMs = snapshot.windowMs;
    std::vector<std::vector<std::uint32_t>> rowsOf(starts.size());
    for (std::size_t r = 0; r < table.rows(); ++r) {
        const std::int64_t start = alignWindowStart(table.tsMs[r], windowMs);
        const auto it = std::lower_bound(starts.begin(), starts.end(), start);
        if (it != starts.end() && *it == start)
            rowsOf[static_cast<std::size_t>(it - starts.begin())].push_back(static_cast<std::uint32_t>(r));
    }
    if (stopRequested(stop))
        return Error{"cancelled"};

    std::unordered_map<std::string, std::size_t> segmentOf;
    for (std::size_t s = 0; s < snapshot.byVersion.size(); ++s)
        segmentOf.emplace(snapshot.byVersion[s].version, s);
    const bool versions = !table.version.codes.empty() && !snapshot.byVersion.empty();
    auto segmentOfRow = [&](std::uint32_t row) -> std::size_t {
        const std::uint32_t code = table.version.codes[row];
        const auto it = segmentOf.find(code == CategoricalColumn::kNull ? std::string("(none)")
                                                                        : table.version.dictionary.at(code));
        return it == segmentOf.end() ? snapshot.byVersion.size() : it->second;
    };

    const detail::ColumnPresence columns = presenceOf(table);
    detail::WindowStatsBuilder builder(table, columns, kind, options.threshold, ratios);
    std::vector<std::vector<std::uint32_t>> bySegment(snapshot.byVersion.size());
    for (std::size_t k = 0; k < starts.size(); ++k) {
        const std::vector<std::uint32_t>& rows = rowsOf[k];
        WindowStats* window = windowAt(snapshot.windows, starts[k]);
        if (rows.empty() && window == nullptr)
            continue; // a window with no rows is not in the snapshot at all
        if (rows.empty() || window == nullptr || window->rows != rows.size())
            return analyzeWhole(table, schema, options, stop); // rows moved: not a label-only change
        *window = builder.build(rows, starts[k], windowMs, nullptr);
        if (!versions)
            continue;
        for (auto& part : bySegment)
            part.clear();
        for (const std::uint32_t row : rows) {
            const std::size_t s = segmentOfRow(row);
            if (s == bySegment.size())
                return analyzeWhole(table, schema, options, stop);
            bySegment[s].push_back(row);
        }
        for (std::size_t s = 0; s < bySegment.size(); ++s) {
            if (bySegment[s].empty())
                continue;
            WindowStats* segmentWindow = windowAt(snapshot.byVersion[s].windows, starts[k]);
            if (segmentWindow == nullptr)
                return analyzeWhole(table, schema, options, stop);
            *segmentWindow = builder.build(bySegment[s], starts[k], windowMs, nullptr);
        }
    }
    if (options.drift.enabled) {
        auto drift = computeDrift(table, snapshot, options.drift, stop);
        if (!drift)
            return drift.error();
        snapshot.drift = std::move(drift.value());
    }
    return snapshot;
}

} // namespace

Result<AnalysisSnapshot> recomputeWindows(const LogTable& table, const InferredSchema& schema,
                                          const AnalysisOptions& options, AnalysisSnapshot snapshot,
                                          std::span<const std::int64_t> windowStarts, std::stop_token stop)
{
    try {
        return recompute(table, schema, options, std::move(snapshot), windowStarts, std::move(stop));
    } catch (const std::exception& e) {
        return Error{std::string("recomputing windows failed: ") + e.what()};
    }
}

} // namespace vigil
