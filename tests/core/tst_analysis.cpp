// analyze() against per-window numpy/sklearn results (tests/data/stats/analysis_reference.json,
// written by tests/core/reference/make_analysis_reference.py), plus hand-checked cases.
#include "engine/analysis.h"
#include "reference_compare.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <random>

using namespace vigil;
using vigil::test::decodeNumber;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

const QJsonArray& scenarios()
{
    static const QJsonArray s = vigil::test::loadReference(QStringLiteral("stats/analysis_reference.json"))
                                    .value(QStringLiteral("scenarios"))
                                    .toArray();
    return s;
}

void fillNumeric(NumericColumn& column, const QJsonArray& values)
{
    for (const QJsonValue& v : values) {
        if (v.isNull())
            column.pushNull();
        else
            column.push(decodeNumber(v));
    }
}

LogTable tableFromJson(const QJsonObject& t)
{
    LogTable table;
    for (const QJsonValue& v : t[QStringLiteral("tsMs")].toArray())
        table.tsMs.push_back(static_cast<std::int64_t>(v.toDouble()));
    for (const QJsonValue& v : t[QStringLiteral("version")].toArray()) {
        if (v.isNull()) {
            table.version.codes.push_back(CategoricalColumn::kNull);
            continue;
        }
        const std::string name = v.toString().toStdString();
        auto& dict = table.version.dictionary;
        auto it = std::find(dict.begin(), dict.end(), name);
        if (it == dict.end())
            it = dict.insert(dict.end(), name);
        table.version.codes.push_back(static_cast<std::uint32_t>(it - dict.begin()));
    }
    fillNumeric(table.latencyMs, t[QStringLiteral("latencyMs")].toArray());
    for (const QJsonValue& v : t[QStringLiteral("status")].toArray())
        table.status.push_back(static_cast<RowStatus>(v.toInt()));
    fillNumeric(table.prediction, t[QStringLiteral("prediction")].toArray());
    fillNumeric(table.label, t[QStringLiteral("label")].toArray());
    const QJsonObject kpis = t[QStringLiteral("kpis")].toObject();
    // Fixed order: the oracle's dict order.
    for (const QString& name : {QStringLiteral("revenue"), QStringLiteral("converted")}) {
        NumericColumn c;
        c.name = name.toStdString();
        fillNumeric(c, kpis[name].toArray());
        table.kpis.push_back(std::move(c));
    }
    return table;
}

