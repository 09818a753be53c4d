#include "engine/spill_batches.h"

#include "engine/drift_rows.h"
#include "engine/window.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <thread>
#include <tuple>

namespace vigil::detail {

namespace {

using ingest::SpillStore;

constexpr std::uint64_t kDenseKeys = 8u << 20; // above: a map of window counts

// Rows per window key: dense while the key range is small (the usual case).
class WindowCounts
{
  public:
    explicit WindowCounts(std::uint64_t keys)
    {
        if (keys <= kDenseKeys)
            m_dense.assign(keys, 0);
    }
    void add(std::uint64_t key)
    {
        if (!m_dense.empty())
            ++m_dense[key];
        else
            ++m_sparse[key];
    }
    template <typename Fn> void forEach(Fn&& fn) const
    {
        for (std::size_t k = 0; k < m_dense.size(); ++k)
            if (m_dense[k] > 0)
                fn(k, m_dense[k]);
        for (const auto& [k, n] : m_sparse)
            fn(k, n);
    }

  private:
    std::vector<std::uint64_t> m_dense;
    std::map<std::uint64_t, std::uint64_t> m_sparse;
};

struct FirstSeen
{
    std::int64_t ts = std::numeric_limits<std::int64_t>::max();
    std::uint64_t row = std::numeric_limits<std::uint64_t>::max();
};

template <typename T> void fillerOf(T& v)
{
    if constexpr (std::is_same_v<T, std::int64_t>)
        v = std::numeric_limits<std::int64_t>::min();
    else if constexpr (std::is_same_v<T, std::uint32_t>)
        v = CategoricalColumn::kNull;
    else if constexpr (std::is_same_v<T, RowStatus>)
        v = RowStatus::Unknown;
    else
        v = T{};
}

// Moves row i to newPos[i] (ascending) in a table of `size` rows; the gaps become fillers.
void spreadRows(LogTable& t, const std::vector<std::uint32_t>& newPos, std::size_t size)
{
    ingest::forEachColumn(
        t,
        [&](auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            if (v.empty())
                return;
            T filler{};
            fillerOf(filler);
            std::decay_t<decltype(v)> out(size, filler);
            for (std::size_t i = 0; i < newPos.size(); ++i)
                out[newPos[i]] = v[i];
            v.swap(out);
        },
        [&](StringColumn& s) {
            if (s.ends.empty())
                return;
            std::vector<std::uint64_t> ends(size, 0);
            std::vector<std::uint8_t> valid(size, 0);
            std::size_t next = 0;
            std::uint64_t end = 0;
            for (std::size_t p = 0; p < size; ++p) {
                if (next < newPos.size() && newPos[next] == p) {
                    end = s.ends[next];
                    valid[p] = s.valid[next];
                    ++next;
                }
                ends[p] = end;
            }
            s.ends.swap(ends);
            s.valid.swap(valid);
        });
}

} // namespace

Result<SpillPlan> planSpilledAnalysis(const LoadedLog& log, const AnalysisOptions& options)
{
    const SpillStore& store = *log.spill;
    const auto& chunks = store.chunks();
    if (options.windowMs && *options.windowMs <= 0)
        return Error{"the window size must be positive, got " + std::to_string(*options.windowMs) + " ms"};
    SpillPlan plan;
    std::int64_t lo = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi = std::numeric_limits<std::int64_t>::min();
    std::uint64_t bytes = 0;
    for (const auto& c : chunks) {
        lo = std::min(lo, c.tsMin);
        hi = std::max(hi, c.tsMax);
        for (const auto& a : c.arrays)
            bytes += a.bytes;
    }
    plan.rowBytes =
        static_cast<double>(bytes) / static_cast<double>(std::max<std::uint64_t>(1, store.rows()));
    plan.windowMs = options.windowMs.value_or(chooseWindowMs(lo, hi));
    const std::int64_t firstStart = alignWindowStart(lo, plan.windowMs);
    const auto keyOf = [&](std::int64_t ts) {
        return (static_cast<std::uint64_t>(ts) - static_cast<std::uint64_t>(firstStart)) /
               static_cast<std::uint64_t>(plan.windowMs);
    };
    WindowCounts counts(keyOf(hi) + 1);

    const std::size_t slots = log.table.version.dictionary.size() + 1; // last: null version
    std::vector<FirstSeen> first(slots);
    const PredictionKind requested = log.schema.mapping.predictionKind;
    bool regression = false;
    std::vector<std::int64_t> ts;
    std::vector<std::uint32_t> codes;
    std::vector<double> values;
    std::vector<std::uint8_t> valid;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        if (auto e = store.readArray(c, ingest::kSpillTs, ts))
            return *e;
        for (const std::int64_t t : ts)
            counts.add(keyOf(t));
        if (chunks[c].arrays[ingest::kSpillVersion].bytes > 0) {
            plan.versions = true;
            if (auto e = store.readArray(c, ingest::kSpillVersion, codes))
                return *e;
            for (std::size_t r = 0; r < codes.size(); ++r) {
                const std::size_t slot = codes[r] == CategoricalColumn::kNull ? slots - 1 : codes[r];
                if (slot >= slots)
                    return Error{"column 'version' has a code outside its dictionary"};
                if (first[slot].row == std::numeric_limits<std::uint64_t>::max() || ts[r] < first[slot].ts)
                    first[slot] = {ts[r], chunks[c].firstRow + r};
            }
        }
        // resolvePredictionKind over the whole log: any value outside the score/class range.
        for (const std::size_t array : {ingest::kSpillPrediction, ingest::kSpillLabel}) {
            const bool label = array == ingest::kSpillLabel;
            if (regression && !label)
                continue;
            if (auto e = store.readArray(c, array, values))
                return *e;
            if (auto e = store.readArray(c, array + 1, valid))
                return *e;
            for (std::size_t r = 0; r < values.size(); ++r) {
                if (!valid[r])
                    continue;
                plan.anyLabel = plan.anyLabel || label;
                const double v = values[r];
                if (std::isfinite(v) && (label ? (v != 0.0 && v != 1.0) : (v < 0.0 || v > 1.0)))
                    regression = true;
            }
        }
    }
    plan.predictionKind = requested != PredictionKind::Auto ? requested
                          : regression                      ? PredictionKind::Regression
                                                            : PredictionKind::Score;
    counts.forEach([&](std::uint64_t key, std::uint64_t n) {
        plan.windows.push_back({firstStart + static_cast<std::int64_t>(key) * plan.windowMs, n});
    });
    if (plan.versions) {
        std::vector<std::size_t> used;
        for (std::size_t s = 0; s < slots; ++s)
            if (first[s].row != std::numeric_limits<std::uint64_t>::max())
                used.push_back(s);
        std::sort(used.begin(), used.end(), [&](std::size_t a, std::size_t b) {
            return std::tie(first[a].ts, first[a].row) < std::tie(first[b].ts, first[b].row);
        });
        for (const std::size_t s : used)
            plan.segmentNames.push_back(s == slots - 1 ? "(none)" : log.table.version.dictionary[s]);
    }
    return plan;
}

