// Scraper against the test exporter: healthy and broken endpoints side by side, health
// bookkeeping, series with timestamps, immutable snapshots, counter rates recomputed by hand.
#include "net/scraper.h"
#include "net_test_exporter.h"
#include "prom/rate.h"

#include <QtTest>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

using namespace vigil;

namespace {

int closedPort()
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const int port = a.local_endpoint().port();
    a.close();
    return port;
}

ScrapeTarget target(const std::string& url, double timeout = 2.0)
{
    ScrapeTarget t;
    t.url = url;
    t.options.timeoutSeconds = timeout;
    return t;
}

const ScrapedSeries* series(const EndpointState& ep, const std::string& key)
{
    auto it = ep.series.find(key);
    return it == ep.series.end() ? nullptr : &it->second;
}

} // namespace

class TestNetScraper : public QObject
{
    Q_OBJECT

  private slots:
    void init() { QVERIFY(m_exporter.start()); }
    void cleanup() { m_exporter.stop(); }

    void faultsDoNotStopOthers()
    {
        Scraper scraper({target(m_exporter.url("/metrics")), target(m_exporter.url("/gzip")),
                         target(m_exporter.url("/slow"), 0.4), target(m_exporter.url("/html")),
                         target(m_exporter.url("/401")), target(m_exporter.url("/500")),
                         target("http://127.0.0.1:" + std::to_string(closedPort()) + "/metrics")});
        const auto before = scraper.snapshot();
        for (int i = 0; i < 3; ++i)
            scraper.scrapeOnce();
        const auto snap = scraper.snapshot();
        // Snapshots are immutable: the one taken before the rounds is still empty.
        QCOMPARE(before->endpoints[0].scrapes, 0);
        QCOMPARE(snap->endpoints.size(), std::size_t(7));
        for (int i : {0, 1}) {
            const EndpointState& ep = snap->endpoints[i];
            QVERIFY2(ep.up, ep.lastError.c_str());
            QCOMPARE(ep.scrapes, 3);
            QCOMPARE(ep.failures, 0);
            QCOMPARE(ep.series.size(), std::size_t(11));
            const ScrapedSeries* ok = series(ep, "model_requests_total{model=\"fraud\",status=\"ok\"}");
            QVERIFY(ok);
            QCOMPARE(ok->type, MetricType::Counter);
            QCOMPARE(ok->points.size(), std::size_t(3));
            QCOMPARE(ok->points[0].value, 100.0);
            QCOMPARE(ok->points[2].value, 300.0);
            QCOMPARE(ok->points[2].timestampMs, ep.goodScrapesMs[2]);
            const ScrapedSeries* bucket =
                series(ep, "model_request_latency_seconds_bucket{le=\"0.1\",model=\"fraud\"}");
            QVERIFY(bucket);
            QCOMPARE(bucket->kind, SampleKind::Bucket);
            QCOMPARE(bucket->bound, 0.1);
            QCOMPARE(bucket->family, std::string("model_request_latency_seconds"));
        }
        const std::vector<std::pair<int, QString>> errors = {
            {2, QStringLiteral("timed out after 0.4 s")},
            {3, QStringLiteral("not a metrics exposition: line 1: ")},
            {4, QStringLiteral("HTTP 401 Unauthorized")},
            {5, QStringLiteral("HTTP 500 Internal Server Error")},
            {6, QStringLiteral("connection refused")},
        };
        for (const auto& [i, error] : errors) {
            const EndpointState& ep = snap->endpoints[i];
            QVERIFY(!ep.up);
            QVERIFY2(QString::fromStdString(ep.lastError).startsWith(error), ep.lastError.c_str());
            QCOMPARE(ep.consecutiveFailures, 3);
            QCOMPARE(ep.failures, 3);
            QVERIFY(ep.series.empty());
        }
    }

    void counterRateByHand()
    {
        Scraper scraper({target(m_exporter.url("/metrics"))});
        scraper.run({}, std::chrono::milliseconds(250), std::chrono::milliseconds(700));
        const auto snap = scraper.snapshot();
        const EndpointState& ep = snap->endpoints[0];
        QCOMPARE(ep.goodScrapesMs.size(), std::size_t(3)); // rounds at 0, 250, 500 ms
        const ScrapedSeries* err = series(ep, "model_requests_total{model=\"fraud\",status=\"error\"}");
        QVERIFY(err);
        const auto& p = err->points;
        // With the range exactly spanning the first and last sample there is no
        // extrapolation: rate = (last - first) / seconds between them.
        const double byHand = (p[2].value - p[0].value) / ((p[2].timestampMs - p[0].timestampMs) / 1000.0);
        QCOMPARE(p[2].value - p[0].value, 6.0);
        const auto rate = extrapolatedRate(p, p[0].timestampMs, p[2].timestampMs, true, true);
        QVERIFY(rate);
        QCOMPARE(*rate, byHand);
        // Rounds 0.5 s apart at the earliest; a loaded machine may start them later.
        QVERIFY(byHand > 6.0 / 3.0 && byHand < 6.0 / 0.45);
    }

    void stopToken()
    {
        Scraper scraper({target(m_exporter.url("/metrics"))});
        std::stop_source stop;
        int rounds = 0;
        scraper.run(stop.get_token(), std::chrono::milliseconds(50), std::chrono::seconds(60),
                    [&](const ScrapeSnapshot& s) {
                        QCOMPARE(s.endpoints[0].scrapes, ++rounds);
                        if (rounds == 2)
                            stop.request_stop();
                    });
        QCOMPARE(rounds, 2);
    }

  private:
    TestExporter m_exporter;
};

QTEST_GUILESS_MAIN(TestNetScraper)
#include "tst_net_scraper.moc"
