#include "ks.h"

#include "kolmogorov.h"
#include "sample_prep.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <shared_mutex>
#include <unordered_map>

namespace vigil {
namespace {

constexpr std::int64_t kMaxExactN = 10000;

// Pr(D_{n,n} >= h/n) = 2 * sum_k (-1)^(k+1) C(2n, n-kh) / C(2n, n), evaluated in
// Horner form so the alternating sum does not cancel (as SciPy does).
double probOutsideSquare(std::int64_t n, std::int64_t h)
{
    double p = 0.0;
    for (std::int64_t k = n / h; k >= 0; --k) {
        double p1 = 1.0;
        for (std::int64_t j = 0; j < h; ++j)
            p1 = static_cast<double>(n - k * h - j) * p1 / static_cast<double>(n + k * h + j + 1);
        p = p1 * (1.0 - p);
    }
    return 2 * p;
}

// Proportion of monotone lattice paths (0,0)->(m,n) that touch |x/m - y/n| >= h/lcm.
// Column-by-column recursion on 1 - (inside paths)/(all paths) over a sliding band.
double probOutsideRectangle(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h)
{
    if (m < n)
        std::swap(m, n);
    const std::int64_t mg = m / g;
    const std::int64_t ng = n / g;
    auto ceilDiv = [](std::int64_t a, std::int64_t b) {
        return static_cast<std::int64_t>(std::ceil(static_cast<double>(a) / static_cast<double>(b)));
    };
    auto floorDiv = [](std::int64_t a, std::int64_t b) {
        return static_cast<std::int64_t>(std::floor(static_cast<double>(a) / static_cast<double>(b)));
    };
    std::int64_t minj = 0;
    std::int64_t maxj = std::min(ceilDiv(h, mg), n + 1);
    std::int64_t curlen = maxj - minj;
    const std::int64_t lenA = std::min(2 * maxj + 2, n + 1);
    std::vector<double> a(static_cast<std::size_t>(lenA), 1.0);
    std::vector<double> recip(static_cast<std::size_t>(m + n + 2), 0.0);
    for (std::size_t k = 1; k < recip.size(); ++k)
        recip[k] = 1.0 / static_cast<double>(k);
    std::fill(a.begin() + minj, a.begin() + std::min(maxj, lenA), 0.0);
    for (std::int64_t i = 1; i <= m; ++i) {
        const std::int64_t lastminj = minj;
        const std::int64_t lastlen = curlen;
        minj = std::min(std::max(floorDiv(ng * i - h, mg) + 1, std::int64_t{0}), n);
        maxj = std::min(ceilDiv(ng * i + h, mg), n + 1);
        if (maxj <= minj)
            return 1.0;
        // val_j = c_j val_(j-1) + d_j with c_j = j/(i+j), d_j = i A/(i+j): a weighted average,
        // so rounding errors do not grow. SciPy divides at every step, a long dependency
        // chain; here the reciprocals come from a table and four steps are composed into
        // one affine map whose coefficients do not depend on val, so the chain is one
        // multiply-add per four entries. Results stay within a few ulp of SciPy's.
        const std::int64_t len = maxj - minj;
        const std::int64_t shift = minj - lastminj; // >= 0: the band only moves up
        const double di = static_cast<double>(i);
        double* col = a.data();
        const double* rec = recip.data() + i + minj; // rec[jj] = 1 / (i + minj + jj)
        double val = minj == 0 ? 0.0 : 1.0;
        std::int64_t jj = 0;
        for (; jj + 4 <= len; jj += 4) {
            double c[4];
            double d[4];
            for (int k = 0; k < 4; ++k) {
                const double j = static_cast<double>(jj + k + minj);
                c[k] = j * rec[jj + k];
                d[k] = col[jj + k + shift] * di * rec[jj + k];
            }
            const double p1 = c[1] * c[0];
            const double q1 = c[1] * d[0] + d[1];
            const double p2 = c[2] * p1;
            const double q2 = c[2] * q1 + d[2];
            const double p3 = c[3] * p2;
            const double q3 = c[3] * q2 + d[3];
            col[jj] = c[0] * val + d[0];
            col[jj + 1] = p1 * val + q1;
            col[jj + 2] = p2 * val + q2;
            val = p3 * val + q3;
            col[jj + 3] = val;
        }
        for (; jj < len; ++jj) {
            const double j = static_cast<double>(jj + minj);
            val = (col[jj + shift] * di + val * j) * rec[jj];
            col[jj] = val;
        }
        curlen = maxj - minj;
        if (lastlen > curlen) {
            const auto from = static_cast<std::size_t>(maxj - minj);
            const auto to = std::min(static_cast<std::size_t>(maxj - minj + (lastlen - curlen)), a.size());
            std::fill(a.begin() + from, a.begin() + to, 1.0);
        }
    }
    return a[static_cast<std::size_t>(maxj - minj - 1)];
}

double asymptoticPValue(std::int64_t n1, std::int64_t n2, double d)
{
    const double m = static_cast<double>(std::max(n1, n2));
    const double n = static_cast<double>(std::min(n1, n2));
    const double en = m * n / (m + n);
    // numpy's round is half-to-even, which is nearbyint in the default rounding mode.
    const auto effectiveN = static_cast<std::int64_t>(std::nearbyint(en));
    if (d <= 0.5 / static_cast<double>(effectiveN))
        return 1.0; // below kstwo's support
    return std::clamp(kolmogorovSf(effectiveN, d), 0.0, 1.0);
}

} // namespace

namespace {

// The p-value is a pure function of (n1, n2, h) on the exact path and of (n1, n2, D) on the
// asymptotic one, and a drift report asks for the same few hundred values again and again:
// every window of equal size against one reference gives D = h / lcm with small h. The
// exact path costs up to a millisecond (a lattice recursion over max(n1, n2) columns), so
// the values are memoised process-wide; a hit returns the very bits a miss computed.
struct PKey
{
    std::int64_t n1;
    std::int64_t n2;
    std::uint64_t h; // lattice numerator (exact path) or the bits of D (asymptotic path)
    bool operator==(const PKey&) const = default;
};

struct PKeyHash
{
    std::size_t operator()(const PKey& k) const noexcept
    {
        std::uint64_t x = static_cast<std::uint64_t>(k.n1) * 0x9E3779B97F4A7C15ULL;
        x ^= static_cast<std::uint64_t>(k.n2) + 0x7F4A7C159E3779B9ULL + (x << 6) + (x >> 2);
        x ^= k.h + 0x94D049BB133111EBULL + (x << 6) + (x >> 2);
        return static_cast<std::size_t>(x ^ (x >> 31));
    }
};

struct PValue
{
    double p;
    bool exact;
};

class PValueCache
{
  public:
    template <typename Compute> PValue get(const PKey& key, Compute compute)
    {
        {
            std::shared_lock lock(m_mutex);
            if (const auto it = m_map.find(key); it != m_map.end())
                return it->second;
        }
        // Computed outside the lock: two threads may both compute a missing value, and
        // both get the same result.
        const PValue value = compute();
        std::unique_lock lock(m_mutex);
        if (m_map.size() >= kMaxEntries)
            m_map.clear(); // bounded: a long-running process never grows it without limit
        m_map.emplace(key, value);
        return value;
    }