void compareWindow(const WindowStats& w, const QJsonObject& e)
{
    QCOMPARE(w.startMs, static_cast<std::int64_t>(e[QStringLiteral("startMs")].toDouble()));
    QCOMPARE(w.endMs, static_cast<std::int64_t>(e[QStringLiteral("endMs")].toDouble()));
    QCOMPARE(w.rows, static_cast<std::uint64_t>(e[QStringLiteral("rows")].toInt()));
    QCOMPARE(w.labeled, static_cast<std::uint64_t>(e[QStringLiteral("labeled")].toInt()));
    QCOMPARE(w.errors, static_cast<std::uint64_t>(e[QStringLiteral("errors")].toInt()));
    QCOMPARE(w.statusKnown, static_cast<std::uint64_t>(e[QStringLiteral("statusKnown")].toInt()));
    VIGIL_COMPARE_VALUE(w.errorRate, e[QStringLiteral("errorRate")], "errorRate");
    VIGIL_COMPARE_VALUE(std::optional(w.throughputPerS), e[QStringLiteral("throughputPerS")], "throughput");
    const QJsonArray lat = e[QStringLiteral("latency")].toArray();
    VIGIL_COMPARE_VALUE(w.latencyMs.p50, lat[0], "p50");
    VIGIL_COMPARE_VALUE(w.latencyMs.p90, lat[1], "p90");
    VIGIL_COMPARE_VALUE(w.latencyMs.p95, lat[2], "p95");
    VIGIL_COMPARE_VALUE(w.latencyMs.p99, lat[3], "p99");
    const QJsonObject nf = e[QStringLiteral("nonFinite")].toObject();
    QCOMPARE(w.nonFinite.latency, static_cast<std::uint64_t>(nf[QStringLiteral("latency")].toInt()));
    QCOMPARE(w.nonFinite.prediction, static_cast<std::uint64_t>(nf[QStringLiteral("prediction")].toInt()));
    QCOMPARE(w.nonFinite.label, static_cast<std::uint64_t>(nf[QStringLiteral("label")].toInt()));

    const QJsonObject p = e[QStringLiteral("performance")].toObject();
    const PerformanceMetrics& m = w.performance;
    const std::pair<const char*, const std::optional<double>*> fields[] = {
        {"accuracy", &m.accuracy}, {"precision", &m.precision},
        {"recall", &m.recall},     {"f1", &m.f1},
        {"rocAuc", &m.rocAuc},     {"logLoss", &m.logLoss},
        {"brier", &m.brier},       {"mae", &m.mae},
        {"rmse", &m.rmse},         {"r2", &m.r2}};
    for (const auto& [name, value] : fields) {
        const QString key = QString::fromLatin1(name);
        QString why;
        // Metrics of the other family must be undefined.
        const QJsonValue expected = p.contains(key) ? p[key] : QJsonValue(QJsonValue::Null);
        QVERIFY2(vigil::test::sameValue(*value, expected, &why),
                 qPrintable(key + QStringLiteral(": ") + why));
    }

    const QJsonArray kpis = e[QStringLiteral("kpis")].toArray();
    QCOMPARE(w.kpis.size(), static_cast<std::size_t>(kpis.size()));
    for (int k = 0; k < kpis.size(); ++k) {
        const QJsonObject ek = kpis[k].toObject();
        QCOMPARE(QString::fromStdString(w.kpis[k].name), ek[QStringLiteral("name")].toString());
        VIGIL_COMPARE_VALUE(std::optional(w.kpis[k].sum), ek[QStringLiteral("sum")], "kpi sum");
        VIGIL_COMPARE_VALUE(w.kpis[k].mean, ek[QStringLiteral("mean")], "kpi mean");
        QCOMPARE(w.kpis[k].count, static_cast<std::uint64_t>(ek[QStringLiteral("count")].toInt()));
        QCOMPARE(w.kpis[k].nonFinite, static_cast<std::uint64_t>(ek[QStringLiteral("nonFinite")].toInt()));
    }
    const QJsonArray ratios = e[QStringLiteral("ratios")].toArray();
    QCOMPARE(w.ratios.size(), static_cast<std::size_t>(ratios.size()));
    for (int r = 0; r < ratios.size(); ++r) {
        const QJsonObject er = ratios[r].toObject();
        QCOMPARE(QString::fromStdString(w.ratios[r].name), er[QStringLiteral("name")].toString());
        VIGIL_COMPARE_VALUE(w.ratios[r].value, er[QStringLiteral("value")], "ratio");
    }
}

