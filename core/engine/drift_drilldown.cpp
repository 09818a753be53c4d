#include "engine/drift_drilldown.h"

#include "engine/drift_rows.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace vigil {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Counts by kind and returns the sorted non-NaN values (±Inf included, as KS sees them).
std::vector<double> classify(std::span<const double> values, std::span<const std::uint8_t> valid,
                             SampleCounts& counts)
{
    std::vector<double> out;
    out.reserve(values.size());
    counts.rows = values.size();
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (i < valid.size() && !valid[i])
            ++counts.nulls;
        else if (std::isnan(v))
            ++counts.nan;
        else {
            if (v == std::numeric_limits<double>::infinity())
                ++counts.posInf;
            else if (v == -std::numeric_limits<double>::infinity())
                ++counts.negInf;
            else
                ++counts.finite;
            out.push_back(v);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::span<const double> finitePart(const std::vector<double>& sorted)
{
    const auto lo = std::find_if(sorted.begin(), sorted.end(), [](double v) { return std::isfinite(v); });
    const auto hi = std::find_if(lo, sorted.end(), [](double v) { return !std::isfinite(v); });
    return {sorted.data() + (lo - sorted.begin()), static_cast<std::size_t>(hi - lo)};
}

std::vector<std::uint64_t> countBins(std::span<const double> finite, const std::vector<double>& edges)
{
    std::vector<std::uint64_t> counts(edges.size() - 1, 0);
    for (const double v : finite)
        ++counts[histogramBin(edges, v)];
    return counts;
}

std::vector<double> sharesOf(const std::vector<std::uint64_t>& counts, std::uint64_t total)
{
    std::vector<double> out(counts.size(), 0.0);
    if (total > 0)
        for (std::size_t i = 0; i < counts.size(); ++i)
            out[i] = static_cast<double>(counts[i]) / static_cast<double>(total);
    return out;
}

// The step points of a sorted sample's ECDF at its distinct finite values, at most
// maxPoints of them, always keeping the first, the last and the step in force at keepX
// (NaN: none). A plain double, not std::optional: GCC 12 -O3 warns falsely
// (-Wmaybe-uninitialized) on the optional's payload.
std::vector<EcdfPoint> ecdf(const std::vector<double>& sorted, std::size_t maxPoints, double keepX)
{
    std::vector<EcdfPoint> all;
    const double n = static_cast<double>(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i + 1 < sorted.size() && sorted[i + 1] == sorted[i])
            continue;
        if (std::isfinite(sorted[i]))
            all.push_back({sorted[i], static_cast<double>(i + 1) / n});
    }
    maxPoints = std::max<std::size_t>(maxPoints, 3);
    if (all.size() <= maxPoints)
        return all;
    std::size_t keep = all.size();
    if (!std::isnan(keepX)) {
        const auto it = std::upper_bound(all.begin(), all.end(), keepX,
                                         [](double x, const EcdfPoint& p) { return x < p.x; });
        if (it != all.begin())
            keep = static_cast<std::size_t>(it - all.begin()) - 1;
    }
    std::vector<EcdfPoint> out;
    const std::size_t slots = maxPoints - 1; // one slot stays free for the kept step
    for (std::size_t k = 0; k < slots; ++k) {
        out.push_back(all[k * (all.size() - 1) / (slots - 1)]);
    }
    if (keep < all.size()) {
        const EcdfPoint p = all[keep];
        const auto at = std::lower_bound(out.begin(), out.end(), p.x,
                                         [](const EcdfPoint& a, double x) { return a.x < x; });
        if (at == out.end() || at->x != p.x)
            out.insert(at, p);
    }
    return out;
}

std::optional<KsLocation> ksLocation(const std::vector<double>& ref, const std::vector<double>& cur)
{
    if (ref.empty() || cur.empty())
        return std::nullopt;
    const double n1 = static_cast<double>(ref.size());
    const double n2 = static_cast<double>(cur.size());
    std::optional<KsLocation> best;
    // Both samples sorted: walk the pooled values in order, F evaluated after all ties.
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < ref.size() || j < cur.size()) {
        double x = 0.0;
        if (j >= cur.size() || (i < ref.size() && ref[i] <= cur[j]))
            x = ref[i];
        else
            x = cur[j];
        while (i < ref.size() && ref[i] == x)
            ++i;
        while (j < cur.size() && cur[j] == x)
            ++j;
        const double f1 = static_cast<double>(i) / n1;
        const double f2 = static_cast<double>(j) / n2;
        const double d = std::abs(f1 - f2);
        if (!best || d > best->d)
            best = KsLocation{x, f1, f2, d};
    }
    return best;
}

} // namespace

