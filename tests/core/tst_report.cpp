// The report writers: golden-file comparison of JSON and CSV for a hand-built result,
// and the JSON writer's guarantees (strict JSON for any input).
#include "report/json_writer.h"
#include "report/report.h"
#include "util/time_format.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <cmath>
#include <limits>

using namespace vigil;

namespace {

WindowStats makeWindow(std::int64_t start, std::uint64_t rows)
{
    WindowStats w;
    w.startMs = start;
    w.endMs = start + 3'600'000;
    w.rows = rows;
    w.labeled = rows / 2;
    w.errors = 1;
    w.statusKnown = rows;
    w.performance.accuracy = 0.75;
    w.performance.precision = 2.0 / 3.0;
    w.performance.rocAuc = std::nullopt; // one class: undefined, must be null
    w.performance.logLoss = 0.1;
    w.throughputPerS = static_cast<double>(rows) / 3600.0;
    w.errorRate = 1.0 / static_cast<double>(rows);
    w.latencyMs = {12.5, 30.0, 31.25, std::numeric_limits<double>::infinity()};
    w.kpis.push_back({"revenue", 120.5, 12.05, 10, 1});
    w.ratios.push_back({"conversion", 0.25});
    w.nonFinite = {1, 2, 0};
    return w;
}

std::shared_ptr<const AnalysisResult> makeResult()
{
    auto log = std::make_shared<LoadedLog>();
    log->paths = {"/logs/a \"quoted\".jsonl"};
    log->table.tsMs = {1, 2, 3};
    log->lines = 5;
    log->malformed = 2;
    log->bytes = 321;
    log->problems.push_back({"/logs/a \"quoted\".jsonl", 4, "line 4: bad JSON \xff\xfe junk\tand tab"});
    log->schema.format = LogFormat::Jsonl;
    log->schema.mapping.timestamp = "ts";
    log->schema.mapping.timestampUnit = TimestampUnit::Millis;
    log->schema.mapping.prediction = "prediction";
    log->schema.mapping.predictionKind = PredictionKind::Score;
    log->schema.mapping.numericFeatures = {"features.amount"};
    log->schema.mapping.kpis = {"kpi.revenue"};

    auto result = std::make_shared<AnalysisResult>();
    result->log = log;
    result->snapshot.windowMs = 3'600'000;
    result->snapshot.predictionKind = PredictionKind::Score;
    result->snapshot.threshold = 0.5;
    result->snapshot.windows = {makeWindow(1767225600000, 10), makeWindow(1767232800000, 4)};
    result->snapshot.byVersion = {{"1.4.0", {makeWindow(1767225600000, 10)}}};
    result->warnings = {"field 'features.x' is always null"};
    return result;
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// On mismatch writes <golden>.actual next to the golden file and shows a diff.
void compareGolden(const std::string& actual, const QString& goldenName)
{
    const QString golden = QStringLiteral(VIGIL_TEST_DATA_DIR "/report/") + goldenName;
    const QByteArray expected = readFile(golden);
    const QByteArray got = QByteArray::fromStdString(actual);
    if (expected != got) {
        QFile out(golden + QStringLiteral(".actual"));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(got);
        out.close();
        QProcess diff;
        diff.start(QStringLiteral("diff"), {QStringLiteral("-u"), golden, out.fileName()});
        diff.waitForFinished();
        qWarning("%s", diff.readAllStandardOutput().constData());
        QFAIL(qPrintable(QStringLiteral("%1 differs from the golden file (see .actual)").arg(goldenName)));
    }
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

  private slots:
    void jsonMatchesGolden() { compareGolden(reportToJson(*makeResult()), QStringLiteral("golden.json")); }

    void csvMatchesGolden() { compareGolden(reportToCsv(*makeResult()), QStringLiteral("golden.csv")); }

    void jsonIsStrictAndKeepsNulls()
    {
        QJsonParseError error;
        const auto doc =
            QJsonDocument::fromJson(QByteArray::fromStdString(reportToJson(*makeResult())), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject w = doc.object()[QStringLiteral("windows")].toArray()[0].toObject();
        QVERIFY(w[QStringLiteral("performance")].toObject()[QStringLiteral("roc_auc")].isNull());
        // +Inf is not JSON: it becomes null and the non_finite counts tell the story.
        QVERIFY(w[QStringLiteral("operations")]
                    .toObject()[QStringLiteral("latency_ms")]
                    .toObject()[QStringLiteral("p99")]
                    .isNull());
        QCOMPARE(w[QStringLiteral("non_finite")].toObject()[QStringLiteral("latency_ms")].toInt(), 1);
        QCOMPARE(doc.object()[QStringLiteral("problems_not_listed")].toInt(), 1);
    }

    // A window computed from sketches (engine/window_sketch.h) says so and names its estimates;
    // an exact window says exact and has no list.
    void jsonMarksEstimates()
    {
        auto result = std::make_shared<AnalysisResult>(*makeResult());
        result->snapshot.windows[1].estimates = {"operations.latency_ms.p99", "drift.amount.ks_d"};
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(reportToJson(*result)));
        const QJsonArray windows = doc.object()[QStringLiteral("windows")].toArray();
        const QJsonObject exact = windows[0].toObject();
        QCOMPARE(exact[QStringLiteral("exact")], QJsonValue(true));
        QVERIFY(!exact.contains(QStringLiteral("estimates")));
        const QJsonObject sketched = windows[1].toObject();
        QCOMPARE(sketched[QStringLiteral("exact")], QJsonValue(false));
        const QJsonArray list = sketched[QStringLiteral("estimates")].toArray();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].toString(), QStringLiteral("operations.latency_ms.p99"));
        QCOMPARE(list[1].toString(), QStringLiteral("drift.amount.ks_d"));
    }

