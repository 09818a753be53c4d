// WindowSketchBuilder (core/engine/window_sketch.h): a window fed in several chunks gives
// analyze()'s and computeDriftFromProfile()'s numbers for the fields it keeps exact, the
// sketched ones within the bounds of docs/SKETCHES.md, and names exactly the estimated ones.
#include "drift/cbpe.h"
#include "engine/drift_analysis.h"
#include "engine/reference_profile.h"
#include "engine/window_sketch.h"
#include "stats/kll_sketch.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace vigil;

namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kT0 = 1'700'000'000'000 / kHour * kHour;
constexpr std::size_t kReferenceWindows = 10;
const std::vector<std::string> kCountries = {"DE", "FR", "IT", "ES", "PL", "NL", "XX"};

// Reference rows in the first 10 hours, then `target` rows in the 11th: `amount` (log-normal,
// nulls, NaN and +/-Inf, shifted in the target), `age` (integers: ties), `country` (a new
// category in the target), a KPI, status, latency and a score or regression prediction.
LogTable makeLog(std::size_t perReferenceWindow, std::size_t target, bool regression, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    LogTable t;
    NumericColumn amount{"amount", {}, {}};
    NumericColumn age{"age", {}, {}};
    CategoricalColumn country{"country", {}, kCountries};
    NumericColumn revenue{"revenue", {}, {}};
    const std::size_t reference = perReferenceWindow * kReferenceWindows;
    for (std::size_t i = 0; i < reference + target; ++i) {
        const bool inTarget = i >= reference;
        const std::int64_t ts = inTarget ? kT0 + static_cast<std::int64_t>(kReferenceWindows) * kHour +
                                               static_cast<std::int64_t>(u(rng) * (kHour - 1))
                                         : kT0 + static_cast<std::int64_t>(i / perReferenceWindow) * kHour +
                                               static_cast<std::int64_t>(u(rng) * (kHour - 1));
        t.tsMs.push_back(ts);
        const double r = u(rng);
        if (r < 0.02)
            amount.pushNull();
        else if (r < 0.03)
            amount.push(std::nan(""));
        else if (r < 0.035)
            amount.push(-std::numeric_limits<double>::infinity());
        else if (r < 0.04)
            amount.push(std::numeric_limits<double>::infinity());
        else
            amount.push(std::exp(3.0 + (inTarget ? 0.3 : 0.0) + normal(rng)));
        age.push(std::round(40.0 + 12.0 * normal(rng)));
        const double c = u(rng);
        if (c < 0.03)
            country.codes.push_back(CategoricalColumn::kNull);
        else
            country.codes.push_back(
                static_cast<std::uint32_t>(std::min(c * (inTarget ? 7 : 6), inTarget ? 6.0 : 5.0)));
        revenue.push(u(rng) < 0.01 ? std::nan("") : 10.0 * u(rng));
        t.status.push_back(u(rng) < 0.05   ? RowStatus::Error
                           : u(rng) < 0.02 ? RowStatus::Unknown
                                           : RowStatus::Ok);
        if (u(rng) < 0.002)
            t.latencyMs.push(std::nan(""));
        else
            t.latencyMs.push(std::exp(4.0 + 0.5 * normal(rng)));
        const double truth = u(rng);
        if (regression) {
            const double y = 100.0 + 20.0 * truth;
            t.prediction.push(y + 3.0 * normal(rng));
            u(rng) < 0.1 ? t.label.pushNull() : t.label.push(y);
        } else {
            const double y = truth < 0.3 ? 1.0 : 0.0;
            const double s = std::clamp(0.3 + 0.35 * (y - 0.3) + 0.2 * normal(rng), 0.0, 1.0);
            u(rng) < 0.003 ? t.prediction.push(std::nan("")) : t.prediction.push(s);
            u(rng) < 0.2 ? t.label.pushNull() : t.label.push(y);
        }
    }
    t.numericFeatures = {amount, age};
    t.categoricalFeatures = {country};
    t.kpis = {revenue};
    return t;
}

