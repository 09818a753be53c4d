#include "engine/incremental_analysis.h"

#include "engine/kpi_ratio.h"
#include "engine/window.h"
#include "engine/window_accumulator.h"
#include "engine/window_stats.h"
#include "util/simd_state.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iterator>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace vigil {

namespace {

using detail::ColumnPresence;
using detail::Exclusions;
using detail::ParsedRatio;
using detail::WindowAccumulator;

// The same thresholds as analyze(): parallel only where it pays.
constexpr std::size_t kParallelRows = 200'000;
constexpr unsigned kMaxThreads = 4;
constexpr std::uint32_t kNullVersion = CategoricalColumn::kNull;

// Running statistics of a window and of each version in it: rows are only ever
// appended to a window (in ascending row order), so an update adds the new rows
// instead of recomputing the window from all of them.
struct Accumulators
{
    WindowAccumulator all;
    std::map<std::uint32_t, WindowAccumulator> byVersion; // ascending code, as analyze() orders them
    std::size_t rowsAdded = 0;                            // prefix of Window::rows already added
};

struct Window
{
    std::vector<std::uint32_t> rows; // ascending row index, as analyze() groups them
    bool dirty = true;
    WindowStats all;
    std::vector<std::pair<std::uint32_t, WindowStats>> byVersion; // version code (kNull = none)
    Exclusions exclusions;
    std::unique_ptr<Accumulators> acc; // kept for the newest windows only (memory)
};

// Windows before the newest few rarely get rows again (late rows); theirs are dropped and
// rebuilt from the rows if that happens.
constexpr std::size_t kAccumulatedWindows = 2;

struct FirstSeen
{
    std::int64_t ts = 0;
    std::size_t row = 0;
};

bool samePresence(const ColumnPresence& a, const ColumnPresence& b)
{
    return a.latency == b.latency && a.status == b.status && a.prediction == b.prediction &&
           a.label == b.label && a.kpis == b.kpis;
}

Result<ColumnPresence> presenceOf(const LogTable& t)
{
    ColumnPresence c;
    const std::size_t n = t.rows();
    auto check = [n](std::size_t size, std::size_t valid, const std::string& name,
                     bool& present) -> std::optional<Error> {
        if (size != 0 && size != n)
            return Error{"column '" + name + "' has " + std::to_string(size) + " values for " +
                         std::to_string(n) + " rows"};
        if (valid != size)
            return Error{"column '" + name + "' has mismatched value and null flags"};
        present = size != 0;
        return std::nullopt;
    };
    if (auto e = check(t.latencyMs.values.size(), t.latencyMs.valid.size(), t.latencyMs.name, c.latency))
        return *e;
    if (auto e = check(t.status.size(), t.status.size(), "status", c.status))
        return *e;
    if (auto e =
            check(t.prediction.values.size(), t.prediction.valid.size(), t.prediction.name, c.prediction))
        return *e;
    if (auto e = check(t.label.values.size(), t.label.valid.size(), t.label.name, c.label))
        return *e;
    bool version = false;
    if (auto e = check(t.version.codes.size(), t.version.codes.size(), t.version.name, version))
        return *e;
    for (const NumericColumn& k : t.kpis) {
        bool present = false;
        if (auto e = check(k.values.size(), k.valid.size(), "kpi." + k.name, present))
            return *e;
        c.kpis.push_back(present);
    }
    return c;
}

bool regressionValue(const NumericColumn& col, std::size_t i, bool label)
{
    if (i >= col.size() || !col.valid[i] || !std::isfinite(col.values[i]))
        return false;
    const double v = col.values[i];
    return label ? (v != 0.0 && v != 1.0) : (v < 0.0 || v > 1.0);
}

} // namespace

struct IncrementalAnalyzer::State
{
    std::size_t rows = 0;
    std::int64_t windowMs = 0;
    std::int64_t minTs = std::numeric_limits<std::int64_t>::max();
    std::int64_t maxTs = std::numeric_limits<std::int64_t>::min();
    bool regressionSeen = false;
    PredictionKind kind = PredictionKind::Auto;
    ColumnPresence columns;
    std::map<std::int64_t, Window> windows; // by start
    std::unordered_map<std::uint32_t, FirstSeen> firstOfVersion;
};

IncrementalAnalyzer::IncrementalAnalyzer(AnalysisOptions options)
    : m_options(std::move(options)), m_state(std::make_unique<State>())
{
}

IncrementalAnalyzer::~IncrementalAnalyzer() = default;

void IncrementalAnalyzer::reset()
{
    m_state = std::make_unique<State>();
}