std::vector<double> histogramEdges(double lo, double hi, int bins)
{
    if (lo == hi) {
        lo -= 0.5;
        hi += 0.5;
    }
    const auto n = static_cast<std::size_t>(std::max(bins, 1));
    // numpy.linspace: start + i * step with step = delta / div, the last edge set to stop.
    const double step = (hi - lo) / static_cast<double>(n);
    std::vector<double> edges(n + 1);
    for (std::size_t i = 0; i <= n; ++i)
        edges[i] = static_cast<double>(i) * step + lo;
    edges[n] = hi;
    return edges;
}

std::size_t histogramBin(const std::vector<double>& edges, double x)
{
    // np.histogram's equal-bin path: a scaled index, corrected against the edges.
    const std::size_t n = edges.size() - 1;
    const double first = edges.front();
    const double norm = static_cast<double>(n) / (edges.back() - first);
    auto idx = static_cast<std::ptrdiff_t>((x - first) * norm);
    const auto last = static_cast<std::ptrdiff_t>(n);
    idx = std::clamp<std::ptrdiff_t>(idx, 0, last);
    if (idx == last)
        --idx;
    if (x < edges[static_cast<std::size_t>(idx)])
        --idx;
    else if (x >= edges[static_cast<std::size_t>(idx) + 1] && idx != last - 1)
        ++idx;
    return static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(idx, 0, last - 1));
}

NumericDistributions numericDistributions(std::span<const double> ref, std::span<const double> cur,
                                          std::span<const std::uint8_t> refValid,
                                          std::span<const std::uint8_t> curValid, int bins,
                                          std::size_t maxEcdfPoints)
{
    NumericDistributions out;
    const std::vector<double> r = classify(ref, refValid, out.ref);
    const std::vector<double> c = classify(cur, curValid, out.cur);
    const auto rf = finitePart(r);
    const auto cf = finitePart(c);
    if (!rf.empty() || !cf.empty()) {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (const auto part : {rf, cf})
            if (!part.empty()) {
                lo = std::min(lo, part.front());
                hi = std::max(hi, part.back());
            }
        CommonHistogram& h = out.histogram;
        h.edges = histogramEdges(lo, hi, bins);
        h.refCounts = countBins(rf, h.edges);
        h.curCounts = countBins(cf, h.edges);
        h.refShares = sharesOf(h.refCounts, rf.size());
        h.curShares = sharesOf(h.curCounts, cf.size());
    }
    out.ks = ksLocation(r, c);
    const double keep = out.ks ? out.ks->x : std::numeric_limits<double>::quiet_NaN();
    out.refEcdf = ecdf(r, maxEcdfPoints, keep);
    out.curEcdf = ecdf(c, maxEcdfPoints, keep);
    return out;
}