std::vector<SpillBatch> cutBatches(const SpillPlan& plan, std::uint64_t maxRows)
{
    std::vector<SpillBatch> batches;
    const auto& w = plan.windows;
    for (std::size_t i = 0; i < w.size();) {
        SpillBatch b;
        b.firstWindow = i;
        b.startMs = w[i].startMs;
        b.rows = w[i].rows;
        b.oversized = w[i].rows > maxRows;
        ++i;
        while (!b.oversized && i < w.size() && b.rows + w[i].rows <= maxRows)
            b.rows += w[i++].rows;
        b.endWindow = i;
        b.endMs = w[i - 1].startMs + plan.windowMs;
        batches.push_back(b);
    }
    return batches;
}

std::vector<bool> analysisArrays(const LogTable& layout)
{
    std::size_t count = 0;
    ingest::forEachColumn(
        layout, [&](const auto&) { ++count; }, [&](const StringColumn&) { count += 3; });
    std::vector<bool> arrays(count, true);
    arrays[ingest::kSpillModel] = false;
    arrays[count - 3] = false; // request ids
    return arrays;
}

std::vector<bool> driftArrays(const LogTable& layout)
{
    std::vector<bool> arrays = analysisArrays(layout);
    for (const std::size_t i :
         {ingest::kSpillVersion, ingest::kSpillLatency, ingest::kSpillLatencyValid, ingest::kSpillStatus})
        arrays[i] = false;
    const std::size_t kpis =
        ingest::kSpillFixedArrays + 2 * layout.numericFeatures.size() + layout.categoricalFeatures.size();
    for (std::size_t k = 0; k < 2 * layout.kpis.size(); ++k)
        arrays[kpis + k] = false;
    return arrays;
}