    void escaping_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QByteArray("abc") << QByteArray("\"abc\"");
        QTest::newRow("quote+backslash") << QByteArray("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
        QTest::newRow("control") << QByteArray("a\x01\nb") << QByteArray("\"a\\u0001\\nb\"");
        QTest::newRow("utf8 kept") << QByteArray("M\xc3\xbcnchen \xe2\x82\xac")
                                   << QByteArray("\"M\xc3\xbcnchen \xe2\x82\xac\"");
        QTest::newRow("invalid utf8")
            << QByteArray("a\xff\xc3") << QByteArray("\"a\xef\xbf\xbd\xef\xbf\xbd\"");
        QTest::newRow("overlong") << QByteArray("\xc0\xaf") << QByteArray("\"\xef\xbf\xbd\xef\xbf\xbd\"");
    }

    void escaping()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        JsonWriter w(0);
        w.value(std::string_view(input.constData(), static_cast<std::size_t>(input.size())));
        QCOMPARE(QByteArray::fromStdString(w.str()), expected);
    }

    void numbers()
    {
        JsonWriter w(0);
        w.beginArray()
            .value(0.1)
            .value(1e300)
            .value(-0.0)
            .value(std::nan(""))
            .value(std::int64_t{-5})
            .endArray();
        QCOMPARE(QByteArray::fromStdString(w.str()), QByteArray("[0.1,1e+300,-0,null,-5]"));
    }

    void isoTime_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("epoch") << qint64(0) << QStringLiteral("1970-01-01T00:00:00Z");
        QTest::newRow("2026") << qint64(1767225600123) << QStringLiteral("2026-01-01T00:00:00.123Z");
        QTest::newRow("before 1970") << qint64(-1) << QStringLiteral("1969-12-31T23:59:59.999Z");
        QTest::newRow("leap day") << qint64(951782400000) << QStringLiteral("2000-02-29T00:00:00Z");
    }

    void isoTime()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(formatIsoUtc(ms)), text);
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
