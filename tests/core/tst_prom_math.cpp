// rate()/increase()/delta()/irate() and histogram_quantile() against Prometheus' own
// test expectations (promql/promqltest/testdata, quoted in shared/reference/formats.md),
// hand-computed cases (the arithmetic is in the comments) and numpy.interp reference
// values (prom_quantile_reference.py -> data/prom/histogram_quantile_cases.tsv), and a
// numpy re-implementation of the rate functions on random series
// (prom_rate_reference.py -> data/prom/rate_cases.tsv).
#include "prom/histogram_quantile.h"
#include "prom/rate.h"

#include <QFile>
#include <QTest>

#include <cmath>
#include <limits>

using namespace vigil;

namespace {

constexpr std::int64_t kMin = 60 * 1000;

// Prometheus' "a+bxN" series notation at a fixed interval starting at t=0.
std::vector<PromPoint> expand(double start, double step, int n, std::int64_t intervalMs)
{
    std::vector<PromPoint> out;
    for (int i = 0; i <= n; ++i)
        out.push_back({i * intervalMs, start + step * i});
    return out;
}

std::vector<PromPoint> series(std::initializer_list<std::pair<double, double>> secondsAndValues)
{
    std::vector<PromPoint> out;
    for (const auto& [t, v] : secondsAndValues)
        out.push_back({static_cast<std::int64_t>(t * 1000), v});
    return out;
}

bool close(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b))
        return a == b;
    return std::fabs(a - b) <= 1e-12 * std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
}

std::vector<double> numbers(const QString& csv)
{
    std::vector<double> out;
    for (const QString& part : csv.split(QLatin1Char(','))) {
        if (part == QLatin1String("+Inf"))
            out.push_back(std::numeric_limits<double>::infinity());
        else
            out.push_back(part.toDouble());
    }
    return out;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<PromPoint>)

class TestPromMath : public QObject
{
    Q_OBJECT

  private slots:
    void upstreamRateCases()
    {
        // calculate_rate_window_total 0+80x10 every 5m: rate(...[50m]) at 50m.
        const auto window = expand(0, 80, 10, 5 * kMin);
        QCOMPARE(*promRate(window, 50 * kMin, 50 * kMin), 0.26666666666666666);

        // 0 1 2 3 2 3 4 every 5m: increase(...[30m]) at 30m = 7 ("3 2" is a reset).
        const std::vector<PromPoint> reset = {{0, 0},         {5 * kMin, 1},  {10 * kMin, 2}, {15 * kMin, 3},
                                              {20 * kMin, 2}, {25 * kMin, 3}, {30 * kMin, 4}};
        QVERIFY(close(*promIncrease(reset, 30 * kMin, 30 * kMin), 7.0));

        // testcounter_reset_end_total 0+10x9 0 10 every 5m.
        auto resetEnd = expand(0, 10, 9, 5 * kMin);
        resetEnd.push_back({50 * kMin, 0});
        resetEnd.push_back({55 * kMin, 10});
        QVERIFY(!promRate(resetEnd, 50 * kMin, 5 * kMin).has_value()); // one sample in (45m, 50m]
        QCOMPARE(*promRate(resetEnd, 50 * kMin, 6 * kMin), 0.0);

        // http_requests_total 1+10x10 every 5m: increase(...[100m]) at 50m = 101; the
        // zero point cuts the extrapolation to 30 s before the first sample.
        QVERIFY(close(*promIncrease(expand(1, 10, 10, 5 * kMin), 50 * kMin, 100 * kMin), 101.0));
    }

