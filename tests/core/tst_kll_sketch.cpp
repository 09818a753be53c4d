// KLL sketch (core/stats/kll_sketch.h): the stated rank error bound holds over many seeds
// and inputs, merging keeps it, an exact sketch equals numpy (tests/data/kll, from
// kll_quantile_reference.py), and the edge cases (empty, one value, all equal, +/-Inf, NaN).
#include "stats/kll_sketch.h"
#include "stats/quantile.h"

#include <QFile>
#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using vigil::stats::kllRankError;
using vigil::stats::KllSketch;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

enum class Shape
{
    Uniform,
    Normal,
    LogNormal,
    Ties,
    Ascending,
    Descending,
};

std::vector<double> sample(Shape shape, std::size_t n, std::uint64_t seed)
{
    std::mt19937_64 rng(seed * 7919 + static_cast<std::uint64_t>(shape));
    std::vector<double> x(n);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::normal_distribution<double> normal(100.0, 15.0);
    std::lognormal_distribution<double> logNormal(3.0, 1.5);
    std::uniform_int_distribution<int> ties(0, 9);
    for (std::size_t i = 0; i < n; ++i) {
        switch (shape) {
        case Shape::Uniform:
            x[i] = uniform(rng);
            break;
        case Shape::Normal:
            x[i] = normal(rng);
            break;
        case Shape::LogNormal:
            x[i] = logNormal(rng);
            break;
        case Shape::Ties:
            x[i] = ties(rng);
            break;
        case Shape::Ascending:
        case Shape::Descending:
            x[i] = normal(rng);
            break;
        }
    }
    if (shape == Shape::Ascending)
        std::sort(x.begin(), x.end());
    if (shape == Shape::Descending)
        std::sort(x.begin(), x.end(), std::greater<>());
    return x;
}

// sup_x |rank_est(x) - rank(x)| / n. Both are step functions jumping only at data values
// (every retained item is one), so the sup is reached at a data value.
double maxRankError(const KllSketch& sketch, std::vector<double> data)
{
    std::sort(data.begin(), data.end());
    const auto view = sketch.sortedView();
    const double n = static_cast<double>(data.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < data.size();) {
        std::size_t j = i;
        while (j < data.size() && data[j] == data[i])
            ++j;
        const double est = static_cast<double>(view.countAtOrBelow(data[i]));
        worst = std::max(worst, std::abs(est - static_cast<double>(j)) / n);
        i = j;
    }
    return worst;
}

KllSketch sketchOf(std::span<const double> values, std::uint32_t k, std::uint64_t seed)
{
    KllSketch s(k, seed);
    for (const double v : values)
        s.update(v);
    return s;
}

