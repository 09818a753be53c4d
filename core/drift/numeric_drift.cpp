#include "numeric_drift.h"

#include "distances.h"
#include "pooled_chi_square.h"
#include "sample_prep.h"

#include <algorithm>
#include <cmath>

namespace vigil {

std::vector<double> quantileBinEdges(std::span<const double> sorted)
{
    const auto finite = finitePart(sorted);
    std::vector<double> edges;
    if (finite.empty())
        return edges;
    for (int k = 1; k < kQuantileBinCount; ++k)
        edges.push_back(quantileSorted(finite, k / 10.0));
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    return edges;
}

std::vector<double> countPerBin(std::span<const double> edges, std::span<const double> values)
{
    std::vector<double> counts(edges.size() + 1, 0.0);
    for (double v : values) {
        if (std::isnan(v))
            continue;
        const auto bin = std::upper_bound(edges.begin(), edges.end(), v) - edges.begin();
        counts[static_cast<std::size_t>(bin)] += 1.0;
    }
    return counts;
}

std::optional<double> wassersteinSorted(std::span<const double> sortedA, std::span<const double> sortedB)
{
    const auto a = finitePart(sortedA);
    const auto b = finitePart(sortedB);
    if (a.empty() || b.empty())
        return std::nullopt;
    const double na = static_cast<double>(a.size());
    const double nb = static_cast<double>(b.size());
    std::size_t i = 0;
    std::size_t j = 0;
    double total = 0.0;
    // Walk the merged distinct values; between consecutive ones both ECDFs are flat.
    double x = std::min(a[0], b[0]);
    while (true) {
        while (i < a.size() && a[i] <= x)
            ++i;
        while (j < b.size() && b[j] <= x)
            ++j;
        if (i == a.size() && j == b.size())
            break;
        double next = 0.0;
        if (i == a.size())
            next = b[j];
        else if (j == b.size())
            next = a[i];
        else
            next = std::min(a[i], b[j]);
        total += std::abs(static_cast<double>(i) / na - static_cast<double>(j) / nb) * (next - x);
        x = next;
    }
    return total;
}

std::optional<double> wasserstein(std::span<const double> a, std::span<const double> b)
{
    const auto sa = sortedWithoutNan(a);
    const auto sb = sortedWithoutNan(b);
    return wassersteinSorted(sa, sb);
}

NumericReference NumericReference::build(std::span<const double> values)
{
    NumericReference ref;
    ref.rows = values.size();
    ref.sorted = sortedWithoutNan(values);
    ref.missing = ref.rows - ref.sorted.size();
    ref.edges = quantileBinEdges(ref.sorted);
    ref.binCounts = countPerBin(ref.edges, ref.sorted);
    const auto finite = ref.finiteSorted();
    if (!finite.empty()) {
        double sum = 0.0;
        for (double v : finite)
            sum += v;
        const double mean = sum / static_cast<double>(finite.size());
        double sq = 0.0;
        for (double v : finite)
            sq += (v - mean) * (v - mean);
        ref.mean = mean;
        ref.stdDev = std::sqrt(sq / static_cast<double>(finite.size()));
    }
    return ref;
}

std::span<const double> NumericReference::finiteSorted() const
{
    return finitePart(sorted);
}

NumericDrift numericDrift(const NumericReference& ref, std::span<const double> current)
{
    NumericDrift out;
    const auto cur = sortedWithoutNan(current);
    out.missing = MissingShare::make(current.size(), current.size() - cur.size(), ref.rows, ref.missing);
    if (ref.sorted.empty() || cur.empty())
        return out;
    out.ks = ksTwoSampleSorted(ref.sorted, cur);
    out.wasserstein = wassersteinSorted(ref.sorted, cur);
    addNormedAndBinned(ref, cur, out);
    return out;
}

std::vector<double> countPerBinSorted(std::span<const double> edges, std::span<const double> sorted)
{
    // Bin k holds edges[k-1] <= x < edges[k]: the difference of two lower bounds.
    std::vector<double> counts(edges.size() + 1, 0.0);
    std::size_t prev = 0;
    for (std::size_t k = 0; k < edges.size(); ++k) {
        const auto at = static_cast<std::size_t>(
            std::lower_bound(sorted.begin() + static_cast<std::ptrdiff_t>(prev), sorted.end(), edges[k]) -
            sorted.begin());
        counts[k] = static_cast<double>(at - prev);
        prev = at;
    }
    counts[edges.size()] = static_cast<double>(sorted.size() - prev);
    return counts;
}

void addNormedAndBinned(const NumericReference& ref, std::span<const double> current, NumericDrift& out,
                        bool currentSorted)
{
    const auto counts =
        currentSorted ? countPerBinSorted(ref.edges, current) : countPerBin(ref.edges, current);
    addNormedAndBinnedCounts(ref, counts, out);
}

void addNormedAndBinnedCounts(const NumericReference& ref, std::span<const double> counts, NumericDrift& out)
{
    if (out.wasserstein && ref.stdDev)
        out.wassersteinNormed = *out.wasserstein / std::max(*ref.stdDev, kWassersteinStdFloor);
    out.psi = populationStabilityIndex(ref.binCounts, counts);
    out.jensenShannon = jensenShannonDistance(ref.binCounts, counts);
    out.hellinger = hellingerDistance(ref.binCounts, counts);
    out.binnedChiSquare = pooledChiSquare(ref.binCounts, counts);
}

} // namespace vigil
