#include "ingest/spill_codec.h"

#include "ingest/log_table.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define VIGIL_SPILL_AVX2 1
#endif

namespace vigil::ingest {

namespace {

constexpr int kMaxExponent = 10;
constexpr double kPow10[kMaxExponent + 1] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};
constexpr std::uint64_t kQuietNan = 0x7ff8'0000'0000'0000ULL;
// (y + kRound) - kRound is y rounded to an integer (ties to even) for |y| < 2^51.
constexpr double kRound = 6755399441055744.0; // 1.5 * 2^52
// k stays within +/-(2^31 - 1), so that INT32_MIN is free to stand for a NaN or an exception.
constexpr double kInt32Limit = 2147483647.0;
constexpr std::int32_t kNanCode32 = std::numeric_limits<std::int32_t>::min();
// At most one value in this many is an exception; past it the array is stored raw.
constexpr std::size_t kExceptionShare = 64;
// Shorter arrays are stored raw: nothing to gain.
constexpr std::size_t kMinValues = 16;
// Values sampled to choose the exponent.
constexpr std::size_t kSamples = 32;
// A sampled k range under this suggests the whole array fits 2 bytes.
constexpr std::int64_t kNarrowSampleRange = 0x4000;

std::uint64_t bitsOf(double x)
{
    return std::bit_cast<std::uint64_t>(x);
}

// k = x * 10^e rounded, when k / 10^e gives x back bit for bit and fits 31 bits.
bool decimalOf(double x, double p, double& k)
{
    const double y = x * p;
    if (!(std::fabs(y) < kInt32Limit))
        return false; // NaN and +/-Inf too
    k = (y + kRound) - kRound;
    return bitsOf(k / p) == bitsOf(x);
}

template <typename U> void storeAt(char* stored, std::size_t i, U value)
{
    std::memcpy(stored + i * sizeof(U), &value, sizeof(U));
}

template <typename U> U loadAt(const char* stored, std::size_t i)
{
    U value;
    std::memcpy(&value, stored + i * sizeof(U), sizeof(U));
    return value;
}

std::uint8_t widthFor(std::uint64_t range)
{
    if (range <= 0xffu)
        return 1;
    if (range <= 0xffffu)
        return 2;
    if (range <= 0xffff'ffffu)
        return 4;
    return 0;
}

std::size_t encodeDecimal32Scalar(const double* v, std::size_t n, double p, std::int32_t* out,
                                  std::int32_t& kMin, std::int32_t& kMax)
{
    std::size_t coded = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double k = 0.0;
        if (decimalOf(v[i], p, k)) [[likely]] {
            const auto ki = static_cast<std::int32_t>(k);
            out[i] = ki;
            kMin = std::min(kMin, ki);
            kMax = std::max(kMax, ki);
        } else {
            out[i] = kNanCode32;
            ++coded;
        }
    }
    return coded;
}

void decodeDecimal32Scalar(const char* in, std::size_t n, double p, double* out)
{
    const double nan = std::bit_cast<double>(kQuietNan);
    for (std::size_t i = 0; i < n; ++i) {
        const auto k = loadAt<std::int32_t>(in, i);
        const double v = static_cast<double>(k) / p;
        out[i] = k == kNanCode32 ? nan : v;
    }
}

#ifdef VIGIL_SPILL_AVX2
// The same as the scalar loops, four values at a time (the division is the bottleneck: its
// throughput doubles). Chosen at run time, so the build needs no -mavx2.
__attribute__((target("avx2"))) std::size_t encodeDecimal32Avx2(const double* v, std::size_t n, double p,
                                                                std::int32_t* out, std::int32_t& kMin,
                                                                std::int32_t& kMax)
{
    const __m256d vp = _mm256_set1_pd(p);
    const __m256d round = _mm256_set1_pd(kRound);
    const __m256d limit = _mm256_set1_pd(kInt32Limit);
    const __m256d absMask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fff'ffff'ffff'ffffLL));
    const __m256i evenLanes = _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0);
    const __m128i code = _mm_set1_epi32(kNanCode32);
    const __m128i top = _mm_set1_epi32(std::numeric_limits<std::int32_t>::max());
    __m128i lo = _mm_set1_epi32(kMin);
    __m128i hi = _mm_set1_epi32(kMax);
    std::size_t coded = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d x = _mm256_loadu_pd(v + i);
        const __m256d y = _mm256_mul_pd(x, vp);
        const __m256d k = _mm256_sub_pd(_mm256_add_pd(y, round), round);
        const __m256d back = _mm256_div_pd(k, vp);
        const __m256i same = _mm256_cmpeq_epi64(_mm256_castpd_si256(back), _mm256_castpd_si256(x));
        const __m256i inRange =
            _mm256_castpd_si256(_mm256_cmp_pd(_mm256_and_pd(y, absMask), limit, _CMP_LT_OQ));
        const __m256i ok = _mm256_and_si256(same, inRange);
        const __m128i ok32 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(ok, evenLanes));
        const __m128i ki = _mm_blendv_epi8(code, _mm256_cvttpd_epi32(k), ok32);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), ki);
        lo = _mm_min_epi32(lo, _mm_blendv_epi8(top, ki, ok32));
        hi = _mm_max_epi32(hi, ki); // a coded slot is INT32_MIN: never the maximum
        coded += 4 - static_cast<std::size_t>(__builtin_popcount(
                         static_cast<unsigned>(_mm256_movemask_pd(_mm256_castsi256_pd(ok)))));
    }
    alignas(16) std::int32_t los[4];
    alignas(16) std::int32_t his[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(los), lo);
    _mm_store_si128(reinterpret_cast<__m128i*>(his), hi);
    for (int l = 0; l < 4; ++l) {
        kMin = std::min(kMin, los[l]);
        kMax = std::max(kMax, his[l]);
    }
    return coded + encodeDecimal32Scalar(v + i, n - i, p, out + i, kMin, kMax);
}

