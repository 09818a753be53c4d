// The drill-down's distributions against numpy (tests/data/drift/drilldown.json, written by
// reference/make_drilldown_reference.py) and computeDrilldown on a small hand-built log.
#include "engine/drift_drilldown.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace vigil;

namespace {

QJsonObject reference()
{
    QFile file(QStringLiteral(VIGIL_TEST_DATA_DIR "/drift/drilldown.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

double decode(const QJsonValue& v)
{
    if (v.isString()) {
        const QString s = v.toString();
        if (s == QLatin1String("inf"))
            return std::numeric_limits<double>::infinity();
        if (s == QLatin1String("-inf"))
            return -std::numeric_limits<double>::infinity();
        return std::numeric_limits<double>::quiet_NaN();
    }
    return v.toDouble();
}

void decodeSample(const QJsonArray& a, std::vector<double>& values, std::vector<std::uint8_t>& valid)
{
    for (const QJsonValue& v : a) {
        values.push_back(v.isNull() ? 0.0 : decode(v));
        valid.push_back(v.isNull() ? 0 : 1);
    }
}

// The step function through the drawn points, at x (0 before the first point).
double stepAt(const std::vector<EcdfPoint>& points, double x)
{
    double f = 0.0;
    for (const EcdfPoint& p : points)
        if (p.x <= x)
            f = p.f;
    return f;
}

// Share of the non-NaN non-null values <= x, counted directly.
double ecdfOf(const std::vector<double>& values, const std::vector<std::uint8_t>& valid, double x)
{
    std::size_t n = 0;
    std::size_t below = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!valid[i] || std::isnan(values[i]))
            continue;
        ++n;
        below += values[i] <= x ? 1 : 0;
    }
    return n ? static_cast<double>(below) / static_cast<double>(n) : 0.0;
}

void checkCounts(const SampleCounts& c, const QJsonObject& e)
{
    QCOMPARE(c.rows, static_cast<std::uint64_t>(e[QLatin1String("rows")].toInteger()));
    QCOMPARE(c.nulls, static_cast<std::uint64_t>(e[QLatin1String("nulls")].toInteger()));
    QCOMPARE(c.nan, static_cast<std::uint64_t>(e[QLatin1String("nan")].toInteger()));
    QCOMPARE(c.posInf, static_cast<std::uint64_t>(e[QLatin1String("posinf")].toInteger()));
    QCOMPARE(c.negInf, static_cast<std::uint64_t>(e[QLatin1String("neginf")].toInteger()));
    QCOMPARE(c.finite, static_cast<std::uint64_t>(e[QLatin1String("finite")].toInteger()));
}

} // namespace

class TestDriftDrilldown : public QObject
{
    Q_OBJECT
  private slots:
    void numericAgainstNumpy_data();
    void numericAgainstNumpy();
    void categoricalAgainstCounts_data();
    void categoricalAgainstCounts();
    void ecdfDecimationKeepsTheKsStep();
    void drilldownOfALog();
    void unknownFeatureListsTheKnownOnes();
};

void TestDriftDrilldown::numericAgainstNumpy_data()
{
    QTest::addColumn<QJsonObject>("c");
    const QJsonObject ref = reference();
    QVERIFY2(!ref.isEmpty(), "tests/data/drift/drilldown.json missing");
    for (const QJsonValue& v : ref[QLatin1String("numeric")].toArray())
        QTest::newRow(qPrintable(v[QLatin1String("name")].toString())) << v.toObject();
}

void TestDriftDrilldown::numericAgainstNumpy()
{
    QFETCH(QJsonObject, c);
    std::vector<double> ref;
    std::vector<double> cur;
    std::vector<std::uint8_t> refValid;
    std::vector<std::uint8_t> curValid;
    decodeSample(c[QLatin1String("ref")].toArray(), ref, refValid);
    decodeSample(c[QLatin1String("cur")].toArray(), cur, curValid);
    const NumericDistributions d = numericDistributions(ref, cur, refValid, curValid, 30, 500);
    const QJsonObject counts = c[QLatin1String("counts")].toObject();
    checkCounts(d.ref, counts[QLatin1String("ref")].toObject());
    checkCounts(d.cur, counts[QLatin1String("cur")].toObject());

    const QJsonArray edges = c[QLatin1String("edges")].toArray();
    QCOMPARE(d.histogram.edges.size(), static_cast<std::size_t>(edges.size()));
    for (qsizetype i = 0; i < edges.size(); ++i)
        QCOMPARE(d.histogram.edges[static_cast<std::size_t>(i)], edges[i].toDouble()); // bit-identical
    const QJsonArray rc = c[QLatin1String("ref_counts")].toArray();
    const QJsonArray cc = c[QLatin1String("cur_counts")].toArray();
    double refShareSum = 0.0;
    for (qsizetype i = 0; i < rc.size(); ++i) {
        const auto k = static_cast<std::size_t>(i);
        QCOMPARE(d.histogram.refCounts[k], static_cast<std::uint64_t>(rc[i].toInteger()));
        QCOMPARE(d.histogram.curCounts[k], static_cast<std::uint64_t>(cc[i].toInteger()));
        refShareSum += d.histogram.refShares[k];
    }
    if (d.ref.finite > 0)
        QVERIFY(std::abs(refShareSum - 1.0) < 1e-12);

    if (c.contains(QLatin1String("ks"))) {
        const QJsonObject ks = c[QLatin1String("ks")].toObject();
        QVERIFY(d.ks.has_value());
        QCOMPARE(d.ks->x, decode(ks[QLatin1String("x")]));
        QCOMPARE(d.ks->refF, ks[QLatin1String("ref_f")].toDouble());
        QCOMPARE(d.ks->curF, ks[QLatin1String("cur_f")].toDouble());
        QCOMPARE(d.ks->d, ks[QLatin1String("d")].toDouble());
    } else {
        QVERIFY(!d.ks.has_value());
    }
    // Every drawn ECDF point lies on the true ECDF; small samples are drawn in full.
    for (const auto& [points, values, valid, key] :
         {std::tuple(&d.refEcdf, &ref, &refValid, "ref_distinct_finite"),
          std::tuple(&d.curEcdf, &cur, &curValid, "cur_distinct_finite")}) {
        const auto distinct = static_cast<std::size_t>(c[QLatin1String(key)].toInteger());
        QVERIFY(points->size() <= 500);
        if (distinct <= 500)
            QCOMPARE(points->size(), distinct);
        for (const EcdfPoint& p : *points)
            QCOMPARE(p.f, ecdfOf(*values, *valid, p.x));
        QVERIFY(std::is_sorted(points->begin(), points->end(),
                               [](const EcdfPoint& a, const EcdfPoint& b) { return a.x < b.x; }));
    }
}

void TestDriftDrilldown::ecdfDecimationKeepsTheKsStep()
{
    // The lognormal case has thousands of distinct values on both sides: the decimated
    // step functions must still read F_ref and F_cur exactly at the D location.
    const QJsonObject ref = reference();
    for (const QJsonValue& v : ref[QLatin1String("numeric")].toArray()) {
        const QJsonObject c = v.toObject();
        if (c[QLatin1String("ref_distinct_finite")].toInteger() <= 500)
            continue;
        std::vector<double> r;
        std::vector<double> cu;
        std::vector<std::uint8_t> rv;
        std::vector<std::uint8_t> cv;
        decodeSample(c[QLatin1String("ref")].toArray(), r, rv);
        decodeSample(c[QLatin1String("cur")].toArray(), cu, cv);
        const NumericDistributions d = numericDistributions(r, cu, rv, cv, 30, 500);
        QVERIFY(d.ks && std::isfinite(d.ks->x));
        QCOMPARE(stepAt(d.refEcdf, d.ks->x), d.ks->refF);
        QCOMPARE(stepAt(d.curEcdf, d.ks->x), d.ks->curF);
        QVERIFY(d.refEcdf.size() <= 500 && d.refEcdf.size() >= 450);
        return;
    }
    QFAIL("no case with more than 500 distinct values");
}

void TestDriftDrilldown::categoricalAgainstCounts_data()
{
    QTest::addColumn<QJsonObject>("c");
    for (const QJsonValue& v : reference()[QLatin1String("categorical")].toArray())
        QTest::newRow(qPrintable(v[QLatin1String("name")].toString())) << v.toObject();
}

void TestDriftDrilldown::categoricalAgainstCounts()
{
    QFETCH(QJsonObject, c);
    std::vector<std::string> names;
    for (const QJsonValue& v : c[QLatin1String("names")].toArray())
        names.push_back(v.toString().toStdString());
    std::vector<std::int32_t> ref;
    std::vector<std::int32_t> cur;
    for (const QJsonValue& v : c[QLatin1String("ref")].toArray())
        ref.push_back(v.toInt());
    for (const QJsonValue& v : c[QLatin1String("cur")].toArray())
        cur.push_back(v.toInt());
    const auto d =
        categoricalDistributions(ref, cur, names, static_cast<std::size_t>(c[QLatin1String("top")].toInt()));
    QCOMPARE(d.ref.nulls, static_cast<std::uint64_t>(c[QLatin1String("ref_nulls")].toInt()));
    QCOMPARE(d.cur.nulls, static_cast<std::uint64_t>(c[QLatin1String("cur_nulls")].toInt()));
    QCOMPARE(d.unseenCategories, static_cast<std::uint64_t>(c[QLatin1String("unseen")].toInt()));
    const QJsonArray shares = c[QLatin1String("shares")].toArray();
    QCOMPARE(d.shares.size(), static_cast<std::size_t>(shares.size()));
    for (qsizetype i = 0; i < shares.size(); ++i) {
        const QJsonObject e = shares[i].toObject();
        const CategoryShare& s = d.shares[static_cast<std::size_t>(i)];
        QCOMPARE(QString::fromStdString(s.name), e[QLatin1String("name")].toString());
        QCOMPARE(s.refCount, static_cast<std::uint64_t>(e[QLatin1String("ref_count")].toInteger()));
        QCOMPARE(s.curCount, static_cast<std::uint64_t>(e[QLatin1String("cur_count")].toInteger()));
        QCOMPARE(s.refShare, e[QLatin1String("ref_share")].toDouble());
        QCOMPARE(s.curShare, e[QLatin1String("cur_share")].toDouble());
        QCOMPARE(s.unseen, e[QLatin1String("unseen")].toBool());
    }
}

namespace {

// Two hourly windows: the first is the reference. x: 0..9 then 10..19 (one null, one NaN in
// the second); colour: red/blue then blue/green (green unseen).
struct SmallLog
{
    LogTable table;
    AnalysisSnapshot snapshot;
};

SmallLog smallLog()
{
    SmallLog s;
    constexpr std::int64_t kHour = 3'600'000;
    NumericColumn x{"x", {}, {}};
    CategoricalColumn colour{"colour", {}, {"red", "blue", "green"}};
    for (int i = 0; i < 20; ++i) {
        s.table.tsMs.push_back(i < 10 ? i * 1000 : kHour + i * 1000);
        if (i == 12)
            x.pushNull();
        else
            x.push(i == 13 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(i));
        colour.codes.push_back(i < 10 ? static_cast<std::uint32_t>(i % 2)
                                      : 1u + static_cast<std::uint32_t>(i % 2));
        s.table.prediction.push(0.5);
        s.table.label.pushNull();
    }
    s.table.numericFeatures.push_back(x);
    s.table.categoricalFeatures.push_back(colour);
    s.snapshot.windowMs = kHour;
    DriftSnapshot drift;
    drift.reference = {0, kHour, 10, "range"};
    for (int w = 0; w < 2; ++w) {
        WindowStats ws;
        ws.startMs = w * kHour;
        ws.endMs = ws.startMs + kHour;
        ws.rows = 10;
        s.snapshot.windows.push_back(ws);
        WindowDrift wd;
        wd.startMs = ws.startMs;
        FeatureDrift fx;
        fx.name = "x";
        fx.ksD = w == 0 ? 0.0 : 1.0;
        fx.drifted = w == 1;
        FeatureDrift fc;
        fc.name = "colour";
        fc.categorical = true;
        fc.js = 0.1 * w;
        FeatureDrift fp;
        fp.name = "prediction";
        wd.features = {fx, fc, fp};
        drift.windows.push_back(wd);
    }
    s.snapshot.drift = drift;
    return s;
}

} // namespace

void TestDriftDrilldown::drilldownOfALog()
{
    const SmallLog s = smallLog();
    auto numeric = computeDrilldown(s.table, s.snapshot, "x", 1);
    QVERIFY2(numeric.ok(), numeric.ok() ? "" : numeric.error().message.c_str());
    const FeatureDrilldown& n = numeric.value();
    QVERIFY(!n.categorical && n.numeric && !n.categories);
    QCOMPARE(n.numeric->ref.rows, 10u);
    QCOMPARE(n.numeric->cur.rows, 10u);
    QCOMPARE(n.numeric->cur.nulls, 1u);
    QCOMPARE(n.numeric->cur.nan, 1u);
    QCOMPARE(n.numeric->cur.finite, 8u);
    QCOMPARE(n.numeric->histogram.edges.front(), 0.0);
    QCOMPARE(n.numeric->histogram.edges.back(), 19.0);
    QCOMPARE(n.numeric->ks->d, 1.0); // disjoint samples
    QCOMPARE(n.numeric->ks->x, 9.0);
    QCOMPARE(n.series.size(), 2u);
    QCOMPARE(n.series[1].drift.ksD.value(), 1.0);
    QVERIFY(n.statistics.drifted);
    QCOMPARE(n.windowStartMs, 3'600'000);

    auto cat = computeDrilldown(s.table, s.snapshot, "colour", 1);
    QVERIFY(cat.ok());
    const CategoricalDistributions& c = *cat.value().categories;
    QCOMPARE(c.unseenCategories, 1u);
    const auto green = std::find_if(c.shares.begin(), c.shares.end(),
                                    [](const CategoryShare& x) { return x.name == "green"; });
    QVERIFY(green != c.shares.end() && green->unseen && green->curShare == 0.5 && green->refShare == 0.0);

    // A separate reference file with its own dictionary order: text decides, not codes.
    auto refTable = std::make_shared<LogTable>();
    refTable->tsMs = {0, 1};
    refTable->categoricalFeatures.push_back({"colour", {0, 1}, {"green", "purple"}});
    refTable->numericFeatures.push_back({"x", {1.0, 2.0}, {1, 1}});
    DrilldownOptions options;
    options.referenceTable = refTable;
    auto sep = computeDrilldown(s.table, s.snapshot, "colour", 1, options);
    QVERIFY(sep.ok());
    const auto& shares = sep.value().categories->shares;
    const auto g =
        std::find_if(shares.begin(), shares.end(), [](const CategoryShare& x) { return x.name == "green"; });
    const auto p =
        std::find_if(shares.begin(), shares.end(), [](const CategoryShare& x) { return x.name == "purple"; });
    QVERIFY(g != shares.end() && !g->unseen && g->refShare == 0.5);
    QVERIFY(p != shares.end() && p->refShare == 0.5 && p->curShare == 0.0);
    QCOMPARE(sep.value().categories->unseenCategories, 1u); // blue
}

void TestDriftDrilldown::unknownFeatureListsTheKnownOnes()
{
    const SmallLog s = smallLog();
    auto r = computeDrilldown(s.table, s.snapshot, "nope", 0);
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error().message),
             QStringLiteral("unknown feature 'nope' (features: x, colour, prediction)"));
    QVERIFY(!computeDrilldown(s.table, s.snapshot, "x", 2).ok());
    AnalysisSnapshot noDrift = s.snapshot;
    noDrift.drift.reset();
    QVERIFY(!computeDrilldown(s.table, noDrift, "x", 0).ok());
}

QTEST_GUILESS_MAIN(TestDriftDrilldown)
#include "tst_drift_drilldown.moc"