    void ownRateCases_data()
    {
        QTest::addColumn<std::vector<PromPoint>>("points");
        QTest::addColumn<qint64>("evalMs");
        QTest::addColumn<qint64>("rangeMs");
        QTest::addColumn<double>("increase");
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("delta");

        // Steady 1/s with a gap: samples 10,20,30 s and 110,120 s; window (0,120 s].
        // result 110, sampled 110 s, avg 27.5 s, threshold 30.25 s; to start 10 s (kept,
        // zero point 110*10/110 = 10 s is not shorter); to end 0 -> x120/110 = 120.
        QTest::newRow("gap") << series({{10, 10}, {20, 20}, {30, 30}, {110, 110}, {120, 120}})
                             << qint64(120000) << qint64(120000) << 120.0 << 1.0 << 120.0;
        // Series starts inside the range: 60..90 s, 100..130; window (0, 90 s]. result 30,
        // avg 10 s, threshold 11 s; to start 60 s >= 11 -> 5 s; x35/30 -> 35; rate 35/90.
        QTest::newRow("starts late") << series({{60, 100}, {70, 110}, {80, 120}, {90, 130}}) << qint64(90000)
                                     << qint64(90000) << 35.0 << 35.0 / 90.0 << 35.0;
        // Reset: 5 10 2 4 at 15,30,45,60 s; result 4-5+10 = 9; avg 15 s, to start 15 s
        // (zero point 45*5/9 = 25 s is longer) -> x60/45 = 12; rate 12/60. As a gauge:
        // -1 x 60/45 = -4/3.
        QTest::newRow("reset") << series({{15, 5}, {30, 10}, {45, 2}, {60, 4}}) << qint64(60000)
                               << qint64(60000) << 12.0 << 0.2 << -4.0 / 3.0;
        // Zero-point cut: 1 3 5 at 20,40,60 s; result 4, avg 20 s, to start 20 s but the
        // zero point is 40*1/4 = 10 s -> x50/40 = 5. delta extrapolates fully: x60/40 = 6.
        QTest::newRow("zero point") << series({{20, 1}, {40, 3}, {60, 5}}) << qint64(60000) << qint64(60000)
                                    << 5.0 << 5.0 / 60.0 << 6.0;
        // Ends early: 0..30 s every 10 s (values 0..3), eval at 100 s, range 100 s: to
        // start 0 s... (first sample at 0 is excluded: left-open) so samples 10,20,30 s,
        // result 2, avg 10 s; to start 10 s < 11 kept, zero point 20*1/2 = 10 s equal;
        // to end 70 s -> 5 s; x35/20 = 3.5; rate 3.5/100.
        QTest::newRow("ends early") << series({{0, 0}, {10, 1}, {20, 2}, {30, 3}}) << qint64(100000)
                                    << qint64(100000) << 3.5 << 0.035 << 3.5;
    }

    void ownRateCases()
    {
        QFETCH(std::vector<PromPoint>, points);
        QFETCH(qint64, evalMs);
        QFETCH(qint64, rangeMs);
        QFETCH(double, increase);
        QFETCH(double, rate);
        QFETCH(double, delta);
        const auto inc = promIncrease(points, evalMs, rangeMs);
        const auto r = promRate(points, evalMs, rangeMs);
        const auto d = promDelta(points, evalMs, rangeMs);
        QVERIFY(inc && r && d);
        QVERIFY2(close(*inc, increase), qPrintable(QString::number(*inc, 'g', 17)));
        QVERIFY2(close(*r, rate), qPrintable(QString::number(*r, 'g', 17)));
        QVERIFY2(close(*d, delta), qPrintable(QString::number(*d, 'g', 17)));
    }

    void tooFewSamples()
    {
        const auto one = series({{30, 5}});
        QVERIFY(!promRate(one, 60000, 60000));
        QVERIFY(!promIncrease(one, 60000, 60000));
        QVERIFY(!promIrate(one, 60000, 60000));
        QVERIFY(!promDelta({}, 60000, 60000));
        // Left-open: the sample at exactly eval - range does not count.
        const auto two = series({{0, 1}, {60, 2}});
        QVERIFY(!promRate(two, 60000, 60000));
        QVERIFY(promRate(two, 60000, 60001));
    }

    void instantFunctions()
    {
        // 5 10 2 4 at 15,30,45,60 s: irate uses 2 -> 4 over 15 s.
        const auto s = series({{15, 5}, {30, 10}, {45, 2}, {60, 4}});
        QVERIFY(close(*promIrate(s, 60000, 60000), 2.0 / 15.0));
        QVERIFY(close(*promIdelta(s, 60000, 60000), 2.0));
        // At 45 s the last pair is a reset 10 -> 2: irate takes 2 as the increase.
        QVERIFY(close(*promIrate(s, 45000, 60000), 2.0 / 15.0));
        QVERIFY(close(*promIdelta(s, 45000, 60000), -8.0));
    }

    void nanIsData()
    {
        // A NaN sample is a value: it poisons the result instead of vanishing.
        const auto s = series({{10, 1}, {20, std::numeric_limits<double>::quiet_NaN()}, {30, 3}});
        QVERIFY(std::isnan(*promDelta(s, 30000, 30000)) == false); // delta uses first and last only
        QVERIFY(std::isnan(*promIrate(series({{10, 1}, {20, std::nan("")}}), 30000, 30000)));
    }