__attribute__((target("avx2"))) void decodeDecimal32Avx2(const char* in, std::size_t n, double p, double* out)
{
    const __m256d vp = _mm256_set1_pd(p);
    const __m128i code = _mm_set1_epi32(kNanCode32);
    const __m256d nan = _mm256_set1_pd(std::bit_cast<double>(kQuietNan));
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i * 4));
        const __m256d v = _mm256_div_pd(_mm256_cvtepi32_pd(k), vp);
        const __m256d isCode = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm_cmpeq_epi32(k, code)));
        _mm256_storeu_pd(out + i, _mm256_blendv_pd(v, nan, isCode));
    }
    decodeDecimal32Scalar(in + i * 4, n - i, p, out + i);
}

std::atomic<bool>& avx2Enabled()
{
    static std::atomic<bool> enabled{__builtin_cpu_supports("avx2") != 0};
    return enabled;
}

bool hasAvx2()
{
    return avx2Enabled().load(std::memory_order_relaxed);
}
#endif

std::size_t encodeDecimal32(const double* v, std::size_t n, double p, std::int32_t* out, std::int32_t& kMin,
                            std::int32_t& kMax)
{
#ifdef VIGIL_SPILL_AVX2
    if (hasAvx2())
        return encodeDecimal32Avx2(v, n, p, out, kMin, kMax);
#endif
    return encodeDecimal32Scalar(v, n, p, out, kMin, kMax);
}

void decodeDecimal32(const char* in, std::size_t n, double p, double* out)
{
#ifdef VIGIL_SPILL_AVX2
    if (n >= 4 && hasAvx2()) // one value at a time: a scattered gather's
        return decodeDecimal32Avx2(in, n, p, out);
#endif
    decodeDecimal32Scalar(in, n, p, out);
}

SpillLayout encodeDecimal(std::span<const double> values, std::vector<char>& stored)
{
    const std::size_t n = values.size();
    bool narrowLikely = false;
    const int exponent = chooseSpillExponent(values, narrowLikely);
    if (exponent < 0)
        return {};
    SpillLayout layout;
    stored.resize(n * sizeof(std::int32_t));
    // The int32 slots are written through a pointer into the char buffer: operator new's
    // storage, suitably aligned for any type.
    auto* codes = reinterpret_cast<std::int32_t*>(stored.data());
    std::int32_t kMin = std::numeric_limits<std::int32_t>::max();
    std::int32_t kMax = std::numeric_limits<std::int32_t>::min();
    if (encodeSpillDecimal32(values, exponent, codes, kMin, kMax) > 0 &&
        !addSpillExceptions(values, codes, 0, spillExceptionLimit(n), layout.exceptions))
        return {};
    if (kMin > kMax)
        return {}; // nothing but NaN and exceptions
    layout.codec = SpillCodec::Decimal;
    layout.exponent = static_cast<std::uint8_t>(exponent);
    // Narrower than 4 bytes: the distance from the smallest k, the top code kept for the NaN
    // and exception slots.
    std::uint8_t width = widthFor(static_cast<std::uint64_t>(static_cast<std::int64_t>(kMax) - kMin) + 1);
    if (width == 0)
        width = 4;
    layout.width = width;
    if (width == 4)
        return layout; // k itself, as int32
    layout.base = kMin;
    char* out = stored.data();
    // In place, front to back: value i's narrow slot ends at or before its int32 slot's end.
    const auto narrow = [&]<typename U>(U) {
        constexpr U topCode = std::numeric_limits<U>::max();
        for (std::size_t i = 0; i < n; ++i) {
            const auto k = loadAt<std::int32_t>(out, i);
            storeAt<U>(out, i, k == kNanCode32 ? topCode : static_cast<U>(k - kMin));
        }
    };
    if (width == 1)
        narrow(std::uint8_t{});
    else
        narrow(std::uint16_t{});
    stored.resize(n * width);
    return layout;
}

