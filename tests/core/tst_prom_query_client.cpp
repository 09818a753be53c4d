// PromQueryClient against the test exporter's /api/v1 stand-in, which echoes the path
// and the parameters it decoded: PromQL survives URL encoding byte for byte, API errors
// keep Prometheus's words and type, the 11,000-point limit is refused before sending,
// bearer tokens come from the environment. (tests/cli/test_prometheus_real.py runs the
// same client against a real Prometheus.)
#include "net/prom_query_client.h"
#include "net_test_exporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cstdlib>

using namespace vigil;

namespace {

// The echo's params as a list of [key, value] pairs.
QJsonObject echoOf(const QueryResponse& r)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(r.stringValue)).object();
}

QList<QPair<QString, QString>> paramsOf(const QJsonObject& echo)
{
    QList<QPair<QString, QString>> out;
    for (const auto p : echo.value(QStringLiteral("params")).toArray())
        out.append({p.toArray().at(0).toString(), p.toArray().at(1).toString()});
    return out;
}

} // namespace

class TestPromQueryClient : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase() { QVERIFY(m_exporter.start()); }

    void formatting_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("ms") << qint64(1700000000123) << "1700000000.123";
        QTest::newRow("whole") << qint64(5000) << "5.000";
        QTest::newRow("zero") << qint64(0) << "0.000";
        QTest::newRow("negative") << qint64(-1500) << "-1.500";
    }
    void formatting()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(formatApiTime(ms)), text);
    }

    void percentEncoding()
    {
        QCOMPARE(QString::fromStdString(percentEncode("a-Z_0.~ +&=%/\"{}[]é")),
                 QStringLiteral("a-Z_0.~%20%2B%26%3D%25%2F%22%7B%7D%5B%5D%C3%A9"));
    }

    void queryRoundTrip_data()
    {
        QTest::addColumn<QString>("promql");
        QTest::newRow("plain") << "up";
        QTest::newRow("matchers")
            << R"(sum by (model) (rate(model_requests_total{status=~"5..|err",model!="a b"}[5m])))";
        QTest::newRow("plus and ampersand") << "a + b & c = 100% # not a comment";
        QTest::newRow("utf8 and newline") << "label_replace(up, \"x\", \"ü€\", \"\", \"\")\n/ 2";
    }
    void queryRoundTrip()
    {
        QFETCH(QString, promql);
        PromQueryClient client(m_exporter.url("/"));
        auto r = client.query(promql.toStdString(), 1700000000123).get();
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->resultType, QueryResultType::String);
        const QJsonObject echo = echoOf(r.value());
        QCOMPARE(echo.value(QStringLiteral("path")).toString(), QStringLiteral("/api/v1/query"));
        const auto params = paramsOf(echo);
        QCOMPARE(params.size(), 2);
        QCOMPARE(params[0], qMakePair(QStringLiteral("query"), promql));
        QCOMPARE(params[1], qMakePair(QStringLiteral("time"), QStringLiteral("1700000000.123")));
    }

    void rangeAndBrowsing()
    {
        PromQueryClient client(m_exporter.url("") + "//"); // trailing slashes are dropped
        auto range = client.queryRange("rate(x[1m])", 1000, 61000, 15000).get();
        QVERIFY(range.ok());
        auto params = paramsOf(echoOf(range.value()));
        QCOMPARE(params.size(), 4);
        QCOMPARE(params[1], qMakePair(QStringLiteral("start"), QStringLiteral("1.000")));
        QCOMPARE(params[2], qMakePair(QStringLiteral("end"), QStringLiteral("61.000")));
        QCOMPARE(params[3], qMakePair(QStringLiteral("step"), QStringLiteral("15.000")));

        auto values =
            client.send(PromQueryClient::labelValues("job", {R"(up{job="a"})", "node_load1"}, 0, 2000)).get();
        QVERIFY(values.ok());
        const QJsonObject echo = echoOf(values.value());
        QCOMPARE(echo.value(QStringLiteral("path")).toString(), QStringLiteral("/api/v1/label/job/values"));
        params = paramsOf(echo);
        QCOMPARE(params.size(), 4);
        QCOMPARE(params[0], qMakePair(QStringLiteral("match[]"), QStringLiteral(R"(up{job="a"})")));
        QCOMPARE(params[1], qMakePair(QStringLiteral("match[]"), QStringLiteral("node_load1")));
        QCOMPARE(params[3], qMakePair(QStringLiteral("end"), QStringLiteral("2.000")));

        QCOMPARE(QString::fromStdString(client.url(PromQueryClient::series({"up"}))),
                 QString::fromStdString(m_exporter.url("/api/v1/series?match%5B%5D=up")));
        QCOMPARE(QString::fromStdString(client.url(PromQueryClient::labelNames())),
                 QString::fromStdString(m_exporter.url("/api/v1/labels")));
    }

    void apiErrors_data()
    {
        QTest::addColumn<QString>("promql");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("type");
        QTest::newRow("bad_data") << "ERROR bad_data 1:5: parse error: unexpected <EOF>"
                                  << "bad_data: 1:5: parse error: unexpected <EOF>"
                                  << "bad_data";
        QTest::newRow("execution") << "ERROR execution many-to-many matching not allowed"
                                   << "execution: many-to-many matching not allowed"
                                   << "execution";
        QTest::newRow("timeout") << "ERROR timeout query timed out in expression evaluation"
                                 << "timeout: query timed out in expression evaluation"
                                 << "timeout";
    }
    void apiErrors()
    {
        QFETCH(QString, promql);
        QFETCH(QString, message);
        QFETCH(QString, type);
        PromQueryClient client(m_exporter.url(""));
        auto r = client.query(promql.toStdString()).get();
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().message), message);
        QCOMPARE(QString::fromStdString(promErrorType(r.error())), type);
        QCOMPARE(r.warnings, std::vector<std::string>{"w1"});
    }

    void refusedBeforeSending_data()
    {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<QString>("message");
        const QString limit = QStringLiteral("bad_data: exceeded maximum resolution of 11,000 points per "
                                             "timeseries. Try decreasing the query resolution (?step=XX)");
        QTest::newRow("11,002 points") << qint64(0) << qint64(11001000) << qint64(1000) << limit;
        QTest::newRow("end before start") << qint64(10) << qint64(5) << qint64(1000)
                                          << "bad_data: end timestamp must not be before start time";
        QTest::newRow("zero step") << qint64(0) << qint64(5) << qint64(0)
                                   << "bad_data: zero or negative query resolution step widths are not "
                                      "accepted. Try a positive integer";
    }
    void refusedBeforeSending()
    {
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(qint64, step);
        QFETCH(QString, message);
        PromQueryClient client("http://127.0.0.1:1"); // never contacted
        auto r = client.queryRange("up", start, end, step).get();
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().message), message);
        QCOMPARE(QString::fromStdString(promErrorType(r.error())), QStringLiteral("bad_data"));
    }

    void elevenThousandAndOnePointsAreAllowed()
    {
        // Prometheus tests (end - start) / step > 11000: 11,001 points still pass.
        QVERIFY(PromQueryClient::rangeQuery("up", 0, 11000000, 1000).ok());
    }

    void notAnApi_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("500 page") << "/500"
                                  << "HTTP 500 Internal Server Error: boom";
        QTest::newRow("html 200") << "/html"
                                  << "not a Prometheus API response (text/html; charset=utf-8): "
                                     "<html><body>It works!</body></html>";
        QTest::newRow("metrics 200") << "/metrics"
                                     << "not a Prometheus API response (text/plain; version=0.0.4";
        QTest::newRow("404") << "/nothing"
                             << "HTTP 404 Not Found: not found";
    }
    void notAnApi()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        HttpRequestOptions o;
        o.acceptErrorStatus = true;
        HttpClient http;
        auto raw = http.get(m_exporter.url(path.toUtf8().constData()), o).get();
        QVERIFY(raw.ok());
        auto r = interpretApiResponse(raw.value());
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error().message).startsWith(message), r.error().message.c_str());
        QVERIFY(promErrorType(r.error()).empty());
    }

    void transportErrors()
    {
        PromQueryClient client("http://127.0.0.1:1");
        auto r = client.query("up").get();
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().message), QStringLiteral("connection refused"));
    }

    void bearerTokenFromEnvironment()
    {
        const std::string secret = "tok-Zq81-never-logged";
        ::setenv("VIGIL_TEST_PROM_TOKEN", secret.c_str(), 1);
        HttpRequestOptions o;
        o.auth.kind = HttpAuth::Kind::Bearer;
        o.auth.secretEnv = "VIGIL_TEST_PROM_TOKEN";
        PromQueryClient client(m_exporter.url(""), o);
        QVERIFY(client.url(PromQueryClient::instantQuery("up")).find(secret) == std::string::npos);
        auto r = client.query("up").get();
        QVERIFY(r.ok());
        QCOMPARE(echoOf(r.value()).value(QStringLiteral("authorization")).toString(),
                 QString::fromStdString("Bearer " + secret));
        ::unsetenv("VIGIL_TEST_PROM_TOKEN");
        auto missing = client.query("up").get();
        QVERIFY(!missing.ok());
        QCOMPARE(QString::fromStdString(missing.error().message),
                 QStringLiteral("environment variable VIGIL_TEST_PROM_TOKEN is not set (it should hold the "
                                "bearer token)"));
    }

    void callbackForm()
    {
        PromQueryClient client(m_exporter.url(""));
        std::promise<std::string> got;
        client.queryRange("up", 0, 1000, 1000,
                          [&](Result<QueryResponse> r) { got.set_value(r.ok() ? "ok" : r.error().message); });
        QCOMPARE(got.get_future().get(), std::string("ok"));
        std::promise<std::string> refused;
        client.queryRange("up", 0, 100000000, 1,
                          [&](Result<QueryResponse> r) { refused.set_value(r.ok() ? "ok" : "refused"); });
        QCOMPARE(refused.get_future().get(), std::string("refused"));
    }

  private:
    TestExporter m_exporter;
};

QTEST_GUILESS_MAIN(TestPromQueryClient)
#include "tst_prom_query_client.moc"