// Rows [begin, end) of `t` as a table of their own, with the dictionary a reader that has
// seen rows up to `end` would have (codes are global, the dictionary only grows).
LogTable slice(const LogTable& t, std::size_t begin, std::size_t end)
{
    LogTable s;
    const auto copyNumeric = [&](const NumericColumn& c) {
        NumericColumn o{c.name, {}, {}};
        o.values.assign(c.values.begin() + static_cast<std::ptrdiff_t>(begin),
                        c.values.begin() + static_cast<std::ptrdiff_t>(end));
        o.valid.assign(c.valid.begin() + static_cast<std::ptrdiff_t>(begin),
                       c.valid.begin() + static_cast<std::ptrdiff_t>(end));
        return o;
    };
    s.tsMs.assign(t.tsMs.begin() + static_cast<std::ptrdiff_t>(begin),
                  t.tsMs.begin() + static_cast<std::ptrdiff_t>(end));
    s.status.assign(t.status.begin() + static_cast<std::ptrdiff_t>(begin),
                    t.status.begin() + static_cast<std::ptrdiff_t>(end));
    s.latencyMs = copyNumeric(t.latencyMs);
    s.prediction = copyNumeric(t.prediction);
    s.label = copyNumeric(t.label);
    for (const auto& c : t.numericFeatures)
        s.numericFeatures.push_back(copyNumeric(c));
    for (const auto& c : t.kpis)
        s.kpis.push_back(copyNumeric(c));
    for (const auto& c : t.categoricalFeatures) {
        CategoricalColumn o{c.name, {}, {}};
        o.codes.assign(c.codes.begin() + static_cast<std::ptrdiff_t>(begin),
                       c.codes.begin() + static_cast<std::ptrdiff_t>(end));
        std::uint32_t seen = 0;
        for (std::size_t r = 0; r < end; ++r)
            if (c.codes[r] != CategoricalColumn::kNull)
                seen = std::max(seen, c.codes[r] + 1);
        o.dictionary.assign(c.dictionary.begin(), c.dictionary.begin() + seen);
        s.categoricalFeatures.push_back(o);
    }
    return s;
}

// Setup steps must run in release builds too (Q_ASSERT compiles away there).
void require(bool ok, const char* what)
{
    if (!ok)
        qFatal("setup failed: %s", what);
}

bool same(std::optional<double> a, std::optional<double> b)
{
    if (!a || !b)
        return !a && !b;
    return std::memcmp(&*a, &*b, sizeof(double)) == 0;
}

bool close(std::optional<double> a, std::optional<double> b, double rel = 1e-12)
{
    if (!a || !b)
        return !a && !b;
    return std::abs(*a - *b) <= rel * std::max(1.0, std::abs(*b));
}

// The true normalised rank interval of x in the sorted values.
std::pair<double, double> rankOf(const std::vector<double>& sorted, double x)
{
    const double n = static_cast<double>(sorted.size());
    return {static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin()) / n,
            static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin()) / n};
}

struct Fixture
{
    LogTable log;
    LogTable target; // the last window's rows alone
    AnalysisOptions options;
    std::shared_ptr<const ReferenceProfile> profile;
    PredictionKind kind = PredictionKind::Score;
    AnalysisSnapshot expected; // analyze() of `target`
    WindowDrift expectedDrift; // computeDriftFromProfile() of `target`
};