CategoricalDistributions categoricalDistributions(std::span<const std::int32_t> ref,
                                                  std::span<const std::int32_t> cur,
                                                  const std::vector<std::string>& names, std::size_t topN)
{
    CategoricalDistributions out;
    std::vector<std::uint64_t> rc(names.size(), 0);
    std::vector<std::uint64_t> cc(names.size(), 0);
    const auto tally = [&](std::span<const std::int32_t> codes, std::vector<std::uint64_t>& counts,
                           SampleCounts& sc) {
        sc.rows = codes.size();
        for (const std::int32_t code : codes) {
            if (code < 0 || static_cast<std::size_t>(code) >= counts.size()) {
                ++sc.nulls;
                continue;
            }
            ++counts[static_cast<std::size_t>(code)];
            ++sc.finite;
        }
    };
    tally(ref, rc, out.ref);
    tally(cur, cc, out.cur);
    const auto share = [](std::uint64_t n, std::uint64_t total) {
        return total ? static_cast<double>(n) / static_cast<double>(total) : 0.0;
    };
    std::vector<CategoryShare> all;
    for (std::size_t k = 0; k < names.size(); ++k) {
        if (rc[k] == 0 && cc[k] == 0)
            continue;
        CategoryShare s{names[k],   rc[k], cc[k], share(rc[k], out.ref.finite), share(cc[k], out.cur.finite),
                        rc[k] == 0, false};
        out.unseenCategories += s.unseen ? 1 : 0;
        all.push_back(std::move(s));
    }
    // Largest on either side first; ties by name so the order is stable.
    std::sort(all.begin(), all.end(), [](const CategoryShare& a, const CategoryShare& b) {
        const double ma = std::max(a.refShare, a.curShare);
        const double mb = std::max(b.refShare, b.curShare);
        return ma != mb ? ma > mb : a.name < b.name;
    });
    if (all.size() > topN + 1) {
        CategoryShare other{"(other)", 0, 0, 0.0, 0.0, false, true};
        for (std::size_t k = topN; k < all.size(); ++k) {
            other.refCount += all[k].refCount;
            other.curCount += all[k].curCount;
            other.unseen = other.unseen || all[k].unseen;
        }
        other.refShare = share(other.refCount, out.ref.finite);
        other.curShare = share(other.curCount, out.cur.finite);
        all.resize(topN);
        all.push_back(std::move(other));
    }
    out.shares = std::move(all);
    return out;
}

std::vector<std::string> driftFeatureNames(const DriftSnapshot& drift)
{
    std::vector<std::string> names;
    if (!drift.windows.empty())
        for (const FeatureDrift& f : drift.windows.front().features)
            names.push_back(f.name);
    return names;
}

namespace {

template <typename Column> const Column* byName(const std::vector<Column>& cols, const std::string& name)
{
    for (const auto& c : cols)
        if (c.name == name)
            return &c;
    return nullptr;
}

const NumericColumn* numericNamed(const LogTable& t, const std::string& name)
{
    if (name == "prediction")
        return &t.prediction;
    if (name == "label")
        return &t.label;
    return byName(t.numericFeatures, name);
}

std::vector<double> gather(const NumericColumn& col, std::span<const std::uint32_t> rows,
                           std::vector<std::uint8_t>& valid)
{
    std::vector<double> out;
    out.reserve(rows.size());
    valid.clear();
    for (const std::uint32_t r : rows) {
        out.push_back(col.valid[r] ? col.values[r] : kNan);
        valid.push_back(col.valid[r]);
    }
    return out;
}

std::vector<std::int32_t> gatherCodes(const CategoricalColumn& col, std::span<const std::uint32_t> rows,
                                      const std::vector<std::int32_t>* remap)
{
    std::vector<std::int32_t> out;
    out.reserve(rows.size());
    for (const std::uint32_t r : rows) {
        const std::uint32_t c = col.codes[r];
        out.push_back(c == CategoricalColumn::kNull ? -1
                                                    : (remap ? (*remap)[c] : static_cast<std::int32_t>(c)));
    }
    return out;
}

std::vector<std::uint32_t> allRows(std::size_t n)
{
    std::vector<std::uint32_t> rows(n);
    for (std::size_t i = 0; i < n; ++i)
        rows[i] = static_cast<std::uint32_t>(i);
    return rows;
}

} // namespace

