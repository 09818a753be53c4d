// IncrementalAnalyzer against analyze() on the same table: a demo log (versions,
// KPIs, labels, errors) arrives in pieces cut at random bytes, some rows out of
// order; after every piece both must give the same report, number for number.
#include "demo/demo_log.h"
#include "engine/incremental_analysis.h"
#include "ingest/live_log.h"
#include "report/report.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace vigil;

namespace {

std::string reportOf(const std::shared_ptr<const LoadedLog>& log, AnalysisSnapshot snapshot,
                     const AnalysisOptions& options, std::vector<std::string> warnings)
{
    AnalysisResult r;
    r.log = log;
    r.snapshot = std::move(snapshot);
    r.options = options;
    r.warnings = std::move(warnings);
    return reportToJson(r);
}

// Two days of demo traffic; every 50th line swapped with one `lateBy` lines later, so
// rows also land in windows before the newest one (with lateBy 1900, ~3 hours: in
// windows whose running statistics were already let go).
std::string demoText(bool regressionLine, std::size_t lateBy = 20)
{
    DemoScenario scenario;
    scenario.startMs = 1'767'225'600'000;
    scenario.rowsPerMinute = 10.0;
    DemoLogGenerator gen(scenario);
    std::string text;
    gen.generate(scenario.startMs, scenario.startMs + 2 * 24 * 3'600'000LL,
                 scenario.startMs + 3 * 24 * 3'600'000LL, text);
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    for (std::size_t i = 0; i + lateBy < lines.size(); i += 50)
        std::swap(lines[i], lines[i + lateBy]);
    if (regressionLine) {
        // A prediction outside [0,1] turns the resolved kind to regression midway.
        std::string& l = lines[lines.size() * 3 / 5];
        const auto pos = l.find("\"prediction\":");
        if (pos == std::string::npos)
            qFatal("demo line without a prediction");
        const auto end = l.find_first_of(",}", pos);
        l.replace(pos, end - pos, "\"prediction\":3.5");
    }
    std::string out;
    for (const std::string& l : lines)
        out += l + "\n";
    return out;
}

} // namespace

class TstIncrementalAnalysis : public QObject
{
    Q_OBJECT

  private slots:
    void equalsFullRecompute_data()
    {
        QTest::addColumn<unsigned>("seed");
        QTest::addColumn<qint64>("windowMs"); // 0 = automatic
        QTest::addColumn<bool>("regressionLine");
        QTest::addColumn<int>("lateBy"); // lines a late row is moved by
        QTest::addRow("auto-window") << 1u << qint64(0) << false << 20;
        QTest::addRow("1h") << 2u << qint64(3'600'000) << false << 20;
        QTest::addRow("15m") << 3u << qint64(900'000) << false << 20;
        QTest::addRow("1h-kind-flips") << 4u << qint64(3'600'000) << true << 20;
        QTest::addRow("1h-rows-3h-late") << 5u << qint64(3'600'000) << false << 1900;
    }

    void equalsFullRecompute()
    {
        QFETCH(unsigned, seed);
        QFETCH(qint64, windowMs);
        QFETCH(bool, regressionLine);
        QFETCH(int, lateBy);
        const std::string text = demoText(regressionLine, static_cast<std::size_t>(lateBy));
        QTemporaryDir dir;
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / "live.jsonl").string();
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        QVERIFY(fd >= 0);

        AnalysisOptions options;
        if (windowMs > 0)
            options.windowMs = windowMs;
        ingest::LiveLog live({path}, {});
        IncrementalAnalyzer incremental(options);
        std::mt19937 rng(seed);
        std::size_t pos = 0;
        int compared = 0;
        bool reused = false;
        while (pos < text.size()) {
            // Mostly small appends (the live case), sometimes a large one.
            const std::size_t n = std::min<std::size_t>(
                text.size() - pos, rng() % 10 == 0 ? 1 + rng() % 400'000 : 1 + rng() % 60'000);
            QCOMPARE(::write(fd, text.data() + pos, n), static_cast<ssize_t>(n));
            pos += n;
            auto polled = live.poll(pos == text.size());
            QVERIFY2(polled, polled ? "" : polled.error().message.c_str());
            if (!live.ready() || polled.value() == 0)
                continue;
            const auto log = std::make_shared<const LoadedLog>(live.log());
            // Left to resolve (Auto), the kind flips to regression with the line above.
            InferredSchema schema = log->schema;
            if (regressionLine)
                schema.mapping.predictionKind = PredictionKind::Auto;
            auto inc = incremental.update(log->table, schema);
            QVERIFY2(inc, inc ? "" : inc.error().message.c_str());
            auto full = analyze(log->table, schema, options);
            QVERIFY(full);
            reused = reused || incremental.lastRecomputedWindows() < full.value().windows.size();
            const std::string a = reportOf(log, std::move(inc.value()), options, inc.warnings);
            const std::string b = reportOf(log, std::move(full.value()), options, full.warnings);
            if (a != b) {
                std::size_t i = 0;
                while (i < a.size() && i < b.size() && a[i] == b[i])
                    ++i;
                const std::size_t from = i > 200 ? i - 200 : 0;
                qWarning("differ at %zu after %zu rows:\nincremental: %s\nfull:        %s", i,
                         log->table.rows(), a.substr(from, 300).c_str(), b.substr(from, 300).c_str());
            }
            QVERIFY(a == b);
            ++compared;
        }
        ::close(fd);
        QVERIFY(compared > 10);
        QVERIFY(reused); // the test exercised the incremental path, not only full updates
        QCOMPARE(live.log().malformed, 0u);
        QVERIFY(live.log().table.rows() > 10000);
        if (regressionLine)
            QVERIFY(incremental.lastFullUpdates() >= 2);
    }

    void appendOnlyTouchesItsWindows()
    {
        QTemporaryDir dir;
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / "w.jsonl").string();
        auto line = [](std::int64_t ts) {
            return "{\"ts\":" + std::to_string(ts) + ",\"latency_ms\":5,\"prediction\":0.5,\"label\":1}\n";
        };
        const std::int64_t t0 = 1'767'225'600'000;
        std::string text;
        for (int m = 0; m < 10; ++m)
            text += line(t0 + m * 60'000);
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        QCOMPARE(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
        AnalysisOptions options;
        options.windowMs = 60'000;
        ingest::LiveLog live({path}, {});
        IncrementalAnalyzer inc(options);
        QCOMPARE(live.poll().value(), 10u);
        QVERIFY(inc.update(live.log().table, live.log().schema));
        QCOMPARE(inc.lastRecomputedWindows(), 10u);
        // One row into the last window, one late row into the third.
        const std::string more = line(t0 + 9 * 60'000 + 5) + line(t0 + 2 * 60'000 + 7);
        QCOMPARE(::write(fd, more.data(), more.size()), static_cast<ssize_t>(more.size()));
        QCOMPARE(live.poll().value(), 2u);
        auto snap = inc.update(live.log().table, live.log().schema);
        QVERIFY(snap);
        QCOMPARE(inc.lastRecomputedWindows(), 2u);
        QCOMPARE(snap.value().windows.size(), 10u);
        QCOMPARE(snap.value().windows[2].rows, 2u);
        QCOMPARE(snap.value().windows[9].rows, 2u);
        ::close(fd);
    }
};

QTEST_GUILESS_MAIN(TstIncrementalAnalysis)
#include "tst_incremental_analysis.moc"
