// The config file: parsing, round trip through configToJson, unknown keys and bad
// values, and applyOverrides on an inferred schema.
#include "config/config.h"
#include "ingest/load.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace vigil;

class TestConfig : public QObject
{
    Q_OBJECT

  private slots:
    void fullConfig();
    void roundTrip_data();
    void roundTrip();
    void rejects_data();
    void rejects();
    void loadFile();
    void overridesEmpty();
    void applyOverridesMovesRoles();
};

namespace {

const char* kFull = R"({
  "format": "csv",
  "window": "15m",
  "threshold": 0.35,
  "mapping": {
    "timestamp": "time", "timestamp_unit": "s", "request_id": "rid", "model": "m", "version": "v",
    "latency": "", "status": "code", "ok_status": ["ok", "200"], "prediction": "p",
    "prediction_kind": "class", "label": "y", "positive_class": "yes",
    "numeric_features": ["features.a", "b"], "categorical_features": ["c"], "kpis": ["kpi.revenue"]
  },
  "kpi_ratios": [{"name": "conversion", "expr": "sum(converted) / rows"}]
})";

} // namespace

void TestConfig::fullConfig()
{
    const auto result = parseConfig(kFull);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    const VigilConfig& c = result.value();
    QCOMPARE(c.format, std::optional<LogFormat>(LogFormat::Csv));
    QCOMPARE(c.windowMs, std::optional<std::int64_t>(15 * 60'000));
    QCOMPARE(c.threshold, std::optional<double>(0.35));
    QCOMPARE(*c.mapping.timestamp, std::string("time"));
    QCOMPARE(*c.mapping.timestampUnit, TimestampUnit::Seconds);
    QCOMPARE(*c.mapping.latency, std::string("")); // "this log has no latency"
    QCOMPARE(*c.mapping.okStatusValues, (std::vector<std::string>{"ok", "200"}));
    QCOMPARE(*c.mapping.predictionKind, PredictionKind::ClassLabel);
    QCOMPARE(*c.mapping.positiveClass, std::string("yes"));
    QCOMPARE(*c.mapping.numericFeatures, (std::vector<std::string>{"features.a", "b"}));
    QCOMPARE(*c.mapping.kpis, (std::vector<std::string>{"kpi.revenue"}));
    QCOMPARE(c.kpiRatios.size(), std::size_t(1));
    QCOMPARE(c.kpiRatios[0].name, std::string("conversion"));
    QCOMPARE(c.kpiRatios[0].expression, std::string("sum(converted) / rows"));
    QVERIFY(!c.mapping.model->empty());
    QVERIFY(!c.mapping.empty());
}

void TestConfig::roundTrip_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("full") << QByteArray(kFull);
    QTest::newRow("empty") << QByteArray("{}");
    QTest::newRow("window only") << QByteArray(R"({"window": "90s"})");
    QTest::newRow("escapes") << QByteArray(
        R"({"mapping": {"timestamp": "a \"q\" \\ b\n", "ok_status": []}})");
    QTest::newRow("numeric positive class") << QByteArray(R"({"mapping": {"positive_class": 1}})");
    QTest::newRow("threshold") << QByteArray(R"({"threshold": 0.1, "format": "jsonl"})");
    QTest::newRow("drift") << QByteArray(
        R"({"drift": {"alpha": 0.01, "min_effect": 0.2, "threshold_sigmas": 2.5, "features": {"amount": {"min_effect": 0.3, "ignore": true}, "a \"b\"": {"threshold_sigmas": 4}}}})");
    QTest::newRow("drift features only") << QByteArray(R"({"drift": {"features": {"x": {}}}})");
    QTest::newRow("drift feature_alpha") << QByteArray(
        R"({"drift": {"feature_alpha": 0.01, "features": {"amount": {"feature_alpha": 0.001}}}})");
    QTest::newRow("drift two-window pool") << QByteArray(
        R"({"drift": {"pair_below_rows": 500, "pair_own_alpha": 0.05, "pair_threshold_sigmas": 2.5, "features": {"amount": {"pair_below_rows": 0, "pair_own_alpha": 0.2, "pair_threshold_sigmas": 3}}}})");
}

