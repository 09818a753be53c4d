// The spill file's narrow layouts (ingest/spill_codec.h): every value comes back bit for bit
// (NaN payloads, -0.0, infinities, subnormals, values with more digits than the array's
// exponent), through whole-array, block, single-value and store reads, with and without the
// AVX2 loops; the layouts chosen are the narrow ones where they apply and raw where not.
#include "ingest/spill_codec.h"
#include "ingest/spill_store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>

using namespace vigil;
using namespace vigil::ingest;

namespace {

const double kQuietNan = std::numeric_limits<double>::quiet_NaN();
const double kPayloadNan = std::bit_cast<double>(std::uint64_t{0x7ff8'0000'dead'beefULL});
const double kInf = std::numeric_limits<double>::infinity();

// What a log's parser gives for "%.<digits>f" of x.
double printed(double x, int digits)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, x);
    return std::strtod(text, nullptr);
}

std::vector<double> decimals(std::size_t n, double scale, int digits, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, scale);
    std::vector<double> v(n);
    for (auto& x : v)
        x = printed(normal(rng), digits);
    return v;
}

template <typename T> bool sameBytes(const std::vector<T>& a, const std::vector<T>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

template <typename T> std::string firstDifference(const std::vector<T>& a, const std::vector<T>& b)
{
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (std::memcmp(&a[i], &b[i], sizeof(T)) != 0)
            return "row " + std::to_string(i);
    return a.size() == b.size() ? "none" : "sizes";
}

// Every way a reader gets values back, compared bit for bit with `values`.
template <typename T>
void checkDecodes(const std::vector<T>& values, const SpillLayout& layout, const std::vector<char>& stored)
{
    const std::size_t n = values.size();
    const std::size_t width = storedWidth<T>(layout);
    QCOMPARE(stored.size(), n * width);
    std::vector<T> back(n);
    decodeSpillBlock(layout, stored.data(), 0, n, back.data());
    QVERIFY2(sameBytes(back, values), firstDifference(back, values).c_str());
    // Blocks that start and end anywhere (exceptions on either side of their edges).
    std::mt19937 rng(7);
    for (int round = 0; round < 50; ++round) {
        const std::size_t first = rng() % n;
        const std::size_t count = 1 + rng() % (n - first);
        std::vector<T> part(count);
        decodeSpillBlock(layout, stored.data() + first * width, first, count, part.data());
        QVERIFY(std::memcmp(part.data(), values.data() + first, count * sizeof(T)) == 0);
    }
    // Scattered rows, one value at a time, then the exceptions patched.
    std::vector<std::uint32_t> rows;
    for (std::uint32_t r = 0; r < n; r += 1 + rng() % 5)
        rows.push_back(r);
    std::vector<T> picked(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
        picked[k] = decodeSpillValue<T>(layout, stored.data(), rows[k]);
    patchSpillExceptions(layout, rows, picked.data());
    for (std::size_t k = 0; k < rows.size(); ++k)
        QVERIFY(std::memcmp(&picked[k], &values[rows[k]], sizeof(T)) == 0);
}

template <typename T> SpillLayout roundTrip(const std::vector<T>& values)
{
    std::vector<char> stored;
    const SpillLayout layout = encodeSpillArray<T>(values, stored);
    if (layout.codec != SpillCodec::Raw)
        checkDecodes(values, layout, stored);
    return layout;
}

} // namespace

class TestSpillCodec : public QObject
{
    Q_OBJECT

  private slots:
    void init() { m_simd = useSpillSimd(QTest::currentDataTag() != QByteArray("portable")); }
    void cleanup() { useSpillSimd(m_simd); }

    void decimalArrays_data() { simdOrNot(); }
    void decimalArrays()
    {
        // Three decimals, +/-40: k needs 4 bytes.
        auto features = decimals(5000, 12.0, 3, 1);
        SpillLayout l = roundTrip(features);
        QCOMPARE(l.codec, SpillCodec::Decimal);
        QCOMPARE(int(l.exponent), 3);
        QCOMPARE(int(l.width), 4);
        QVERIFY(l.exceptions.empty());

        // A 0/1 label: one byte, exponent 0.
        std::vector<double> label(3000);
        for (std::size_t i = 0; i < label.size(); ++i)
            label[i] = (i * 7919) % 3 == 0 ? 1.0 : 0.0;
        l = roundTrip(label);
        QCOMPARE(l.codec, SpillCodec::Decimal);
        QCOMPARE(int(l.exponent), 0);
        QCOMPARE(int(l.width), 1);

        // Two decimals under 300 (k < 30000): two bytes.
        std::vector<double> revenue(3000);
        for (std::size_t i = 0; i < revenue.size(); ++i)
            revenue[i] = printed(static_cast<double>((i * 104729) % 29999) / 100.0, 2);
        l = roundTrip(revenue);
        QCOMPARE(l.codec, SpillCodec::Decimal);
        QCOMPARE(int(l.exponent), 2);
        QCOMPARE(int(l.width), 2);

        // Six decimals in [0, 1] (a score), negative values, and zero, a null's value.
        auto scores = decimals(4000, 0.3, 6, 2);
        for (std::size_t i = 0; i < scores.size(); i += 9)
            scores[i] = 0.0;
        l = roundTrip(scores);
        QCOMPARE(l.codec, SpillCodec::Decimal);
        QCOMPARE(int(l.exponent), 6);
    }

    void decimalExceptions_data() { simdOrNot(); }
    void decimalExceptions()
    {
        // Values that are not k / 10^3 for a k of 31 bits, scattered through decimals: each
        // comes back bit for bit. The quiet NaN has a code of its own; the rest are exceptions.
        auto values = decimals(6400, 5.0, 3, 3);
        const std::vector<double> specials = {-0.0,
                                              kInf,
                                              -kInf,
                                              kPayloadNan,
                                              std::numeric_limits<double>::denorm_min(),
                                              1e300,
                                              0.1 + 0.2,
                                              3e6, // k = 3e9: past 31 bits
                                              -std::numeric_limits<double>::max(),
                                              std::numeric_limits<double>::min()};
        for (std::size_t i = 0; i < specials.size(); ++i)
            values[17 + i * 613] = specials[i];
        for (std::size_t i = 5; i < values.size(); i += 101)
            values[i] = kQuietNan;
        values.front() = -0.0;
        values.back() = kPayloadNan;
        const SpillLayout l = roundTrip(values);
        QCOMPARE(l.codec, SpillCodec::Decimal);
        QCOMPARE(int(l.exponent), 3);
        QCOMPARE(l.exceptions.size(), specials.size() + 2); // the NaN with a payload too
        for (std::size_t i = 1; i < l.exceptions.size(); ++i)
            QVERIFY(l.exceptions[i - 1].row < l.exceptions[i].row);

        // The same in a narrow array (NaN and exceptions share the top code).
        std::vector<double> narrow(2000, 1.0);
        for (std::size_t i = 0; i < narrow.size(); i += 3)
            narrow[i] = 0.0;
        narrow[10] = kQuietNan;
        narrow[11] = -0.0;
        narrow[1999] = kInf;
        const SpillLayout n = roundTrip(narrow);
        QCOMPARE(n.codec, SpillCodec::Decimal);
        QCOMPARE(int(n.width), 1);
        QCOMPARE(n.exceptions.size(), std::size_t{2});
    }

    void rawWhereNothingIsGained_data() { simdOrNot(); }
    void rawWhereNothingIsGained()
    {
        // Full-precision doubles: no exponent fits.
        std::mt19937_64 rng(4);
        std::uniform_real_distribution<double> uniform(-1.0, 1.0);
        std::vector<double> full(4000);
        for (auto& x : full)
            x = uniform(rng);
        QCOMPARE(roundTrip(full).codec, SpillCodec::Raw);
        // Decimals, but more than one value in 64 with more digits: raw, not a long exception list.
        auto mostly = decimals(6400, 5.0, 2, 5);
        for (std::size_t i = 0; i < mostly.size(); i += 50)
            mostly[i] = uniform(rng);
        QCOMPARE(roundTrip(mostly).codec, SpillCodec::Raw);
        // Short arrays, and arrays of nothing but NaN.
        QCOMPARE(roundTrip(decimals(15, 5.0, 2, 6)).codec, SpillCodec::Raw);
        QCOMPARE(roundTrip(std::vector<double>(100, kPayloadNan)).codec, SpillCodec::Raw);
        // Bytes are never narrowed.
        QCOMPARE(roundTrip(std::vector<std::uint8_t>(100, 3)).codec, SpillCodec::Raw);
    }

    void integerArrays_data() { simdOrNot(); }
    void integerArrays()
    {
        // Timestamps of one hour, out of order: 4 bytes from the minimum.
        std::vector<std::int64_t> ts(5000);
        for (std::size_t i = 0; i < ts.size(); ++i)
            ts[i] = 1'767'225'600'000LL + static_cast<std::int64_t>((i * 7919) % 3'600'000);
        SpillLayout l = roundTrip(ts);
        QCOMPARE(l.codec, SpillCodec::Narrow);
        QCOMPARE(int(l.width), 4);
        // Negative values within 200: one byte.
        std::vector<std::int64_t> small(300);
        for (std::size_t i = 0; i < small.size(); ++i)
            small[i] = -1'000'000'000'000LL - static_cast<std::int64_t>(i % 200);
        QCOMPARE(int(roundTrip(small).width), 1);
        // A span of more than 32 bits: raw.
        std::vector<std::int64_t> wide(100, 0);
        wide[50] = std::int64_t{1} << 40;
        QCOMPARE(roundTrip(wide).codec, SpillCodec::Raw);
        // Category codes with nulls (kNull, the largest uint32): one byte, the null kept.
        std::vector<std::uint32_t> codes(1000);
        for (std::size_t i = 0; i < codes.size(); ++i)
            codes[i] = i % 7 == 0 ? CategoricalColumn::kNull : static_cast<std::uint32_t>(i % 5);
        l = roundTrip(codes);
        QCOMPARE(l.codec, SpillCodec::Narrow);
        QCOMPARE(int(l.width), 1);
        // 255 codes and the null need 2 bytes (the top byte code is the null's).
        for (std::size_t i = 0; i < codes.size(); ++i)
            codes[i] = i % 7 == 0 ? CategoricalColumn::kNull : static_cast<std::uint32_t>(i % 256);
        QCOMPARE(int(roundTrip(codes).width), 2);
        // Only nulls: nothing to narrow around.
        QCOMPARE(roundTrip(std::vector<std::uint32_t>(100, CategoricalColumn::kNull)).codec, SpillCodec::Raw);
        // String ends (uint64), growing.
        std::vector<std::uint64_t> ends(2000);
        for (std::size_t i = 0; i < ends.size(); ++i)
            ends[i] = 12 * (i + 1);
        QCOMPARE(int(roundTrip(ends).width), 2);
    }

    // Random arrays: decimals of random digits and scale, with a random share of values that
    // are not short decimals (from none to past the raw threshold) and of quiet NaNs; random
    // integers of random span. Whatever layout is chosen, every read gives the values back, and
    // the store (which streams wide decimal arrays in blocks) gives back the same bytes too.
    void randomArrays_data() { simdOrNot(); }
    void randomArrays()
    {
        std::mt19937_64 rng(2026);
        const std::vector<double> odd = {-0.0, kInf, -kInf, kPayloadNan, 1e300, 0.1 + 0.2, 5e-324, 4e9};
        std::size_t layouts[3] = {0, 0, 0};
        for (int round = 0; round < 120; ++round) {
            const std::size_t n = 16 + rng() % (round % 4 == 0 ? 40000 : 3000);
            const int digits = static_cast<int>(rng() % 8);
            const double scale = std::ldexp(1.0, static_cast<int>(rng() % 24) - 8);
            const double oddShare = std::array{0.0, 0.001, 0.01, 0.05}[rng() % 4];
            const double nanShare = std::array{0.0, 0.1}[rng() % 2];
            std::uniform_real_distribution<double> unit(0.0, 1.0);
            std::normal_distribution<double> normal(0.0, scale);
            std::vector<double> v(n);
            for (auto& x : v) {
                const double u = unit(rng);
                x = u < oddShare              ? odd[rng() % odd.size()]
                    : u < oddShare + nanShare ? kQuietNan
                                              : printed(normal(rng), digits);
            }
            const SpillLayout l = roundTrip(v);
            ++layouts[static_cast<int>(l.codec)];
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QStringLiteral("round %1: n %2, %3 digits").arg(round).arg(n).arg(digits)));

            std::vector<std::int64_t> ints(n);
            const std::int64_t span = std::int64_t{1} << (rng() % 40);
            const auto base = static_cast<std::int64_t>(rng() >> 2) - (std::int64_t{1} << 61);
            for (auto& x : ints)
                x = base + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span));
            roundTrip(ints);
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QStringLiteral("round %1: integers").arg(round)));

            if (round % 4 != 0)
                continue;
            LogTable t;
            t.tsMs = ints;
            t.model.codes.assign(n, 0);
            t.version.codes.assign(n, 0);
            t.latencyMs.values = v;
            t.latencyMs.valid.assign(n, 1);
            t.status.assign(n, RowStatus::Ok);
            t.prediction.values.assign(n, 0.5);
            t.prediction.valid.assign(n, 1);
            t.label.values.assign(n, 0.0);
            t.label.valid.assign(n, 0);
            QTemporaryDir dir;
            auto store = SpillStore::create(dir.path().toStdString());
            QVERIFY(store);
            QVERIFY(!store.value()->append(t));
            LogTable back = t;
            QVERIFY(!store.value()->read(0, back));
            QVERIFY2(sameBytes(back.latencyMs.values, v), firstDifference(back.latencyMs.values, v).c_str());
            QVERIFY(sameBytes(back.tsMs, ints));
        }
        // The rounds cover every layout.
        QVERIFY(layouts[0] > 0 && layouts[2] > 0);
    }

    // Through the store: arrays larger than one streamed block (exceptions in several blocks,
    // an array that turns out to need raw storage only in its last block, written over its
    // streamed start), read whole, gathered as runs and as scattered rows.
    void storeRoundTrip_data() { simdOrNot(); }
    void storeRoundTrip()
    {
        constexpr std::size_t n = 30000;
        LogTable t;
        t.tsMs.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            t.tsMs[i] = 1'767'225'600'000LL + static_cast<std::int64_t>(i) * 37;
        t.model.codes.assign(n, 0);
        t.version.codes.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            t.version.codes[i] = i < n / 2 ? 0 : 1;
        const auto fill = [&](NumericColumn& c, std::vector<double> values) {
            c.values = std::move(values);
            c.valid.assign(n, 1);
        };
        fill(t.latencyMs, decimals(n, 30.0, 3, 8));
        t.status.assign(n, RowStatus::Ok);
        fill(t.prediction, decimals(n, 0.3, 6, 9));
        std::vector<double> label(n);
        for (std::size_t i = 0; i < n; ++i)
            label[i] = static_cast<double>(i % 2);
        fill(t.label, label);
        t.numericFeatures.resize(3);
        auto a = decimals(n, 9.0, 3, 10);
        for (std::size_t i = 100; i < n; i += 4999)
            a[i] = i % 2 ? kPayloadNan : -0.0; // exceptions in several blocks
        fill(t.numericFeatures[0], a);
        auto b = decimals(n, 900.0, 2, 11); // too varied for 2 bytes: streamed
        std::mt19937_64 rng(12);
        for (std::size_t i = n - 2000; i < n; i += 3)
            b[i] = std::ldexp(static_cast<double>(rng() >> 11), -40); // full precision, late
        fill(t.numericFeatures[1], b);
        auto c = decimals(n, 1.0, 4, 13);
        for (std::size_t i = 0; i < n; i += 10)
            c[i] = kQuietNan; // null rows read as NaN
        fill(t.numericFeatures[2], c);
        for (std::size_t i = 0; i < n; i += 10)
            t.numericFeatures[2].valid[i] = 0;
        t.categoricalFeatures.resize(1);
        t.categoricalFeatures[0].codes.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            t.categoricalFeatures[0].codes[i] = i % 11 == 0 ? CategoricalColumn::kNull : i % 4;

        QTemporaryDir dir;
        auto store = SpillStore::create(dir.path().toStdString());
        QVERIFY(store);
        QVERIFY(!store.value()->append(t));
        const auto& arrays = store.value()->chunks()[0].arrays;
        const std::size_t f0 = kSpillFixedArrays;
        QCOMPARE(arrays[f0].layout.codec, SpillCodec::Decimal);
        QCOMPARE(arrays[f0].layout.exceptions.size(), std::size_t{6});
        QCOMPARE(arrays[f0 + 2].layout.codec, SpillCodec::Raw); // feature b: raw after all
        QCOMPARE(arrays[f0 + 2].stored, std::uint64_t{n * sizeof(double)});
        QCOMPARE(arrays[f0 + 4].layout.codec, SpillCodec::Decimal);
        QCOMPARE(arrays[kSpillLabel].layout.width, std::uint8_t{1});
        QCOMPARE(arrays[kSpillTs].layout.codec, SpillCodec::Narrow);
        QCOMPARE(arrays[f0 + 6].layout.width, std::uint8_t{1}); // the codes
        QVERIFY(store.value()->fileBytes() < store.value()->bytes() / 2);

        LogTable back = t;
        QVERIFY(!store.value()->read(0, back));
        QVERIFY(sameBytes(back.tsMs, t.tsMs));
        QVERIFY(sameBytes(back.version.codes, t.version.codes));
        QVERIFY(sameBytes(back.latencyMs.values, t.latencyMs.values));
        QVERIFY(sameBytes(back.prediction.values, t.prediction.values));
        QVERIFY(sameBytes(back.label.values, t.label.values));
        for (std::size_t f = 0; f < 3; ++f) {
            QVERIFY2(sameBytes(back.numericFeatures[f].values, t.numericFeatures[f].values),
                     firstDifference(back.numericFeatures[f].values, t.numericFeatures[f].values).c_str());
            QVERIFY(sameBytes(back.numericFeatures[f].valid, t.numericFeatures[f].valid));
        }
        QVERIFY(sameBytes(back.categoricalFeatures[0].codes, t.categoricalFeatures[0].codes));

        // A run across block edges and exceptions, and scattered rows.
        const auto gathered = [&](const std::vector<std::uint32_t>& rows) {
            LogTable g = t;
            ingest::forEachColumn(
                g, [](auto& v) { v.clear(); }, [](StringColumn&) {});
            QVERIFY(!store.value()->gather(0, rows, g));
            for (std::size_t f = 0; f < 3; ++f)
                for (std::size_t k = 0; k < rows.size(); ++k)
                    QVERIFY(std::memcmp(&g.numericFeatures[f].values[k],
                                        &t.numericFeatures[f].values[rows[k]], sizeof(double)) == 0);
            for (std::size_t k = 0; k < rows.size(); ++k) {
                QCOMPARE(g.tsMs[k], t.tsMs[rows[k]]);
                QCOMPARE(g.categoricalFeatures[0].codes[k], t.categoricalFeatures[0].codes[rows[k]]);
                QVERIFY(std::memcmp(&g.label.values[k], &t.label.values[rows[k]], sizeof(double)) == 0);
            }
        };
        std::vector<std::uint32_t> run;
        for (std::uint32_t r = 8000; r < 25200; ++r)
            run.push_back(r);
        gathered(run);
        std::vector<std::uint32_t> scattered;
        for (std::uint32_t r = 3; r < n; r += 97)
            scattered.push_back(r);
        scattered.push_back(5099); // an exception's row
        std::sort(scattered.begin(), scattered.end());
        gathered(scattered);
    }

  private:
    void simdOrNot()
    {
        QTest::addColumn<int>("unused");
        QTest::newRow("simd") << 0;
        QTest::newRow("portable") << 0;
    }
    bool m_simd = true;
};

QTEST_GUILESS_MAIN(TestSpillCodec)
#include "tst_spill_codec.moc"
