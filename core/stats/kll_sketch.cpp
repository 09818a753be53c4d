#include "stats/kll_sketch.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace vigil::stats {
namespace {

constexpr std::size_t kMinLevelCapacity = 8; // DataSketches' m
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// numpy.lib.function_base._lerp (the t >= 0.5 branch from b, so t == 1 gives b exactly).
double numpyLerp(double a, double b, double t)
{
    const double diff = b - a;
    if (t >= 0.5)
        return b - diff * (1.0 - t);
    return a + diff * t;
}

std::uint64_t splitmix(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

} // namespace

double kllRankError(std::uint32_t k)
{
    return 2.446 / std::pow(static_cast<double>(k), 0.9433);
}

KllSortedView::KllSortedView(std::vector<double> values, std::vector<std::uint64_t> weights)
    : m_values(std::move(values))
{
    m_cumulative.resize(weights.size());
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        sum += weights[i];
        m_cumulative[i] = sum;
    }
    m_total = sum;
}

std::uint64_t KllSortedView::weightAt(std::size_t i) const
{
    return m_cumulative[i] - (i == 0 ? 0 : m_cumulative[i - 1]);
}

std::uint64_t KllSortedView::countAtOrBelow(double x) const
{
    const auto i = std::upper_bound(m_values.begin(), m_values.end(), x) - m_values.begin();
    return i == 0 ? 0 : m_cumulative[static_cast<std::size_t>(i - 1)];
}

std::uint64_t KllSortedView::countBelow(double x) const
{
    const auto i = std::lower_bound(m_values.begin(), m_values.end(), x) - m_values.begin();
    return i == 0 ? 0 : m_cumulative[static_cast<std::size_t>(i - 1)];
}

double KllSortedView::atPosition(std::uint64_t p) const
{
    const auto i = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), p) - m_cumulative.begin();
    return m_values[std::min(static_cast<std::size_t>(i), m_values.size() - 1)];
}

double KllSortedView::quantile(double q) const
{
    if (m_total == 0 || !(q >= 0.0 && q <= 1.0))
        return kNan;
    // numpy's _get_indexes/_get_gamma, quirk included: at or past the last index both
    // neighbours are the last value and gamma = virtual + 1.
    const auto n = static_cast<double>(m_total);
    const double virtualIndex = (n - 1.0) * q;
    double previous = std::floor(virtualIndex);
    std::uint64_t lo = static_cast<std::uint64_t>(previous);
    std::uint64_t hi = lo + 1;
    if (virtualIndex >= n - 1.0) {
        previous = -1.0;
        lo = hi = m_total - 1;
    }
    return numpyLerp(atPosition(lo), atPosition(hi), virtualIndex - previous);
}

KllSketch::KllSketch(std::uint32_t k, std::uint64_t seed)
    : m_k(std::max<std::uint32_t>(k, kMinLevelCapacity)), m_state(splitmix(seed) | 1u), m_min(kNan),
      m_max(kNan), m_levels(1)
{
    updateCapacity();
}

std::size_t KllSketch::capacity(std::size_t level) const
{
    // round(k (2/3)^depth) as DataSketches' intCapAux, never below m.
    const std::size_t depth = m_levels.size() - 1 - level;
    const double cap = std::round(static_cast<double>(m_k) * std::pow(2.0 / 3.0, static_cast<double>(depth)));
    return std::max(kMinLevelCapacity, static_cast<std::size_t>(cap));
}

void KllSketch::updateCapacity()
{
    m_capacityTotal = 0;
    for (std::size_t h = 0; h < m_levels.size(); ++h)
        m_capacityTotal += capacity(h);
}

bool KllSketch::coin()
{
    // xorshift64*: cheap, and the same sequence on every platform.
    m_state ^= m_state >> 12;
    m_state ^= m_state << 25;
    m_state ^= m_state >> 27;
    return ((m_state * 0x2545F4914F6CDD1DULL) >> 63) != 0;
}

void KllSketch::update(double value)
{
    if (std::isnan(value))
        return;
    if (m_n == 0) {
        m_min = m_max = value;
    } else {
        m_min = std::min(m_min, value);
        m_max = std::max(m_max, value);
    }
    ++m_n;
    m_levels[0].push_back(value);
    if (++m_retained >= m_capacityTotal)
        compress();
}

