// Decision helpers: Alibi's FDR vector (#26), NannyML's threshold vectors (#15).
#include "drift/decision.h"

#include <QTest>

#include <cmath>
#include <numeric>

using namespace vigil;

class TestDriftDecision : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void alibiFdrStrict_data()
    {
        QTest::addColumn<double>("q");
        QTest::addColumn<double>("offset");
        QTest::addColumn<bool>("below");
        for (double q : {0.05, 0.1, 0.25}) {
            QTest::addRow("q=%g, p=q-1e-5", q) << q << -1e-5 << true;
            QTest::addRow("q=%g, p=q", q) << q << 0.0 << false;
        }
    }
    void alibiFdrStrict()
    {
        QFETCH(double, q);
        QFETCH(double, offset);
        QFETCH(bool, below);
        const std::vector<double> p(1000, q + offset);
        const auto r = benjaminiHochberg(p, q);
        QCOMPARE(r.anyRejected, below);
        QCOMPARE(std::count(r.rejected.begin(), r.rejected.end(), true), below ? 1000 : 0);
    }

    void fdrStepUp()
    {
        // Hand-checked: n = 5, q = 0.05 -> thresholds .01 .02 .03 .04 .05. Sorted p: .001 .008
        // .039 .041 .6; the largest rank with p < threshold is 2 (.039 >= .03, .041 >= .04).
        const std::vector<double> p = {0.041, 0.001, 0.6, 0.008, 0.039, std::nan("")};
        const auto r = benjaminiHochberg(std::span<const double>(p).first(5), 0.05);
        QCOMPARE(r.rejected, (std::vector<bool>{false, true, false, true, false}));
        QCOMPARE(r.threshold, 0.05 * 2 / 5);
        // A NaN p-value is ignored (n stays 5) and never rejected.
        const auto withNan = benjaminiHochberg(p, 0.05);
        QCOMPARE(withNan.rejected, (std::vector<bool>{false, true, false, true, false, false}));
        QCOMPARE(bonferroni(p, 0.05), (std::vector<bool>{false, true, false, true, false, false}));
    }

    void nannymlThresholds_data()
    {
        QTest::addColumn<std::vector<double>>("values");
        QTest::addColumn<double>("lowerMultiplier");
        QTest::addColumn<double>("upperMultiplier");
        QTest::addColumn<int>("offset");
        QTest::addColumn<double>("lower");
        QTest::addColumn<double>("upper");
        std::vector<double> range30(30);
        std::iota(range30.begin(), range30.end(), 0.0);
        const std::vector<double> small = {-1, 1, 1, 1};
        QTest::newRow("range(30) 1.4/2 median") << range30 << 1.4 << 2.0 << int(ThresholdOffset::Median)
                                                << 2.382381972241136 << 31.81088289679838;
        QTest::newRow("range(30) 0.3/3.1 min")
            << range30 << 0.3 << 3.1 << int(ThresholdOffset::Min) << -2.5966324345197567 << 26.83186849003749;
        const double sd = std::sqrt(0.75);
        QTest::newRow("[-1,1,1,1] 1 min")
            << small << 1.0 << 1.0 << int(ThresholdOffset::Min) << -1.8660254037844386 << -1.0 + sd;
        QTest::newRow("[-1,1,1,1] 0 min") << small << 0.0 << 0.0 << int(ThresholdOffset::Min) << -1.0 << -1.0;
        QTest::newRow("[-1,1,1,1] 2 min")
            << small << 2.0 << 2.0 << int(ThresholdOffset::Min) << -2.732050807568877 << -1.0 + 2 * sd;
    }
    void nannymlThresholds()
    {
        QFETCH(std::vector<double>, values);
        QFETCH(double, lowerMultiplier);
        QFETCH(double, upperMultiplier);
        QFETCH(int, offset);
        QFETCH(double, lower);
        QFETCH(double, upper);
        ThresholdRule rule;
        rule.lowerMultiplier = lowerMultiplier;
        rule.upperMultiplier = upperMultiplier;
        rule.offset = static_cast<ThresholdOffset>(offset);
        const auto t = thresholdFromReference(values, rule);
        QVERIFY(t && t->lower && t->upper);
        QVERIFY2(std::abs(*t->lower - lower) < 1e-12, qPrintable(QString::number(*t->lower, 'g', 17)));
        QVERIFY2(std::abs(*t->upper - upper) < 1e-12, qPrintable(QString::number(*t->upper, 'g', 17)));
    }

    void defaultThresholdIsUpperOnlyWithLimits()
    {
        // NannyML's drift default: mean + 3 std, no lower bound, clipped to the metric's range.
        ThresholdRule rule;
        rule.lowerMultiplier.reset();
        rule.lowerLimit = 0.0;
        rule.upperLimit = 1.0;
        const std::vector<double> d = {0.2, 0.4, 0.6};
        const auto t = thresholdFromReference(d, rule);
        QVERIFY(t && !t->lower && t->upper);
        QVERIFY(std::abs(*t->upper - (0.4 + 3 * std::sqrt(0.08 / 3))) < 1e-12); // 0.89, inside the limits
        QVERIFY(breaches(*t, 0.9));
        QVERIFY(!breaches(*t, 0.0));
        // 0.5 + 3 * 0.408 = 1.72 is clipped to KS D's upper limit.
        const std::vector<double> wide = {0.0, 0.5, 1.0};
        QCOMPARE(*thresholdFromReference(wide, rule)->upper, 1.0);
        QVERIFY(!breaches(*t, std::nullopt));
        QVERIFY(!thresholdFromReference(std::vector<double>{std::nan("")}, rule));
    }

    void minimumEffectSize()
    {
        const std::vector<double> p = {1e-9, 1e-9, 0.5, std::nan("")};
        const std::vector<double> effect = {0.005, 0.2, 0.3, 0.9};
        DecisionRule rule;
        rule.minimumEffect = 0.05;
        QCOMPARE(decideFeatureDrift(p, effect, rule), (std::vector<bool>{false, true, false, false}));
        rule.minimumEffect = 0.0;
        rule.correction = Correction::None;
        QCOMPARE(decideFeatureDrift(p, effect, rule), (std::vector<bool>{true, true, false, false}));
    }
};

QTEST_GUILESS_MAIN(TestDriftDecision)
#include "tst_drift_decision.moc"