Fixture makeFixture(std::size_t perReferenceWindow, std::size_t target, bool regression)
{
    Fixture f;
    f.log = makeLog(perReferenceWindow, target, regression, 20261126);
    const std::size_t reference = perReferenceWindow * kReferenceWindows;
    f.target = slice(f.log, reference, reference + target);
    f.options.windowMs = kHour;
    f.options.kpiRatios = {{"revenue_per_row", "sum(revenue) / rows"}};
    f.options.drift.enabled = true;
    f.options.drift.referenceStartMs = kT0;
    f.options.drift.referenceEndMs = kT0 + static_cast<std::int64_t>(kReferenceWindows) * kHour;
    f.options.drift.conceptDrift = false;
    InferredSchema schema;
    schema.mapping.predictionKind = regression ? PredictionKind::Regression : PredictionKind::Score;
    auto all = analyze(f.log, schema, f.options);
    require(all.ok(), "all.ok()");
    auto drift = computeDrift(f.log, all.value(), f.options.drift);
    require(drift.ok(), "drift.ok()");
    all->drift = drift.value();
    auto profile = buildReferenceProfile(f.log, all.value(), f.options.drift);
    require(profile.ok(), "profile.ok()");
    f.profile = std::make_shared<const ReferenceProfile>(profile.value());
    f.kind = all->predictionKind;
    auto expected = analyze(f.target, schema, f.options);
    require(expected.ok() && expected->windows.size() == 1, "expected.ok() && expected->windows.size() == 1");
    f.expected = expected.value();
    auto expectedDrift = computeDriftFromProfile(f.target, f.expected, f.options.drift, *f.profile);
    require(expectedDrift.ok(), "expectedDrift.ok()");
    f.expectedDrift = expectedDrift->windows.front();
    return f;
}

SketchedWindow sketchInChunks(const Fixture& f, int chunks, bool separateTables)
{
    auto builder = WindowSketchBuilder::create(f.target, f.expected.windows.front().startMs, kHour, f.kind,
                                               f.options, f.profile);
    require(builder.ok(), "builder.ok()");
    const std::size_t n = f.target.rows();
    for (int c = 0; c < chunks; ++c) {
        const std::size_t begin = n * static_cast<std::size_t>(c) / static_cast<std::size_t>(chunks);
        const std::size_t end = n * static_cast<std::size_t>(c + 1) / static_cast<std::size_t>(chunks);
        if (separateTables) {
            const LogTable part = slice(f.target, begin, end);
            std::vector<std::uint32_t> rows(end - begin);
            for (std::size_t r = 0; r < rows.size(); ++r)
                rows[r] = static_cast<std::uint32_t>(r);
            require(builder->add(part, rows).ok(), "builder->add(part, rows).ok()");
        } else {
            std::vector<std::uint32_t> rows;
            for (std::size_t r = begin; r < end; ++r)
                rows.push_back(static_cast<std::uint32_t>(r));
            require(builder->add(f.target, rows).ok(), "builder->add(f.target, rows).ok()");
        }
    }
    auto out = builder->finish();
    require(out.ok(), "out.ok()");
    return out.value();
}

} // namespace

// 4 eps / (pi (1 - pi)) for CBPE's ROC AUC (docs/SKETCHES.md), pi the share of expected
// positives among the window's scored rows, from the profile's calibrator.
double cbpeBound(const Fixture& f, double eps)
{
    const IsotonicCalibrator cal =
        IsotonicCalibrator::fromPoints(f.profile->calibratorX, f.profile->calibratorY);
    double pos = 0.0;
    double n = 0.0;
    for (std::size_t r = 0; r < f.target.rows(); ++r)
        if (f.target.prediction.valid[r] && std::isfinite(f.target.prediction.values[r])) {
            pos += cal(f.target.prediction.values[r]);
            n += 1.0;
        }
    const double pi = pos / n;
    return 4.0 * eps / (pi * (1.0 - pi));
}

class TstWindowSketch : public QObject
{
    Q_OBJECT

