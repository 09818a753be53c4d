#include "sample_prep.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace vigil {

namespace {

// Unsigned order of these keys is the numeric order of the doubles (-0.0 before +0.0).
std::uint64_t orderedKey(double v)
{
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : (u | (std::uint64_t{1} << 63));
}

double fromOrderedKey(std::uint64_t k)
{
    const std::uint64_t u = (k >> 63) ? (k & ~(std::uint64_t{1} << 63)) : ~k;
    double v = 0.0;
    std::memcpy(&v, &u, sizeof v);
    return v;
}

// LSD radix sort of `items` by their 64-bit key, 11 bits per pass: all six digit histograms
// come from one read pass, and a pass whose digit is the same for every key is skipped.
// Stable: items with equal keys keep their order. `tmp` and `count` are scratch.
template <typename Item, typename KeyOf>
void lsdRadixSort(std::vector<Item>& items, std::vector<Item>& tmp, std::vector<std::uint32_t>& count,
                  KeyOf keyOf)
{
    constexpr int kBits = 11;
    constexpr int kPasses = (64 + kBits - 1) / kBits;
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    const std::size_t n = items.size();
    if (n == 0)
        return;
    tmp.resize(n);
    count.assign(kBuckets * kPasses, 0);
    for (const Item& item : items) {
        const std::uint64_t k = keyOf(item);
        for (int p = 0; p < kPasses; ++p)
            ++count[static_cast<std::size_t>(p) * kBuckets + ((k >> (p * kBits)) & (kBuckets - 1))];
    }
    for (int p = 0; p < kPasses; ++p) {
        const int shift = p * kBits;
        std::uint32_t* c = count.data() + static_cast<std::size_t>(p) * kBuckets;
        if (c[(keyOf(items[0]) >> shift) & (kBuckets - 1)] == n)
            continue; // every key has this digit: the pass would not move anything
        std::uint32_t sum = 0;
        for (std::size_t b = 0; b < kBuckets; ++b) {
            const std::uint32_t m = c[b];
            c[b] = sum;
            sum += m;
        }
        for (const Item& item : items)
            tmp[c[(keyOf(item) >> shift) & (kBuckets - 1)]++] = item;
        items.swap(tmp);
    }
}

} // namespace

void radixSortNanFree(std::vector<double>& values)
{
    thread_local std::vector<std::uint64_t> keys;
    thread_local std::vector<std::uint64_t> tmp;
    thread_local std::vector<std::uint32_t> count;
    keys.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        keys[i] = orderedKey(values[i]);
    lsdRadixSort(keys, tmp, count, [](std::uint64_t k) { return k; });
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = fromOrderedKey(keys[i]);
}

