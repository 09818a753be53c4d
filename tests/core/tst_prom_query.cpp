// Prometheus HTTP API decoding: response shapes and error envelopes from
// prometheus/docs querying/api.md and web/api/v1/api_test.go (quoted in
// shared/reference/formats.md), rewritten as fixtures in tests/data/prom/api/.
#include "prom/query_api.h"

#include <QFile>
#include <QTest>

#include <bit>
#include <cmath>
#include <limits>

using namespace vigil;

namespace {

std::string apiFixture(const char* name)
{
    QFile f(QStringLiteral(VIGIL_TEST_DATA_DIR "/prom/api/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray b = f.readAll();
    return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

Result<QueryResponse> decodeFixture(const char* name)
{
    const std::string json = apiFixture(name);
    if (json.empty())
        return Error{std::string("missing fixture ") + name};
    return decodeQueryResponse(json);
}

std::string label(const PromLabelSet& set, const std::string& name)
{
    for (const auto& [k, v] : set)
        if (k == name)
            return v;
    return "<absent>";
}

} // namespace

class TestPromQuery : public QObject
{
    Q_OBJECT

  private slots:
    void matrixPreservesEveryValue()
    {
        const auto r = decodeFixture("matrix.json");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QVERIFY(r->success);
        QCOMPARE(r->dataKind, QueryDataKind::QueryResult);
        QCOMPARE(r->resultType, QueryResultType::Matrix);
        QCOMPARE(r->series.size(), std::size_t(2));
        const QuerySeries& up = r->series[0];
        // Labels sorted by name.
        QCOMPARE(up.metric.front().first, std::string("__name__"));
        QCOMPARE(up.metric.back().first, std::string("job"));
        QCOMPARE(label(up.metric, "instance"), std::string("localhost:9090"));
        const auto& v = up.values;
        QCOMPARE(v.size(), std::size_t(10));
        QCOMPARE(v[0].timestampMs, std::int64_t(1435781430781));
        QCOMPARE(v[0].value, 1.0);
        QCOMPARE(std::bit_cast<std::uint64_t>(v[1].value), std::bit_cast<std::uint64_t>(0.1));
        QVERIFY(std::isnan(v[2].value));
        QCOMPARE(v[3].value, std::numeric_limits<double>::infinity());
        QCOMPARE(v[4].value, -std::numeric_limits<double>::infinity());
        QCOMPARE(std::bit_cast<std::uint64_t>(v[5].value), std::bit_cast<std::uint64_t>(1e-07));
        QCOMPARE(v[6].value, std::numeric_limits<double>::max());
        QCOMPARE(v[7].value, std::numeric_limits<double>::denorm_min());
        QCOMPARE(v[8].timestampMs, std::int64_t(1435781550000)); // integer JSON number
        QCOMPARE(std::bit_cast<std::uint64_t>(v[8].value), std::bit_cast<std::uint64_t>(0.1 + 0.2));
        QCOMPARE(v[9].timestampMs, std::int64_t(1435781565001));
        QVERIFY(std::signbit(v[9].value)); // "-0" keeps its sign
        const QuerySeries& node = r->series[1];
        QCOMPARE(node.histograms.size(), std::size_t(1));
        const auto& h = node.histograms[0];
        QCOMPARE(h.timestampMs, std::int64_t(1435781445781));
        QCOMPARE(h.count, 3.0);
        QCOMPARE(h.sum, 1.5);
        QCOMPARE(h.buckets.size(), std::size_t(2));
        QCOMPARE(h.buckets[1].boundaryRule, 3);
        QCOMPARE(h.buckets[1].upper, 2.0);
        QCOMPARE(r->warnings.size(), std::size_t(1));
        QCOMPARE(r->infos.size(), std::size_t(1));
    }

    void vector()
    {
        const auto r = decodeFixture("vector.json");
        QVERIFY(r.ok());
        QCOMPARE(r->resultType, QueryResultType::Vector);
        QCOMPARE(r->series.size(), std::size_t(3));
        QCOMPARE(r->series[1].values.size(), std::size_t(1));
        QCOMPARE(r->series[1].values[0].timestampMs, std::int64_t(1435781451781));
        QCOMPARE(r->series[1].values[0].value, 0.0);
        QVERIFY(r->series[2].metric.empty());
        QVERIFY(r->series[2].values.empty());
        QCOMPARE(r->series[2].histograms.at(0).buckets.at(0).lower, -0.5);
        QVERIFY(r->warnings.empty());
    }

    void scalarAndString()
    {
        const auto s = decodeFixture("scalar.json");
        QVERIFY(s.ok());
        QCOMPARE(s->resultType, QueryResultType::Scalar);
        QCOMPARE(s->scalar.timestampMs, std::int64_t(1435781451781));
        QVERIFY(std::isnan(s->scalar.value));
        const auto t = decodeFixture("string.json");
        QVERIFY(t.ok());
        QCOMPARE(t->resultType, QueryResultType::String);
        QCOMPARE(t->stringValue, std::string("hello \"prom\""));
        QCOMPARE(t->stringTimeMs, std::int64_t(1435781451781));
        const auto e = decodeFixture("empty_matrix.json");
        QVERIFY(e.ok());
        QCOMPARE(e->resultType, QueryResultType::Matrix);
        QVERIFY(e->series.empty());
    }

    void apiErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("errorType");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("httpStatus");
        QTest::newRow("bad_data") << QStringLiteral("error_bad_data.json") << QStringLiteral("bad_data")
                                  << QStringLiteral(
                                         "exceeded maximum resolution of 11,000 points per timeseries. "
                                         "Try decreasing the query resolution (?step=XX)")
                                  << 400;
        QTest::newRow("timeout with data") << QStringLiteral("error_with_data.json")
                                           << QStringLiteral("timeout") << QStringLiteral("message") << 503;
        QTest::newRow("execution") << QStringLiteral("error_execution.json") << QStringLiteral("execution")
                                   << QStringLiteral("vector cannot contain metrics with the same labelset")
                                   << 422;
        QTest::newRow("not_acceptable")
            << QStringLiteral("error_not_acceptable.json") << QStringLiteral("not_acceptable")
            << QStringLiteral("cannot encode response as application/default-format") << 406;
    }

    void apiErrors()
    {
        QFETCH(QString, file);
        QFETCH(QString, errorType);
        QFETCH(QString, error);
        QFETCH(int, httpStatus);
        const auto r = decodeFixture(qPrintable(file));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QVERIFY(!r->success);
        QCOMPARE(QString::fromStdString(r->errorType), errorType);
        QCOMPARE(QString::fromStdString(r->error), error);
        QCOMPARE(r->dataKind, QueryDataKind::None);
        QCOMPARE(httpStatusForErrorType(r->errorType), httpStatus);
    }

    void errorTypeCodes()
    {
        QCOMPARE(httpStatusForErrorType("canceled"), 499);
        QCOMPARE(httpStatusForErrorType("internal"), 500);
        QCOMPARE(httpStatusForErrorType("not_found"), 404);
        QCOMPARE(httpStatusForErrorType("something_new"), 0);
        const auto r = decodeFixture("error_execution.json");
        QCOMPARE(r->warnings, std::vector<std::string>{"w1"});
    }

    void listsAndSeries()
    {
        const auto names = decodeFixture("label_values.json");
        QVERIFY(names.ok());
        QCOMPARE(names->dataKind, QueryDataKind::StringList);
        QCOMPARE(names->strings, (std::vector<std::string>{"node_cpu_seconds_total", "node_load1", "up"}));
        const auto empty = decodeFixture("empty_list.json");
        QVERIFY(empty.ok());
        QVERIFY(empty->strings.empty() && empty->labelSets.empty());
        const auto series = decodeFixture("series.json");
        QVERIFY(series.ok());
        QCOMPARE(series->dataKind, QueryDataKind::LabelSets);
        QCOMPARE(series->labelSets.size(), std::size_t(2));
        QCOMPARE(label(series->labelSets[1], "__name__"), std::string("process_start_time_seconds"));
    }

    void malformedBodies_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad value") << QStringLiteral("bad_value.json")
                                   << QStringLiteral(
                                          "data.result[0].values[0][1]: invalid sample value \"abc\"");
        QTest::newRow("number value") << QStringLiteral("bad_value_number.json")
                                      << QStringLiteral("expected the sample value as a string");
        QTest::newRow("pair") << QStringLiteral("bad_pair.json")
                              << QStringLiteral("data.result[0].value: expected [");
        QTest::newRow("result type") << QStringLiteral("bad_result_type.json")
                                     << QStringLiteral("unknown result type \"table\"");
        QTest::newRow("truncated") << QStringLiteral("truncated.json") << QStringLiteral("not valid JSON");
        QTest::newRow("no status") << QStringLiteral("no_status.json")
                                   << QStringLiteral("missing \"status\"");
        QTest::newRow("bad status") << QStringLiteral("bad_status.json")
                                    << QStringLiteral("unknown status \"maybe\"");
        QTest::newRow("label not a string") << QStringLiteral("bad_label.json")
                                            << QStringLiteral("data.result[0].metric.a: expected a string");
        QTest::newRow("timestamp") << QStringLiteral("bad_timestamp.json")
                                   << QStringLiteral("data.result[0].value[0]: expected a unix time");
    }

    void malformedBodies()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const auto r = decodeFixture(qPrintable(file));
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().message.c_str());
    }

    void chooseStep_data()
    {
        QTest::addColumn<qint64>("rangeMs");
        QTest::addColumn<int>("width");
        QTest::addColumn<qint64>("expectedStep");
        const qint64 s = 1000;
        const qint64 h = 3600 * s;
        // 1 h over 800 px: range/800 = 4.5 s, so 5 s -> 721 points.
        QTest::newRow("1h/800px") << h << 800 << 5 * s;
        // 1 h over 720 px: 5 s would give 721 points > 720 -> 10 s.
        QTest::newRow("1h/720px") << h << 720 << 10 * s;
        QTest::newRow("5min/2000px") << 5 * 60 * s << 2000 << s; // never below 1 s
        QTest::newRow("24h/1000px") << 24 * h << 1000 << 2 * 60 * s;
        // 30 days over 20000 px is capped at 11,000 points: 2592000/11000 = 235.6 s -> 5 min.
        QTest::newRow("30d/20000px") << 30 * 24 * h << 20000 << 5 * 60 * s;
        QTest::newRow("1y/100px") << 365 * 24 * h << 100 << 7 * 24 * h;
        QTest::newRow("10y/10px") << 3650 * 24 * h << 10 << 366 * 24 * h;
        QTest::newRow("empty range") << qint64(0) << 800 << s;
        QTest::newRow("zero width") << h << 0 << 2 * h;
    }

    void chooseStep()
    {
        QFETCH(qint64, rangeMs);
        QFETCH(int, width);
        QFETCH(qint64, expectedStep);
        const std::int64_t start = 1700000000000;
        const std::int64_t step = vigil::chooseStep(start, start + rangeMs, width);
        QCOMPARE(qint64(step), expectedStep);
        const std::int64_t points = rangeMs / step + 1;
        QVERIFY(points <= std::min<std::int64_t>(std::max(width, 1), kMaxPointsPerSeries));
    }
};

QTEST_GUILESS_MAIN(TestPromQuery)
#include "tst_prom_query.moc"