    // Every field the builder keeps exact, against analyze() and computeDriftFromProfile().
    static void compareExactFields(const Fixture& f, const SketchedWindow& got, bool regression)
    {
        const WindowStats& e = f.expected.windows.front();
        const WindowStats& g = got.stats;
        QCOMPARE(g.startMs, e.startMs);
        QCOMPARE(g.endMs, e.endMs);
        QCOMPARE(g.rows, e.rows);
        QCOMPARE(g.labeled, e.labeled);
        QCOMPARE(g.errors, e.errors);
        QCOMPARE(g.statusKnown, e.statusKnown);
        QVERIFY(same(g.throughputPerS, e.throughputPerS));
        QVERIFY(same(g.errorRate, e.errorRate));
        const PerformanceMetrics& gp = g.performance;
        const PerformanceMetrics& ep = e.performance;
        for (const auto& [a, b] : {std::pair{gp.accuracy, ep.accuracy},
                                   {gp.precision, ep.precision},
                                   {gp.recall, ep.recall},
                                   {gp.f1, ep.f1},
                                   {gp.logLoss, ep.logLoss},
                                   {gp.brier, ep.brier},
                                   {gp.mae, ep.mae},
                                   {gp.rmse, ep.rmse}})
            QVERIFY(same(a, b));
        QVERIFY2(close(gp.r2, ep.r2), "R² within 1e-12 (Welford instead of a second pass)");
        QCOMPARE(gp.r2.has_value(), regression);
        QCOMPARE(g.kpis.size(), e.kpis.size());
        for (std::size_t k = 0; k < e.kpis.size(); ++k) {
            QVERIFY(same(g.kpis[k].sum, e.kpis[k].sum));
            QVERIFY(same(g.kpis[k].mean, e.kpis[k].mean));
            QCOMPARE(g.kpis[k].count, e.kpis[k].count);
            QCOMPARE(g.kpis[k].nonFinite, e.kpis[k].nonFinite);
        }
        QCOMPARE(g.ratios.size(), std::size_t{1});
        QVERIFY(same(g.ratios[0].value, e.ratios[0].value));
        QCOMPARE(g.nonFinite.latency, e.nonFinite.latency);
        QCOMPARE(g.nonFinite.prediction, e.nonFinite.prediction);
        QCOMPARE(g.nonFinite.label, e.nonFinite.label);

        QVERIFY(got.drift);
        const WindowDrift& gd = *got.drift;
        const WindowDrift& ed = f.expectedDrift;
        QCOMPARE(gd.features.size(), ed.features.size());
        for (std::size_t i = 0; i < ed.features.size(); ++i) {
            const FeatureDrift& a = gd.features[i];
            const FeatureDrift& b = ed.features[i];
            QCOMPARE(a.name, b.name);
            QCOMPARE(a.categorical, b.categorical);
            for (const auto& [x, y] : {std::pair{a.psi, b.psi},
                                       {a.js, b.js},
                                       {a.hellinger, b.hellinger},
                                       {a.chi2, b.chi2},
                                       {a.chi2P, b.chi2P},
                                       {a.chi2PooledP, b.chi2PooledP},
                                       {a.binChi2P, b.binChi2P},
                                       {a.missingShare, b.missingShare}})
                QVERIFY2(same(x, y), a.name.c_str());
            QCOMPARE(a.count, b.count);
            if (a.categorical)
                QCOMPARE(a.drifted, b.drifted);
        }
        QVERIFY(ed.multivariate.reconstructionError && ed.multivariate.upper);
        QCOMPARE(ed.estimated.accuracy.has_value(), !regression);
        QCOMPARE(ed.features.size(), std::size_t{5}); // amount, age, country, prediction, label
        QVERIFY2(close(gd.multivariate.reconstructionError, ed.multivariate.reconstructionError),
                 "PCA error: a streaming mean of the same row errors");
        QVERIFY(same(gd.multivariate.lower, ed.multivariate.lower));
        QVERIFY(same(gd.multivariate.upper, ed.multivariate.upper));
        QVERIFY(same(gd.estimated.accuracy, ed.estimated.accuracy));
        QVERIFY(same(gd.estimated.f1, ed.estimated.f1));
    }