namespace {

// The wanted arrays in two sets of about equal bytes (the request ids' three arrays count as
// one, by the first of them), so that two threads can gather a batch's columns.
std::pair<std::vector<bool>, std::vector<bool>> splitArrays(const ingest::SpillChunk& chunk,
                                                            const std::vector<bool>* arrays)
{
    const std::size_t count = chunk.arrays.size();
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < count; ++i)
        if ((!arrays || (*arrays)[i]) && (i < count - 2))
            order.push_back(i);
    const auto bytesOf = [&](std::size_t i) {
        return i == count - 3 ? chunk.arrays[i].bytes + chunk.arrays[i + 1].bytes + chunk.arrays[i + 2].bytes
                              : chunk.arrays[i].bytes;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return bytesOf(a) > bytesOf(b); });
    std::pair<std::vector<bool>, std::vector<bool>> sets{std::vector<bool>(count, false),
                                                         std::vector<bool>(count, false)};
    std::uint64_t first = 0;
    std::uint64_t second = 0;
    for (const std::size_t i : order) {
        const bool toFirst = first <= second;
        (toFirst ? sets.first : sets.second)[i] = true;
        (toFirst ? first : second) += bytesOf(i);
    }
    return sets;
}

} // namespace

namespace {

std::optional<Error> gatherInto(const LoadedLog& log, LogTable& table, std::int64_t startMs,
                                std::int64_t endMs,
                                std::optional<std::pair<std::int64_t, std::int64_t>> extra, bool keepParity,
                                const std::vector<bool>* arrays, std::size_t extraRows, ParityCheck* parity)
{
    const SpillStore& store = *log.spill;
    const auto inExtra = [&](std::int64_t t) { return extra && t >= extra->first && t < extra->second; };
    std::vector<std::uint32_t> newPos; // with keepParity: each gathered row's place
    std::size_t size = 0;
    std::vector<std::int64_t> ts;
    // The rows wanted of each chunk first (one pass over the timestamps), then the columns.
    std::vector<std::pair<std::size_t, std::vector<std::uint32_t>>> picks;
    std::size_t picked = 0;
    for (std::size_t c = 0; c < store.chunks().size(); ++c) {
        const auto& chunk = store.chunks()[c];
        const bool overlaps = chunk.tsMax >= startMs && chunk.tsMin < endMs;
        const bool overlapsExtra = extra && chunk.tsMax >= extra->first && chunk.tsMin < extra->second;
        if (!overlaps && !overlapsExtra)
            continue;
        if (auto e = store.readArray(c, ingest::kSpillTs, ts))
            return e;
        std::vector<std::uint32_t> rows;
        for (std::size_t r = 0; r < ts.size(); ++r) {
            const bool ref = inExtra(ts[r]);
            if (!ref && !(ts[r] >= startMs && ts[r] < endMs))
                continue;
            if (parity && ts[r] >= parity->range.first && ts[r] < parity->range.second &&
                (picked + rows.size()) % 2 != (chunk.firstRow + r) % 2)
                parity->kept = false;
            rows.push_back(static_cast<std::uint32_t>(r));
            if (!keepParity)
                continue;
            if (ref && (size % 2) != ((chunk.firstRow + r) % 2))
                ++size;
            newPos.push_back(static_cast<std::uint32_t>(size++));
        }
        picked += rows.size();
        if (!rows.empty())
            picks.emplace_back(c, std::move(rows));
    }
    if (picks.empty())
        return std::nullopt;
    const std::size_t room = picked + extraRows;
    std::size_t index = 0;
    const auto& first = store.chunks()[picks.front().first];
    ingest::forEachColumn(
        table,
        [&](auto& v) {
            const std::size_t i = index++;
            if ((!arrays || (*arrays)[i]) && first.arrays[i].bytes > 0)
                v.reserve(v.size() + room);
        },
        [&](StringColumn&) {});
    // Two threads, each its own columns of the same table (distinct vectors: no sharing):
    // copying the rows out of the mapped file is most of a gather's time.
    const auto [mine, theirs] = splitArrays(store.chunks()[picks.front().first], arrays);
    const auto gatherAll = [&](const std::vector<bool>& set) -> std::optional<Error> {
        for (const auto& [c, rows] : picks)
            if (auto e = store.gather(c, rows, table, &set))
                return e;
        return std::nullopt;
    };
    std::optional<Error> theirError;
    std::optional<Error> myError;
    {
        std::jthread other([&] {
            try {
                theirError = gatherAll(theirs);
            } catch (const std::exception& e) { // e.g. bad_alloc: reported, not terminate()
                theirError = Error{std::string("gathering spilled rows failed: ") + e.what()};
            }
        });
        myError = gatherAll(mine);
    }
    if (myError)
        return myError;
    if (theirError)
        return theirError;
    if (keepParity && size != table.rows())
        spreadRows(table, newPos, size);
    return std::nullopt;
}

} // namespace