void TestConfig::roundTrip()
{
    QFETCH(QByteArray, json);
    const auto first = parseConfig(json.toStdString());
    QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
    const std::string text = configToJson(first.value());
    const auto second = parseConfig(text);
    QVERIFY2(second.ok(), text.c_str());
    QCOMPARE(configToJson(second.value()), text);
    const VigilConfig& a = first.value();
    const VigilConfig& b = second.value();
    QCOMPARE(a.format, b.format);
    QCOMPARE(a.windowMs, b.windowMs);
    QCOMPARE(a.threshold, b.threshold);
    QCOMPARE(a.mapping.timestamp, b.mapping.timestamp);
    QCOMPARE(a.mapping.okStatusValues, b.mapping.okStatusValues);
    QCOMPARE(a.mapping.positiveClass, b.mapping.positiveClass);
    QCOMPARE(a.mapping.numericFeatures, b.mapping.numericFeatures);
    QCOMPARE(a.kpiRatios.size(), b.kpiRatios.size());
    QCOMPARE(a.drift.alpha, b.drift.alpha);
    QCOMPARE(a.drift.minEffect, b.drift.minEffect);
    QCOMPARE(a.drift.featureAlpha, b.drift.featureAlpha);
    QCOMPARE(a.drift.pairBelowRows, b.drift.pairBelowRows);
    QCOMPARE(a.drift.pairOwnAlpha, b.drift.pairOwnAlpha);
    QCOMPARE(a.drift.pairThresholdSigmas, b.drift.pairThresholdSigmas);
    QCOMPARE(a.drift.features.size(), b.drift.features.size());
    for (const auto& [name, f] : a.drift.features) {
        QVERIFY(b.drift.features.count(name));
        QCOMPARE(f.minEffect, b.drift.features.at(name).minEffect);
        QCOMPARE(f.thresholdSigmas, b.drift.features.at(name).thresholdSigmas);
        QCOMPARE(f.ignore, b.drift.features.at(name).ignore);
        QCOMPARE(f.featureAlpha, b.drift.features.at(name).featureAlpha);
        QCOMPARE(f.pairBelowRows, b.drift.features.at(name).pairBelowRows);
        QCOMPARE(f.pairOwnAlpha, b.drift.features.at(name).pairOwnAlpha);
        QCOMPARE(f.pairThresholdSigmas, b.drift.features.at(name).pairThresholdSigmas);
    }
}

void TestConfig::rejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("needle");
    QTest::newRow("unknown top key") << QByteArray(R"({"windw": "1h"})") << "unknown key 'windw'";
    QTest::newRow("unknown mapping key")
        << QByteArray(R"({"mapping": {"timestmap": "t"}})") << "unknown key 'mapping.timestmap'";
    QTest::newRow("unknown ratio key")
        << QByteArray(R"({"kpi_ratios": [{"name": "a", "expr": "rows / rows", "x": 1}]})")
        << "unknown key 'kpi_ratios.x'";
    QTest::newRow("bad window") << QByteArray(R"({"window": "1w"})") << "'window'";
    QTest::newRow("zero window") << QByteArray(R"({"window": "0m"})") << "'window'";
    QTest::newRow("bad format") << QByteArray(R"({"format": "xml"})") << "'format'";
    QTest::newRow("threshold range") << QByteArray(R"({"threshold": 1.5})") << "'threshold'";
    QTest::newRow("threshold type") << QByteArray(R"({"threshold": "0.5"})") << "'threshold'";
    QTest::newRow("bad unit") << QByteArray(R"({"mapping": {"timestamp_unit": "minutes"}})")
                              << "timestamp_unit";
    QTest::newRow("bad kind") << QByteArray(R"({"mapping": {"prediction_kind": "proba"}})")
                              << "prediction_kind";
    QTest::newRow("list type") << QByteArray(R"({"mapping": {"kpis": "kpi.revenue"}})") << "'mapping.kpis'";
    QTest::newRow("list item type") << QByteArray(R"({"mapping": {"kpis": [1]}})") << "'mapping.kpis'";
    QTest::newRow("string type") << QByteArray(R"({"mapping": {"model": 3}})") << "'mapping.model'";
    QTest::newRow("ratio without expr") << QByteArray(R"({"kpi_ratios": [{"name": "a"}]})") << "expr";
    QTest::newRow("not an object") << QByteArray("[1]") << "object";
    QTest::newRow("unknown drift key")
        << QByteArray(R"({"drift": {"alfa": 0.1}})") << "unknown key 'drift.alfa'";
    QTest::newRow("unknown drift feature key")
        << QByteArray(R"({"drift": {"features": {"amount": {"min_efect": 0.1}}}})")
        << "unknown key 'drift.features.amount.min_efect'";
    QTest::newRow("drift alpha range") << QByteArray(R"({"drift": {"alpha": 2}})") << "'drift.alpha'";
    QTest::newRow("drift feature_alpha range")
        << QByteArray(R"({"drift": {"features": {"a": {"feature_alpha": -1}}}})")
        << "'drift.features.a.feature_alpha'";
    QTest::newRow("drift pair_below_rows fraction")
        << QByteArray(R"({"drift": {"pair_below_rows": 99.5}})") << "'drift.pair_below_rows'";
    QTest::newRow("drift pair_own_alpha range")
        << QByteArray(R"({"drift": {"features": {"a": {"pair_own_alpha": 1.5}}}})")
        << "'drift.features.a.pair_own_alpha'";
    QTest::newRow("drift ignore type")
        << QByteArray(R"({"drift": {"features": {"a": {"ignore": 1}}}})") << "'drift.features.a.ignore'";
    QTest::newRow("drift features type")
        << QByteArray(R"({"drift": {"features": []}})") << "'drift.features'";
    QTest::newRow("invalid JSON") << QByteArray("{\"window\": ") << "not valid JSON";
}

