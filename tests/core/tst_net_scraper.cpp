// Scraper against the test exporter: healthy and broken endpoints side by side, health
// bookkeeping, series with timestamps, immutable snapshots, counter rates recomputed by hand.
#include "net/scrape_derived.h"
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
        const std::vector<PromPoint> p = err->points.toVector();
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

    void openMetricsByContentType()
    {
        Scraper scraper({target(m_exporter.url("/openmetrics"))});
        scraper.scrapeOnce();
        scraper.scrapeOnce();
        const auto snap = scraper.snapshot();
        const EndpointState& ep = snap->endpoints[0];
        QVERIFY2(ep.up, ep.lastError.c_str());
        const ScrapedSeries* total = series(ep, "model_predictions_total{model=\"fraud\"}");
        QVERIFY(total);
        QCOMPARE(total->kind, SampleKind::Total); // parsed as OpenMetrics, not 0.0.4
        QCOMPARE(total->family, std::string("model_predictions"));
        QCOMPARE(total->points[1].value, 80.0);
        const auto rates = counterRates(ep);
        QCOMPARE(rates.size(), std::size_t(1));
        QCOMPARE(rates[0].series, total);
        QVERIFY(rates[0].overall);
    }

    void derivedByHand()
    {
        EndpointState ep;
        ScrapedSeries& c = ep.series["requests_total{}"];
        c.name = c.family = "requests_total";
        c.type = MetricType::Counter;
        // 100 -> 200 -> 50: a counter reset between the 2nd and 3rd scrape.
        c.points = {{0, 100.0}, {1000, 200.0}, {2000, 50.0}};
        ScrapedSeries& g = ep.series["queue{}"];
        g.name = g.family = "queue";
        g.type = MetricType::Gauge;
        g.points = c.points;
        const auto rates = counterRates(ep);
        QCOMPARE(rates.size(), std::size_t(1)); // gauges have no rate
        // Increase with the reset: (200 - 100) + 50 = 150 over 2 s.
        QCOMPARE(*rates[0].overall, 75.0);
        QCOMPARE(rates[0].perInterval.size(), std::size_t(2));
        QCOMPARE(rates[0].perInterval[0].value, 100.0);
        QCOMPARE(rates[0].perInterval[1].value, 50.0);
        QCOMPARE(rates[0].perInterval[1].timestampMs, std::int64_t(2000));

        // Two label sets of one histogram, buckets 10/30/45/50/50 and 0/0/0/4/4.
        const std::vector<std::pair<double, const char*>> les = {
            {0.05, "0.05"}, {0.1, "0.1"}, {0.25, "0.25"}, {0.5, "0.5"}, {INFINITY, "+Inf"}};
        const double a[] = {10, 30, 45, 50, 50};
        const double b[] = {0, 0, 0, 4, 4};
        for (std::size_t i = 0; i < les.size(); ++i) {
            for (const char* model : {"a", "b"}) {
                ScrapedSeries& s =
                    ep.series[std::string("lat_bucket{le=") + les[i].second + ",model=" + model + "}"];
                s.name = "lat_bucket";
                s.family = "lat";
                s.type = MetricType::Histogram;
                s.kind = SampleKind::Bucket;
                s.bound = les[i].first;
                s.labels = {{"le", les[i].second}, {"model", model}};
                s.points = {{5000, model[0] == 'a' ? a[i] : b[i]}};
            }
        }
        const auto qs = histogramQuantiles(ep);
        QCOMPARE(qs.size(), std::size_t(2));
        QCOMPARE(qs[0].labels, (std::vector<std::pair<std::string, std::string>>{{"model", "a"}}));
        QCOMPARE(qs[0].points.size(), std::size_t(1));
        // Linear interpolation inside the bucket holding rank q * 50 (Prometheus BucketQuantile).
        QCOMPARE(qs[0].points[0].p50, 0.05 + 0.05 * (25.0 - 10.0) / 20.0);
        QCOMPARE(qs[0].points[0].p90, 0.25);
        QCOMPARE(qs[0].points[0].p99, 0.25 + 0.25 * (49.5 - 45.0) / 5.0);
        QCOMPARE(qs[1].points[0].p50, 0.25 + 0.25 * 2.0 / 4.0);
    }

    void pointHistoryChunks()
    {
        PointHistory h;
        for (int i = 0; i < 600; ++i)
            h.append({i * 10, i * 0.5});
        const PointHistory copy = h; // a snapshot's copy
        h.append({6000, -1.0});
        QCOMPARE(copy.size(), std::size_t(600));
        QCOMPARE(h.size(), std::size_t(601));
        for (std::size_t i : {0, 255, 256, 511, 512, 599}) {
            QCOMPARE(copy[i].timestampMs, std::int64_t(i * 10));
            QCOMPARE(copy[i].value, i * 0.5);
        }
        QCOMPARE(h.back().value, -1.0);
        const auto v = copy.toVector();
        QCOMPARE(v.size(), std::size_t(600));
        QCOMPARE(v[300].timestampMs, std::int64_t(3000));
        std::size_t n = 0;
        copy.forEach([&](const PromPoint& p) { QCOMPARE(p.timestampMs, std::int64_t(n++ * 10)); });
        QCOMPARE(n, std::size_t(600));
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