Result<LogTable> gatherRows(const LoadedLog& log, std::int64_t startMs, std::int64_t endMs,
                            std::optional<std::pair<std::int64_t, std::int64_t>> extra, bool keepParity,
                            const std::vector<bool>* arrays)
{
    LogTable table = log.table; // the layout and dictionaries; the columns are empty
    if (auto e = gatherInto(log, table, startMs, endMs, extra, keepParity, arrays, 0, nullptr))
        return *e;
    return table;
}

std::optional<Error> gatherRowsInto(const LoadedLog& log, LogTable& table, std::int64_t startMs,
                                    std::int64_t endMs, const std::vector<bool>* arrays,
                                    std::size_t extraRows, ParityCheck* parity)
{
    return gatherInto(log, table, startMs, endMs, std::nullopt, false, arrays, extraRows, parity);
}

void clearRows(LogTable& table)
{
    ingest::forEachColumn(
        table, [](auto& v) { v.clear(); },
        [](StringColumn& s) {
            s.bytes.clear();
            s.ends.clear();
            s.valid.clear();
        });
}

std::optional<Error> forEachChunkInRange(const LoadedLog& log, std::int64_t startMs, std::int64_t endMs,
                                         const ChunkRowsFn& fn)
{
    const SpillStore& store = *log.spill;
    std::vector<std::int64_t> ts;
    std::vector<std::uint32_t> rows;
    for (std::size_t c = 0; c < store.chunks().size(); ++c) {
        const auto& chunk = store.chunks()[c];
        if (chunk.tsMax < startMs || chunk.tsMin >= endMs)
            continue;
        if (auto e = store.readArray(c, ingest::kSpillTs, ts))
            return e;
        rows.clear();
        for (std::size_t r = 0; r < ts.size(); ++r)
            if (ts[r] >= startMs && ts[r] < endMs)
                rows.push_back(static_cast<std::uint32_t>(r));
        if (rows.empty())
            continue;
        LogTable part = log.table;
        if (auto e = store.gather(c, rows, part))
            return e;
        for (std::size_t i = 0; i < rows.size(); ++i)
            rows[i] = static_cast<std::uint32_t>(i);
        if (auto e = fn(part, rows))
            return e;
    }
    return std::nullopt;
}

namespace {

// Every column of a table in forEachColumn's order (vectors, then the request ids'
// StringColumn), for walking two tables' columns side by side.
std::vector<const void*> columnsOf(const LogTable& t)
{
    std::vector<const void*> columns;
    ingest::forEachColumn(
        t, [&](const auto& v) { columns.push_back(&v); },
        [&](const StringColumn& s) { columns.push_back(&s); });
    return columns;
}

} // namespace

LogTable selectRows(const LogTable& layout, const LogTable& src, std::int64_t startMs, std::int64_t endMs)
{
    const std::vector<std::uint32_t> rows = rowsInRange(src.tsMs, startMs, endMs);
    LogTable out = layout;
    const std::vector<const void*> from = columnsOf(src);
    std::size_t i = 0;
    ingest::forEachColumn(
        out,
        [&](auto& v) {
            const auto& s = *static_cast<const std::decay_t<decltype(v)>*>(from[i++]);
            if (s.empty())
                return;
            v.reserve(rows.size());
            for (const std::uint32_t r : rows)
                v.push_back(s[r]);
        },
        [&](StringColumn& d) {
            const auto& s = *static_cast<const StringColumn*>(from[i++]);
            if (s.ends.empty())
                return;
            for (const std::uint32_t r : rows) {
                d.bytes.append(s.at(r));
                d.ends.push_back(d.bytes.size());
                d.valid.push_back(s.valid[r]);
            }
        });
    return out;
}

void appendRows(LogTable& dst, const LogTable& src)
{
    const std::vector<const void*> from = columnsOf(src);
    std::size_t i = 0;
    ingest::forEachColumn(
        dst,
        [&](auto& v) {
            const auto& s = *static_cast<const std::decay_t<decltype(v)>*>(from[i++]);
            v.insert(v.end(), s.begin(), s.end());
        },
        [&](StringColumn& d) {
            const auto& s = *static_cast<const StringColumn*>(from[i++]);
            const std::uint64_t base = d.bytes.size();
            d.bytes += s.bytes;
            for (const std::uint64_t end : s.ends)
                d.ends.push_back(base + end);
            d.valid.insert(d.valid.end(), s.valid.begin(), s.valid.end());
        });
}

void appendLabelFiller(LogTable& t)
{
    std::vector<std::uint32_t> pos(t.rows());
    for (std::size_t i = 0; i < pos.size(); ++i)
        pos[i] = static_cast<std::uint32_t>(i);
    spreadRows(t, pos, t.rows() + 1);
    t.label.values.back() = 0.0;
    t.label.valid.back() = 1;
}

} // namespace vigil::detail
