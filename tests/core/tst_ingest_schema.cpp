// Schema inference on realistic logs, and the loaded values checked against an
// independent Python reading of the same files (tests/data/ingest/reference.py).
#include "ingest/load.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <cmath>

using namespace vigil;

namespace {

QString dataPath(const char* name)
{
    return QStringLiteral(VIGIL_TEST_DATA_DIR "/ingest/") + QString::fromUtf8(name);
}

const FieldInfo* field(const InferredSchema& schema, const std::string& path)
{
    for (const FieldInfo& f : schema.fields) {
        if (f.path == path)
            return &f;
    }
    return nullptr;
}

// "path=role;path=role" -> expectations.
QList<QPair<QString, QString>> parseRoles(const QString& spec)
{
    QList<QPair<QString, QString>> out;
    for (const QString& item : spec.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const auto eq = item.indexOf(QLatin1Char('='));
        out.append({item.left(eq), item.mid(eq + 1)});
    }
    return out;
}

} // namespace

class TestIngestSchema : public QObject
{
    Q_OBJECT

  private slots:
    void inference_data();
    void inference();
    void valuesMatchPython_data() { inference_data(); }
    void valuesMatchPython();
    void inferSchemaOnText();
    void reasons();
};

void TestIngestSchema::inference_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("sampleRows");
    QTest::addColumn<QString>("roles");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QString>("positive");
    QTest::addColumn<int>("rows");

    QTest::newRow("default jsonl")
        << dataPath("default.jsonl") << 1000
        << "ts=timestamp;request_id=request id;model=model;version=version;latency_ms=latency;status=status;"
           "features.amount=numeric feature;features.country=categorical feature;prediction=prediction;"
           "label=label;kpi.revenue=kpi;kpi.converted=kpi"
        << "score"
        << "ms"
        << "1" << 40;
    QTest::newRow("default csv")
        << dataPath("default.csv") << 1000
        << "ts=timestamp;request_id=request id;model=model;version=version;latency_ms=latency;status=status;"
           "features.amount=numeric feature;features.country=categorical feature;prediction=prediction;"
           "label=label;kpi.revenue=kpi;kpi.converted=kpi"
        << "score"
        << "ms"
        << "1" << 40;
    QTest::newRow("iso offsets, score/y_true")
        << dataPath("iso_score.jsonl") << 1000
        << "time=timestamp;id=request id;model_name=model;score=prediction;y_true=label;"
           "inputs.age=numeric feature;inputs.plan=categorical feature;error=status"
        << "score"
        << "iso8601"
        << "1" << 30;
    QTest::newRow("epoch seconds, http status")
        << dataPath("epoch_http.jsonl") << 1000
        << "timestamp=timestamp;model=model;model_version=version;duration_ms=latency;http_status=status;"
           "probability=prediction;target=label;region=categorical feature;cpu_load=numeric feature"
        << "score"
        << "s"
        << "1" << 30;
    QTest::newRow("regression")
        << dataPath("regression.jsonl") << 1000
        << "created_at=timestamp;model=model;version=version;latency_s=latency;success=status;"
           "prediction=prediction;actual=label;features.sqm=numeric feature;features.rooms=numeric feature;"
           "features.city=categorical feature"
        << "regression"
        << "iso8601"
        << "1" << 30;
    QTest::newRow("class labels yes/no")
        << dataPath("classes.csv") << 1000
        << "event_time=timestamp;model=model;pred=prediction;ground_truth=label;status_code=status;"
           "features.tenure=numeric feature;features.segment=categorical feature"
        << "class"
        << "s"
        << "yes" << 30;
    // Sampling 3 rows keeps "abc" (row 4) out of inference: features.y stays numeric.
    QTest::newRow("NaN tokens and nulls")
        << dataPath("nan_null.jsonl") << 3
        << "ts=timestamp;model=model;prediction=prediction;label=label;features.x=numeric feature;"
           "features.y=numeric feature;features.c=categorical feature;kpi.loss=kpi"
        << "score"
        << "ms"
        << "1" << 4;
}