void TestConfig::rejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, needle);
    const auto result = parseConfig(json.toStdString());
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.find(needle.toStdString()) != std::string::npos,
             result.error().message.c_str());
    QVERIFY(result.error().message.find('\n') == std::string::npos);
}

void TestConfig::loadFile()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("vigil.json")).toStdString();
    std::ofstream(path) << R"({"window": "1h", "mapping": {"prediction": "score"}})";
    const auto result = loadConfigFile(path);
    QVERIFY(result.ok());
    QCOMPARE(result->windowMs, std::optional<std::int64_t>(3'600'000));
    const auto missing = loadConfigFile(path + ".nope");
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.find(path + ".nope") != std::string::npos);
    std::ofstream(path) << R"({"bogus": 1})";
    const auto bad = loadConfigFile(path);
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().message.find(path) == 0);
    QVERIFY(bad.error().message.find("bogus") != std::string::npos);
}

void TestConfig::overridesEmpty()
{
    MappingOverrides o;
    QVERIFY(o.empty());
    o.kpis = std::vector<std::string>{};
    QVERIFY(!o.empty());
}

void TestConfig::applyOverridesMovesRoles()
{
    const auto inferred =
        inferSchema("{\"ts\": 1767225600000, \"time2\": 1767225600, \"score\": 0.5, \"x\": 1}\n"
                    "{\"ts\": 1767225600001, \"time2\": 1767225601, \"score\": 0.6, \"x\": 2}\n",
                    LogFormat::Jsonl);
    QVERIFY(inferred.ok());
    InferredSchema schema = inferred.value();
    QCOMPARE(schema.mapping.numericFeatures, (std::vector<std::string>{"time2", "x"}));
    MappingOverrides o;
    o.timestamp = "time2";
    o.prediction = "";
    o.kpis = std::vector<std::string>{"missing.field"};
    applyOverrides(o, schema);
    QCOMPARE(schema.mapping.timestamp, std::string("time2"));
    QVERIFY(schema.mapping.prediction.empty());
    QCOMPARE(schema.mapping.numericFeatures, (std::vector<std::string>{"x"}));
    QCOMPARE(schema.mapping.kpis, (std::vector<std::string>{"missing.field"}));
    for (const FieldInfo& f : schema.fields) {
        if (f.path == "time2") {
            QCOMPARE(f.role, FieldRole::Timestamp);
            QCOMPARE(f.reason, std::string("set by config"));
        } else if (f.path == "ts" || f.path == "score") {
            QCOMPARE(f.role, FieldRole::Ignored);
        } else if (f.path == "missing.field") {
            QCOMPARE(f.role, FieldRole::Kpi);
            QCOMPARE(f.reason, std::string("set by config (not seen in sample)"));
        }
    }
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
