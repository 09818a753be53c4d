// The drift decision rule (docs/DRIFT.md, "drifted"): pooled chi-square against SciPy
// (tests/core/reference/make_pooled_chi2_reference.py), the leave-one-out identity, the
// size-scaled reference band, each condition of decideWindow / applyDecisions, and the
// two-window pool: its statistics against SciPy (tests/core/reference/make_pair_reference.py)
// and each of its conditions.
#include "drift/decision.h"
#include "drift/ks.h"
#include "drift/numeric_drift.h"
#include "drift/pooled_chi_square.h"
#include "engine/drift_analysis.h"
#include "engine/drift_decisions.h"
#include "engine/drift_pair.h"
#include "engine/feature_drift.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace vigil;

namespace {

bool near(double a, double b, double rel = 1e-9)
{
    return std::abs(a - b) <= rel * std::max(1.0, std::abs(b));
}

FeatureDrift numeric(const char* name, double p, double d, std::size_t count = 100)
{
    FeatureDrift f;
    f.name = name;
    f.ksP = p;
    f.ksD = d;
    f.count = count;
    return f;
}

FeatureEvidence evidence(double p, double effect, double count, double featureAlpha, double minimumEffect)
{
    FeatureEvidence e;
    e.p = p;
    e.effect = effect;
    e.count = count;
    e.featureAlpha = featureAlpha;
    e.minimumEffect = minimumEffect;
    return e;
}

// The samples of make_pair_reference.py, by the same IEEE operations.
std::vector<double> pairReference()
{
    std::vector<double> v;
    for (int i = 0; i < 1200; ++i)
        v.push_back(((i * 37) % 1200 + 0.5) / 1200.0);
    return v;
}
std::vector<double> pairWindow(int step, double offset, double shift)
{
    std::vector<double> v;
    for (int j = 0; j < 100; ++j)
        v.push_back(((j * step) % 100 + offset) / 100.0 + shift);
    return v;
}

// The decision statistics of two numeric windows in order; the second one's pool is set.
std::pair<FeatureDrift, FeatureDrift> scorePair(std::vector<double> previous, std::vector<double> current,
                                                std::size_t belowRows = 1000)
{
    const PreparedNumericReference ref(NumericReference::build(pairReference()));
    NumericPairScorer pair(belowRows);
    FeatureDrift first = featureDriftFromNumeric("x", scoreNumericWindow(ref, previous, 0));
    pair.next(ref, previous, 0, first);
    FeatureDrift second = featureDriftFromNumeric("x", scoreNumericWindow(ref, current, 0));
    pair.next(ref, current, 0, second);
    return {first, second};
}

// 29 features as in eachConditionBlocks, with pools: 4 drift (1e-6 alone and pooled), 24
// stable (0.5 both), and the one under test last.
std::vector<FeatureEvidence> withOthers(const FeatureEvidence& tested)
{
    std::vector<FeatureEvidence> features;
    FeatureEvidence drifting = evidence(1e-6, 0.5, 100.0, 0.005, 0.1);
    drifting.pairP = 1e-6;
    drifting.pairEffect = 0.5;
    drifting.pairCount = 200.0;
    FeatureEvidence stable = evidence(0.5, 0.05, 100.0, 0.005, 0.1);
    stable.pairP = 0.5;
    stable.pairEffect = 0.05;
    stable.pairCount = 200.0;
    for (int i = 0; i < 4; ++i)
        features.push_back(drifting);
    for (int i = 0; i < 24; ++i)
        features.push_back(stable);
    features.push_back(tested);
    return features;
}

} // namespace