// An unsigned array's largest value is often a sentinel (CategoricalColumn::kNull): it gets the
// top code of the width, and the others their distance from the smallest.
template <typename T> SpillLayout encodeNarrow(std::span<const T> values, std::vector<char>& stored)
{
    using U = std::make_unsigned_t<T>;
    constexpr bool kSentinel = std::is_unsigned_v<T>;
    const std::size_t n = values.size();
    if (n < kMinValues)
        return {};
    T min = std::numeric_limits<T>::max();
    T max = std::numeric_limits<T>::min();
    for (const T v : values) {
        if (kSentinel && v == std::numeric_limits<T>::max())
            continue;
        min = std::min(min, v);
        max = std::max(max, v);
    }
    if (min > max)
        return {}; // only the sentinel
    const auto range = static_cast<std::uint64_t>(static_cast<U>(static_cast<U>(max) - static_cast<U>(min)));
    const std::uint8_t width = widthFor(kSentinel ? range + 1 : range);
    if (width == 0 || width >= sizeof(T) || (kSentinel && range + 1 == 0))
        return {};
    SpillLayout layout;
    layout.codec = SpillCodec::Narrow;
    layout.width = width;
    layout.base = static_cast<std::int64_t>(static_cast<std::uint64_t>(static_cast<U>(min)));
    stored.resize(n * width);
    char* out = stored.data();
    const auto pack = [&]<typename S>(S) {
        for (std::size_t i = 0; i < n; ++i) {
            const T v = values[i];
            const bool top = kSentinel && v == std::numeric_limits<T>::max();
            storeAt<S>(out, i,
                       top ? std::numeric_limits<S>::max()
                           : static_cast<S>(static_cast<U>(v) - static_cast<U>(min)));
        }
    };
    if (width == 1)
        pack(std::uint8_t{});
    else if (width == 2)
        pack(std::uint16_t{});
    else
        pack(std::uint32_t{});
    return layout;
}

// Decodes `count` stored values from `in` (not aliasing `out`), exceptions not applied.
template <typename T> void decodeValues(const SpillLayout& layout, const char* in, std::size_t count, T* out)
{
    if constexpr (std::is_same_v<T, double>) {
        const double p = kPow10[layout.exponent];
        if (layout.width == 4)
            return decodeDecimal32(in, count, p, out);
        const double nan = std::bit_cast<double>(kQuietNan);
        const auto base = static_cast<double>(layout.base);
        const auto widen = [&]<typename U>(U) {
            constexpr U topCode = std::numeric_limits<U>::max();
            for (std::size_t i = 0; i < count; ++i) {
                const auto u = loadAt<U>(in, i);
                const double v = (static_cast<double>(u) + base) / p;
                out[i] = u == topCode ? nan : v;
            }
        };
        if (layout.width == 1)
            widen(std::uint8_t{});
        else
            widen(std::uint16_t{});
    } else if constexpr (std::is_integral_v<T> && sizeof(T) >= 2) {
        using U = std::make_unsigned_t<T>;
        const auto base = static_cast<U>(static_cast<std::uint64_t>(layout.base));
        const auto widen = [&]<typename S>(S) {
            for (std::size_t i = 0; i < count; ++i) {
                const auto u = loadAt<S>(in, i);
                const auto v = static_cast<T>(static_cast<U>(base + static_cast<U>(u)));
                if constexpr (std::is_unsigned_v<T>)
                    out[i] = u == std::numeric_limits<S>::max() ? std::numeric_limits<T>::max() : v;
                else
                    out[i] = v;
            }
        };
        if (layout.width == 1)
            widen(std::uint8_t{});
        else if (layout.width == 2)
            widen(std::uint16_t{});
        else
            widen(std::uint32_t{});
    }
}

} // namespace

