// Drift over the windows of a hand-built LogTable: flags, nulls, unseen categories, errors,
// and the binary-search KS statistic against the SciPy-validated merge (ksStatisticSorted).
#include "engine/drift_analysis.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace vigil;

namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kT0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z
constexpr int kWindows = 20;
constexpr int kRowsPerWindow = 1000;
constexpr int kShiftFrom = 10; // windows >= this are shifted

// "shifted": N(0,1), N(1,1) from window 10; "stable": N(0,1); "empty": all null;
// "cat": a/b, and an unseen "c" from window 10.
struct Fixture
{
    LogTable table;
    AnalysisSnapshot snapshot;
};

Fixture makeFixture()
{
    Fixture f;
    LogTable& t = f.table;
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    t.numericFeatures = {NumericColumn{"shifted", {}, {}}, NumericColumn{"stable", {}, {}},
                         NumericColumn{"empty", {}, {}}};
    t.categoricalFeatures = {CategoricalColumn{"cat", {}, {"a", "b", "c"}}};
    for (int w = 0; w < kWindows; ++w) {
        WindowStats s;
        s.startMs = kT0 + w * kHour;
        s.endMs = s.startMs + kHour;
        s.rows = kRowsPerWindow;
        f.snapshot.windows.push_back(s);
        for (int i = 0; i < kRowsPerWindow; ++i) {
            t.tsMs.push_back(s.startMs + i * (kHour / kRowsPerWindow));
            t.numericFeatures[0].push(normal(rng) + (w >= kShiftFrom ? 1.0 : 0.0));
            t.numericFeatures[1].push(normal(rng));
            t.numericFeatures[2].pushNull();
            const double u = uniform(rng);
            t.categoricalFeatures[0].codes.push_back(w >= kShiftFrom && u < 0.3 ? 2u : (u < 0.6 ? 0u : 1u));
            t.prediction.push(uniform(rng));
            t.label.pushNull();
        }
    }
    f.snapshot.windowMs = kHour;
    f.snapshot.predictionKind = PredictionKind::Score;
    return f;
}

DriftOptions firstHalfReference()
{
    DriftOptions o;
    o.enabled = true;
    o.referenceStartMs = kT0;
    o.referenceEndMs = kT0 + kShiftFrom * kHour;
    return o;
}

const FeatureDrift& feature(const WindowDrift& w, const std::string& name)
{
    const auto it = std::find_if(w.features.begin(), w.features.end(),
                                 [&](const FeatureDrift& f) { return f.name == name; });
    if (it == w.features.end())
        qFatal("no feature %s", name.c_str());
    return *it;
}

} // namespace

