// Resource presets over a query_range fixture (tests/data/resource_presets/matrix.json):
// every preset chart is compared with resource_presets_reference.py, which recomputes
// the PromQL each chart stands for in plain Python. Plus the frame converters, the
// counter-reset rule, the top-N cut and the metric browser.
#include "metrics/resource_charts.h"
#include "metrics/series_math.h"
#include "net/scraper.h"
#include "resources/sampler.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <cmath>

using namespace vigil;

namespace {

QByteArray readFixture()
{
    QFile f(QStringLiteral(VIGIL_TEST_DATA_DIR "/resource_presets/matrix.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

ResourceFrames fixtureFrames()
{
    const QByteArray json = readFixture();
    auto decoded =
        decodeQueryResponse(std::string_view(json.constData(), static_cast<std::size_t>(json.size())));
    if (!decoded)
        qFatal("fixture: %s", decoded.error().message.c_str());
    return framesFromQuery(decoded.value(), "");
}

QJsonObject reference()
{
    static QJsonObject cached;
    if (!cached.isEmpty())
        return cached;
    QProcess python;
    python.start(QStringLiteral(VIGIL_PYTHON),
                 {QStringLiteral(VIGIL_TESTS_DIR "/core/resource_presets_reference.py")});
    if (!python.waitForFinished(60'000) || python.exitCode() != 0)
        qFatal("reference script failed: %s", python.readAllStandardError().constData());
    cached = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    return cached;
}

} // namespace

class TestResourcePresets : public QObject
{
    Q_OBJECT
  private slots:
    void presetMatchesReference_data();
    void presetMatchesReference();
    void chartsPresentAndOrdered();
    void nonFiniteSamplesAreCounted();
    void counterResetRate();
    void sumAndCombineAlignTimestamps();
    void errorAndPrefixRules_data();
    void errorAndPrefixRules();
    void topLinesByPeak();
    void browseCounterAsRate();
    void framesFromScrapeKeepsTypesAndHealth();
    void localHistoryFeedsPresets();
    void queryChartCutsAndDecimates();
    void envelopeKeepsPeaksAndGaps();
};

void TestResourcePresets::presetMatchesReference_data()
{
    QTest::addColumn<QString>("chart");
    for (const auto& id : reference().keys())
        QTest::newRow(qPrintable(id)) << id;
}

void TestResourcePresets::presetMatchesReference()
{
    QFETCH(QString, chart);
    ResourceViewOptions options;
    options.widthPx = 800; // more buckets than points: nothing is decimated away
    auto view = buildResourceView(fixtureFrames(), options);
    QVERIFY2(view.ok(), view.ok() ? "" : view.error().message.c_str());
    const ResourceChart* c = view->chart(chart.toStdString());
    QVERIFY2(c, qPrintable(chart));
    const QJsonObject want = reference().value(chart).toObject();
    QStringList got;
    for (const ChartLine& l : c->lines)
        got << QString::fromStdString(l.name);
    QStringList wantNames = want.keys();
    got.sort();
    wantNames.sort();
    QCOMPARE(got, wantNames);
    for (const ChartLine& l : c->lines) {
        const QJsonArray points = want.value(QString::fromStdString(l.name)).toArray();
        QCOMPARE(l.xMs.size(), static_cast<std::size_t>(points.size()));
        for (qsizetype i = 0; i < points.size(); ++i) {
            const QJsonArray p = points[i].toArray();
            QCOMPARE(l.xMs[static_cast<std::size_t>(i)], p[0].toDouble());
            const double y = l.y[static_cast<std::size_t>(i)];
            if (p[1].isString()) {
                QVERIFY2(std::isnan(y), qPrintable(QStringLiteral("%1 %2 #%3 = %4")
                                                       .arg(chart, QString::fromStdString(l.name))
                                                       .arg(i)
                                                       .arg(y)));
            } else {
                const double expected = p[1].toDouble();
                QVERIFY2(std::abs(y - expected) <= 1e-9 * std::max(1.0, std::abs(expected)),
                         qPrintable(QStringLiteral("%1 %2 #%3: %4 != %5")
                                        .arg(chart, QString::fromStdString(l.name))
                                        .arg(i)
                                        .arg(y, 0, 'g', 17)
                                        .arg(expected, 0, 'g', 17)));
            }
        }
    }
}

void TestResourcePresets::chartsPresentAndOrdered()
{
    auto view = buildResourceView(fixtureFrames(), {});
    QVERIFY(view.ok());
    std::vector<std::string> ids;
    for (const ResourceChart& c : view->charts)
        ids.push_back(c.id);
    // No process series in the fixture, so no process charts; the rest in preset order.
    QCOMPARE(ids, (std::vector<std::string>{"cpu_mode", "memory", "load", "filesystem", "disk", "gpu_util",
                                            "gpu_memory", "gpu_power", "gpu_temp", "request_rate",
                                            "error_rate", "latency"}));
    QCOMPARE(view->chart("latency")->group, PresetGroup::Serving);
    QCOMPARE(view->chart("gpu_temp")->unit, std::string("°C"));
    QCOMPARE(view->chart("cpu_mode")->stepMs, 10'000.0);
    QCOMPARE(view->minMs, 1.7e12);
    QCOMPARE(view->maxMs, 1.7e12 + 20'000);
    QCOMPARE(view->seriesCount, std::size_t(30));
}

void TestResourcePresets::nonFiniteSamplesAreCounted()
{
    auto view = buildResourceView(fixtureFrames(), {});
    QVERIFY(view.ok());
    const ResourceChart* util = view->chart("gpu_util");
    QCOMPARE(util->nonFinite.size(), std::size_t(1));
    QCOMPARE(util->nonFinite[0].timestampMs, std::int64_t(1'700'000'010'000));
    QCOMPARE(util->nonFinite[0].count, std::size_t(1));
    // The DCGM sentinel is "no reading", not a NaN: a gap without an alarm marker.
    QVERIFY(view->chart("gpu_memory")->nonFinite.empty());
}

void TestResourcePresets::counterResetRate()
{
    // 100 -> 160 in 10 s, then a reset to 20 (the increase is 20), then +40 in 20 s.
    const std::vector<PromPoint> c{{0, 100}, {10'000, 160}, {20'000, 20}, {40'000, 60}};
    const auto r = perIntervalRate(c);
    QCOMPARE(r.size(), std::size_t(3));
    QCOMPARE(r[0].value, 6.0);
    QCOMPARE(r[1].value, 2.0);
    QCOMPARE(r[2].value, 2.0);
    QCOMPARE(r[2].timestampMs, std::int64_t(40'000));
    // A repeated timestamp (two scrapes in one ms) is skipped, not a division by zero.
    const auto same = perIntervalRate({{0, 1}, {0, 2}, {1'000, 4}});
    QCOMPARE(same.size(), std::size_t(1));
    QCOMPARE(same[0].value, 2.0);
}

void TestResourcePresets::sumAndCombineAlignTimestamps()
{
    const std::vector<PromPoint> a{{0, 1}, {10, 2}, {20, 3}};
    const std::vector<PromPoint> b{{10, 10}, {20, 20}, {30, 30}};
    const auto sum = sumByTime({&a, &b});
    QCOMPARE(sum.size(), std::size_t(4));
    QCOMPARE(sum[1].value, 12.0);
    QCOMPARE(sum[3].value, 30.0);
    const auto ratio = combineByTime(a, b, [](double x, double y) { return x / y; });
    QCOMPARE(ratio.size(), std::size_t(2));
    QCOMPARE(ratio[0].value, 0.2);
}

void TestResourcePresets::errorAndPrefixRules_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("error");
    const auto row = [](const char* name, const char* label, const char* value, bool error) {
        QTest::newRow(name) << QString::fromLatin1(label) << QString::fromLatin1(value) << error;
    };
    row("5xx code", "code", "503", true);
    row("4xx is the client's", "code", "404", false);
    row("status error", "status", "error", true);
    row("status ok", "status", "ok", false);
    row("bentoml", "http_response_code", "500", true);
    row("other label", "model", "500", false);
}

void TestResourcePresets::errorAndPrefixRules()
{
    QFETCH(QString, label);
    QFETCH(QString, value);
    QFETCH(bool, error);
    QCOMPARE(isErrorLabel(label.toStdString(), value.toStdString()), error);
    QVERIFY(matchesMetric("*_requests_total", "http_requests_total"));
    QVERIFY(!matchesMetric("*_requests_total", "promhttp_metric_handler_requests_total"));
    QVERIFY(!matchesMetric("*_requests_total", "_requests_total"));
}

void TestResourcePresets::topLinesByPeak()
{
    ResourceFrames frames;
    for (int i = 0; i < 25; ++i) {
        FrameSeries s;
        s.name = "node_load1";
        s.instance = "h" + std::to_string(100 + i);
        s.points = {{0, double(i)}, {1000, double(i) + 0.5}};
        frames.series.push_back(s);
    }
    ResourceViewOptions options;
    options.maxLines = 4;
    auto view = buildResourceView(frames, options);
    QVERIFY(view.ok());
    const ResourceChart* load = view->chart("load");
    QCOMPARE(load->totalLines, std::size_t(25));
    QCOMPARE(load->lines.size(), std::size_t(4));
    QCOMPARE(load->lines.front().name, std::string("h121"));
    QCOMPARE(load->lines.back().name, std::string("h124"));
}

void TestResourcePresets::browseCounterAsRate()
{
    ResourceFrames frames = fixtureFrames();
    ResourceViewOptions options;
    options.browseKey = "node_disk_read_bytes_total{device=\"sda\"} @n1:9100";
    auto view = buildResourceView(frames, options);
    QVERIFY(view.ok());
    QVERIFY(view->browsed);
    QCOMPARE(view->browsed->title, std::string("rate(node_disk_read_bytes_total) per second"));
    QCOMPARE(view->browsed->lines.at(0).y, (std::vector<double>{1048576.0, 524288.0}));
    QCOMPARE(view->catalog.size(), frames.series.size());
    QVERIFY(std::is_sorted(view->catalog.begin(), view->catalog.end(),
                           [](const CatalogEntry& a, const CatalogEntry& b) { return a.key < b.key; }));
}

void TestResourcePresets::framesFromScrapeKeepsTypesAndHealth()
{
    ScrapeSnapshot snap;
    EndpointState ep;
    ep.url = "http://user:pw@10.0.0.5:9100/metrics";
    ep.up = false;
    ep.lastError = "connection refused";
    ep.failures = 2;
    ep.scrapes = 5;
    ScrapedSeries counter;
    counter.name = "node_cpu_seconds_total";
    counter.type = MetricType::Counter;
    counter.labels = {{"cpu", "0"}, {"mode", "user"}};
    counter.points = {{1000, 1.0}, {2000, 2.0}};
    ScrapedSeries created = counter;
    created.name = "x_created";
    created.kind = SampleKind::Created;
    ScrapedSeries bucket;
    bucket.name = "lat_bucket";
    bucket.type = MetricType::Histogram;
    bucket.kind = SampleKind::Bucket;
    bucket.labels = {{"le", "0.1"}};
    ScrapedSeries untyped;
    untyped.name = "foo_total";
    ep.series = {{"a", counter}, {"b", created}, {"c", bucket}, {"d", untyped}};
    snap.endpoints.push_back(ep);
    const ResourceFrames frames = framesFromScrape(snap);
    QCOMPARE(frames.series.size(), std::size_t(3));
    QCOMPARE(frames.series[0].instance, std::string("10.0.0.5:9100"));
    QCOMPARE(frames.series[0].kind, FrameKind::Counter);
    QCOMPARE(frames.series[0].points.size(), std::size_t(2));
    QCOMPARE(frames.series[1].kind, FrameKind::Bucket);
    QCOMPARE(frames.series[2].kind, FrameKind::Counter);
    QCOMPARE(frames.endpoints.size(), std::size_t(1));
    QCOMPARE(frames.endpoints[0].lastError, std::string("connection refused"));
    QCOMPARE(frames.endpoints[0].failures, 2);
}

void TestResourcePresets::localHistoryFeedsPresets()
{
    LocalHistory history(4);
    for (int i = 0; i < 6; ++i) {
        ResourceSnapshot s;
        s.timestampMs = i * 1000;
        s.samples.push_back({"node_load1", {}, 0.5 * i});
        s.samples.push_back({"process_cpu_seconds_total", {{"comm", "vigil"}, {"pid", "7"}}, 0.25 * i});
        history.add(s);
    }
    const ResourceFrames frames = history.frames();
    QCOMPARE(frames.series.size(), std::size_t(2));
    for (const FrameSeries& s : frames.series) {
        QCOMPARE(s.instance, std::string("local"));
        QVERIFY(s.points.size() <= 4); // bounded history
        QCOMPARE(s.points.back().timestampMs, std::int64_t(5000));
    }
    auto view = buildResourceView(frames, {});
    QVERIFY(view.ok());
    const ResourceChart* cpu = view->chart("process_cpu");
    QVERIFY(cpu);
    QCOMPARE(cpu->lines.at(0).name, std::string("vigil 7"));
    QCOMPARE(cpu->lines.at(0).y.back(), 25.0); // 0.25 CPU-seconds per second = 25 % of a core
}

void TestResourcePresets::queryChartCutsAndDecimates()
{
    auto query = std::make_shared<ResourceFrames>();
    for (int s = 0; s < 50; ++s) {
        FrameSeries f;
        f.name = "up";
        f.instance = "h" + std::to_string(s);
        for (int i = 0; i < 5000; ++i)
            f.points.push_back({i * 1000, s + ((i % 2) ? 0.5 : 0.0)});
        query->series.push_back(std::move(f));
    }
    ResourceViewOptions options;
    options.widthPx = 300;
    options.maxQueryLines = 10;
    options.query = query;
    options.queryText = "up";
    auto view = buildResourceView({}, options);
    QVERIFY(view.ok());
    QVERIFY(view->query);
    QCOMPARE(view->query->totalLines, std::size_t(50));
    QCOMPARE(view->query->lines.size(), std::size_t(10));
    QCOMPARE(view->query->lines.front().name, std::string("up{} @h40"));
    for (const ChartLine& l : view->query->lines)
        QVERIFY(l.xMs.size() <= 5 * 300u);
    QCOMPARE(view->seriesCount, std::size_t(50));
}

void TestResourcePresets::envelopeKeepsPeaksAndGaps()
{
    std::vector<double> x;
    std::vector<double> y;
    for (int i = 0; i < 10'000; ++i) {
        x.push_back(i);
        y.push_back(i % 2 ? 1.0 : -1.0);
    }
    y[5'000] = 100.0;
    y[7'777] = std::numeric_limits<double>::quiet_NaN();
    decimateEnvelope(x, y, 100);
    QVERIFY(x.size() <= 300);
    QVERIFY(x.size() >= 200);
    QVERIFY(std::is_sorted(x.begin(), x.end()));
    double peak = 0.0;
    std::size_t nans = 0;
    double nanAt = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (std::isnan(y[i])) {
            ++nans;
            nanAt = x[i];
        } else {
            peak = std::max(peak, y[i]);
        }
    }
    QCOMPARE(peak, 100.0);
    QCOMPARE(nans, std::size_t(1));
    QCOMPARE(nanAt, 7'777.0);
    // Short series are left alone.
    std::vector<double> sx{0, 1, 2};
    std::vector<double> sy{3, 4, 5};
    decimateEnvelope(sx, sy, 100);
    QCOMPARE(sx.size(), std::size_t(3));
}

QTEST_GUILESS_MAIN(TestResourcePresets)
#include "tst_resource_presets.moc"