bool useSpillSimd(bool enable)
{
#ifdef VIGIL_SPILL_AVX2
    return avx2Enabled().exchange(enable && __builtin_cpu_supports("avx2") != 0);
#else
    (void)enable;
    return false;
#endif
}

int chooseSpillExponent(std::span<const double> values, bool& narrow)
{
    narrow = false;
    if (values.size() < kMinValues)
        return -1;
    const std::size_t samples = std::min(values.size(), kSamples);
    const std::size_t stride = values.size() / samples;
    int best = -1;
    std::size_t bestPassed = 0;
    double kMin = 0.0;
    double kMax = 0.0;
    for (int e = 0; e <= kMaxExponent; ++e) {
        std::size_t passed = 0;
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (std::size_t s = 0; s < samples; ++s) {
            double k = 0.0;
            if (decimalOf(values[s * stride], kPow10[e], k)) {
                ++passed;
                lo = std::min(lo, k);
                hi = std::max(hi, k);
            }
        }
        if (passed > bestPassed) {
            best = e;
            bestPassed = passed;
            kMin = lo;
            kMax = hi;
        }
        if (passed == samples)
            break;
    }
    if (bestPassed * 2 < samples)
        return -1;
    narrow = kMax - kMin < static_cast<double>(kNarrowSampleRange);
    return best;
}

std::size_t encodeSpillDecimal32(std::span<const double> values, int exponent, std::int32_t* out,
                                 std::int32_t& kMin, std::int32_t& kMax)
{
    return encodeDecimal32(values.data(), values.size(), kPow10[exponent], out, kMin, kMax);
}

bool addSpillExceptions(std::span<const double> values, const std::int32_t* codes, std::size_t firstRow,
                        std::size_t limit, std::vector<SpillException>& out)
{
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (codes[i] != kNanCode32 || bitsOf(values[i]) == kQuietNan)
            continue;
        if (out.size() >= limit)
            return false;
        out.push_back({static_cast<std::uint32_t>(firstRow + i), bitsOf(values[i])});
    }
    return true;
}

std::size_t spillExceptionLimit(std::size_t values)
{
    return values / kExceptionShare;
}

template <typename T> SpillLayout encodeSpillArray(std::span<const T> values, std::vector<char>& stored)
{
    if constexpr (std::is_same_v<T, double>)
        return encodeDecimal(values, stored);
    else if constexpr (std::is_integral_v<T> && sizeof(T) >= 2)
        return encodeNarrow(values, stored);
    else
        return {};
}

template <typename T>
void decodeSpillBlock(const SpillLayout& layout, const char* in, std::size_t first, std::size_t count, T* out)
{
    decodeValues(layout, in, count, out);
    const auto& ex = layout.exceptions;
    auto it = std::lower_bound(ex.begin(), ex.end(), first,
                               [](const SpillException& e, std::size_t row) { return e.row < row; });
    for (; it != ex.end() && it->row < first + count; ++it)
        std::memcpy(&out[it->row - first], &it->bits, sizeof(T));
}

template <typename T> T decodeSpillValue(const SpillLayout& layout, const char* stored, std::size_t row)
{
    T value{};
    decodeValues(layout, stored + row * layout.width, 1, &value);
    return value;
}

template <typename T>
void patchSpillExceptions(const SpillLayout& layout, std::span<const std::uint32_t> rows, T* out)
{
    const auto& ex = layout.exceptions;
    auto it = ex.begin();
    for (std::size_t k = 0; k < rows.size() && it != ex.end(); ++k) {
        while (it != ex.end() && it->row < rows[k])
            ++it;
        if (it != ex.end() && it->row == rows[k])
            std::memcpy(&out[k], &it->bits, sizeof(T));
    }
}

#define VIGIL_SPILL_CODEC(T)                                                                                 \
    template SpillLayout encodeSpillArray<T>(std::span<const T>, std::vector<char>&);                        \
    template void decodeSpillBlock<T>(const SpillLayout&, const char*, std::size_t, std::size_t, T*);        \
    template T decodeSpillValue<T>(const SpillLayout&, const char*, std::size_t);                            \
    template void patchSpillExceptions<T>(const SpillLayout&, std::span<const std::uint32_t>, T*);

VIGIL_SPILL_CODEC(double)
VIGIL_SPILL_CODEC(std::int64_t)
VIGIL_SPILL_CODEC(std::uint64_t)
VIGIL_SPILL_CODEC(std::uint32_t)
VIGIL_SPILL_CODEC(std::uint8_t)
VIGIL_SPILL_CODEC(RowStatus)

#undef VIGIL_SPILL_CODEC

} // namespace vigil::ingest