std::size_t IncrementalAnalyzer::invalidateRows(const LogTable& table, std::span<const std::uint32_t> rows)
{
    State& st = *m_state;
    if (st.windowMs <= 0)
        return 0;
    std::size_t marked = 0;
    for (const std::uint32_t r : rows) {
        if (r >= st.rows || r >= table.rows())
            continue;
        // A label outside {0,1} turns an automatic score model into regression, as
        // analyze() would decide over the whole table.
        if (!st.regressionSeen)
            st.regressionSeen = regressionValue(table.label, r, true);
        const auto it = st.windows.find(alignWindowStart(table.tsMs[r], st.windowMs));
        if (it == st.windows.end())
            continue;
        // Its running statistics hold the old label: the window is computed again from its rows.
        it->second.acc.reset();
        if (!it->second.dirty) {
            it->second.dirty = true;
            ++marked;
        }
    }
    return marked;
}

Result<AnalysisSnapshot> IncrementalAnalyzer::update(const LogTable& table, const InferredSchema& schema,
                                                     std::stop_token stop)
{
    try {
        if (!std::isfinite(m_options.threshold))
            return Error{"the classification threshold must be a finite number"};
        if (m_options.windowMs && *m_options.windowMs <= 0)
            return Error{"the window size must be positive, got " + std::to_string(*m_options.windowMs) +
                         " ms"};
        const std::size_t n = table.rows();
        if (n > std::numeric_limits<std::uint32_t>::max())
            return Error{"too many rows for one analysis (" + std::to_string(n) + ")"};
        if (n < m_state->rows)
            reset();
        auto columns = presenceOf(table);
        if (!columns)
            return columns.error();
        const bool versions = !table.version.codes.empty();
        for (std::size_t r = m_state->rows; r < n && versions; ++r) {
            const std::uint32_t code = table.version.codes[r];
            if (code != kNullVersion && code >= table.version.dictionary.size())
                return Error{"column 'version' has a code outside its dictionary"};
        }
        std::vector<std::string> kpiNames;
        for (const NumericColumn& k : table.kpis)
            kpiNames.push_back(k.name);
        std::vector<ParsedRatio> ratios;
        for (const KpiRatio& r : m_options.kpiRatios) {
            auto parsed = detail::parseRatio(r, kpiNames);
            if (!parsed)
                return parsed.error();
            ratios.push_back(std::move(parsed.value()));
        }

        State& st = *m_state;
        const PredictionKind requested = schema.mapping.predictionKind;
        AnalysisSnapshot snapshot;
        snapshot.threshold = m_options.threshold;
        if (n == 0) {
            snapshot.predictionKind = detail::resolvePredictionKind(table, requested);
            snapshot.windowMs = m_options.windowMs.value_or(kWindowSizesMs.front());
            Result<AnalysisSnapshot> empty(std::move(snapshot));
            empty.warnings.push_back("the log has no rows");
            return empty;
        }

        const std::size_t firstNew = st.rows;
        for (std::size_t r = firstNew; r < n; ++r) {
            const std::int64_t ts = table.tsMs[r];
            st.minTs = std::min(st.minTs, ts);
            st.maxTs = std::max(st.maxTs, ts);
            if (!st.regressionSeen && requested == PredictionKind::Auto)
                st.regressionSeen =
                    regressionValue(table.prediction, r, false) || regressionValue(table.label, r, true);
            if (versions) {
                const std::uint32_t code = table.version.codes[r];
                auto [it, inserted] = st.firstOfVersion.try_emplace(code, FirstSeen{ts, r});
                if (!inserted && ts < it->second.ts)
                    it->second = FirstSeen{ts, r};
            }
        }
        const PredictionKind kind = requested != PredictionKind::Auto ? requested
                                    : st.regressionSeen               ? PredictionKind::Regression
                                                                      : PredictionKind::Score;
        const std::int64_t windowMs = m_options.windowMs.value_or(chooseWindowMs(st.minTs, st.maxTs));
        const bool full = firstNew == 0 || windowMs != st.windowMs || kind != st.kind ||
                          !samePresence(columns.value(), st.columns);
        if (full) {
            ++m_fullUpdates;
            st.windows.clear();
        }
        st.windowMs = windowMs;
        st.kind = kind;
        st.columns = columns.value();
        for (std::size_t r = full ? 0 : firstNew; r < n; ++r) {
            Window& w = st.windows[alignWindowStart(table.tsMs[r], windowMs)];
            w.rows.push_back(static_cast<std::uint32_t>(r));
            w.dirty = true;
        }
        st.rows = n;

        std::vector<std::pair<std::int64_t, Window*>> dirty;
        std::size_t dirtyRows = 0;
        for (auto& [start, w] : st.windows) {
            if (w.dirty) {
                dirty.emplace_back(start, &w);
                dirtyRows += w.rows.size();
            }
        }
        m_lastRecomputed = dirty.size();

        std::atomic<std::size_t> next{0};
        std::mutex errorMutex;
        std::string error;
        auto work = [&] {
            clearUpperSimdState(); // see util/simd_state.h
            std::map<std::uint32_t, std::vector<std::uint32_t>> newByVersion;
            try {
                for (std::size_t i = next++; i < dirty.size(); i = next++) {
                    if (stop.stop_requested())
                        return;
                    auto& [start, w] = dirty[i];
                    if (!w->acc)
                        w->acc = std::make_unique<Accumulators>(Accumulators{
                            WindowAccumulator(kind, m_options.threshold, table.kpis.size()), {}, 0});
                    Accumulators& acc = *w->acc;
                    const std::span<const std::uint32_t> added(w->rows.data() + acc.rowsAdded,
                                                               w->rows.size() - acc.rowsAdded);
                    acc.all.add(table, st.columns, added);
                    w->exclusions = {};
                    w->all = acc.all.stats(table, st.columns, start, windowMs, ratios, &w->exclusions);
                    w->byVersion.clear();
                    if (versions) {
                        // Each version's new rows, in the window's (ascending) order.
                        for (auto& [code, rows] : newByVersion)
                            rows.clear();
                        const auto& codes = table.version.codes;
                        for (std::uint32_t r : added)
                            newByVersion[codes[r]].push_back(r);
                        for (const auto& [code, rows] : newByVersion) {
                            if (rows.empty())
                                continue;
                            acc.byVersion.try_emplace(code, kind, m_options.threshold, table.kpis.size())
                                .first->second.add(table, st.columns, rows);
                        }
                        for (const auto& [code, versionAcc] : acc.byVersion)
                            w->byVersion.emplace_back(
                                code, versionAcc.stats(table, st.columns, start, windowMs, ratios, nullptr));
                    }
                    acc.rowsAdded = w->rows.size();
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(errorMutex);
                error = e.what();
                next = dirty.size();
            }
        };
        const unsigned threads = dirtyRows > kParallelRows && dirty.size() > 1
                                     ? std::clamp(std::thread::hardware_concurrency(), 1u, kMaxThreads)
                                     : 1u;
        if (threads == 1) {
            work();
        } else {
            std::vector<std::jthread> workers;
            for (unsigned t = 0; t < threads; ++t)
                workers.emplace_back(work);
        }
        if (stop.stop_requested()) {
            reset(); // some windows were left half done
            return Error{"cancelled"};
        }
        if (!error.empty()) {
            reset();
            return Error{"analysis failed: " + error};
        }

        if (st.windows.size() > kAccumulatedWindows) {
            auto keepFrom = std::prev(st.windows.end(), static_cast<std::ptrdiff_t>(kAccumulatedWindows));
            for (auto it = st.windows.begin(); it != keepFrom; ++it)
                it->second.acc.reset();
        }

        snapshot.windowMs = windowMs;
        snapshot.predictionKind = kind;
        // Versions in the order of their earliest (timestamp, row), as analyze() has them.
        std::vector<std::pair<std::uint32_t, FirstSeen>> order(st.firstOfVersion.begin(),
                                                               st.firstOfVersion.end());
        std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
            return std::tie(a.second.ts, a.second.row) < std::tie(b.second.ts, b.second.row);
        });
        std::unordered_map<std::uint32_t, std::size_t> segmentOf;
        for (std::size_t s = 0; s < order.size(); ++s) {
            segmentOf[order[s].first] = s;
            VersionSegment seg;
            seg.version =
                order[s].first == kNullVersion ? "(none)" : table.version.dictionary[order[s].first];
            snapshot.byVersion.push_back(std::move(seg));
        }
        Exclusions exclusions;
        snapshot.windows.reserve(st.windows.size());
        for (auto& [start, w] : st.windows) {
            w.dirty = false;
            snapshot.windows.push_back(w.all);
            exclusions.badPair += w.exclusions.badPair;
            exclusions.missingPrediction += w.exclusions.missingPrediction;
            for (const auto& [code, stats] : w.byVersion)
                snapshot.byVersion[segmentOf.at(code)].windows.push_back(stats);
        }

        Result<AnalysisSnapshot> result(std::move(snapshot));
        if (exclusions.badPair > 0)
            result.warnings.push_back(std::to_string(exclusions.badPair) +
                                      " labelled rows were left out of the performance metrics: a non-finite "
                                      "prediction or label, or a class outside {0,1}");
        if (exclusions.missingPrediction > 0)
            result.warnings.push_back(
                std::to_string(exclusions.missingPrediction) +
                " labelled rows have no prediction and were left out of the performance "
                "metrics");
        return result;
    } catch (const std::exception& e) {
        reset();
        return Error{std::string("analysis failed: ") + e.what()};
    }
}

} // namespace vigil