Result<FeatureDrilldown> computeDrilldown(const LogTable& table, const AnalysisSnapshot& snapshot,
                                          const std::string& feature, std::size_t window,
                                          const DrilldownOptions& options, std::stop_token stop)
{
    if (!snapshot.drift)
        return Error{"drift was not computed for this analysis"};
    const DriftSnapshot& drift = *snapshot.drift;
    const std::vector<std::string> names = driftFeatureNames(drift);
    const auto found = std::find(names.begin(), names.end(), feature);
    if (found == names.end()) {
        std::string known;
        for (const std::string& n : names)
            known += (known.empty() ? "" : ", ") + n;
        return Error{"unknown feature '" + feature + "' (features: " + (known.empty() ? "none" : known) +
                     ")"};
    }
    if (window >= drift.windows.size() || window >= snapshot.windows.size())
        return Error{"window " + std::to_string(window) + " is out of range"};
    const auto featureIndex = static_cast<std::size_t>(found - names.begin());

    FeatureDrilldown out;
    out.feature = feature;
    out.window = window;
    out.windowStartMs = snapshot.windows[window].startMs;
    out.windowEndMs = snapshot.windows[window].endMs;
    out.reference = drift.reference;
    out.statistics = drift.windows[window].features[featureIndex];
    out.categorical = out.statistics.categorical;
    for (const WindowDrift& w : drift.windows)
        if (featureIndex < w.features.size())
            out.series.push_back({w.startMs, w.features[featureIndex]});

    const LogTable& refTable = options.referenceTable ? *options.referenceTable : table;
    const std::vector<std::uint32_t> refRows =
        options.referenceTable ? allRows(refTable.rows())
                               : rowsInRange(table.tsMs, drift.reference.startMs, drift.reference.endMs);
    const std::vector<std::uint32_t> curRows = rowsInRange(table.tsMs, out.windowStartMs, out.windowEndMs);
    if (stopRequested(stop))
        return Error{"cancelled"};

    if (!out.categorical) {
        const NumericColumn* col = numericNamed(table, feature);
        const NumericColumn* refCol = numericNamed(refTable, feature);
        if (!col || !refCol)
            return Error{"no numeric column '" + feature + "' in the log"};
        std::vector<std::uint8_t> refValid;
        std::vector<std::uint8_t> curValid;
        const auto ref = gather(*refCol, refRows, refValid);
        const auto cur = gather(*col, curRows, curValid);
        out.numeric = numericDistributions(ref, cur, refValid, curValid, options.bins, options.maxEcdfPoints);
        return out;
    }
    const CategoricalColumn* col = byName(table.categoricalFeatures, feature);
    const CategoricalColumn* refCol = byName(refTable.categoricalFeatures, feature);
    if (!col || !refCol)
        return Error{"no categorical column '" + feature + "' in the log"};
    // A separate reference has its own dictionary: map its text onto the analysed codes,
    // categories only the reference has get new codes after them.
    std::vector<std::string> dictionary = col->dictionary;
    std::vector<std::int32_t> remap;
    if (refCol != col) {
        std::unordered_map<std::string, std::int32_t> index;
        for (std::size_t i = 0; i < dictionary.size(); ++i)
            index.emplace(dictionary[i], static_cast<std::int32_t>(i));
        for (const std::string& text : refCol->dictionary) {
            const auto it = index.find(text);
            if (it != index.end()) {
                remap.push_back(it->second);
            } else {
                remap.push_back(static_cast<std::int32_t>(dictionary.size()));
                dictionary.push_back(text);
            }
        }
    }
    const auto ref = gatherCodes(*refCol, refRows, remap.empty() ? nullptr : &remap);
    const auto cur = gatherCodes(*col, curRows, nullptr);
    out.categories = categoricalDistributions(ref, cur, dictionary, options.topCategories);
    return out;
}

} // namespace vigil
