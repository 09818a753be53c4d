// Min/max decimation: peaks and NaN gaps survive, short series pass unchanged.
#include "engine/decimate.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace vigil;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> ramp(std::size_t n)
{
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = static_cast<double>(i);
    return x;
}

bool contains(const DecimatedSeries& s, double x, double y)
{
    for (std::size_t i = 0; i < s.x.size(); ++i) {
        if (s.x[i] == x && (s.y[i] == y || (std::isnan(y) && std::isnan(s.y[i]))))
            return true;
    }
    return false;
}
} // namespace

class TestDecimate : public QObject
{
    Q_OBJECT

  private slots:
    void shortSeriesUnchanged_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("buckets");
        QTest::newRow("empty") << 0 << 10;
        QTest::newRow("one") << 1 << 10;
        QTest::newRow("exactly 2*buckets") << 20 << 10;
        QTest::newRow("zero buckets") << 1000 << 0;
        QTest::newRow("negative buckets") << 1000 << -3;
    }
    void shortSeriesUnchanged()
    {
        QFETCH(int, points);
        QFETCH(int, buckets);
        const auto x = ramp(static_cast<std::size_t>(points));
        std::vector<double> y(x.size());
        for (std::size_t i = 0; i < y.size(); ++i)
            y[i] = std::sin(static_cast<double>(i));
        const auto out = decimateMinMax(x, y, buckets);
        QCOMPARE(out.x, x);
        QCOMPARE(out.y, y);
    }

    void keepsPeaksAndBounds()
    {
        const auto x = ramp(10'000);
        std::vector<double> y(x.size(), 1.0);
        y[1234] = 1e6;
        y[8765] = -1e6;
        const int buckets = 100;
        const auto out = decimateMinMax(x, y, buckets);
        QVERIFY(out.x.size() <= 4 * static_cast<std::size_t>(buckets));
        QVERIFY(out.x.size() >= 2 * static_cast<std::size_t>(buckets)); // first+last of each bucket
        QVERIFY(contains(out, 1234, 1e6));
        QVERIFY(contains(out, 8765, -1e6));
        QCOMPARE(out.x.front(), 0.0);
        QCOMPARE(out.x.back(), 9999.0);
        for (std::size_t i = 1; i < out.x.size(); ++i)
            QVERIFY(out.x[i] > out.x[i - 1]); // x order, no duplicates
    }

    void bucketBoundaries()
    {
        // 0..9 split in 2 buckets: [0,4.5) and [4.5,9]; x=9 belongs to the last bucket.
        const auto x = ramp(10);
        const std::vector<double> y = {5, 1, 9, 3, 4, 6, 0, 8, 2, 7};
        const auto out = decimateMinMax(x, y, 2);
        // bucket 0 = x 0..4: first 0, min x1, max x2, last x4; bucket 1 = x 5..9: first 5, min 6, max 7,
        // last 9.
        const std::vector<double> expectedX = {0, 1, 2, 4, 5, 6, 7, 9};
        QCOMPARE(out.x, expectedX);
        const std::vector<double> expectedY = {5, 1, 9, 4, 6, 0, 8, 7};
        QCOMPARE(out.y, expectedY);
    }

    void nanSurvivesAsGap()
    {
        const auto x = ramp(1000);
        std::vector<double> y(x.size());
        for (std::size_t i = 0; i < y.size(); ++i)
            y[i] = static_cast<double>(i % 7);
        y[500] = kNaN;
        y[501] = kNaN;
        y[0] = kNaN; // a NaN that is also the first point of its bucket
        const auto out = decimateMinMax(x, y, 10);
        QVERIFY(contains(out, 500, kNaN));
        QVERIFY(contains(out, 0, kNaN));
        QVERIFY(!contains(out, 501, kNaN)); // one NaN per bucket is enough for a gap
        // The NaN sits between finite points of its bucket, so the line breaks there.
        for (std::size_t i = 0; i < out.x.size(); ++i) {
            if (out.x[i] == 500) {
                QVERIFY(i > 0 && std::isfinite(out.y[i - 1]));
                QVERIFY(i + 1 < out.y.size() && std::isfinite(out.y[i + 1]));
            }
        }
    }

    void infinityIsAPeak()
    {
        const auto x = ramp(1000);
        std::vector<double> y(x.size(), 0.5);
        y[321] = std::numeric_limits<double>::infinity();
        const auto out = decimateMinMax(x, y, 10);
        QVERIFY(contains(out, 321, std::numeric_limits<double>::infinity()));
    }

    void allSameX()
    {
        const std::vector<double> x(100, 3.0);
        std::vector<double> y(100, 1.0);
        y[40] = 5.0;
        const auto out = decimateMinMax(x, y, 10);
        QCOMPARE(out.y, (std::vector<double>{1.0, 5.0, 1.0})); // one bucket: first, max, last
    }
};

QTEST_GUILESS_MAIN(TestDecimate)
#include "tst_decimate.moc"
