// sortNanFree (drift/sample_prep.cpp), the drift statistics' sort: from 512 values on its
// output must be exactly the values ordered by their 64-bit ordered keys (ascending, -0.0
// before +0.0), the order every drift statistic and report was checked with, so that a
// faster sort can replace it only if it keeps every bit. Checked against std::sort with that
// comparator on the shapes a sort on rounded or partial keys gets wrong (ties, neighbours
// closer than float resolution, values beyond float's range or below its smallest denormal,
// signed zeros) and around the size where the radix path starts.
#include "drift/sample_prep.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

using namespace vigil;

namespace {

std::uint64_t orderedBits(double v)
{
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : (u | (std::uint64_t{1} << 63));
}

std::vector<double> draw(const QString& shape, int n, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_int_distribution<int> pick(0, 9);
    std::vector<double> v;
    v.reserve(static_cast<std::size_t>(n));
    constexpr double kInf = std::numeric_limits<double>::infinity();
    for (int i = 0; i < n; ++i) {
        const double z = normal(rng);
        if (shape == QLatin1String("normal")) {
            v.push_back(z);
        } else if (shape == QLatin1String("rounded")) {
            v.push_back(std::round(z * 100.0) / 100.0); // many ties
        } else if (shape == QLatin1String("float neighbours")) {
            // 1 + k 2^-40: all round to a handful of floats.
            v.push_back(1.0 + std::ldexp(static_cast<double>(std::abs(static_cast<int>(z * 1000.0))), -40));
        } else if (shape == QLatin1String("signed zeros")) {
            const int k = pick(rng);
            v.push_back(k < 4 ? -0.0 : k < 8 ? 0.0 : z * 1e-300);
        } else if (shape == QLatin1String("beyond float")) {
            // Above FLT_MAX (float +/-inf), below the smallest float denormal (float 0), infinities.
            const int k = pick(rng);
            v.push_back(k < 3 ? z * 1e300 : k < 6 ? z * 1e-320 : k == 6 ? kInf : k == 7 ? -kInf : z);
        } else if (shape == QLatin1String("lognormal")) {
            v.push_back(std::exp(5.0 * z));
        } else if (shape == QLatin1String("constant")) {
            v.push_back(2.5);
        } else if (shape == QLatin1String("ascending")) {
            v.push_back(i * 0.001 - 3.0);
        } else if (shape == QLatin1String("descending")) {
            v.push_back(3.0 - i * 0.001);
        }
    }
    return v;
}

} // namespace

class TestSampleSort : public QObject
{
    Q_OBJECT

  private slots:
    void sameAsKeyOrder_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("n");
        const QStringList shapes{QStringLiteral("normal"),           QStringLiteral("rounded"),
                                 QStringLiteral("float neighbours"), QStringLiteral("signed zeros"),
                                 QStringLiteral("beyond float"),     QStringLiteral("lognormal"),
                                 QStringLiteral("constant"),         QStringLiteral("ascending"),
                                 QStringLiteral("descending")};
        for (const QString& shape : shapes)
            for (const int n : {511, 512, 513, 6000, 100000})
                QTest::newRow(qPrintable(QStringLiteral("%1, %2").arg(shape).arg(n))) << shape << n;
    }

    void sameAsKeyOrder()
    {
        QFETCH(QString, shape);
        QFETCH(int, n);
        std::vector<double> values = draw(shape, n, static_cast<std::uint64_t>(n) * 31 + shape.size());
        std::vector<double> expected = values;
        std::sort(expected.begin(), expected.end(),
                  [](double a, double b) { return orderedBits(a) < orderedBits(b); });
        sortNanFree(values);
        QCOMPARE(values.size(), expected.size());
        // Below 512 values std::sort runs, which orders -0.0 and +0.0 either way (they are
        // equal): there only the numbers must match.
        const bool bits = n >= 512;
        for (std::size_t i = 0; i < values.size(); ++i)
            QVERIFY2(bits ? orderedBits(values[i]) == orderedBits(expected[i]) : values[i] == expected[i],
                     qPrintable(QStringLiteral("at %1: %2 vs %3")
                                    .arg(i)
                                    .arg(values[i], 0, 'g', 17)
                                    .arg(expected[i], 0, 'g', 17)));
    }

    // stableAscendingOrder (CBPE's ROC walk) must be the order std::stable_sort by value
    // gives: ties, signed zeros (equal) and infinities in index order.
    void stableOrderIsStableSort_data() { sameAsKeyOrder_data(); }

    void stableOrderIsStableSort()
    {
        QFETCH(QString, shape);
        QFETCH(int, n);
        const std::vector<double> values = draw(shape, n, static_cast<std::uint64_t>(n) * 17 + shape.size());
        std::vector<std::uint32_t> expected(values.size());
        for (std::size_t i = 0; i < expected.size(); ++i)
            expected[i] = static_cast<std::uint32_t>(i);
        std::stable_sort(expected.begin(), expected.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
        QCOMPARE(stableAscendingOrder(values), expected);
    }

    // The buffers are kept per thread: a large sort followed by a small one must not leak
    // values of the first into the second.
    void reusedBuffers()
    {
        std::vector<double> big = draw(QStringLiteral("normal"), 50000, 1);
        sortNanFree(big);
        QVERIFY(std::is_sorted(big.begin(), big.end()));
        std::vector<double> small = draw(QStringLiteral("rounded"), 700, 2);
        std::vector<double> expected = small;
        std::sort(expected.begin(), expected.end(),
                  [](double a, double b) { return orderedBits(a) < orderedBits(b); });
        sortNanFree(small);
        QCOMPARE(small.size(), expected.size());
        for (std::size_t i = 0; i < small.size(); ++i)
            QCOMPARE(orderedBits(small[i]), orderedBits(expected[i]));
    }
};

QTEST_GUILESS_MAIN(TestSampleSort)
#include "tst_sample_sort.moc"