    void evaluateRangeLeavesGaps()
    {
        // Samples every 15 s for 0..60 s, then none until 300 s.
        auto s = expand(0, 15, 4, 15000);
        s.push_back({300000, 100});
        s.push_back({315000, 115});
        const auto out = evaluateRange(s, RangeFunction::Rate, 60000, 330000, 30000, 60000);
        // Steps 60, 90, 120 have >= 2 samples in (t-60 s, t] only at 60 and 90 s; 330 again.
        std::vector<std::int64_t> times;
        for (const auto& p : out)
            times.push_back(p.timestampMs);
        QCOMPARE(times, (std::vector<std::int64_t>{60000, 90000, 330000}));
        QVERIFY(close(out[0].value, 1.0));
        QVERIFY(evaluateRange(s, RangeFunction::Rate, 0, 100, 0, 1000).empty());
    }

    void numpyRateReference_data()
    {
        QTest::addColumn<QString>("points");
        QTest::addColumn<qint64>("evalMs");
        QTest::addColumn<qint64>("rangeMs");
        QTest::addColumn<QStringList>("expected"); // increase, rate, delta, irate, idelta
        QFile f(QStringLiteral(VIGIL_TEST_DATA_DIR "/prom/rate_cases.tsv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        int row = 0;
        for (const QByteArray& line : f.readAll().split('\n')) {
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            const auto cols = QString::fromUtf8(line).split(QLatin1Char('\t'));
            QCOMPARE(cols.size(), 8);
            QTest::addRow("case %d", row++)
                << cols[0] << cols[1].toLongLong() << cols[2].toLongLong() << cols.mid(3);
        }
        QVERIFY(row >= 100);
    }

    void numpyRateReference()
    {
        QFETCH(QString, points);
        QFETCH(qint64, evalMs);
        QFETCH(qint64, rangeMs);
        QFETCH(QStringList, expected);
        std::vector<PromPoint> s;
        for (const QString& p : points.split(QLatin1Char(','))) {
            const auto parts = p.split(QLatin1Char(':'));
            s.push_back({parts[0].toLongLong(), parts[1].toDouble()});
        }
        const std::optional<double> actual[] = {
            promIncrease(s, evalMs, rangeMs), promRate(s, evalMs, rangeMs), promDelta(s, evalMs, rangeMs),
            promIrate(s, evalMs, rangeMs), promIdelta(s, evalMs, rangeMs)};
        for (int i = 0; i < 5; ++i) {
            if (expected[i] == QLatin1String("none")) {
                QVERIFY2(!actual[i].has_value(), qPrintable(QStringLiteral("function %1").arg(i)));
                continue;
            }
            QVERIFY2(actual[i].has_value(), qPrintable(QStringLiteral("function %1").arg(i)));
            QVERIFY2(close(*actual[i], expected[i].toDouble()),
                     qPrintable(QStringLiteral("function %1: %2 vs %3")
                                    .arg(i)
                                    .arg(*actual[i], 0, 'g', 17)
                                    .arg(expected[i])));
        }
    }

    void upstreamHistogramQuantile_data()
    {
        QTest::addColumn<double>("q");
        QTest::addColumn<QString>("bounds");
        QTest::addColumn<QString>("counts");
        QTest::addColumn<double>("expected");
        const QString b1 = QStringLiteral("0.1,0.2,1,+Inf");
        const QString c1 = QStringLiteral("50,70,110,120");
        QTest::newRow("q=0.2") << 0.2 << b1 << c1 << 0.048;
        QTest::newRow("q=0.5") << 0.5 << b1 << c1 << 0.15;
        QTest::newRow("q=0.8") << 0.8 << b1 << c1 << 0.72;
        QTest::newRow("q=1 second-highest bound") << 1.0 << b1 << c1 << 1.0;
        QTest::newRow("q=0") << 0.0 << b1 << c1 << 0.0;
        const QString b2 = QStringLiteral("-0.2,-0.1,0.3,+Inf");
        const QString c2 = QStringLiteral("10,20,20,30");
        QTest::newRow("negative q=0") << 0.0 << b2 << c2 << -0.2;
        QTest::newRow("negative q=0.5") << 0.5 << b2 << c2 << -0.15;
        const QString b3 = QStringLiteral("0,2,4,6,+Inf");
        const QString c3 = QStringLiteral("0,1,2,3,3");
        QTest::newRow("testhistogram2 1/6") << 1.0 / 6 << b3 << c3 << 1.0;
        QTest::newRow("testhistogram2 1/2") << 0.5 << b3 << c3 << 3.0;
        QTest::newRow("testhistogram2 5/6") << 5.0 / 6 << b3 << c3 << 5.0;
        // mixed_bucket: "0.2", "2e-1" and "2.0e-1" parse to one bound and coalesce.
        QTest::newRow("coalesced spellings")
            << 0.5 << QStringLiteral("0.1,0.2,2e-1,2.0e-1,+Inf") << QStringLiteral("1,1,1,1,4") << 0.15;
        QTest::newRow("only +Inf buckets") << 0.5 << QStringLiteral("+Inf,+Inf") << QStringLiteral("0,0")
                                           << std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QTest::newRow("q<0") << -0.1 << b1 << c1 << -inf;
        QTest::newRow("q>1") << 1.1 << b1 << c1 << inf;
        QTest::newRow("q NaN") << std::nan("") << b1 << c1 << std::nan("");
        QTest::newRow("one bucket") << 0.5 << QStringLiteral("+Inf") << QStringLiteral("5") << std::nan("");
        QTest::newRow("no +Inf") << 0.5 << QStringLiteral("1,2") << QStringLiteral("5,6") << std::nan("");
        QTest::newRow("no observations")
            << 0.5 << QStringLiteral("1,+Inf") << QStringLiteral("0,0") << std::nan("");
        QTest::newRow("unsorted input")
            << 0.5 << QStringLiteral("+Inf,1,0.2,0.1") << QStringLiteral("120,110,70,50") << 0.15;
    }

    void upstreamHistogramQuantile()
    {
        QFETCH(double, q);
        QFETCH(QString, bounds);
        QFETCH(QString, counts);
        QFETCH(double, expected);
        const auto b = numbers(bounds);
        const auto c = numbers(counts);
        std::vector<QuantileBucket> buckets;
        for (std::size_t i = 0; i < b.size(); ++i)
            buckets.push_back({b[i], c[i]});
        const auto r = histogramQuantile(q, buckets);
        QVERIFY2(close(r.value, expected), qPrintable(QString::number(r.value, 'g', 17)));
    }

    void monotonicityFix()
    {
        // 2:8 is raised to 10 (flagged). q=0.5: rank 6 in the first bucket -> 0.6.
        // q=0.9: rank 10.8 lands in le=3 -> 2 + (10.8-10)/(12-10) = 2.4.
        const std::vector<QuantileBucket> b = {{1, 10}, {2, 8}, {3, 12}, {HUGE_VAL, 12}};
        const auto half = histogramQuantile(0.5, b);
        QVERIFY(close(half.value, 0.6));
        QVERIFY(half.forcedMonotonic);
        QVERIFY(!half.fixedPrecision);
        QVERIFY(close(histogramQuantile(0.9, b).value, 2.4));
        // A relative difference of 1e-13 is float noise: silently evened out.
        const std::vector<QuantileBucket> noisy = {
            {1, 1000}, {2, 1000 * (1 - 1e-13)}, {3, 2000}, {HUGE_VAL, 2000}};
        const auto r = histogramQuantile(0.75, noisy);
        QVERIFY(close(r.value, 2.5));
        QVERIFY(r.fixedPrecision);
        QVERIFY(!r.forcedMonotonic);
        // Upward noise is evened out too: all 1000 observations are then at le=1, so q=1
        // gives 1. Without the tolerance the rank 1000*(1+1e-13) would fall into le=2.
        const std::vector<QuantileBucket> up = {
            {1, 1000}, {2, 1000 * (1 + 1e-13)}, {HUGE_VAL, 1000 * (1 + 1e-13)}};
        const auto u = histogramQuantile(1.0, up);
        QVERIFY(u.fixedPrecision);
        QCOMPARE(u.value, 1.0);
    }

    void numpyReference_data()
    {
        QTest::addColumn<double>("q");
        QTest::addColumn<QString>("bounds");
        QTest::addColumn<QString>("counts");
        QTest::addColumn<double>("expected");
        QFile f(QStringLiteral(VIGIL_TEST_DATA_DIR "/prom/histogram_quantile_cases.tsv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        int row = 0;
        for (const QByteArray& line : f.readAll().split('\n')) {
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            const auto cols = QString::fromUtf8(line).split(QLatin1Char('\t'));
            QCOMPARE(cols.size(), 4);
            QTest::addRow("case %d", row++) << cols[0].toDouble() << cols[1] << cols[2] << cols[3].toDouble();
        }
        QVERIFY(row >= 400);
    }

    void numpyReference() { upstreamHistogramQuantile(); }

    void summaryPassThrough()
    {
        SummaryPoint p;
        p.quantiles = {{0.5, 110}, {0.9, 140}, {0.99, std::nan("")}};
        QCOMPARE(summaryQuantile(p, 0.9).value_or(-1), 140.0);
        QVERIFY(std::isnan(*summaryQuantile(p, 0.99)));
        QVERIFY(!summaryQuantile(p, 0.75).has_value());
    }
};

QTEST_GUILESS_MAIN(TestPromMath)
#include "tst_prom_math.moc"