// A window's values are spread fairly evenly over their range (the drift report's hottest
// step sorts thousands of them per feature and window), so one counting pass into twice as
// many equal-width buckets as values, then an insertion pass that only moves values within
// their bucket, beats the radix sort's six passes on them (bench_sample_sort: 7.9 against
// 10.2 ns a value on the generated log's features; the radix sort stays ahead on a narrow
// lognormal, 8.4 against 9.5, whose constant top digits it skips). Buckets come from the
// value (a monotone map: rounding of x - lo and of the product never reverses an order);
// the insertion pass compares the ordered keys, so -0.0 still sorts before +0.0 and the
// result is the radix sort's bit for bit. Skewed samples (a far outlier, heavy tails,
// infinities), whose crowded buckets would make the insertion pass quadratic, take the
// radix sort.
void sortNanFree(std::vector<double>& values)
{
    const std::size_t n = values.size();
    if (n < 512) {
        std::sort(values.begin(), values.end());
        return;
    }
    const auto [minIt, maxIt] = std::minmax_element(values.begin(), values.end());
    const double lo = *minIt;
    const double hi = *maxIt;
    if (!(hi > lo)) { // all equal (or only signed zeros, which the radix sort orders)
        if (lo == 0.0)
            radixSortNanFree(values);
        return;
    }
    const std::size_t buckets = 2 * n; // two a value: fewer collisions, a shorter insertion pass
    const double scale = static_cast<double>(buckets) / (hi - lo);
    if (!std::isfinite(scale) || !std::isfinite(hi - lo) || !(scale > 0.0)) {
        radixSortNanFree(values);
        return;
    }
    constexpr std::uint32_t kMaxBucket = 48;
    thread_local std::vector<std::uint32_t> bucketOf;
    thread_local std::vector<std::uint32_t> start;
    thread_local std::vector<std::uint64_t> keys;
    bucketOf.resize(n);
    start.assign(buckets + 1, 0);
    keys.resize(n);
    const auto last = static_cast<double>(buckets - 1);
    for (std::size_t i = 0; i < n; ++i) {
        const double pos = std::min((values[i] - lo) * scale, last);
        const auto b = static_cast<std::uint32_t>(pos);
        bucketOf[i] = b;
        ++start[b + 1];
    }
    std::uint32_t crowded = 0;
    for (std::size_t b = 1; b <= buckets; ++b) {
        crowded = std::max(crowded, start[b]);
        start[b] += start[b - 1];
    }
    if (crowded > kMaxBucket) {
        radixSortNanFree(values);
        return;
    }
    for (std::size_t i = 0; i < n; ++i)
        keys[start[bucketOf[i]]++] = orderedKey(values[i]);
    // Every bucket's values are now in place, in arbitrary order among themselves.
    for (std::size_t i = 1; i < n; ++i) {
        const std::uint64_t k = keys[i];
        std::size_t j = i;
        while (keys[j - 1] > k) {
            keys[j] = keys[j - 1];
            if (--j == 0)
                break;
        }
        keys[j] = k;
    }
    for (std::size_t i = 0; i < n; ++i)
        values[i] = fromOrderedKey(keys[i]);
}

std::vector<std::uint32_t> stableAscendingOrder(std::span<const double> values)
{
    struct Item
    {
        std::uint64_t key;
        std::uint32_t index;
    };
    std::vector<Item> items(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        // -0.0 and +0.0 compare equal: one key, so that their index decides, as for any tie.
        items[i] = {orderedKey(values[i] == 0.0 ? 0.0 : values[i]), static_cast<std::uint32_t>(i)};
    }
    std::vector<Item> tmp;
    std::vector<std::uint32_t> count;
    lsdRadixSort(items, tmp, count, [](const Item& item) { return item.key; });
    std::vector<std::uint32_t> order(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
        order[i] = items[i].index;
    return order;
}

std::vector<double> sortedWithoutNan(std::span<const double> values)
{
    std::vector<double> out;
    out.reserve(values.size());
    for (double v : values)
        if (!std::isnan(v))
            out.push_back(v);
    sortNanFree(out);
    return out;
}

std::size_t countNan(std::span<const double> values)
{
    return static_cast<std::size_t>(
        std::count_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }));
}

double quantileSorted(std::span<const double> sorted, double q)
{
    const std::size_t n = sorted.size();
    const double virtualIndex = static_cast<double>(n - 1) * q;
    if (virtualIndex >= static_cast<double>(n - 1))
        return sorted[n - 1];
    if (virtualIndex < 0)
        return sorted[0];
    const double prev = std::floor(virtualIndex);
    const auto i = static_cast<std::size_t>(prev);
    const double a = sorted[i];
    const double b = sorted[i + 1];
    const double gamma = virtualIndex - prev;
    const double diff = b - a;
    // numpy interpolates from the nearer end; equal neighbours give the value exactly.
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

std::span<const double> finitePart(std::span<const double> sorted)
{
    auto first = std::find_if(sorted.begin(), sorted.end(), [](double v) { return std::isfinite(v); });
    auto last =
        std::find_if(sorted.rbegin(), sorted.rend(), [](double v) { return std::isfinite(v); }).base();
    if (first >= last)
        return {};
    return sorted.subspan(static_cast<std::size_t>(first - sorted.begin()),
                          static_cast<std::size_t>(last - first));
}

} // namespace vigil