void TestIngestSchema::inference()
{
    QFETCH(QString, file);
    QFETCH(int, sampleRows);
    QFETCH(QString, roles);
    QFETCH(QString, kind);
    QFETCH(QString, unit);
    QFETCH(QString, positive);
    QFETCH(int, rows);

    LoadOptions options;
    options.sampleRows = static_cast<std::size_t>(sampleRows);
    const auto result = loadLogs({file.toStdString()}, options);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    const LoadedLog& log = result.value();
    QCOMPARE(static_cast<int>(log.table.rows()), rows);
    QCOMPARE(log.malformed, std::uint64_t(0));
    const auto expected = parseRoles(roles);
    for (const auto& [path, role] : expected) {
        const FieldInfo* f = field(log.schema, path.toStdString());
        QVERIFY2(f != nullptr, qPrintable(path));
        QCOMPARE(QString::fromUtf8(toString(f->role)), role);
        QVERIFY2(!f->reason.empty(), qPrintable(path));
    }
    // Every field seen is listed, and nothing else got a role.
    for (const FieldInfo& f : log.schema.fields) {
        const bool listed = std::any_of(expected.begin(), expected.end(),
                                        [&](const auto& e) { return e.first.toStdString() == f.path; });
        QVERIFY2(listed || f.role == FieldRole::Ignored, f.path.c_str());
    }
    QCOMPARE(QString::fromUtf8(toString(log.schema.mapping.predictionKind)), kind);
    QCOMPARE(QString::fromUtf8(toString(log.schema.mapping.timestampUnit)), unit);
    QCOMPARE(QString::fromStdString(log.schema.mapping.positiveClass), positive);
}

void TestIngestSchema::valuesMatchPython()
{
    QFETCH(QString, file);
    QFETCH(int, sampleRows);

    LoadOptions options;
    options.sampleRows = static_cast<std::size_t>(sampleRows);
    const auto result = loadLogs({file.toStdString()}, options);
    QVERIFY(result.ok());
    const LogTable& t = result->table;
    const FieldMapping& m = result->schema.mapping;

    // Numeric columns by mapped path; latency in seconds is scaled to ms.
    std::vector<std::pair<std::string, const NumericColumn*>> columns;
    QStringList args{QStringLiteral(VIGIL_TEST_DATA_DIR "/ingest/reference.py"), file,
                     QString::fromStdString(m.timestamp)};
    auto add = [&](const std::string& path, const NumericColumn& column, double scale) {
        columns.emplace_back(path, &column);
        args << QString::fromStdString(path) + (scale != 1.0 ? QStringLiteral("*1000") : QString());
    };
    if (!m.latency.empty())
        add(m.latency, t.latencyMs, m.latency.ends_with("_s") ? 1000.0 : 1.0);
    if (m.predictionKind != PredictionKind::ClassLabel) {
        add(m.prediction, t.prediction, 1.0);
        add(m.label, t.label, 1.0);
    }
    for (std::size_t i = 0; i < m.numericFeatures.size(); ++i)
        add(m.numericFeatures[i], t.numericFeatures[i], 1.0);
    for (std::size_t i = 0; i < m.kpis.size(); ++i)
        add(m.kpis[i], t.kpis[i], 1.0);

    QProcess python;
    python.start(QStringLiteral(VIGIL_PYTHON), args);
    QVERIFY(python.waitForFinished(60000));
    QCOMPARE(python.exitCode(), 0);
    const QJsonObject ref = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    QCOMPARE(static_cast<qint64>(t.rows()), ref.value(QStringLiteral("rows")).toInteger());
    qint64 tsSum = 0;
    for (std::int64_t ts : t.tsMs)
        tsSum += ts;
    QCOMPARE(tsSum, ref.value(QStringLiteral("ts_sum")).toInteger());
    const QJsonObject cols = ref.value(QStringLiteral("cols")).toObject();
    for (const auto& [path, column] : columns) {
        const QJsonObject c = cols.value(QString::fromStdString(path)).toObject();
        int valid = 0, nan = 0, posinf = 0, neginf = 0;
        double sum = 0.0;
        for (std::size_t i = 0; i < column->size(); ++i) {
            if (!column->valid[i])
                continue;
            ++valid;
            const double v = column->values[i];
            if (std::isnan(v))
                ++nan;
            else if (std::isinf(v))
                ++(v > 0 ? posinf : neginf);
            else
                sum += v;
        }
        QCOMPARE(valid, c.value(QStringLiteral("valid")).toInt());
        QCOMPARE(nan, c.value(QStringLiteral("nan")).toInt());
        QCOMPARE(posinf, c.value(QStringLiteral("posinf")).toInt());
        QCOMPARE(neginf, c.value(QStringLiteral("neginf")).toInt());
        const double expected = c.value(QStringLiteral("sum")).toDouble();
        QVERIFY2(std::fabs(sum - expected) <= 1e-9 * std::max(1.0, std::fabs(expected)), path.c_str());
    }
}

