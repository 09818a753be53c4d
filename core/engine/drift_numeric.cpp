#include "drift/distances.h"
#include "drift/sample_prep.h"
#include "engine/drift_analysis.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace vigil {

namespace {

// bounds() counts a cell of up to this many values without branches.
constexpr std::size_t kFixedScan = 4;

// First index >= from with !(a[i] < x) (lower) or a[i] > x (upper), searching outwards from
// `from` first: consecutive window values are usually close together in the reference.
template <typename Less> std::size_t gallop(std::span<const double> a, std::size_t from, Less less)
{
    std::size_t step = 1;
    std::size_t lo = from;
    std::size_t hi = from;
    while (hi < a.size() && less(a[hi])) {
        lo = hi + 1;
        hi = from + step;
        step *= 2;
    }
    hi = std::min(hi, a.size());
    return static_cast<std::size_t>(std::partition_point(a.begin() + static_cast<std::ptrdiff_t>(lo),
                                                         a.begin() + static_cast<std::ptrdiff_t>(hi), less) -
                                    a.begin());
}

std::size_t lowerFrom(std::span<const double> a, std::size_t from, double x)
{
    return gallop(a, from, [x](double v) { return v < x; });
}

std::size_t upperFrom(std::span<const double> a, std::size_t from, double x)
{
    return gallop(a, from, [x](double v) { return v <= x; });
}

} // namespace

double ksStatisticBySearch(std::span<const double> a, std::span<const double> b)
{
    const double n1 = static_cast<double>(a.size());
    const double n2 = static_cast<double>(b.size());
    double maxS = 0.0;
    double minS = 0.0;
    const auto diff = [&](std::size_t i, std::size_t j) {
        const double d = static_cast<double>(i) / n1 - static_cast<double>(j) / n2;
        maxS = std::max(maxS, d);
        minS = std::min(minS, d);
    };
    // Reference values below the first window value: j = 0, the largest i there.
    if (!b.empty())
        diff(lowerFrom(a, 0, b[0]), 0);
    std::size_t i = 0;
    std::size_t j = 0;
    while (j < b.size()) {
        const double x = b[j];
        while (j < b.size() && b[j] <= x)
            ++j;
        // At x itself: the smallest i on [x, next window value).
        i = upperFrom(a, i, x);
        diff(i, j);
        // Just below the next window value: the largest i there (a reference value lies in
        // between whenever this differs from i, so SciPy evaluates that point too).
        if (j < b.size())
            diff(lowerFrom(a, i, b[j]), j);
    }
    return std::max(maxS, std::min(-minS, 1.0));
}

PreparedNumericReference::PreparedNumericReference(NumericReference r) : ref(std::move(r))
{
    const auto finite = ref.finiteSorted();
    // The running sum stays in a register: reading each 80-bit sum back from memory stalled
    // on store forwarding at every value. Same additions in the same order.
    prefix.resize(finite.size() + 1);
    long double sum = 0.0L;
    prefix[0] = sum;
    for (std::size_t i = 0; i < finite.size(); ++i) {
        sum += static_cast<long double>(finite[i]);
        prefix[i + 1] = sum;
    }
    const std::vector<double>& a = ref.sorted;
    if (a.empty() || finite.size() != a.size() || a.size() >= std::numeric_limits<std::uint32_t>::max())
        return;
    // Half a value a cell on average, so that even the central cells of a bell-shaped
    // distribution (three to four times the average density) mostly fit bounds' fixed scan;
    // a crowded cell (heavy tails, ties) is still correct, its search is only longer.
    const std::size_t cells = 2 * a.size() + 1;
    cellMin = a.front();
    const double span = a.back() - a.front();
    cellScale = span > 0.0 && std::isfinite(span) ? static_cast<double>(cells) / span : 0.0;
    cellStart.resize(cells + 1);
    // cellStart[c] = first i with cellOf(a[i]) >= c (a.size() past the last value's cell).
    // cellOf is monotone, so every value before cellStart[c] is below any x of cell c and
    // every value from cellStart[c + 1] on is above it. Each entry is written once.
    std::size_t c = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::size_t ci = cellOf(a[i]);
        while (c <= ci)
            cellStart[c++] = static_cast<std::uint32_t>(i);
    }
    while (c <= cells)
        cellStart[c++] = static_cast<std::uint32_t>(a.size());
}

std::size_t PreparedNumericReference::cellOf(double x) const
{
    const double pos = (x - cellMin) * cellScale;
    const std::size_t last = cellStart.size() - 2;
    if (!(pos > 0.0))
        return 0;
    return pos >= static_cast<double>(last) ? last : static_cast<std::size_t>(pos);
}