  private slots:
    // A window well past k values: exact fields equal, estimates within the stated bound.
    void largeWindow_data()
    {
        QTest::addColumn<int>("chunks");
        QTest::addColumn<bool>("separateTables");
        QTest::addColumn<bool>("regression");
        QTest::newRow("1 chunk") << 1 << false << false;
        QTest::newRow("3 chunks, one table") << 3 << false << false;
        QTest::newRow("7 chunk tables, growing dictionary") << 7 << true << false;
        QTest::newRow("5 chunk tables, regression") << 5 << true << true;
    }
    void largeWindow()
    {
        QFETCH(int, chunks);
        QFETCH(bool, separateTables);
        QFETCH(bool, regression);
        const Fixture f = makeFixture(2'000, 60'000, regression);
        const SketchedWindow got = sketchInChunks(f, chunks, separateTables);
        compareExactFields(f, got, regression);
        const double eps = stats::kllRankError(stats::kKllDefaultK);

        // Latency quantiles: the estimate's true rank is within eps of q.
        std::vector<double> latency;
        for (std::size_t r = 0; r < f.target.rows(); ++r)
            if (f.target.latencyMs.valid[r] && !std::isnan(f.target.latencyMs.values[r]))
                latency.push_back(f.target.latencyMs.values[r]);
        std::sort(latency.begin(), latency.end());
        const LatencyQuantiles& lq = got.stats.latencyMs;
        for (const auto& [q, v] : {std::pair{0.5, lq.p50}, {0.9, lq.p90}, {0.95, lq.p95}, {0.99, lq.p99}}) {
            QVERIFY(v);
            const auto [lo, hi] = rankOf(latency, *v);
            QVERIFY2(q >= lo - eps - 1e-9 && q <= hi + eps + 1e-9,
                     qPrintable(QStringLiteral("latency q=%1").arg(q)));
        }

        // KS D within eps, W1 within eps * range; p present and flagged.
        const WindowDrift& gd = *got.drift;
        const WindowDrift& ed = f.expectedDrift;
        double worstD = 0.0;
        double worstW = 0.0;
        for (std::size_t i = 0; i < ed.features.size(); ++i) {
            const FeatureDrift& a = gd.features[i];
            const FeatureDrift& b = ed.features[i];
            if (a.categorical)
                continue;
            QVERIFY(a.ksD && b.ksD && a.ksP);
            QVERIFY2(std::abs(*a.ksD - *b.ksD) <= eps, a.name.c_str());
            worstD = std::max(worstD, std::abs(*a.ksD - *b.ksD));
            const NumericColumn& c = a.name == "prediction" ? f.target.prediction
                                     : a.name == "label"    ? f.target.label
                                     : a.name == "amount"   ? f.target.numericFeatures[0]
                                                            : f.target.numericFeatures[1];
            double lo = std::numeric_limits<double>::infinity();
            double hi = -lo;
            for (std::size_t r = 0; r < c.size(); ++r)
                if (c.valid[r] && std::isfinite(c.values[r])) {
                    lo = std::min(lo, c.values[r]);
                    hi = std::max(hi, c.values[r]);
                }
            QVERIFY(a.wasserstein && b.wasserstein);
            QVERIFY2(std::abs(*a.wasserstein - *b.wasserstein) <= eps * (hi - lo), a.name.c_str());
            worstW = std::max(worstW, std::abs(*a.wasserstein - *b.wasserstein) / (hi - lo));
        }
        qInfo("KS D error %.5f, W1 error / range %.6f (bound %.5f)", worstD, worstW, eps);

        // ROC AUC within eps_pos + eps_neg.
        if (!regression) {
            const auto a = got.stats.performance.rocAuc;
            const auto b = f.expected.windows.front().performance.rocAuc;
            QVERIFY(a && b);
            QVERIFY(std::abs(*a - *b) <= 2 * eps);
            qInfo("ROC AUC error %.6f", std::abs(*a - *b));
            // CBPE's expected ROC AUC within 4 eps / (pi (1 - pi)), pi the expected positive share.
            const auto ca = got.drift->estimated.rocAuc;
            const auto cb = f.expectedDrift.estimated.rocAuc;
            QVERIFY(ca && cb);
            QVERIFY(std::abs(*ca - *cb) <= cbpeBound(f, eps));
            qInfo("CBPE ROC AUC error %.6f (bound %.4f)", std::abs(*ca - *cb), cbpeBound(f, eps));
        }

        // The estimates, by report path.
        std::vector<std::string> expected = {"operations.latency_ms.p50", "operations.latency_ms.p90",
                                             "operations.latency_ms.p95", "operations.latency_ms.p99"};
        if (!regression) {
            expected.push_back("performance.roc_auc");
            expected.push_back("estimated_performance.roc_auc");
        }
        expected.push_back("drift.country.drifted"); // Benjamini-Hochberg sees the estimated p-values
        for (const char* feature : {"amount", "age", "prediction", "label"})
            for (const char* field : {"ks_d", "ks_p", "drifted", "wasserstein"})
                expected.push_back(std::string("drift.") + feature + "." + field);
        auto estimates = got.stats.estimates;
        std::sort(expected.begin(), expected.end());
        std::sort(estimates.begin(), estimates.end());
        QCOMPARE(estimates, expected);
    }