void TestIngestSchema::inferSchemaOnText()
{
    const std::string text = "{\"Timestamp\": \"2026-01-01T00:00:00Z\", \"requestId\": \"a\", \"latency\": 3,"
                             " \"output\": 2.5, \"user_id\": 7, \"note\": \"x\"}\n"
                             "{\"Timestamp\": \"2026-01-01T00:00:01Z\", \"requestId\": \"b\", \"latency\": 4,"
                             " \"output\": 3.5, \"user_id\": 8, \"note\": \"y\"}\n";
    const auto result = inferSchema(text, LogFormat::Auto);
    QVERIFY(result.ok());
    const InferredSchema& s = result.value();
    QCOMPARE(s.format, LogFormat::Jsonl);
    QCOMPARE(s.sampledRows, std::size_t(2));
    QCOMPARE(s.mapping.timestamp, std::string("Timestamp"));
    QCOMPARE(s.mapping.requestId, std::string("requestId"));
    QCOMPARE(s.mapping.latency, std::string("latency"));
    QCOMPARE(s.mapping.prediction, std::string("output"));
    QCOMPARE(s.mapping.predictionKind, PredictionKind::Regression);
    QCOMPARE(field(s, "user_id")->role, FieldRole::Ignored); // an id, not a feature
    QCOMPARE(field(s, "note")->role, FieldRole::Ignored);    // every value distinct: free text
    QVERIFY(s.mapping.numericFeatures.empty());

    const auto csv = inferSchema("time,score,label\n1767225600,0.5,1\n", LogFormat::Auto);
    QVERIFY(csv.ok());
    QCOMPARE(csv->format, LogFormat::Csv);
    QCOMPARE(csv->mapping.timestampUnit, TimestampUnit::Seconds);

    QVERIFY(!inferSchema("not json\n{broken\n", LogFormat::Jsonl).ok());
    QVERIFY(!inferSchema("", LogFormat::Jsonl).ok());
}

void TestIngestSchema::reasons()
{
    const auto result = loadLogs({dataPath("regression.jsonl").toStdString()}, LoadOptions{});
    QVERIFY(result.ok());
    const FieldInfo* latency = field(result->schema, "latency_s");
    QVERIFY(latency->reason.find("seconds") != std::string::npos);
    QCOMPARE(result->table.latencyMs.values[0], 28.0); // 0.028 s
    const FieldInfo* ts = field(result->schema, "created_at");
    QCOMPARE(ts->reason.substr(0, 25), std::string("name matches 'created_at'"));
    QCOMPARE(ts->type, ValueType::String);
    QCOMPARE(ts->example, std::string("2026-02-01 10:00:00"));
    QCOMPARE(ts->seen, std::size_t(30));
    const FieldInfo* success = field(result->schema, "success");
    QCOMPARE(success->type, ValueType::Bool);
    // success=false on rows 0, 6, 12, ... is an error.
    QCOMPARE(result->table.status[0], RowStatus::Error);
    QCOMPARE(result->table.status[1], RowStatus::Ok);
}

QTEST_GUILESS_MAIN(TestIngestSchema)
#include "tst_ingest_schema.moc"
