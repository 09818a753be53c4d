#include "sample_prep.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace vigil {

// LSD radix sort on the IEEE bit patterns (sign-flipped so that unsigned order is numeric
// order), 11 bits per pass: several times faster than std::sort on a few thousand doubles,
// which is the report's hottest step. All six digit histograms come from one read pass,
// passes whose digit is the same for every key are skipped, and the buffers are kept per
// thread. NaN must already be removed; -0.0 sorts before +0.0, which no statistic here can
// tell apart from equal.
void sortNanFree(std::vector<double>& values)
{
    if (values.size() < 512) {
        std::sort(values.begin(), values.end());
        return;
    }
    constexpr int kBits = 11;
    constexpr int kPasses = (64 + kBits - 1) / kBits;
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    thread_local std::vector<std::uint64_t> keys;
    thread_local std::vector<std::uint64_t> tmp;
    thread_local std::vector<std::uint32_t> count;
    const std::size_t n = values.size();
    keys.resize(n);
    tmp.resize(n);
    count.assign(kBuckets * kPasses, 0);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t u = 0;
        std::memcpy(&u, &values[i], sizeof u);
        const std::uint64_t k = (u >> 63) ? ~u : (u | (std::uint64_t{1} << 63));
        keys[i] = k;
        for (int p = 0; p < kPasses; ++p)
            ++count[static_cast<std::size_t>(p) * kBuckets + ((k >> (p * kBits)) & (kBuckets - 1))];
    }
    for (int p = 0; p < kPasses; ++p) {
        const int shift = p * kBits;
        std::uint32_t* c = count.data() + static_cast<std::size_t>(p) * kBuckets;
        if (c[(keys[0] >> shift) & (kBuckets - 1)] == n)
            continue; // every key has this digit: the pass would not move anything
        std::uint32_t sum = 0;
        for (std::size_t b = 0; b < kBuckets; ++b) {
            const std::uint32_t m = c[b];
            c[b] = sum;
            sum += m;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t k = keys[i];
            tmp[c[(k >> shift) & (kBuckets - 1)]++] = k;
        }
        keys.swap(tmp);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = keys[i];
        const std::uint64_t u = (k >> 63) ? (k & ~(std::uint64_t{1} << 63)) : ~k;
        std::memcpy(&values[i], &u, sizeof u);
    }
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