bool sameDouble(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

class TstKllSketch : public QObject
{
    Q_OBJECT

  private slots:
    // The stated 99 % bound over 6 input shapes x 20 seeds: at most 1 run in 120 may exceed
    // it (the bound is a 99 % one), none by more than 25 %. A broken compactor (a biased
    // coin, a lost weight) is off by several times the bound.
    void rankErrorBound_data()
    {
        QTest::addColumn<std::uint32_t>("k");
        QTest::addColumn<int>("n");
        QTest::newRow("k=200") << std::uint32_t{200} << 100'000;
        QTest::newRow("k=1024 (default)") << std::uint32_t{1024} << 200'000;
    }
    void rankErrorBound()
    {
        QFETCH(std::uint32_t, k);
        QFETCH(int, n);
        const double eps = kllRankError(k);
        int over = 0;
        double worst = 0.0;
        double sum = 0.0;
        int runs = 0;
        for (const Shape shape : {Shape::Uniform, Shape::Normal, Shape::LogNormal, Shape::Ties,
                                  Shape::Ascending, Shape::Descending}) {
            for (std::uint64_t seed = 1; seed <= 20; ++seed) {
                const auto data = sample(shape, static_cast<std::size_t>(n), seed);
                const KllSketch s = sketchOf(data, k, seed);
                QCOMPARE(s.count(), static_cast<std::uint64_t>(n));
                QVERIFY(!s.exact());
                const double e = maxRankError(s, data);
                over += e > eps;
                worst = std::max(worst, e);
                sum += e;
                ++runs;
            }
        }
        qInfo("k=%u n=%d: stated eps %.4f %%, measured max %.4f %%, mean %.4f %% over %d runs, %d over", k, n,
              100 * eps, 100 * worst, 100 * sum / runs, runs, over);
        QVERIFY2(over <= 1, qPrintable(QStringLiteral("%1 runs over the bound").arg(over)));
        QVERIFY(worst <= 1.25 * eps);
    }

    // Eight sketches of a split stream, merged, keep the one-sketch bound.
    void mergeKeepsBound()
    {
        const std::uint32_t k = 1024;
        const double eps = kllRankError(k);
        int over = 0;
        double worst = 0.0;
        for (std::uint64_t seed = 1; seed <= 20; ++seed) {
            const auto data = sample(seed % 2 ? Shape::LogNormal : Shape::Normal, 160'000, seed);
            KllSketch merged(k, seed);
            for (std::size_t part = 0; part < 8; ++part) {
                const std::span<const double> slice(data.data() + part * 20'000, 20'000);
                merged.merge(sketchOf(slice, k, seed * 100 + part));
            }
            QCOMPARE(merged.count(), std::uint64_t{160'000});
            QCOMPARE(merged.min(), *std::min_element(data.begin(), data.end()));
            QCOMPARE(merged.max(), *std::max_element(data.begin(), data.end()));
            QVERIFY(merged.retained() < 4 * k);
            const double e = maxRankError(merged, data);
            over += e > eps;
            worst = std::max(worst, e);
        }
        qInfo("merge of 8: measured max %.4f %% (stated %.4f %%)", 100 * worst, 100 * eps);
        QVERIFY(over <= 1);
        QVERIFY(worst <= 1.25 * eps);
    }

    // Merging exact sketches whose total stays under k is still exact.
    void mergeOfSmallSketchesIsExact()
    {
        KllSketch a(1024, 1);
        KllSketch b(1024, 2);
        for (int i = 0; i < 300; ++i) {
            a.update(i);
            b.update(1000 + i);
        }
        a.merge(b);
        QVERIFY(a.exact());
        QCOMPARE(a.count(), std::uint64_t{600});
        QCOMPARE(a.rank(299.0), 0.5);
        QCOMPARE(a.quantile(0.5), 0.5 * (299.0 + 1000.0));
    }

    // Same input, same seed: the same sketch, so a report is reproducible.
    void deterministic()
    {
        const auto data = sample(Shape::LogNormal, 50'000, 3);
        const auto a = sketchOf(data, 256, 42).sortedView();
        const auto b = sketchOf(data, 256, 42).sortedView();
        QVERIFY(std::equal(a.values().begin(), a.values().end(), b.values().begin(), b.values().end()));
        QVERIFY(std::equal(a.cumulative().begin(), a.cumulative().end(), b.cumulative().begin(),
                           b.cumulative().end()));
    }

    // While every value is held the quantiles are numpy's, bit for bit.
    void exactEqualsNumpy()
    {
        QFile file(QStringLiteral(VIGIL_TEST_DATA_DIR "/kll/numpy_quantiles.tsv"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        int checked = 0;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            const auto parts = line.split('\t');
            QCOMPARE(parts.size(), 2);
            KllSketch s(1024, 7);
            std::vector<double> values;
            for (const QByteArray& v : parts[0].split(',')) {
                const double x = v == "inf" ? kInf : v == "-inf" ? -kInf : v.toDouble();
                values.push_back(x);
                s.update(x);
            }
            QVERIFY(s.exact());
            for (const QByteArray& pair : parts[1].split(',')) {
                const auto qe = pair.split(':');
                const double q = qe[0].toDouble();
                const double expected = qe[1] == "nan"    ? std::nan("")
                                        : qe[1] == "inf"  ? kInf
                                        : qe[1] == "-inf" ? -kInf
                                                          : qe[1].toDouble();
                const double got = s.quantile(q);
                QVERIFY2(sameDouble(got, expected),
                         qPrintable(QStringLiteral("q=%1: %2 vs numpy %3").arg(q).arg(got).arg(expected)));
                ++checked;
            }
        }
        QVERIFY(checked > 300);
    }

    // Past compaction a quantile's true rank is within the bound of q.
    void quantileRankWithinBound()
    {
        const auto data = sample(Shape::LogNormal, 300'000, 11);
        const KllSketch s = sketchOf(data, 1024, 11);
        auto sorted = data;
        std::sort(sorted.begin(), sorted.end());
        const double n = static_cast<double>(sorted.size());
        for (const double q : {0.001, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999}) {
            const double x = s.quantile(q);
            const double below =
                static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
            const double atOrBelow =
                static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
            // q (n-1) is the estimated position: some true position in [below, atOrBelow] is
            // within eps n (+1 for the interpolation between neighbours).
            const double pos = q * (n - 1);
            const double gap = std::max({0.0, below - pos, pos - atOrBelow});
            QVERIFY2(gap <= kllRankError(1024) * n + 1,
                     qPrintable(QStringLiteral("q=%1 gap %2").arg(q).arg(gap)));
        }
    }

    void empty()
    {
        KllSketch s;
        QVERIFY(s.empty());
        QVERIFY(s.exact());
        QCOMPARE(s.count(), std::uint64_t{0});
        QVERIFY(std::isnan(s.quantile(0.5)));
        QVERIFY(std::isnan(s.rank(1.0)));
        QVERIFY(std::isnan(s.min()));
        KllSketch t;
        t.merge(s);
        QVERIFY(t.empty());
    }

    // NaN has no rank: the sketch ignores it, the caller counts it as missing.
    void nanIsLeftOut()
    {
        KllSketch s;
        s.update(std::nan(""));
        QVERIFY(s.empty());
        s.update(2.0);
        s.update(std::nan(""));
        QCOMPARE(s.count(), std::uint64_t{1});
        QVERIFY(std::isnan(s.rank(std::nan(""))));
        QVERIFY(std::isnan(s.quantile(std::nan(""))));
    }

    void oneValue()
    {
        KllSketch s;
        s.update(-3.5);
        for (const double q : {0.0, 0.3, 1.0})
            QCOMPARE(s.quantile(q), -3.5);
        QCOMPARE(s.rank(-3.5), 1.0);
        QCOMPARE(s.rank(-4.0), 0.0);
        QCOMPARE(s.min(), -3.5);
        QCOMPARE(s.max(), -3.5);
    }

    // Many equal values survive any compaction: every retained item is that value.
    void allEqual()
    {
        KllSketch s(200, 5);
        for (int i = 0; i < 100'000; ++i)
            s.update(7.25);
        QVERIFY(!s.exact());
        QCOMPARE(s.count(), std::uint64_t{100'000});
        QCOMPARE(s.sortedView().count(), std::uint64_t{100'000});
        QCOMPARE(s.quantile(0.01), 7.25);
        QCOMPARE(s.quantile(0.99), 7.25);
        QCOMPARE(s.rank(7.25), 1.0);
        QCOMPARE(s.rank(7.0), 0.0);
    }

    // +/-Inf are values at the ends of the order; their shares are ranks like any other.
    void infinities()
    {
        std::mt19937_64 rng(9);
        std::normal_distribution<double> normal(0.0, 1.0);
        KllSketch s(1024, 9);
        std::size_t negInf = 0;
        std::size_t posInf = 0;
        const std::size_t n = 200'000;
        for (std::size_t i = 0; i < n; ++i) {
            double v = normal(rng);
            if (i % 20 == 0) {
                v = -kInf;
                ++negInf;
            } else if (i % 20 == 1) {
                v = kInf;
                ++posInf;
            }
            s.update(v);
        }
        QVERIFY(!s.exact());
        QCOMPARE(s.min(), -kInf);
        QCOMPARE(s.max(), kInf);
        const double eps = kllRankError(1024);
        QVERIFY(std::abs(s.rank(-kInf) - static_cast<double>(negInf) / n) <= eps);
        QVERIFY(std::abs(s.rank(1e300) - static_cast<double>(n - posInf) / n) <= eps);
        QCOMPARE(s.rank(kInf), 1.0);
        QVERIFY(std::isfinite(s.quantile(0.5)));
        QVERIFY(std::abs(s.quantile(0.5)) < 0.05);
        // numpy's lerp of two infinities is NaN (inf - inf), as np.quantile gives.
        QVERIFY(std::isnan(s.quantile(0.001)));
        QVERIFY(std::isnan(s.quantile(0.999)));
        QCOMPARE(s.sortedView().atPosition(0), -kInf);
    }

    // Memory stays near 3k values whatever n is.
    void memoryBounded()
    {
        KllSketch s(1024, 1);
        std::mt19937_64 rng(1);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (int i = 0; i < 2'000'000; ++i)
            s.update(u(rng));
        QVERIFY(s.retained() <= 3 * 1024 + 8 * 20);
        qInfo("k=1024 after 2M values: %zu retained, %zu bytes", s.retained(), s.memoryBytes());
        QVERIFY(s.memoryBytes() < 96 * 1024);
    }
};

QTEST_GUILESS_MAIN(TstKllSketch)
#include "tst_kll_sketch.moc"