PreparedNumericReference::Bounds PreparedNumericReference::bounds(double x) const
{
    const std::size_t c = cellOf(x);
    const std::size_t lo = cellStart[c];
    const std::size_t hi = cellStart[c + 1];
    const double* a = ref.sorted.data();
    if (hi - lo <= kFixedScan && lo + kFixedScan <= ref.sorted.size()) {
        // The usual cell: a count over a fixed number of values instead of a loop whose exit
        // the branch predictor misses at nearly every value. The values past the cell are
        // above x (see the constructor), so counting them changes nothing.
        std::size_t below = lo;
        std::size_t atOrBelow = lo;
        for (std::size_t k = 0; k < kFixedScan; ++k) {
            below += static_cast<std::size_t>(a[lo + k] < x);
            atOrBelow += static_cast<std::size_t>(a[lo + k] <= x);
        }
        return {below, atOrBelow};
    }
    if (hi - lo <= 16) {
        std::size_t below = lo;
        std::size_t atOrBelow = lo;
        for (std::size_t k = lo; k < hi; ++k) {
            below += a[k] < x;
            atOrBelow += a[k] <= x;
        }
        return {below, atOrBelow};
    }
    const double* first = std::lower_bound(a + lo, a + hi, x);
    const double* last = std::upper_bound(first, a + hi, x);
    return {static_cast<std::size_t>(first - a), static_cast<std::size_t>(last - a)};
}

void PreparedNumericReference::prefetchCell(double x) const
{
    __builtin_prefetch(cellStart.data() + cellOf(x));
}

void PreparedNumericReference::prefetchValues(double x) const
{
    const std::size_t lo = cellStart[cellOf(x)];
    __builtin_prefetch(ref.sorted.data() + lo);
    __builtin_prefetch(prefix.data() + lo);
}

std::optional<double> wassersteinBySearch(const PreparedNumericReference& prepared,
                                          std::span<const double> sortedCur)
{
    const auto a = prepared.ref.finiteSorted();
    const auto b = finitePart(sortedCur);
    if (a.empty() || b.empty())
        return std::nullopt;
    const auto n1 = static_cast<long double>(a.size());
    const std::uint64_t n2 = b.size();
    // G(x) = integral of F_ref up to x = (i x - sum of the i values <= x) / n1, i = #{a <= x}.
    std::size_t cursor = 0;
    const auto integral = [&](long double x, std::size_t i) { return (i * x - prepared.prefix[i]) / n1; };
    const auto g = [&](double x) {
        cursor = upperFrom(a, cursor, x);
        return integral(x, cursor);
    };
    long double total = g(b[0]); // below the first window value F_cur = 0
    long double gp = total;
    std::size_t j = 0;
    while (j < b.size()) {
        const double p = b[j];
        while (j < b.size() && b[j] <= p)
            ++j;
        const double q = j < b.size() ? b[j] : a.back();
        if (!(q > p)) {
            break; // the last window value lies at or above every reference value
        }
        // On [p, q) F_cur = c = j / n2; F_ref >= c from t = a[k - 1], k = ceil(c n1), on.
        const long double c = static_cast<long double>(j) / static_cast<long double>(n2);
        const std::uint64_t k = (j * static_cast<std::uint64_t>(a.size()) + n2 - 1) / n2;
        const double t = std::clamp(a[k - 1], p, q);
        const long double gt = g(t);
        const long double gq = g(q);
        total += c * (static_cast<long double>(t) - p) - (gt - gp);
        total += (gq - gt) - c * (static_cast<long double>(q) - t);
        gp = gq;
    }
    return static_cast<double>(total);
}