void KllSketch::compress()
{
    while (m_retained >= m_capacityTotal) {
        std::size_t h = 0;
        while (m_levels[h].size() < capacity(h))
            ++h; // some level is at capacity: the total is
        compactLevel(h);
    }
}

void KllSketch::compactLevel(std::size_t h)
{
    if (h + 1 == m_levels.size()) {
        m_levels.emplace_back();
        updateCapacity();
    }
    std::vector<double>& level = m_levels[h];
    if (h == 0)
        std::sort(level.begin(), level.end());
    // An odd item out stays behind (the smallest, as DataSketches keeps the first).
    const std::size_t start = level.size() % 2;
    const std::size_t offset = coin() ? 1 : 0;
    const std::size_t promoted = (level.size() - start) / 2;
    // The promoted items are packed in place, then merged into the level above from the
    // back, so no level needs a second buffer (memory stays at the retained items).
    for (std::size_t j = 0; j < promoted; ++j)
        level[start + j] = level[start + offset + 2 * j];
    std::vector<double>& up = m_levels[h + 1];
    std::size_t a = up.size();
    std::size_t b = promoted;
    // Reserve to the level's nominal capacity rather than doubling: a sketch per feature
    // and window should cost its retained values, not twice that.
    if (up.capacity() < up.size() + promoted)
        up.reserve(std::max(up.size() + promoted, capacity(h + 1)));
    up.resize(up.size() + promoted);
    for (std::size_t out = up.size(); b > 0;) {
        if (a > 0 && up[a - 1] > level[start + b - 1])
            up[--out] = up[--a];
        else
            up[--out] = level[start + --b];
    }
    level.resize(start);
    // A level that once was the top one held up to k values; once levels are added above
    // it, its capacity is a fraction of that, so the slack is returned (rare: log n times).
    if (h > 0 && level.capacity() > 2 * capacity(h))
        level.shrink_to_fit();
    m_retained -= promoted;
}

void KllSketch::merge(const KllSketch& other)
{
    if (&other == this) {
        const KllSketch copy = other;
        merge(copy);
        return;
    }
    if (other.m_n == 0)
        return;
    if (m_n == 0) {
        m_min = other.m_min;
        m_max = other.m_max;
    } else {
        m_min = std::min(m_min, other.m_min);
        m_max = std::max(m_max, other.m_max);
    }
    if (other.m_levels.size() > m_levels.size()) {
        m_levels.resize(other.m_levels.size());
        updateCapacity();
    }
    m_levels[0].insert(m_levels[0].end(), other.m_levels[0].begin(), other.m_levels[0].end());
    for (std::size_t h = 1; h < other.m_levels.size(); ++h) {
        const std::vector<double>& add = other.m_levels[h];
        std::vector<double>& level = m_levels[h];
        const auto middle = static_cast<std::ptrdiff_t>(level.size());
        level.insert(level.end(), add.begin(), add.end());
        std::inplace_merge(level.begin(), level.begin() + middle, level.end());
    }
    m_n += other.m_n;
    m_retained += other.m_retained;
    compress();
}

std::size_t KllSketch::memoryBytes() const
{
    std::size_t bytes = sizeof(*this) + m_levels.capacity() * sizeof(std::vector<double>);
    for (const auto& level : m_levels)
        bytes += level.capacity() * sizeof(double);
    return bytes;
}

KllSortedView KllSketch::sortedView() const
{
    std::vector<std::pair<double, std::uint64_t>> items;
    items.reserve(m_retained);
    for (std::size_t h = 0; h < m_levels.size(); ++h)
        for (const double v : m_levels[h])
            items.emplace_back(v, std::uint64_t{1} << h);
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<double> values;
    std::vector<std::uint64_t> weights;
    values.reserve(items.size());
    weights.reserve(items.size());
    for (const auto& [v, w] : items) {
        if (!values.empty() && values.back() == v) {
            weights.back() += w;
            continue;
        }
        values.push_back(v);
        weights.push_back(w);
    }
    return KllSortedView(std::move(values), std::move(weights));
}

double KllSketch::rank(double x) const
{
    if (m_n == 0 || std::isnan(x))
        return kNan;
    return static_cast<double>(sortedView().countAtOrBelow(x)) / static_cast<double>(m_n);
}

double KllSketch::quantile(double q) const
{
    return sortedView().quantile(q);
}

} // namespace vigil::stats
