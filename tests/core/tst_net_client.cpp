// HttpClient against the test exporter: fault endpoints give their one-line errors,
// gzip is decoded, auth secrets come from the environment and never reach a message,
// retries, TLS verification with a CA generated at test time.
#include "net/gzip.h"
#include "net/http_client.h"
#include "net/url.h"
#include "net_test_exporter.h"
#include "prom/exposition.h"

#include <QTemporaryDir>
#include <QtTest>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdlib>

using namespace vigil;

namespace {

HttpRequestOptions quick(double timeout = 2.0)
{
    HttpRequestOptions o;
    o.timeoutSeconds = timeout;
    o.accept = std::string(kPrometheusAcceptHeader);
    return o;
}

// A port nobody listens on: bind one, note it, close it.
int closedPort()
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const int port = a.local_endpoint().port();
    a.close();
    return port;
}

} // namespace

class TestNetClient : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase() { QVERIFY(m_exporter.start()); }

    void faults_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<double>("timeout");
        QTest::addColumn<QString>("error");
        QTest::newRow("slow") << "/slow" << 0.5 << "timed out after 0.5 s";
        QTest::newRow("trickle") << "/trickle" << 0.7 << "timed out after 0.7 s";
        QTest::newRow("huge") << "/huge" << 10.0 << "response larger than 64 MiB";
        QTest::newRow("401") << "/401" << 2.0 << "HTTP 401 Unauthorized";
        QTest::newRow("500") << "/500" << 2.0 << "HTTP 500 Internal Server Error";
        QTest::newRow("404") << "/nope" << 2.0 << "HTTP 404 Not Found";
    }
    void faults()
    {
        QFETCH(QString, path);
        QFETCH(double, timeout);
        QFETCH(QString, error);
        const auto start = std::chrono::steady_clock::now();
        auto r = m_client.get(m_exporter.url(path.toUtf8().constData()), quick(timeout)).get();
        const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().message), error);
        QVERIFY2(took < timeout + 1.0, qPrintable(QString::number(took)));
        // The other endpoints keep working after every fault.
        auto ok = m_client.get(m_exporter.url("/metrics"), quick()).get();
        QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
    }

    void metricsAndAccept()
    {
        auto r = m_client.get(m_exporter.url("/metrics"), quick()).get();
        QVERIFY(r.ok());
        QCOMPARE(r->status, 200);
        QCOMPARE(r->contentType, std::string("text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY(r->body.find("model_requests_total{model=\"fraud\",status=\"ok\"}") != std::string::npos);
        auto accept = m_client.get(m_exporter.url("/last-accept"), quick()).get();
        QVERIFY(accept.ok());
        QCOMPARE(accept->body, std::string(kPrometheusAcceptHeader));
    }

    void gzipBody()
    {
        auto plain = m_client.get(m_exporter.url("/metrics"), quick()).get();
        auto zipped = m_client.get(m_exporter.url("/gzip"), quick()).get();
        QVERIFY(zipped.ok());
        QVERIFY(zipped->body.find("# TYPE model_request_latency_seconds histogram\n") != std::string::npos);
        auto parsed = parseExposition(zipped->body, ExpositionFormat::Text004, 0);
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QCOMPARE(parsed->samples.size(), std::size_t(11));
        QVERIFY(plain.ok());
    }

    void gunzipLimits()
    {
        QVERIFY(!gunzip("not gzip at all", 1000).ok());
        // A 20-byte header-only stream is truncated, never an endless loop.
        QCOMPARE(
            QString::fromStdString(
                gunzip(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10), 100).error().message),
            QStringLiteral("gzip body: truncated body"));
    }

    void connectionRefused()
    {
        auto r = m_client.get("http://127.0.0.1:" + std::to_string(closedPort()) + "/metrics", quick()).get();
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().message), QStringLiteral("connection refused"));
    }

    void retriesWithBackoff()
    {
        HttpRequestOptions o = quick();
        o.retries = 2;
        o.backoffSeconds = 0.05;
        auto r = m_client.get(m_exporter.url("/flaky"), o).get();
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->attempts, 2);
        auto refused = m_client.get("http://127.0.0.1:" + std::to_string(closedPort()) + "/", o).get();
        QCOMPARE(QString::fromStdString(refused.error().message),
                 QStringLiteral("connection refused (3 attempts)"));
        // 4xx is not retried.
        auto denied = m_client.get(m_exporter.url("/401"), o).get();
        QCOMPARE(QString::fromStdString(denied.error().message), QStringLiteral("HTTP 401 Unauthorized"));
    }

    void bearerFromEnvironment()
    {
        HttpRequestOptions o = quick();
        o.auth.kind = HttpAuth::Kind::Bearer;
        o.auth.secretEnv = "VIGIL_TEST_SCRAPE_TOKEN";
        qunsetenv("VIGIL_TEST_SCRAPE_TOKEN");
        auto unset = m_client.get(m_exporter.url("/auth"), o).get();
        QCOMPARE(QString::fromStdString(unset.error().message),
                 QStringLiteral("environment variable VIGIL_TEST_SCRAPE_TOKEN is not set (it should hold the "
                                "bearer token)"));
        qputenv("VIGIL_TEST_SCRAPE_TOKEN", "wrong-token");
        auto wrong = m_client.get(m_exporter.url("/auth"), o).get();
        QCOMPARE(QString::fromStdString(wrong.error().message), QStringLiteral("HTTP 401 Unauthorized"));
        qputenv("VIGIL_TEST_SCRAPE_TOKEN", "s3cret-token");
        auto right = m_client.get(m_exporter.url("/auth"), o).get();
        QVERIFY(right.ok());
        qunsetenv("VIGIL_TEST_SCRAPE_TOKEN");
    }

    void basicFromEnvironment()
    {
        HttpRequestOptions o = quick();
        o.auth.kind = HttpAuth::Kind::Basic;
        o.auth.user = "vigil";
        o.auth.secretEnv = "VIGIL_TEST_SCRAPE_PASSWORD";
        qputenv("VIGIL_TEST_SCRAPE_PASSWORD", "pa55:word");
        auto right = m_client.get(m_exporter.url("/basic"), o).get();
        QVERIFY2(right.ok(), right.ok() ? "" : right.error().message.c_str());
        qputenv("VIGIL_TEST_SCRAPE_PASSWORD", "pa55:wrong");
        auto wrong = m_client.get(m_exporter.url("/basic"), o).get();
        QCOMPARE(QString::fromStdString(wrong.error().message), QStringLiteral("HTTP 401 Unauthorized"));
        qunsetenv("VIGIL_TEST_SCRAPE_PASSWORD");
    }

    void redaction()
    {
        QCOMPARE(redactSecret("Bearer s3cret failed: s3cret", "s3cret"),
                 std::string("Bearer *** failed: ***"));
        QCOMPARE(redactSecret("nothing", ""), std::string("nothing"));
        QCOMPARE(base64Encode("user:pass"), std::string("dXNlcjpwYXNz"));
        QCOMPARE(base64Encode("ab"), std::string("YWI="));
        QCOMPARE(QString::fromStdString(parseHttpUrl("http://u:p@host/").error().message),
                 QStringLiteral("credentials in the URL are not accepted; use --bearer-env or --basic-env"));
        auto u = parseHttpUrl("https://[::1]:9443/metrics?x=1");
        QVERIFY(u.ok());
        QCOMPARE(u->host, std::string("::1"));
        QCOMPARE(u->port, std::string("9443"));
        QCOMPARE(u->target, std::string("/metrics?x=1"));
    }

    void tls()
    {
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QSKIP("the openssl CLI is not installed; cannot make a self-signed certificate");
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        QProcess gen;
        gen.start(openssl,
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                   QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                   QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost"),
                   QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert});
        QVERIFY(gen.waitForFinished(20000));
        QCOMPARE(gen.exitCode(), 0);
        TestExporter tlsExporter;
        QVERIFY(tlsExporter.start({QStringLiteral("--cert"), cert, QStringLiteral("--key"), key}));
        const std::string url = tlsExporter.url("/metrics", "https");
        auto byDefault = m_client.get(url, quick()).get();
        QVERIFY(!byDefault.ok());
        QCOMPARE(QString::fromStdString(byDefault.error().message),
                 QStringLiteral("certificate verify failed"));
        HttpRequestOptions withCa = quick();
        withCa.caFile = cert.toStdString();
        auto verified = m_client.get(url, withCa).get();
        QVERIFY2(verified.ok(), verified.ok() ? "" : verified.error().message.c_str());
        QVERIFY(verified->body.find("DCGM_FI_DEV_GPU_UTIL") != std::string::npos);
        HttpRequestOptions insecure = quick();
        insecure.verifyTls = false;
        QVERIFY(m_client.get(url, insecure).get().ok());
        HttpRequestOptions badCa = quick();
        badCa.caFile = dir.filePath(QStringLiteral("missing.pem")).toStdString();
        auto missing = m_client.get(url, badCa).get();
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.find("cannot load CA file") == 0);
    }

  private:
    TestExporter m_exporter;
    HttpClient m_client;
};

QTEST_GUILESS_MAIN(TestNetClient)
#include "tst_net_client.moc"