// A small table built by hand: two 1-minute windows before and after the epoch,
// unsorted rows, two versions and a null version.
LogTable handTable()
{
    LogTable t;
    t.version.dictionary = {"b", "a"};
    struct Row
    {
        std::int64_t ts;
        std::uint32_t version;
        std::optional<double> latency;
        RowStatus status;
        std::optional<double> prediction, label, revenue;
    };
    const std::uint32_t none = CategoricalColumn::kNull;
    const Row rows[] = {
        {30'000, 1, 10.0, RowStatus::Ok, 0.9, 1.0, 5.0},
        {-1, 0, 20.0, RowStatus::Error, 0.2, 0.0, std::nullopt},
        {59'999, 1, kNaN, RowStatus::Unknown, 0.6, 0.0, kNaN},
        {-60'000, none, std::nullopt, RowStatus::Ok, 0.4, std::nullopt, 2.0},
        {0, 0, 40.0, RowStatus::Ok, std::nullopt, 1.0, 3.0},
        {-30'000, 1, kInf, RowStatus::Ok, 0.7, 1.0, 1.0},
        {200'000, 0, 5.0, RowStatus::Unknown, 0.5, 1.0, std::nullopt},
    };
    t.kpis.push_back({});
    t.kpis[0].name = "revenue";
    auto push = [](NumericColumn& c, std::optional<double> v) { v ? c.push(*v) : c.pushNull(); };
    for (const Row& r : rows) {
        t.tsMs.push_back(r.ts);
        t.version.codes.push_back(r.version);
        push(t.latencyMs, r.latency);
        t.status.push_back(r.status);
        push(t.prediction, r.prediction);
        push(t.label, r.label);
        push(t.kpis[0], r.revenue);
    }
    return t;
}

LogTable randomTable(std::size_t n, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    LogTable t;
    t.version.dictionary = {"v1", "v2"};
    t.kpis.push_back({});
    t.kpis[0].name = "converted";
    for (std::size_t i = 0; i < n; ++i) {
        t.tsMs.push_back(static_cast<std::int64_t>(u(rng) * 6 * 3'600'000.0));
        t.version.codes.push_back(u(rng) < 0.5 ? 0 : 1);
        t.latencyMs.push(std::exp(3.0 + u(rng)));
        t.status.push_back(u(rng) < 0.05 ? RowStatus::Error : RowStatus::Ok);
        const double score = u(rng);
        t.prediction.push(score);
        if (u(rng) < 0.5)
            t.label.push(u(rng) < score ? 1.0 : 0.0);
        else
            t.label.pushNull();
        t.kpis[0].push(u(rng) < 0.1 ? 1.0 : 0.0);
    }
    return t;
}

PredictionKind kindFromName(const QString& name)
{
    if (name == QLatin1String("Score"))
        return PredictionKind::Score;
    if (name == QLatin1String("ClassLabel"))
        return PredictionKind::ClassLabel;
    if (name == QLatin1String("Regression"))
        return PredictionKind::Regression;
    return PredictionKind::Auto;
}

bool sameOptional(std::optional<double> a, std::optional<double> b)
{
    return a.has_value() == b.has_value() && (!a || *a == *b || (std::isnan(*a) && std::isnan(*b)));
}

} // namespace

class TestAnalysis : public QObject
{
    Q_OBJECT

  private slots:
    void matchesOracle_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < scenarios().size(); ++i)
            QTest::newRow(qPrintable(scenarios()[i].toObject()[QStringLiteral("name")].toString())) << i;
    }
    void matchesOracle()
    {
        QFETCH(int, index);
        const QJsonObject s = scenarios()[index].toObject();
        const LogTable table = tableFromJson(s[QStringLiteral("table")].toObject());
        AnalysisOptions options;
        if (!s[QStringLiteral("windowMs")].isNull())
            options.windowMs = static_cast<std::int64_t>(s[QStringLiteral("windowMs")].toDouble());
        options.threshold = s[QStringLiteral("threshold")].toDouble();
        for (const QJsonValue& r : s[QStringLiteral("ratios")].toArray())
            options.kpiRatios.push_back({r[QStringLiteral("name")].toString().toStdString(),
                                         r[QStringLiteral("expression")].toString().toStdString()});
        InferredSchema schema;
        schema.mapping.predictionKind = kindFromName(s[QStringLiteral("requestedKind")].toString());
        const auto result = analyze(table, schema, options);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        const AnalysisSnapshot& snap = result.value();
        const QJsonObject e = s[QStringLiteral("expected")].toObject();
        QCOMPARE(snap.windowMs, static_cast<std::int64_t>(e[QStringLiteral("windowMs")].toDouble()));
        QCOMPARE(int(snap.predictionKind), int(kindFromName(e[QStringLiteral("predictionKind")].toString())));
        QCOMPARE(snap.threshold, options.threshold);
        const QJsonArray windows = e[QStringLiteral("windows")].toArray();
        QCOMPARE(snap.windows.size(), static_cast<std::size_t>(windows.size()));
        for (int i = 0; i < windows.size() && !QTest::currentTestFailed(); ++i)
            compareWindow(snap.windows[i], windows[i].toObject());
        const QJsonArray versions = e[QStringLiteral("byVersion")].toArray();
        QCOMPARE(snap.byVersion.size(), static_cast<std::size_t>(versions.size()));
        for (int v = 0; v < versions.size(); ++v) {
            const QJsonObject ev = versions[v].toObject();
            QCOMPARE(QString::fromStdString(snap.byVersion[v].version),
                     ev[QStringLiteral("version")].toString());
            const QJsonArray vw = ev[QStringLiteral("windows")].toArray();
            QCOMPARE(snap.byVersion[v].windows.size(), static_cast<std::size_t>(vw.size()));
            for (int i = 0; i < vw.size() && !QTest::currentTestFailed(); ++i)
                compareWindow(snap.byVersion[v].windows[i], vw[i].toObject());
        }
    }

    void handBuiltTable()
    {
        AnalysisOptions options;
        options.windowMs = 60'000;
        options.kpiRatios = {{"rev_per_row", "sum(revenue)/rows"},
                             {"per_labeled", "count(revenue) / labeled"}};
        const auto result = analyze(handTable(), InferredSchema{}, options);
        QVERIFY(result.ok());
        const AnalysisSnapshot& s = result.value();
        QCOMPARE(int(s.predictionKind), int(PredictionKind::Score));
        // Windows [-60000,0), [0,60000), [180000,240000); the empty ones between are omitted.
        QCOMPARE(s.windows.size(), 3u);
        const WindowStats& w0 = s.windows[0];
        QCOMPARE(w0.startMs, -60'000);
        QCOMPARE(w0.endMs, 0);
        QCOMPARE(w0.rows, 3u);    // ts -1, -60000, -30000
        QCOMPARE(w0.labeled, 2u); // -60000 has no label
        QCOMPARE(w0.errors, 1u);
        QCOMPARE(w0.statusKnown, 3u);
        QCOMPARE(*w0.errorRate, 1.0 / 3.0);
        QCOMPARE(w0.throughputPerS, 3.0 / 60.0);
        QCOMPARE(w0.nonFinite.latency, 1u);
        QVERIFY(std::isnan(*w0.latencyMs.p50)); // numpy: {20, inf} interpolates to NaN
        // Labelled pairs: (0.2, 0) and (0.7, 1): both right at threshold 0.5.
        QCOMPARE(*w0.performance.accuracy, 1.0);
        QCOMPARE(*w0.performance.rocAuc, 1.0);
        QVERIFY(!w0.performance.mae);
        QCOMPARE(w0.kpis[0].sum, 3.0);
        QCOMPARE(w0.kpis[0].count, 2u);
        QCOMPARE(*w0.ratios[0].value, 1.0);
        QCOMPARE(*w0.ratios[1].value, 1.0);

        const WindowStats& w1 = s.windows[1];
        QCOMPARE(w1.startMs, 0);
        QCOMPARE(w1.rows, 3u); // ts 30000, 59999, 0
        QCOMPARE(w1.statusKnown, 2u);
        QCOMPARE(w1.nonFinite.latency, 1u);
        QCOMPARE(*w1.latencyMs.p50, 25.0); // NaN excluded: median of {10, 40}
        QCOMPARE(w1.kpis[0].nonFinite, 1u);
        QCOMPARE(w1.kpis[0].count, 3u);
        QCOMPARE(w1.kpis[0].sum, 8.0);
        QCOMPARE(*w1.kpis[0].mean, 4.0);
        // Pairs (0.9,1), (0.6,0): the row with a null prediction is left out.
        QCOMPARE(*w1.performance.precision, 0.5);
        QCOMPARE(*w1.performance.recall, 1.0);
        QVERIFY(!result.warnings.empty()); // the labelled row without prediction is reported

        const WindowStats& w2 = s.windows[2];
        QCOMPARE(w2.startMs, 180'000);
        QVERIFY(!w2.errorRate);                   // only an unknown status
        QVERIFY(!w2.performance.rocAuc);          // one class
        QCOMPARE(*w2.performance.precision, 1.0); // 0.5 >= threshold 0.5 is positive
        QVERIFY(!w2.kpis[0].mean);
        QVERIFY(w2.ratios[1].value.has_value()); // count 0 / labeled 1 = 0, defined
        QCOMPARE(*w2.ratios[1].value, 0.0);

        // Segments by first appearance: "(none)" at -60000, "a" (code 1) at -30000, "b" at -1.
        QCOMPARE(s.byVersion.size(), 3u);
        QCOMPARE(s.byVersion[0].version, std::string("(none)"));
        QCOMPARE(s.byVersion[1].version, std::string("a"));
        QCOMPARE(s.byVersion[2].version, std::string("b"));
        QCOMPARE(s.byVersion[0].windows.size(), 1u);
        QCOMPARE(s.byVersion[1].windows.size(), 2u);
        QCOMPARE(s.byVersion[2].windows.size(), 3u);
        QCOMPARE(s.byVersion[1].windows[1].rows, 2u);
    }

    void predictionKindResolution_data()
    {
        QTest::addColumn<int>("requested");
        QTest::addColumn<double>("prediction");
        QTest::addColumn<double>("label");
        QTest::addColumn<int>("resolved");
        const int autoKind = int(PredictionKind::Auto), score = int(PredictionKind::Score),
                  classLabel = int(PredictionKind::ClassLabel), regression = int(PredictionKind::Regression);
        QTest::newRow("scores") << autoKind << 0.3 << 1.0 << score;
        QTest::newRow("prediction above 1") << autoKind << 1.5 << 1.0 << regression;
        QTest::newRow("label 2") << autoKind << 0.3 << 2.0 << regression;
        QTest::newRow("non-finite ignored") << autoKind << kInf << 0.0 << score;
        QTest::newRow("explicit class label") << classLabel << 1.0 << 1.0 << classLabel;
        QTest::newRow("explicit regression") << regression << 0.3 << 1.0 << regression;
    }
    void predictionKindResolution()
    {
        QFETCH(int, requested);
        QFETCH(double, prediction);
        QFETCH(double, label);
        QFETCH(int, resolved);
        LogTable t;
        t.tsMs = {0, 1};
        t.prediction.push(prediction);
        t.prediction.push(0.0);
        t.label.push(label);
        t.label.push(0.0);
        InferredSchema schema;
        schema.mapping.predictionKind = static_cast<PredictionKind>(requested);
        const auto r = analyze(t, schema, {});
        QVERIFY(r.ok());
        QCOMPARE(int(r->predictionKind), resolved);
        const PerformanceMetrics& m = r->windows.at(0).performance;
        QCOMPARE(m.mae.has_value(), resolved == int(PredictionKind::Regression));
        QCOMPARE(m.accuracy.has_value(), resolved != int(PredictionKind::Regression));
        QCOMPARE(m.logLoss.has_value(), resolved == int(PredictionKind::Score));
    }

    void badRatioIsAnError_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::newRow("unknown kpi") << QStringLiteral("sum(nope) / rows");
        QTest::newRow("no slash") << QStringLiteral("sum(revenue)");
        QTest::newRow("two slashes") << QStringLiteral("rows / rows / rows");
        QTest::newRow("bad function") << QStringLiteral("max(revenue) / rows");
        QTest::newRow("empty term") << QStringLiteral(" / rows");
        QTest::newRow("empty name") << QStringLiteral("sum() / rows");
        QTest::newRow("unclosed") << QStringLiteral("sum(revenue / rows");
    }
    void badRatioIsAnError()
    {
        QFETCH(QString, expression);
        AnalysisOptions options;
        options.kpiRatios = {{"my_ratio", expression.toStdString()}};
        const auto r = analyze(handTable(), InferredSchema{}, options);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("my_ratio") != std::string::npos, r.error().message.c_str());
    }

    void emptyTableAndBadInput()
    {
        const auto empty = analyze(LogTable{}, InferredSchema{}, {});
        QVERIFY(empty.ok());
        QVERIFY(empty->windows.empty());
        QVERIFY(empty->byVersion.empty());

        LogTable t = handTable();
        t.latencyMs.values.pop_back();
        t.latencyMs.valid.pop_back();
        const auto mismatch = analyze(t, InferredSchema{}, {});
        QVERIFY(!mismatch.ok());
        QVERIFY(mismatch.error().message.find("latency_ms") != std::string::npos);

        AnalysisOptions zero;
        zero.windowMs = 0;
        QVERIFY(!analyze(handTable(), InferredSchema{}, zero).ok());
    }

    void noVersionColumnMeansNoSegments()
    {
        LogTable t = handTable();
        t.version = {};
        const auto r = analyze(t, InferredSchema{}, {});
        QVERIFY(r.ok());
        QVERIFY(r->byVersion.empty());
        QVERIFY(!r->windows.empty());
    }

    void sparseWindows()
    {
        // Far more possible windows than rows: grouped by sorting, not by counting.
        LogTable t;
        t.tsMs = {500'000'000'000, 0, 1'000'000'000'000, 999, -1};
        AnalysisOptions options;
        options.windowMs = 1000;
        const auto r = analyze(t, InferredSchema{}, options);
        QVERIFY(r.ok());
        QCOMPARE(r->windows.size(), 4u);
        const std::int64_t starts[] = {-1000, 0, 500'000'000'000, 1'000'000'000'000};
        const std::uint64_t rows[] = {1, 2, 1, 1};
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE(r->windows[i].startMs, starts[i]);
            QCOMPARE(r->windows[i].rows, rows[i]);
            QVERIFY(!r->windows[i].errorRate);     // no status column
            QVERIFY(!r->windows[i].latencyMs.p50); // no latency column
            QVERIFY(!r->windows[i].performance.accuracy);
        }
    }

    void cancelled()
    {
        std::stop_source source;
        source.request_stop();
        const auto r = analyze(randomTable(1000, 1), InferredSchema{}, {}, source.get_token());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, std::string("cancelled"));
    }

    void parallelMatchesSerial()
    {
        // 300k rows runs on worker threads; each window re-analysed alone (serial) must agree.
        const LogTable big = randomTable(300'000, 42);
        std::atomic<int> progressCalls{0};
        double lastFraction = -1;
        bool progressWentBack = false;
        std::mutex mutex;
        const auto r = analyze(big, InferredSchema{}, {}, {}, [&](double f, std::string_view) {
            ++progressCalls;
            std::lock_guard lock(mutex);
            if (f < lastFraction)
                progressWentBack = true;
            lastFraction = f;
        });
        QVERIFY(r.ok());
        QVERIFY(progressCalls > 2);
        QCOMPARE(lastFraction, 1.0);
        QVERIFY(!progressWentBack);
        std::uint64_t total = 0;
        for (const WindowStats& w : r->windows)
            total += w.rows;
        QCOMPARE(total, 300'000u);
        for (std::size_t pick : {std::size_t(0), r->windows.size() / 2, r->windows.size() - 1}) {
            const WindowStats& w = r->windows[pick];
            LogTable part;
            part.version = {"version", {}, big.version.dictionary};
            part.kpis.push_back({});
            part.kpis[0].name = "converted";
            for (std::size_t i = 0; i < big.rows(); ++i) {
                if (big.tsMs[i] < w.startMs || big.tsMs[i] >= w.endMs)
                    continue;
                part.tsMs.push_back(big.tsMs[i]);
                part.version.codes.push_back(big.version.codes[i]);
                part.latencyMs.push(big.latencyMs.values[i]);
                part.status.push_back(big.status[i]);
                part.prediction.push(big.prediction.values[i]);
                big.label.valid[i] ? part.label.push(big.label.values[i]) : part.label.pushNull();
                part.kpis[0].push(big.kpis[0].values[i]);
            }
            AnalysisOptions options;
            options.windowMs = r->windowMs;
            const auto single = analyze(part, InferredSchema{}, options);
            QVERIFY(single.ok());
            QCOMPARE(single->windows.size(), 1u);
            const WindowStats& s = single->windows[0];
            QCOMPARE(s.rows, w.rows);
            QCOMPARE(s.labeled, w.labeled);
            QVERIFY(sameOptional(s.latencyMs.p99, w.latencyMs.p99));
            QVERIFY(sameOptional(s.performance.rocAuc, w.performance.rocAuc));
            QVERIFY(sameOptional(s.performance.logLoss, w.performance.logLoss));
            QCOMPARE(s.kpis[0].sum, w.kpis[0].sum);
        }
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