namespace {

struct KsAndW1
{
    double d = 0.0;
    double w1 = 0.0;
};

// KS D and W1 in one walk over the window's distinct values when neither sample holds
// +/-Inf (then both statistics see the same values): one search in the reference per
// distinct value serves both. D uses ksStatisticBySearch's points and arithmetic; W1 uses
// G(x) = (i x - prefix[i]) / n1 with i = #{a <= x} (any i with a[i-1] <= x <= a[i] gives the
// same G, so at a reference value a[k-1] no search is needed).
KsAndW1 ksAndW1Finite(const PreparedNumericReference& prepared, std::span<const double> b)
{
    const std::span<const double> a = prepared.ref.sorted;
    const double n1 = static_cast<double>(a.size());
    const double n2 = static_cast<double>(b.size());
    const auto n1l = static_cast<long double>(a.size());
    const auto n2l = static_cast<long double>(b.size());
    const auto& prefix = prepared.prefix;
    // H = n1 * G; the W1 sum is kept scaled by n1 * n2 so that no step divides.
    const auto h = [&](long double x, std::size_t i) { return i * x - prefix[i]; };
    double maxS = 0.0;
    double minS = 0.0;
    // Most points lie strictly between the extremes so far, and d = i / n1 - j / n2 costs two
    // divisions. The integer i n2 - j n1 orders the points exactly; two different values of
    // it are at least 1 / (n1 n2) apart in d, more than d's rounding error (3 ulp of 1) when
    // n1 n2 < 2^49, so a point whose integer lies strictly between the extremes' integers
    // cannot change maxS or minS and is skipped: the same bits, fewer divisions.
    const bool exactKeys = static_cast<double>(a.size()) * static_cast<double>(b.size()) < 0x1p49;
    const auto n1i = static_cast<std::int64_t>(a.size());
    const auto n2i = static_cast<std::int64_t>(b.size());
    std::int64_t maxKey = 0; // the integers of maxS and minS (0 for their starting 0.0)
    std::int64_t minKey = 0;
    const auto diff = [&](std::size_t i, std::size_t j) {
        if (exactKeys) {
            const std::int64_t key = static_cast<std::int64_t>(i) * n2i - static_cast<std::int64_t>(j) * n1i;
            if (key < maxKey && key > minKey)
                return;
            maxKey = std::max(maxKey, key);
            minKey = std::min(minKey, key);
        }
        const double d = static_cast<double>(i) / n1 - static_cast<double>(j) / n2;
        maxS = std::max(maxS, d);
        minS = std::min(minS, d);
    };
    long double scaled = 0.0L;
    long double hPrev = 0.0L;
    double pPrev = 0.0;
    std::size_t j = 0;
    // How far ahead (in window values) the walk asks for the reference's cache lines.
    constexpr std::size_t kCellAhead = 16;
    constexpr std::size_t kValuesAhead = 8;
    while (j < b.size()) {
        const double p = b[j];
        const std::size_t jPrev = j;
        if (jPrev + kCellAhead < b.size())
            prepared.prefetchCell(b[jPrev + kCellAhead]);
        if (jPrev + kValuesAhead < b.size()) {
            prepared.prefetchValues(b[jPrev + kValuesAhead]);
            // The crossing point t = a[k - 1] of a later step (see below).
            const std::uint64_t ahead = jPrev + kValuesAhead;
            const std::uint64_t k = (ahead * static_cast<std::uint64_t>(a.size()) + b.size() - 1) / b.size();
            __builtin_prefetch(a.data() + k - 1);
            __builtin_prefetch(prefix.data() + k);
        }
        while (j < b.size() && b[j] <= p)
            ++j;
        const auto [below, i] = prepared.bounds(p);
        // Just below p: the largest count there (jPrev window values lie below p).
        diff(below, jPrev);
        diff(i, j);
        const long double hp = h(p, i);
        if (jPrev == 0) {
            scaled = n2l * hp; // below the first window value F_cur = 0
        } else {
            // On [pPrev, p) F_cur = c = jPrev / n2; F_ref >= c from t = a[k - 1] on:
            // integral = c (t - pPrev) - (G(t) - G(pPrev)) + (G(p) - G(t)) - c (p - t).
            const std::uint64_t k = (jPrev * static_cast<std::uint64_t>(a.size()) + b.size() - 1) / b.size();
            long double t = a[k - 1];
            long double ht = 0.0L;
            if (t <= pPrev) {
                t = pPrev;
                ht = hPrev;
            } else if (t >= p) {
                t = p;
                ht = hp;
            } else {
                ht = h(t, k);
            }
            scaled +=
                static_cast<long double>(jPrev) * n1l * (2 * t - pPrev - p) + n2l * (hp - 2 * ht + hPrev);
        }
        hPrev = hp;
        pPrev = p;
    }
    // Above the last window value F_cur = 1.
    if (a.back() > pPrev)
        scaled +=
            n2l * (n1l * (static_cast<long double>(a.back()) - pPrev) - (h(a.back(), a.size()) - hPrev));
    return {std::max(maxS, std::min(-minS, 1.0)), static_cast<double>(scaled / (n1l * n2l))};
}

bool allFinite(std::span<const double> sorted)
{
    return !sorted.empty() && std::isfinite(sorted.front()) && std::isfinite(sorted.back());
}

} // namespace

NumericDrift scoreNumericWindow(const PreparedNumericReference& prepared, std::vector<double>& window,
                                std::size_t missing)
{
    const NumericReference& ref = prepared.ref;
    NumericDrift out;
    out.missing = MissingShare::make(window.size() + missing, missing, ref.rows, ref.missing);
    if (ref.sorted.empty() || window.empty())
        return out;
    sortNanFree(window);
    double d = 0.0;
    if (prepared.hasCells() && allFinite(window)) {
        const KsAndW1 both = ksAndW1Finite(prepared, window);
        d = both.d;
        out.wasserstein = both.w1;
    } else {
        d = ksStatisticBySearch(ref.sorted, window);
        out.wasserstein = wassersteinBySearch(prepared, window);
    }
    out.ks = ksTwoSamplePValue(static_cast<std::int64_t>(ref.sorted.size()),
                               static_cast<std::int64_t>(window.size()), d);
    addNormedAndBinned(ref, window, out, true);
    return out;
}

} // namespace vigil
