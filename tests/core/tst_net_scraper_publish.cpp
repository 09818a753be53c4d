// Publishing a snapshot every round reuses the snapshot of two rounds back once no
// reader holds it (refreshed in place). A held snapshot must never change, and every
// published one must equal what a full copy would hold: checked over six rounds with
// snapshots held and released in between, against the exporter's counters (100 n).
#include "net/scraper.h"
#include "net_test_exporter.h"

#include <QtTest>

using namespace vigil;

namespace {

const char* kOk = "model_requests_total{model=\"fraud\",status=\"ok\"}";

// The ok counter's values in a snapshot, one per round it has seen.
std::vector<double> okValues(const ScrapeSnapshot& snap)
{
    std::vector<double> out;
    const auto it = snap.endpoints.at(0).series.find(kOk);
    if (it != snap.endpoints.at(0).series.end())
        it->second.points.forEach([&](const PromPoint& p) { out.push_back(p.value); });
    return out;
}

std::vector<double> expected(int rounds)
{
    std::vector<double> out;
    for (int n = 1; n <= rounds; ++n)
        out.push_back(100.0 * n);
    return out;
}

} // namespace

class TestNetScraperPublish : public QObject
{
    Q_OBJECT

  private slots:
    void historyCatchesUp_data()
    {
        QTest::addColumn<int>("older");
        QTest::addColumn<int>("newer");
        QTest::newRow("empty to 5") << 0 << 5;
        QTest::newRow("within the tail") << 5 << 7;
        QTest::newRow("across a chunk") << 250 << 260;
        QTest::newRow("exactly a chunk") << 256 << 512;
        QTest::newRow("several chunks") << 10 << 900;
        QTest::newRow("no change") << 300 << 300;
    }
    void historyCatchesUp()
    {
        QFETCH(int, older);
        QFETCH(int, newer);
        PointHistory live;
        PointHistory old;
        for (int i = 0; i < newer; ++i) {
            if (i == older)
                old = live;
            live.append({i, 0.5 * i});
        }
        if (older == newer)
            old = live;
        const PointHistory untouched = old;
        old.catchUpWith(live);
        const auto want = live.toVector();
        const auto got = old.toVector();
        QCOMPARE(got.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(got[i].timestampMs, want[i].timestampMs);
            QCOMPARE(got[i].value, want[i].value);
        }
        QCOMPARE(untouched.size(), std::size_t(older)); // copies share chunks, never their tails
    }

    void heldSnapshotsStayAndReusedOnesAreComplete()
    {
        TestExporter exporter;
        QVERIFY(exporter.start());
        Scraper scraper({{exporter.url("/metrics"), {}}, {exporter.url("/openmetrics"), {}}});
        const auto s0 = scraper.snapshot();
        scraper.scrapeOnce();
        const auto s1 = scraper.snapshot(); // held for the whole test
        QCOMPARE(okValues(*s1), expected(1));
        const std::size_t seriesInS1 = s1->endpoints[0].series.size();
        for (int round = 2; round <= 6; ++round) {
            scraper.scrapeOnce();
            // Taken and released at once in even rounds, not taken in odd ones: from
            // round 4 on, the snapshot of two rounds back is free and gets refreshed.
            if (round % 2 == 0) {
                const auto s = scraper.snapshot();
                QCOMPARE(okValues(*s), expected(round));
                QCOMPARE(s->endpoints[0].scrapes, round);
                QCOMPARE(s->endpoints[1].scrapes, round);
                QCOMPARE(s->endpoints[0].goodScrapesMs.size(), std::size_t(round));
            }
        }
        const auto last = scraper.snapshot();
        QCOMPARE(okValues(*last), expected(6));
        QCOMPARE(last->endpoints[0].series.size(), seriesInS1);
        const auto total = last->endpoints[1].series.find("model_predictions_total{model=\"fraud\"}");
        QVERIFY(total != last->endpoints[1].series.end());
        QCOMPARE(total->second.points.size(), std::size_t(6));
        QCOMPARE(total->second.points.back().value, 240.0);
        // The snapshots held all along did not move.
        QVERIFY(s0->endpoints[0].series.empty());
        QCOMPARE(s0->endpoints[0].scrapes, 0);
        QCOMPARE(okValues(*s1), expected(1));
        QCOMPARE(s1->endpoints[0].scrapes, 1);
        QCOMPARE(s1->endpoints[1].series.begin()->second.points.size(), std::size_t(1));
    }

    void seriesSetChangesFallBackToACopy()
    {
        // /flaky fails once (no series) and then serves metrics: the refreshed snapshot
        // must pick up a series set it did not have.
        TestExporter exporter;
        QVERIFY(exporter.start());
        Scraper scraper({{exporter.url("/flaky"), {}}});
        for (int round = 1; round <= 4; ++round)
            scraper.scrapeOnce();
        const auto snap = scraper.snapshot();
        QCOMPARE(snap->endpoints[0].failures, 1);
        QCOMPARE(snap->endpoints[0].series.size(), std::size_t(11));
        QCOMPARE(okValues(*snap), (std::vector<double>{100.0, 200.0, 300.0}));
    }
};

QTEST_GUILESS_MAIN(TestNetScraperPublish)
#include "tst_net_scraper_publish.moc"