  private:
    static constexpr std::size_t kMaxEntries = 1 << 16;
    std::shared_mutex m_mutex;
    std::unordered_map<PKey, PValue, PKeyHash> m_map;
};

PValueCache& pValueCache()
{
    static PValueCache cache;
    return cache;
}

PValue exactOrAsymptotic(std::int64_t n1, std::int64_t n2, std::int64_t g, std::int64_t h, double d)
{
    const double p = n1 == n2 ? probOutsideSquare(n1, h) : probOutsideRectangle(n1, n2, g, h);
    if (p >= 0.0 && p <= 1.0)
        return {p, true};
    return {asymptoticPValue(n1, n2, d), false};
}

} // namespace

KsResult ksTwoSamplePValue(std::int64_t n1, std::int64_t n2, double d)
{
    KsResult result;
    result.statistic = d;
    if (n1 <= 0 || n2 <= 0 || std::isnan(d)) {
        result.pValue = std::numeric_limits<double>::quiet_NaN();
        return result;
    }
    PValueCache& cache = pValueCache();
    if (std::max(n1, n2) <= kMaxExactN) {
        const std::int64_t g = std::gcd(n1, n2);
        const std::int64_t lcm = (n1 / g) * n2;
        const auto h = static_cast<std::int64_t>(std::nearbyint(d * static_cast<double>(lcm)));
        d = static_cast<double>(h) / static_cast<double>(lcm);
        result.statistic = d;
        if (h == 0) {
            result.pValue = 1.0;
            result.exact = true;
            return result;
        }
        const PValue v = cache.get({n1, n2, static_cast<std::uint64_t>(h)},
                                   [&] { return exactOrAsymptotic(n1, n2, g, h, d); });
        result.pValue = v.p;
        result.exact = v.exact;
        return result;
    }
    // max(n1, n2) > 10,000 here, so no key collides with an exact-path one.
    const PValue v = cache.get({n1, n2, std::bit_cast<std::uint64_t>(d)}, [&] {
        return PValue{asymptoticPValue(n1, n2, d), false};
    });
    result.pValue = v.p;
    return result;
}

double ksStatisticSorted(std::span<const double> a, std::span<const double> b)
{
    const double n1 = static_cast<double>(a.size());
    const double n2 = static_cast<double>(b.size());
    std::size_t i = 0;
    std::size_t j = 0;
    double maxS = 0.0;
    double minS = 0.0;
    while (i < a.size() || j < b.size()) {
        double x = 0.0;
        if (j >= b.size() || (i < a.size() && a[i] <= b[j]))
            x = a[i];
        else
            x = b[j];
        while (i < a.size() && a[i] <= x)
            ++i;
        while (j < b.size() && b[j] <= x)
            ++j;
        const double diff = static_cast<double>(i) / n1 - static_cast<double>(j) / n2;
        maxS = std::max(maxS, diff);
        minS = std::min(minS, diff);
    }
    return std::max(maxS, std::min(-minS, 1.0));
}

std::optional<KsResult> ksTwoSampleSorted(std::span<const double> sortedRef,
                                          std::span<const double> sortedCur)
{
    if (sortedRef.empty() || sortedCur.empty())
        return std::nullopt;
    const double d = ksStatisticSorted(sortedRef, sortedCur);
    return ksTwoSamplePValue(static_cast<std::int64_t>(sortedRef.size()),
                             static_cast<std::int64_t>(sortedCur.size()), d);
}

std::optional<KsResult> ksTwoSample(std::span<const double> ref, std::span<const double> cur)
{
    const auto a = sortedWithoutNan(ref);
    const auto b = sortedWithoutNan(cur);
    return ksTwoSampleSorted(a, b);
}

} // namespace vigil