class TestDriftDecisionRule : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void pooledChiSquareMatchesScipy_data()
    {
        QTest::addColumn<std::vector<double>>("ref");
        QTest::addColumn<std::vector<double>>("cur");
        QTest::addColumn<std::vector<int>>("pooled");
        QTest::addColumn<double>("statistic");
        QTest::addColumn<double>("p");
        QTest::addColumn<int>("dof");
        // Output of make_pooled_chi2_reference.py (SciPy 1.10 chi2_contingency on the pooled table).
        QTest::newRow("no sparse category")
            << std::vector<double>{400, 300, 200, 100} << std::vector<double>{40, 25, 20, 15}
            << std::vector<int>{} << 2.9431438127090304 << 0.40047460844669325 << 3;
        QTest::newRow("zipf 12 categories")
            << std::vector<double>{600, 300, 200, 150, 120, 100, 86, 75, 67, 60, 55, 50}
            << std::vector<double>{30, 14, 11, 8, 6, 5, 4, 5, 3, 4, 2, 3}
            << std::vector<int>{6, 7, 8, 9, 10, 11} << 0.2389259720823868 << 0.9997401311378319 << 6;
        QTest::newRow("rare pooled plus next")
            << std::vector<double>{900, 60, 30, 9, 1} << std::vector<double>{88, 7, 4, 1, 0}
            << std::vector<int>{1, 2, 3, 4} << 0.20900357865818384 << 0.6475495122018714 << 1;
        QTest::newRow("two columns left (Yates)")
            << std::vector<double>{900, 40, 30, 30} << std::vector<double>{85, 5, 6, 4}
            << std::vector<int>{1, 2, 3} << 1.9229971308761855 << 0.16552663465476633 << 1;
        QTest::newRow("unseen category pooled with the next smallest")
            << std::vector<double>{500, 300, 200, 0} << std::vector<double>{50, 30, 15, 5}
            << std::vector<int>{2, 3} << 0.0 << 1.0 << 2;
    }
    void pooledChiSquareMatchesScipy()
    {
        QFETCH(std::vector<double>, ref);
        QFETCH(std::vector<double>, cur);
        QFETCH(std::vector<int>, pooled);
        QFETCH(double, statistic);
        QFETCH(double, p);
        QFETCH(int, dof);
        const PooledTable t = poolSparseCategories(ref, cur);
        QCOMPARE(t.pooled.size(), pooled.size());
        for (std::size_t i = 0; i < pooled.size(); ++i)
            QCOMPARE(t.pooled[i], static_cast<std::size_t>(pooled[i]));
        const auto r = pooledChiSquare(ref, cur);
        QVERIFY(r);
        QVERIFY2(near(r->statistic, statistic) || std::abs(r->statistic - statistic) < 1e-12,
                 qPrintable(QString::number(r->statistic, 'g', 17)));
        QVERIFY2(near(r->pValue, p, 1e-7), qPrintable(QString::number(r->pValue, 'g', 17)));
        QCOMPARE(r->dof, dof);
    }

    void pooledChiSquareIsWiredIntoCategoricalDrift()
    {
        // 40 categories, 1,200 reference rows spread evenly, a 100-row window: every category
        // is expected 2.4 times, so all are pooled into one column and the pooled test has
        // nothing left to compare (p = 1) while the unpooled one sees 40 sparse cells.
        std::vector<std::int32_t> refCodes;
        for (int i = 0; i < 1200; ++i)
            refCodes.push_back(i % 40);
        std::vector<std::int32_t> cur;
        for (int i = 0; i < 100; ++i)
            cur.push_back(i % 5); // only 5 categories seen
        const auto drift = categoricalDrift(CategoricalReference::build(refCodes), cur);
        QVERIFY(drift.chiSquare && drift.pooledChiSquare);
        QVERIFY(drift.chiSquare->pValue < 1e-10);
        QCOMPARE(drift.pooledChiSquare->dof, 0);
        QCOMPARE(drift.pooledChiSquare->pValue, 1.0);
    }

    void leaveOneOutIsExactForKsAndW1()
    {
        // A reference window W inside the reference R = W + rest: the effect against R times
        // N / (N - n) equals the effect against the rest.
        std::mt19937_64 rng(7);
        std::normal_distribution<double> normal;
        std::vector<double> window(100);
        std::vector<double> rest(1100);
        for (double& x : window)
            x = normal(rng) + 0.3;
        for (double& x : rest)
            x = normal(rng);
        std::vector<double> whole = rest;
        whole.insert(whole.end(), window.begin(), window.end());
        const double n = 100.0;
        const double total = 1200.0;
        const auto inside = ksTwoSample(whole, window);
        const auto outside = ksTwoSample(rest, window);
        QVERIFY(inside && outside);
        QVERIFY(near(leaveOneOutEffect(inside->statistic, n, total), outside->statistic, 1e-12));
        const auto w1Inside = wasserstein(whole, window);
        const auto w1Outside = wasserstein(rest, window);
        QVERIFY(w1Inside && w1Outside);
        QVERIFY(near(leaveOneOutEffect(*w1Inside, n, total), *w1Outside, 1e-9));
        // No rest: unchanged.
        QCOMPARE(leaveOneOutEffect(0.2, 100.0, 100.0), 0.2);
    }

    void noiseScale()
    {
        QVERIFY(near(vigil::noiseScale(100.0, 1200.0), std::sqrt(0.01 + 1.0 / 1200.0)));
        QVERIFY(near(vigil::noiseScale(100.0, 0.0), 0.1));
        QVERIFY(std::isnan(vigil::noiseScale(0.0, 1200.0)));
    }

    void bandScalesWithWindowSize()
    {
        // Hand-computed: effects .1 and .2 of two 100-row windows forming a 200-row reference.
        // Leave-one-out: .2 and .4; noise scale of 100 vs the other 100 rows: sqrt(.02);
        // z = 1.41421, 2.82843 -> mean 2.12132, population sd 0.707107, 3 sd: 4.24264.
        // A 100-row window's noise scale against all 200 rows: sqrt(.015) -> 0.519615.
        const std::vector<double> effects = {0.1, 0.2};
        const std::vector<double> counts = {100.0, 100.0};
        const auto band = effectBand(effects, counts, 3.0);
        QVERIFY(band);
        QCOMPARE(band->referenceN, 200.0);
        QVERIFY(near(band->mean, 1.5 * std::sqrt(2.0)));
        QVERIFY(near(band->sd, std::sqrt(0.5)));
        QVERIFY(near(band->upper(100.0), 3.0 * std::sqrt(2.0) * std::sqrt(0.015)));
        // A window with a quarter of the rows has a wider band, by its noise scale.
        QVERIFY(near(band->upper(25.0) / band->upper(100.0), std::sqrt(0.045) / std::sqrt(0.015)));
        // Without sizes (a saved profile): the flat band of the raw effects, .15 + 3 * .05.
        const auto flat = effectBand(effects, {}, 3.0);
        QVERIFY(flat);
        QCOMPARE(flat->referenceN, 0.0);
        QVERIFY(near(flat->upper(100.0), 0.3));
        QVERIFY(near(flat->upper(5.0), 0.3));
        // A zero count (size unknown) also gives the flat band; one effect gives none.
        QVERIFY(near(effectBand(effects, std::vector<double>{100.0, 0.0}, 3.0)->upper(50.0), 0.3));
        QVERIFY(!effectBand(std::vector<double>{0.1}, std::vector<double>{100.0}, 3.0));
        QVERIFY(!effectBand(std::vector<double>{0.1, std::nan("")}, {}, 3.0));
    }

    void eachConditionBlocks_data()
    {
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("effect");
        QTest::addColumn<double>("featureAlpha");
        QTest::addColumn<double>("minimumEffect");
        QTest::addColumn<bool>("withBand");
        QTest::addColumn<bool>("drifted");
        // 29 features: 4 drift with p = 1e-6, 24 stable with p = 0.5, and the one under test.
        // BH at 0.05: the 5th smallest passes when p < 0.05 * 5 / 29 = 0.00862.
        QTest::newRow("all hold") << 0.001 << 0.3 << 0.005 << 0.1 << true << true;
        QTest::newRow("BH rejects, featureAlpha blocks") << 0.007 << 0.3 << 0.005 << 0.1 << false << false;
        QTest::newRow("BH rejects, featureAlpha loosened") << 0.007 << 0.3 << 0.01 << 0.1 << false << true;
        QTest::newRow("BH does not reject") << 0.009 << 0.3 << 1.0 << 0.1 << false << false;
        QTest::newRow("below minimum effect") << 0.001 << 0.09 << 0.005 << 0.1 << false << false;
        QTest::newRow("inside the band") << 0.001 << 0.2 << 0.005 << 0.1 << true << false;
        QTest::newRow("NaN p is outside the family") << std::nan("") << 0.3 << 0.005 << 0.1 << false << false;
        QTest::newRow("NaN effect") << 0.001 << std::nan("") << 0.005 << 0.0 << false << false;
    }
    void eachConditionBlocks()
    {
        QFETCH(double, p);
        QFETCH(double, effect);
        QFETCH(double, featureAlpha);
        QFETCH(double, minimumEffect);
        QFETCH(bool, withBand);
        QFETCH(bool, drifted);
        std::vector<FeatureEvidence> features;
        for (int i = 0; i < 4; ++i)
            features.push_back(evidence(1e-6, 0.5, 100.0, 0.005, 0.1));
        for (int i = 0; i < 24; ++i)
            features.push_back(evidence(0.5, 0.05, 100.0, 0.005, 0.1));
        FeatureEvidence tested = evidence(p, effect, 100.0, featureAlpha, minimumEffect);
        if (withBand) {
            // Flat band at 0.25: 0.3 is above it, 0.2 inside.
            EffectBand band;
            band.mean = 0.25;
            band.sd = 0.0;
            tested.band = band;
        }
        features.push_back(tested);
        const auto out = decideWindow(features, 0.05);
        QCOMPARE(static_cast<bool>(out.back()), drifted);
        for (int i = 0; i < 4; ++i)
            QVERIFY(out[static_cast<std::size_t>(i)]);
        for (int i = 4; i < 28; ++i)
            QVERIFY(!out[static_cast<std::size_t>(i)]);
    }

    void applyDecisionsUsesPooledPValueAndFeatureSettings()
    {
        WindowDrift w;
        w.features.push_back(numeric("a", 1e-8, 0.4));
        w.features.push_back(numeric("b", 0.004, 0.3));
        FeatureDrift cat;
        cat.name = "c";
        cat.categorical = true;
        cat.chi2P = 1e-12;     // sparse cells: the unpooled test is far too confident
        cat.chi2PooledP = 0.3; // the decision uses this one
        cat.js = 0.4;
        cat.count = 100;
        w.features.push_back(cat);
        std::vector<WindowDrift> windows = {w};
        DriftOptions options;
        applyDecisions(windows, {}, options);
        QVERIFY(windows[0].features[0].drifted);
        QVERIFY(windows[0].features[1].drifted); // 0.004 < featureAlpha 0.005
        QVERIFY(!windows[0].features[2].drifted);
        QCOMPARE(decisionPValue(windows[0].features[2]), std::optional<double>(0.3));
        // Per-feature featureAlpha overrides the global one.
        options.features["b"].featureAlpha = 0.001;
        applyDecisions(windows, {}, options);
        QVERIFY(windows[0].features[0].drifted);
        QVERIFY(!windows[0].features[1].drifted);
        // Without the pooled value the unpooled p is used.
        windows[0].features[2].chi2PooledP.reset();
        applyDecisions(windows, {}, options);
        QVERIFY(windows[0].features[2].drifted);
    }

    void pairConditionBlocks_data()
    {
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("effect");
        QTest::addColumn<double>("pairP");
        QTest::addColumn<double>("pairEffect");
        QTest::addColumn<double>("pairOwnAlpha");
        QTest::addColumn<double>("featureAlpha");
        QTest::addColumn<bool>("drifted");
        // The window alone fails (p = 0.03: BH needs < 0.00862, featureAlpha 0.005). The pool
        // has 200 values; its band (level 1.5, referenceN 1,200) is 1.5 sqrt(1/200 + 1/1200) =
        // 0.1146 at 200 values but 0.156 at the window's 100: 0.13 passes only if the pool is
        // measured at its own count. The window's own band (level 3) would block all of these.
        QTest::newRow("pool passes") << 0.03 << 0.15 << 1e-4 << 0.13 << 0.1 << 0.005 << true;
        QTest::newRow("pool: BH does not reject") << 0.03 << 0.15 << 0.009 << 0.13 << 0.1 << 1.0 << false;
        QTest::newRow("pool: BH rejects, featureAlpha blocks")
            << 0.03 << 0.15 << 0.007 << 0.13 << 0.1 << 0.005 << false;
        QTest::newRow("pool: BH rejects, featureAlpha loosened")
            << 0.03 << 0.15 << 0.007 << 0.13 << 0.1 << 0.01 << true;
        QTest::newRow("pool: below minimum effect") << 0.03 << 0.15 << 1e-4 << 0.09 << 0.1 << 0.005 << false;
        QTest::newRow("pool: inside its band") << 0.03 << 0.15 << 1e-4 << 0.11 << 0.1 << 0.005 << false;
        QTest::newRow("own p above pairOwnAlpha") << 0.12 << 0.15 << 1e-4 << 0.13 << 0.1 << 0.005 << false;
        QTest::newRow("own p, pairOwnAlpha loosened") << 0.12 << 0.15 << 1e-4 << 0.13 << 0.2 << 0.005 << true;
        QTest::newRow("own effect below minimum") << 0.03 << 0.09 << 1e-4 << 0.13 << 0.1 << 0.005 << false;
        QTest::newRow("no pool") << 0.03 << 0.15 << std::nan("") << std::nan("") << 0.1 << 0.005 << false;
    }
    void pairConditionBlocks()
    {
        QFETCH(double, p);
        QFETCH(double, effect);
        QFETCH(double, pairP);
        QFETCH(double, pairEffect);
        QFETCH(double, pairOwnAlpha);
        QFETCH(double, featureAlpha);
        QFETCH(bool, drifted);
        FeatureEvidence tested = evidence(p, effect, 100.0, featureAlpha, 0.1);
        EffectBand own;
        own.mean = 3.0;
        own.referenceN = 1200.0;
        tested.band = own;
        EffectBand pool = own;
        pool.mean = 1.5;
        tested.pairBand = pool;
        tested.pairP = pairP;
        tested.pairEffect = pairEffect;
        tested.pairCount = 200.0;
        tested.pairOwnAlpha = pairOwnAlpha;
        const auto out = decideWindow(withOthers(tested), 0.05);
        QCOMPARE(static_cast<bool>(out.back()), drifted);
        for (int i = 0; i < 4; ++i)
            QVERIFY(out[static_cast<std::size_t>(i)]);
        for (int i = 4; i < 28; ++i)
            QVERIFY(!out[static_cast<std::size_t>(i)]);
    }

    void pairStatisticsMatchScipy()
    {
        // make_pair_reference.py: the pool's decision p = min(1, 2 min(KS p, binned p)).
        const auto [first, shifted] = scorePair(pairWindow(13, 0.5, 0.15), pairWindow(17, 0.25, 0.15));
        QVERIFY(!first.pairP && !first.pairEffect && first.pairCount == 0); // no previous window
        QCOMPARE(shifted.pairCount, std::size_t{200});
        QVERIFY(near(*shifted.pairEffect, 0.1525));
        QVERIFY(near(*shifted.pairP, 1.3280915274647946e-08, 1e-7));
        const auto spike = scorePair(pairWindow(13, 0.5, 0.3), pairWindow(17, 0.25, 0.0)).second;
        QVERIFY(near(*spike.pairEffect, 0.1525));
        QVERIFY(near(*spike.pairP, 1.4222057074471046e-06, 1e-7));

        CategoricalReference ref;
        ref.counts = {{0, 400.0}, {1, 300.0}, {2, 200.0}, {3, 100.0}};
        ref.rows = 1000;
        const auto codes = [](std::vector<int> counts) {
            std::vector<std::int32_t> out;
            for (std::size_t c = 0; c < counts.size(); ++c)
                out.insert(out.end(), static_cast<std::size_t>(counts[c]), static_cast<std::int32_t>(c));
            return out;
        };
        CategoricalPairScorer pair(1000);
        auto previous = codes({25, 30, 20, 25});
        FeatureDrift a = featureDriftFromCategorical("c", categoricalDrift(ref, previous));
        pair.next(ref, previous, a);
        auto current = codes({26, 29, 21, 24});
        current.push_back(-1); // a missing value counts in neither pool nor window
        FeatureDrift b = featureDriftFromCategorical("c", categoricalDrift(ref, current));
        pair.next(ref, current, b);
        QVERIFY(!a.pairP);
        QCOMPARE(b.pairCount, std::size_t{200});
        QVERIFY(near(*b.pairEffect, 0.18544305822963478));
        QVERIFY(near(*b.pairP, 3.468793105415461e-08, 1e-7));
    }

    void pairScorerSkips()
    {
        // At or above belowRows (100 values, belowRows 100) and with belowRows 0: no pool.
        QVERIFY(!scorePair(pairWindow(13, 0.5, 0.3), pairWindow(17, 0.25, 0.3), 100).second.pairP);
        QVERIFY(!scorePair(pairWindow(13, 0.5, 0.3), pairWindow(17, 0.25, 0.3), 0).second.pairP);
        QVERIFY(scorePair(pairWindow(13, 0.5, 0.3), pairWindow(17, 0.25, 0.3), 101).second.pairP);
        // A previous window without values pools nothing.
        const PreparedNumericReference ref(NumericReference::build(pairReference()));
        NumericPairScorer pair(1000);
        std::vector<double> empty;
        FeatureDrift f;
        pair.next(ref, empty, 5, f);
        auto current = pairWindow(17, 0.25, 0.3);
        FeatureDrift g = featureDriftFromNumeric("x", scoreNumericWindow(ref, current, 0));
        pair.next(ref, current, 0, g);
        QVERIFY(!g.pairP);
    }

    void applyDecisionsPool()
    {
        // Window 1 follows a one-window spike: its pool is significant (p 1.4e-6, D 0.15) but
        // the window itself is not (D 0.0075, p 1), so it is not flagged. Window 2 is a
        // shifted window whose pool with a shifted window passes.
        const auto [spiked, afterSpike] = scorePair(pairWindow(13, 0.5, 0.3), pairWindow(17, 0.25, 0.0));
        QVERIFY(afterSpike.ksP && *afterSpike.ksP > 0.5);
        std::vector<WindowDrift> windows(2);
        windows[0].features = {afterSpike};
        FeatureDrift shifted = afterSpike;
        shifted.ksP = 0.03; // alone: above featureAlpha
        shifted.binChi2P.reset();
        shifted.ksD = 0.15;
        windows[1].features = {shifted};
        DriftOptions options;
        options.minimumEffect = 0.1;
        applyDecisions(windows, {}, options);
        QVERIFY(!windows[0].features[0].drifted);
        QVERIFY(windows[1].features[0].drifted);
        // Per feature: pairOwnAlpha below the window's own p blocks the pool.
        options.features["x"].pairOwnAlpha = 0.01;
        applyDecisions(windows, {}, options);
        QVERIFY(!windows[1].features[0].drifted);
        options.features.clear();
        // The pool's band: reference effects .05 and .06 at 100 rows each (N = 200): normed
        // e * 2 / sqrt(1/100 + 1/100) = 0.707, 0.849 (mean 0.778, sd 0.0707); at the pool's 200
        // values the scale is sqrt(1/200 + 1/200) = 0.1, so pairThresholdSigmas 2 gives 0.092
        // (the pool's D 0.1525 passes) and 20 gives 0.219 (blocked); thresholdSigmas does not
        // enter the pool's band.
        const std::vector<std::vector<double>> effects{{0.05, 0.06}};
        const std::vector<std::vector<double>> counts{{100.0, 100.0}};
        options.thresholdSigmas = 20.0;
        applyDecisions(windows, effects, options, counts);
        QVERIFY(windows[1].features[0].drifted);
        options.features["x"].pairThresholdSigmas = 20.0;
        applyDecisions(windows, effects, options, counts);
        QVERIFY(!windows[1].features[0].drifted);
        options.features.clear();
        // An ignored feature's pool is out of its family too.
        options.features["x"].ignore = true;
        applyDecisions(windows, effects, options, counts);
        QVERIFY(!windows[1].features[0].drifted);
    }

    void applyDecisionsBandFromReferenceCounts()
    {
        // Feature a's reference windows: D = .1 and .2 at 100 rows each (band above, 0.52 at
        // 100 rows). A 100-row window with D = 0.5 stays inside; with 400 rows the band is
        // 3 sqrt(2) sqrt(1/400 + 1/200) = 0.367 and D = 0.5 is outside.
        std::vector<WindowDrift> windows(2);
        windows[0].features.push_back(numeric("a", 1e-9, 0.5, 100));
        windows[1].features.push_back(numeric("a", 1e-9, 0.5, 400));
        DriftOptions options;
        applyDecisions(windows, {{0.1, 0.2}}, options, {{100.0, 100.0}});
        QVERIFY(!windows[0].features[0].drifted);
        QVERIFY(windows[1].features[0].drifted);
        // The flat band of a saved profile (no counts): .3 for both.
        applyDecisions(windows, {{0.1, 0.2}}, options);
        QVERIFY(windows[0].features[0].drifted);
        QVERIFY(windows[1].features[0].drifted);
    }
};

QTEST_GUILESS_MAIN(TestDriftDecisionRule)
#include "tst_drift_decision_rule.moc"
