#pragma once
// KLL quantile sketch (Karnin, Lang, Liberty 2016), laid out as Apache DataSketches' KllSketch:
// a stack of compactors, level h holding items of weight 2^h, level h's capacity
// max(8, ceil(k (2/3)^(levels-1-h))). When the sketch is full the lowest level at or over its
// capacity is sorted and halved: a coin picks the odd or the even positions, which move up
// one level with twice the weight (an odd item out stays behind). The coin is a seeded
// xorshift, so a sketch fed the same values in the same order gives the same numbers.
//
// Guarantee (docs/SKETCHES.md): with probability >= 99 %, for every x at once,
// |rank_est(x) - rank(x)| <= kllRankError(k) * n. While nothing was compacted (n <= k, or
// merges that stayed under k) every value is held and every answer is exact.
//
// NaN has no rank: update() ignores it, and the caller counts it (a NaN is data, missing).
// +/-Inf are ordinary values at the ends of the order.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vigil::stats {

inline constexpr std::uint32_t kKllDefaultK = 1024;

// The normalised rank error bound at 99 % confidence for all ranks simultaneously (the
// "double-sided"/PMF bound of DataSketches, 2.446 / k^0.9433: k = 200 -> 1.65 %,
// k = 1024 -> 0.354 %), checked empirically against this implementation in tst_kll_sketch.
double kllRankError(std::uint32_t k);

// The sketch's retained values, ascending, equal values merged, with their weights:
// a weighted step distribution that answers rank and quantile queries in O(log m).
class KllSortedView
{
  public:
    KllSortedView() = default;
    KllSortedView(std::vector<double> values, std::vector<std::uint64_t> weights);

    std::uint64_t count() const { return m_total; }
    std::span<const double> values() const { return m_values; }
    std::span<const std::uint64_t> cumulative() const { return m_cumulative; } // inclusive
    std::uint64_t weightAt(std::size_t i) const;

    // Estimated number of values <= x (inclusive) and < x (exclusive).
    std::uint64_t countAtOrBelow(double x) const;
    std::uint64_t countBelow(double x) const;
    // Estimated value at 0-based position p of the sorted stream (p < count()).
    double atPosition(std::uint64_t p) const;
    // numpy's default ('linear') quantile over the estimated order statistics: virtual
    // index q (n-1), interpolated with numpy's lerp, so that on an exact sketch it equals
    // np.quantile bit for bit (+/-Inf give what numpy gives, NaN included).
    double quantile(double q) const;

  private:
    std::vector<double> m_values;
    std::vector<std::uint64_t> m_cumulative;
    std::uint64_t m_total = 0;
};

class KllSketch
{
  public:
    explicit KllSketch(std::uint32_t k = kKllDefaultK, std::uint64_t seed = 0x5DEECE66DULL);

    void update(double value); // NaN is ignored
    // Adds other's values (any k; the bound is then the smaller k's). The coin sequence
    // continues this sketch's, so merging in the same order reproduces the same sketch.
    void merge(const KllSketch& other);

    std::uint32_t k() const { return m_k; }
    std::uint64_t count() const { return m_n; }
    bool empty() const { return m_n == 0; }
    bool exact() const { return m_levels.size() == 1; } // nothing compacted yet
    double min() const { return m_min; }                // exact; NaN when empty
    double max() const { return m_max; }
    std::size_t retained() const { return m_retained; }
    // Heap bytes held (level storage at its capacity), for the memory figures.
    std::size_t memoryBytes() const;

    KllSortedView sortedView() const;
    // Normalised rank of x: share of the values <= x (the empirical CDF), estimated.
    double rank(double x) const;
    double cdf(double x) const { return rank(x); }
    double quantile(double q) const; // KllSortedView::quantile; NaN when empty

  private:
    std::size_t capacity(std::size_t level) const;
    void updateCapacity();
    void compress();
    void compactLevel(std::size_t level);
    bool coin();

    std::uint32_t m_k;
    std::uint64_t m_state;
    std::uint64_t m_n = 0;
    double m_min;
    double m_max;
    std::vector<std::vector<double>> m_levels; // level 0 unsorted, the others ascending
    std::size_t m_retained = 0;
    std::size_t m_capacityTotal = 0;
};

} // namespace vigil::stats