class TestDriftAnalysis : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void flags_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("driftsAfterShift");
        QTest::newRow("shifted numeric") << "shifted" << true;
        QTest::newRow("stable numeric") << "stable" << false;
        QTest::newRow("unseen category") << "cat" << true;
        QTest::newRow("all-null feature") << "empty" << false;
        QTest::newRow("prediction") << "prediction" << false;
    }
    void flags()
    {
        QFETCH(QString, name);
        QFETCH(bool, driftsAfterShift);
        const Fixture f = makeFixture();
        const auto drift = computeDrift(f.table, f.snapshot, firstHalfReference());
        QVERIFY2(drift.ok(), drift.ok() ? "" : drift.error().message.c_str());
        QCOMPARE(drift.value().reference.rows, std::uint64_t{kShiftFrom * kRowsPerWindow});
        QCOMPARE(drift.value().reference.source, std::string("range"));
        QCOMPARE(drift.value().windows.size(), std::size_t{kWindows});
        for (int w = 0; w < kWindows; ++w) {
            const bool expected = driftsAfterShift && w >= kShiftFrom;
            QCOMPARE(feature(drift.value().windows[w], name.toStdString()).drifted, expected);
        }
    }

    void unseenCategoryStatistics()
    {
        const Fixture f = makeFixture();
        const auto drift = computeDrift(f.table, f.snapshot, firstHalfReference());
        QVERIFY(drift.ok());
        const FeatureDrift& before = feature(drift.value().windows[0], "cat");
        const FeatureDrift& after = feature(drift.value().windows[kShiftFrom], "cat");
        QVERIFY(before.categorical);
        QVERIFY(!before.ksD && !after.wasserstein); // numeric-only statistics are null
        QVERIFY(after.chi2 && after.chi2P && after.js && after.psi && after.hellinger);
        QVERIFY(*after.chi2P < 1e-30);
        QVERIFY(*after.js > *before.js);
        QCOMPARE(*after.missingShare, 0.0);
    }

    void allNullFeatureIsNull()
    {
        const Fixture f = makeFixture();
        const auto drift = computeDrift(f.table, f.snapshot, firstHalfReference());
        QVERIFY(drift.ok());
        for (const WindowDrift& w : drift.value().windows) {
            const FeatureDrift& e = feature(w, "empty");
            QVERIFY(!e.ksD && !e.ksP && !e.wasserstein && !e.psi && !e.js && !e.hellinger && !e.chi2);
            QCOMPARE(*e.missingShare, 1.0);
        }
    }

    void multivariateBand()
    {
        const Fixture f = makeFixture();
        const auto drift = computeDrift(f.table, f.snapshot, firstHalfReference());
        QVERIFY(drift.ok());
        for (int w = 0; w < kWindows; ++w) {
            const MultivariateDrift& m = drift.value().windows[w].multivariate;
            QVERIFY(m.reconstructionError && m.lower && m.upper);
            QCOMPARE(m.drifted, *m.reconstructionError < *m.lower || *m.reconstructionError > *m.upper);
        }
    }

    void defaultReferenceIsFirstTenthOfWindows()
    {
        const Fixture f = makeFixture();
        DriftOptions o;
        o.enabled = true;
        const auto drift = computeDrift(f.table, f.snapshot, o);
        QVERIFY(drift.ok());
        QCOMPARE(drift.value().reference.startMs, kT0);
        QCOMPARE(drift.value().reference.endMs, kT0 + 2 * kHour); // 20 windows over 20 h
    }

    void emptyReferenceIsAnError()
    {
        const Fixture f = makeFixture();
        DriftOptions o = firstHalfReference();
        o.referenceStartMs = kT0 - 10 * kHour;
        o.referenceEndMs = kT0 - 5 * kHour;
        const auto drift = computeDrift(f.table, f.snapshot, o);
        QVERIFY(!drift.ok());
        QVERIFY(drift.error().message.find("reference has no rows") != std::string::npos);
        o.referenceEndMs = kT0 - 20 * kHour;
        const auto inverted = computeDrift(f.table, f.snapshot, o);
        QVERIFY(!inverted.ok());
        QVERIFY(inverted.error().message.find("ends before it starts") != std::string::npos);
    }

    void samplingIsDeterministic()
    {
        const Fixture f = makeFixture();
        DriftOptions o = firstHalfReference();
        o.maxRowsPerWindow = 300;
        const auto a = computeDrift(f.table, f.snapshot, o);
        const auto b = computeDrift(f.table, f.snapshot, o);
        QVERIFY(a.ok() && b.ok());
        QVERIFY(a.value().sampled);
        QVERIFY(a.value().windows[3].sampled);
        for (int w = 0; w < kWindows; ++w)
            QCOMPARE(*feature(a.value().windows[w], "shifted").ksD,
                     *feature(b.value().windows[w], "shifted").ksD);
        QVERIFY(feature(a.value().windows[kShiftFrom], "shifted").drifted);
    }

    void ksBySearchEqualsMerge_data()
    {
        QTest::addColumn<int>("n1");
        QTest::addColumn<int>("n2");
        QTest::addColumn<int>("levels"); // 0 = continuous, 1 = constant, else rounded to a grid
        QTest::addColumn<double>("shift");
        QTest::addColumn<bool>("infinities"); // the window's extremes become -Inf / +Inf
        QTest::newRow("equal sizes") << 500 << 500 << 0 << 0.3 << false;
        QTest::newRow("large ref") << 20000 << 700 << 0 << 0.1 << false;
        QTest::newRow("ties") << 3000 << 400 << 7 << 0.5 << false;
        QTest::newRow("heavy ties, small window") << 1000 << 3 << 3 << 0.0 << false;
        QTest::newRow("window larger") << 50 << 5000 << 0 << -1.0 << false;
        QTest::newRow("disjoint above") << 100 << 100 << 0 << 50.0 << false;
        QTest::newRow("disjoint below") << 100 << 100 << 0 << -50.0 << false;
        QTest::newRow("single values") << 1 << 1 << 0 << 1.0 << false;
        QTest::newRow("single window value") << 300 << 1 << 0 << 0.2 << false;
        QTest::newRow("single reference value") << 1 << 300 << 0 << 0.2 << false;
        QTest::newRow("identical constant") << 40 << 60 << 1 << 0.0 << false;
        QTest::newRow("infinities") << 2000 << 3000 << 0 << 0.2 << true;
        QTest::newRow("infinities, ties") << 2000 << 3000 << 5 << 0.2 << true;
    }
    void ksBySearchEqualsMerge()
    {
        QFETCH(int, n1);
        QFETCH(int, n2);
        QFETCH(int, levels);
        QFETCH(double, shift);
        QFETCH(bool, infinities);
        std::mt19937_64 rng(static_cast<std::uint64_t>(n1 * 31 + n2));
        std::normal_distribution<double> normal(0.0, 1.0);
        const auto draw = [&](int n, double s) {
            std::vector<double> v;
            for (int i = 0; i < n; ++i) {
                const double x = normal(rng) + s;
                v.push_back(levels == 1 ? 3.0 : levels ? std::round(x * levels / 4.0) : x);
            }
            std::sort(v.begin(), v.end());
            return v;
        };
        const auto a = draw(n1, 0.0);
        auto b = draw(n2, shift);
        if (infinities && b.size() > 2) {
            b.front() = -std::numeric_limits<double>::infinity();
            b.back() = std::numeric_limits<double>::infinity();
        }
        QCOMPARE(ksStatisticBySearch(a, b), ksStatisticSorted(a, b));
        QCOMPARE(ksStatisticBySearch(b, a), ksStatisticSorted(b, a));
        // The report's one-walk scoring against the library's numericDrift.
        {
            const PreparedNumericReference ref(NumericReference::build(a));
            std::vector<double> window = b;
            const NumericDrift fast = scoreNumericWindow(ref, window, 0);
            const NumericDrift slow = numericDrift(ref.ref, b);
            QVERIFY(fast.ks && slow.ks && fast.wasserstein && slow.wasserstein);
            QCOMPARE(fast.ks->statistic, slow.ks->statistic);
            QCOMPARE(fast.ks->pValue, slow.ks->pValue);
            QVERIFY(std::abs(*fast.wasserstein - *slow.wasserstein) <=
                    1e-12 * std::max(1.0, *slow.wasserstein));
            QCOMPARE(*fast.psi, *slow.psi);
        }
        // W1 from prefix sums against the merge (itself checked against SciPy), both ways round.
        for (const auto& [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
            const PreparedNumericReference ref(NumericReference::build(x));
            const auto fast = wassersteinBySearch(ref, y);
            const auto merge = wassersteinSorted(x, y);
            QVERIFY(fast && merge);
            QVERIFY2(std::abs(*fast - *merge) <= 1e-12 * std::max(1.0, std::abs(*merge)),
                     qPrintable(QStringLiteral("%1 vs %2").arg(*fast, 0, 'g', 17).arg(*merge, 0, 'g', 17)));
        }
    }
    // The cell index must give exactly std::lower_bound / std::upper_bound, whatever the
    // shape: crowded cells (heavy tail, ties), queries at reference values, outside the range.
    void cellBoundsEqualBinarySearch_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("n");
        QTest::newRow("normal") << QStringLiteral("normal") << 5000;
        QTest::newRow("lognormal, heavy tail") << QStringLiteral("lognormal") << 5000;
        QTest::newRow("few levels") << QStringLiteral("levels") << 3000;
        QTest::newRow("constant") << QStringLiteral("constant") << 50;
        QTest::newRow("one value") << QStringLiteral("normal") << 1;
        QTest::newRow("range beyond DBL_MAX") << QStringLiteral("huge") << 1000;
        // bounds() counts a cell of up to four values with a fixed, masked scan: cells of
        // 1 to 6 equal values, evenly spread values, and references so short that the scan
        // would run past their end.
        QTest::newRow("runs of 1-6 equal values") << QStringLiteral("runs") << 4000;
        QTest::newRow("uniform") << QStringLiteral("uniform") << 4000;
        for (const int small : {2, 3, 4, 5, 8})
            QTest::newRow(qPrintable(QStringLiteral("normal, %1 values").arg(small)))
                << QStringLiteral("normal") << small;
    }
    void cellBoundsEqualBinarySearch()
    {
        QFETCH(QString, shape);
        QFETCH(int, n);
        std::mt19937_64 rng(static_cast<std::uint64_t>(n) + shape.size());
        std::normal_distribution<double> normal(0.0, 1.0);
        std::vector<double> ref;
        for (int i = 0; i < n; ++i) {
            const double z = normal(rng);
            if (shape == QLatin1String("lognormal"))
                ref.push_back(std::exp(3.0 * z));
            else if (shape == QLatin1String("levels"))
                ref.push_back(std::round(z * 2.0));
            else if (shape == QLatin1String("constant"))
                ref.push_back(4.5);
            else if (shape == QLatin1String("huge"))
                ref.push_back(std::clamp(z * 6e307, -1.7e308, 1.7e308));
            else if (shape == QLatin1String("uniform"))
                ref.push_back(static_cast<double>(i) / n);
            else if (shape == QLatin1String("runs"))
                for (int r = 0; r <= i % 6 && static_cast<int>(ref.size()) < n; ++r)
                    ref.push_back(std::round(z * 1000.0) / 1000.0);
            else
                ref.push_back(z);
        }
        const PreparedNumericReference prepared(NumericReference::build(ref));
        QVERIFY(prepared.hasCells());
        const auto& a = prepared.ref.sorted;
        std::vector<double> queries(a.begin(), a.end());
        for (int i = 0; i <= 2000; ++i) {
            const double t = i / 2000.0; // no overflow even when the range itself overflows
            queries.push_back(a.front() * (1 - t) + a.back() * t);
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
            queries.push_back(std::nextafter(a[i], -1e308));
            queries.push_back(std::nextafter(a[i], 1e308));
            if (i + 1 < a.size())
                queries.push_back(a[i] / 2 + a[i + 1] / 2); // no overflow on the huge range
        }
        queries.push_back(-std::numeric_limits<double>::max());
        queries.push_back(std::numeric_limits<double>::max());
        queries.push_back(std::nextafter(a.front(), -1e308));
        queries.push_back(std::nextafter(a.back(), 1e308));
        for (const double x : queries) {
            const auto b = prepared.bounds(x);
            QCOMPARE(b.below, static_cast<std::size_t>(std::lower_bound(a.begin(), a.end(), x) - a.begin()));
            QCOMPARE(b.atOrBelow,
                     static_cast<std::size_t>(std::upper_bound(a.begin(), a.end(), x) - a.begin()));
        }
        // A reference holding +/-Inf has no index (the scoring falls back to the
        // searches).
        ref.push_back(std::numeric_limits<double>::infinity());
        QVERIFY(!PreparedNumericReference(NumericReference::build(ref)).hasCells());
    }

    void binCountsFromSortedSampleEqualPerValue()
    {
        std::mt19937_64 rng(5);
        std::normal_distribution<double> normal(0.0, 1.0);
        std::vector<double> ref;
        std::vector<double> cur;
        for (int i = 0; i < 3000; ++i)
            ref.push_back(std::round(normal(rng) * 3.0) / 3.0);
        for (int i = 0; i < 700; ++i)
            cur.push_back(std::round((normal(rng) + 0.4) * 3.0) / 3.0);
        cur.push_back(-std::numeric_limits<double>::infinity());
        cur.push_back(std::numeric_limits<double>::infinity());
        const NumericReference r = NumericReference::build(ref);
        std::sort(cur.begin(), cur.end());
        QCOMPARE(countPerBinSorted(r.edges, cur), countPerBin(r.edges, cur));
        QCOMPARE(countPerBinSorted({}, cur), countPerBin({}, cur));
    }
};

QTEST_GUILESS_MAIN(TestDriftAnalysis)
#include "tst_drift_analysis.moc"