    // A window the sketches hold whole: every number is analyze()'s and the drift's, bit for
    // bit, and nothing is listed as an estimate.
    void smallWindowIsExact_data()
    {
        QTest::addColumn<bool>("regression");
        QTest::newRow("score") << false;
        QTest::newRow("regression") << true;
    }
    void smallWindowIsExact()
    {
        QFETCH(bool, regression);
        const Fixture f = makeFixture(300, 700, regression);
        const SketchedWindow got = sketchInChunks(f, 4, true);
        compareExactFields(f, got, regression);
        QVERIFY(got.stats.estimates.empty());
        const LatencyQuantiles& g = got.stats.latencyMs;
        const LatencyQuantiles& e = f.expected.windows.front().latencyMs;
        QVERIFY(same(g.p50, e.p50) && same(g.p90, e.p90) && same(g.p95, e.p95) && same(g.p99, e.p99));
        QVERIFY(same(got.stats.performance.rocAuc, f.expected.windows.front().performance.rocAuc));
        QVERIFY(same(got.drift->estimated.rocAuc, f.expectedDrift.estimated.rocAuc));
        for (std::size_t i = 0; i < f.expectedDrift.features.size(); ++i) {
            const FeatureDrift& a = got.drift->features[i];
            const FeatureDrift& b = f.expectedDrift.features[i];
            QVERIFY(same(a.ksD, b.ksD) && same(a.ksP, b.ksP) && same(a.wasserstein, b.wasserstein));
            QCOMPARE(a.drifted, b.drifted);
        }
    }

    void rejectsMisuse()
    {
        const Fixture f = makeFixture(300, 100, false);
        auto builder = WindowSketchBuilder::create(f.target, 0, kHour, f.kind, f.options, f.profile);
        QVERIFY(builder.ok());
        const std::uint32_t outside[] = {static_cast<std::uint32_t>(f.target.rows())};
        QVERIFY(!builder->add(f.target, outside).ok());
        LogTable other = f.target;
        other.kpis.clear();
        const std::uint32_t first[] = {0};
        QVERIFY(!builder->add(other, first).ok());
        QVERIFY(builder->finish().ok());
        QVERIFY(!builder->finish().ok());
        AnalysisOptions bad = f.options;
        bad.kpiRatios = {{"r", "sum(nope) / rows"}};
        QVERIFY(!WindowSketchBuilder::create(f.target, 0, kHour, f.kind, bad, f.profile).ok());
        LogTable renamed = f.target;
        renamed.numericFeatures[0].name = "other";
        QVERIFY(!WindowSketchBuilder::create(renamed, 0, kHour, f.kind, f.options, f.profile).ok());
    }
};

QTEST_GUILESS_MAIN(TstWindowSketch)
#include "tst_window_sketch.moc"
