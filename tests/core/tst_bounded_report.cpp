// Bounded memory (docs/MEMORY.md): the spill file round-trips every column, and a report
// over a log spilled under a tiny budget and analysed in batches equals the in-memory one,
// byte for byte, on a log with NaN/null values, late categories and versions, unsorted
// timestamps across chunks, windows split across chunks and a window larger than the budget.
#include "engine/bounded_pipeline.h"
#include "engine/label_source.h"
#include "engine/pipeline.h"
#include "engine/spill_batches.h"
#include "ingest/load_detail.h"
#include "ingest/spill_store.h"
#include "report/report.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <random>

using namespace vigil;

namespace {

constexpr std::int64_t kT0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z
constexpr std::int64_t kSpanMs = 3 * 24 * 3'600'000LL;
constexpr int kRows = 12'000;
constexpr int kBurstBegin = 6'000; // rows [6000, 9000) fall into one 15-minute window
constexpr int kBurstEnd = 9'000;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A prediction log with what makes batching hard; the label file labels ~half the rows.
// `timeOrdered`: no row is late or early (the rows' order is their timestamps').
// `rowFromTheEnd`: the fourth row has a timestamp of the log's last hour, so that a gather of
// the first hours leaves it out and every later row moves up one place (its parity flips).
void writeLog(const QString& path, const QString& labelPath, bool timeOrdered = false,
              bool rowFromTheEnd = false)
{
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    QFile labels(labelPath);
    QVERIFY(labels.open(QIODevice::WriteOnly));
    const char* plans[] = {"free", "basic", "pro"};
    for (int i = 0; i < kRows; ++i) {
        std::int64_t ts = kT0 + static_cast<std::int64_t>(i) * kSpanMs / kRows;
        if (i >= kBurstBegin && i < kBurstEnd)
            ts = kT0 + kSpanMs / 2 + (i - kBurstBegin) * 200; // 3,000 rows in 10 minutes
        else if (uniform(rng) < 0.1 && !timeOrdered)
            ts += static_cast<std::int64_t>((uniform(rng) - 0.5) * 4 * 3'600'000); // late or early
        if (rowFromTheEnd && i == 3)
            ts = kT0 + kSpanMs - 1'000;
        const bool late = i > kRows * 2 / 3;
        std::string version =
            i % 97 == 0 ? "" : (late && i % 3 == 0 ? "\"version\": \"v3\", " : "\"version\": \"v1\", ");
        if (i > kRows / 3 && i % 5 == 0 && !late)
            version = "\"version\": \"v2\", ";
        const double shift = late ? 0.8 : 0.0;
        const double x = normal(rng) + shift;
        std::string xText =
            i % 37 == 0 ? "NaN" : (i % 41 == 0 ? "null" : QString::number(x, 'g', 17).toStdString());
        const char* plan = late && i % 4 == 0 ? "gold" : plans[i % 3];
        std::string latency =
            i % 53 == 0 ? "Infinity" : (i % 59 == 0 ? "null" : std::to_string(10 + uniform(rng) * 90));
        const double p = 1.0 / (1.0 + std::exp(-(x + normal(rng))));
        std::string prediction = i % 211 == 0 ? "NaN" : QString::number(p, 'g', 17).toStdString();
        std::string inlineLabel = i % 7 == 0 ? ", \"label\": " + std::to_string(p > 0.5 ? 1 : 0) : "";
        const std::string line = "{\"ts\": " + std::to_string(ts) + ", \"request_id\": \"r" +
                                 std::to_string(i) + "\", \"model\": \"m\", " + version +
                                 "\"latency_ms\": " + latency + ", \"status\": \"" +
                                 (i % 13 == 0 ? "error" : "ok") + "\", \"features\": {\"x\": " + xText +
                                 ", \"y\": " + std::to_string(uniform(rng) * 10) + ", \"plan\": \"" + plan +
                                 "\"}, \"prediction\": " + prediction + inlineLabel +
                                 ", \"kpi\": {\"revenue\": " + std::to_string(uniform(rng)) + "}}\n";
        out.write(line.data(), static_cast<qint64>(line.size()));
        if (i % 2 == 0) {
            const int y = uniform(rng) < p + (late ? 0.3 : 0.0) ? 1 : 0;
            const std::string l =
                "{\"request_id\": \"r" + std::to_string(i) +
                "\", \"label\": " + (i % 50 == 0 ? std::string("null") : std::to_string(y)) +
                ", \"ts\": " + std::to_string(ts + 3'600'000 + (i * 7'919LL) % 5'400'000) + "}\n";
            labels.write(l.data(), static_cast<qint64>(l.size()));
            // A second verdict for some ids (later: it wins; same ts: the later record wins;
            // older: ignored), and labels of requests the log does not have.
            const std::int64_t again = i % 97 == 0 ? 1'000 : (i % 89 == 0 ? 0 : (i % 83 == 0 ? -1'000 : 1));
            if (again != 1) {
                const std::string d = "{\"request_id\": \"r" + std::to_string(i) +
                                      "\", \"label\": " + std::to_string(1 - y) +
                                      ", \"ts\": " + std::to_string(ts + 3'600'000 + again) + "}\n";
                labels.write(d.data(), static_cast<qint64>(d.size()));
            }
            if (i % 101 == 0) {
                const std::string u = "{\"request_id\": \"zz" + std::to_string(i) +
                                      "\", \"label\": 1, \"ts\": " + std::to_string(ts) + "}\n";
                labels.write(u.data(), static_cast<qint64>(u.size()));
            }
        }
    }
}

struct Run
{
    std::shared_ptr<const AnalysisResult> result;
    std::string json;
};

Run report(const QString& path, const QString& labels, std::uint64_t budget, const AnalysisOptions& options,
           const std::string& spillDir = {})
{
    LoadOptions load;
    load.memoryBudgetBytes = budget;
    load.spillDir = spillDir;
    load.threads = 2;
    auto loaded = ingest::loadLogsWithBlockSize({path.toStdString()}, load, 64u << 10, {}, {});
    if (!loaded)
        qFatal("load: %s", loaded.error().message.c_str());
    if (!labels.isEmpty()) {
        LabelSourceConfig source;
        source.path = labels.toStdString();
        auto joined = joinLabelSourceSpilled(loaded.value(), source);
        if (!joined)
            qFatal("labels: %s", joined.error().message.c_str());
    }
    auto log = std::make_shared<const LoadedLog>(std::move(loaded.value()));
    auto analyzed = reanalyze(log, options);
    if (!analyzed)
        qFatal("analysis: %s", analyzed.error().message.c_str());
    AnalysisResult copy = *analyzed.value();
    copy.memory = {}; // compared apart
    return {analyzed.value(), reportToJson(copy)};
}

LogTable richTable()
{
    LogTable t;
    t.numericFeatures.resize(2);
    t.numericFeatures[0].name = "a";
    t.numericFeatures[1].name = "b";
    t.categoricalFeatures.resize(1);
    t.categoricalFeatures[0].name = "c";
    t.categoricalFeatures[0].dictionary = {"x", "y"};
    t.kpis.resize(1);
    t.kpis[0].name = "k";
    t.model.dictionary = {"m"};
    t.version.dictionary = {"v1", "v2"};
    const double specials[] = {kNaN, -std::numeric_limits<double>::infinity(), -0.0, 1e-300};
    for (int i = 0; i < 50; ++i) {
        t.tsMs.push_back(kT0 - i * 1000);
        t.model.codes.push_back(i % 5 == 0 ? CategoricalColumn::kNull : 0);
        t.version.codes.push_back(static_cast<std::uint32_t>(i % 2));
        if (i % 6 == 0)
            t.latencyMs.pushNull();
        else
            t.latencyMs.push(specials[i % 4] + i);
        t.status.push_back(static_cast<RowStatus>(i % 3));
        t.prediction.push(i % 9 == 0 ? kNaN : i / 50.0);
        if (i % 4 == 0)
            t.label.pushNull();
        else
            t.label.push(i % 2);
        t.numericFeatures[0].push(specials[i % 4]);
        if (i % 3 == 0)
            t.numericFeatures[1].pushNull();
        else
            t.numericFeatures[1].push(i);
        t.categoricalFeatures[0].codes.push_back(i % 7 == 0 ? CategoricalColumn::kNull
                                                            : static_cast<std::uint32_t>(i % 2));
        t.kpis[0].push(i * 0.5);
        if (i % 8 == 0)
            t.requestId.pushNull();
        else if (i % 8 == 1)
            t.requestId.push("");
        else
            t.requestId.push("req-" + std::to_string(i));
    }
    return t;
}

// Rows [begin, end) of t, or the listed rows.
LogTable slice(const LogTable& t, const std::vector<std::uint32_t>& rows)
{
    LogTable out = t;
    ingest::forEachColumn(
        out,
        [&](auto& v) {
            auto all = v;
            v.clear();
            for (const std::uint32_t r : rows)
                v.push_back(all[r]);
        },
        [&](StringColumn& s) {
            const StringColumn all = s;
            s.bytes.clear();
            s.ends.clear();
            s.valid.clear();
            for (const std::uint32_t r : rows) {
                if (all.valid[r])
                    s.push(all.at(r));
                else
                    s.pushNull();
            }
        });
    return out;
}

// What the report does not print but every drift decision rests on: the values each feature
// scored and the two-window pool (the previous window's values with a small window's) — the
// pooled test only flips a decision now and then, so the JSON alone would not notice a pool
// built from the wrong previous window. `skipStartMs`: a window the bounded run sketched.
void compareDecisionInputs(const AnalysisResult& full, const AnalysisResult& bounded,
                           std::optional<std::int64_t> skipStartMs = std::nullopt)
{
    const auto& a = full.snapshot.drift->windows;
    const auto& b = bounded.snapshot.drift->windows;
    QCOMPARE(b.size(), a.size());
    std::size_t pooled = 0;
    for (std::size_t w = 0; w < a.size(); ++w) {
        if (skipStartMs && a[w].startMs == *skipStartMs)
            continue;
        QCOMPARE(b[w].features.size(), a[w].features.size());
        for (std::size_t f = 0; f < a[w].features.size(); ++f) {
            const FeatureDrift& x = a[w].features[f];
            const FeatureDrift& y = b[w].features[f];
            const QByteArray where =
                QByteArray::number(qulonglong(w)) + " " + QByteArray::fromStdString(x.name);
            QVERIFY2(y.count == x.count && y.pairCount == x.pairCount && y.pairP == x.pairP &&
                         y.pairEffect == x.pairEffect && y.binChi2P == x.binChi2P,
                     where.constData());
            pooled += x.pairCount > 0;
        }
    }
    QVERIFY(pooled > a.size()); // small windows: pools were built, not compared empty
}

// Bit for bit (NaN payloads and -0.0 included), column by column.
void compareTables(const LogTable& a, const LogTable& b)
{
    std::vector<std::string> bytesA;
    std::vector<std::string> bytesB;
    const auto collect = [](const LogTable& t, std::vector<std::string>& out) {
        ingest::forEachColumn(
            t,
            [&](const auto& v) {
                out.emplace_back(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(v[0]));
            },
            [&](const StringColumn& s) {
                out.push_back(s.bytes);
                out.emplace_back(reinterpret_cast<const char*>(s.ends.data()), s.ends.size() * 8);
                out.emplace_back(reinterpret_cast<const char*>(s.valid.data()), s.valid.size());
            });
    };
    collect(a, bytesA);
    collect(b, bytesB);
    QCOMPARE(bytesA.size(), bytesB.size());
    for (std::size_t i = 0; i < bytesA.size(); ++i)
        QVERIFY2(bytesA[i] == bytesB[i], qPrintable(QStringLiteral("array %1 differs").arg(i)));
}

} // namespace

class TestBoundedReport : public QObject
{
    Q_OBJECT

  private slots:
    void spillRoundTrip()
    {
        QTemporaryDir dir;
        const LogTable table = richTable();
        auto store = ingest::SpillStore::create(dir.path().toStdString());
        QVERIFY(store);
        std::vector<std::uint32_t> first(20), second(30);
        for (std::uint32_t i = 0; i < 20; ++i)
            first[i] = i;
        for (std::uint32_t i = 0; i < 30; ++i)
            second[i] = 20 + i;
        QVERIFY(!store.value()->append(slice(table, first)));
        QVERIFY(!store.value()->append(slice(table, second)));
        // Unlinked from the start: the directory stays empty while the store lives.
        QVERIFY(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
        const auto& chunks = store.value()->chunks();
        QCOMPARE(chunks.size(), std::size_t{2});
        QCOMPARE(chunks[1].firstRow, std::uint64_t{20});
        QCOMPARE(chunks[1].tsMax, kT0 - 20 * 1000);
        QCOMPARE(chunks[1].tsMin, kT0 - 49 * 1000);
        QCOMPARE(store.value()->rows(), std::uint64_t{50});

        LogTable back = table;
        QVERIFY(!store.value()->read(1, back));
        compareTables(back, slice(table, second));

        // A gather of chosen rows from both chunks, appended in order.
        LogTable picked = slice(table, {});
        QVERIFY(!store.value()->gather(0, std::vector<std::uint32_t>{0, 1, 8, 19}, picked));
        QVERIFY(!store.value()->gather(1, std::vector<std::uint32_t>{0, 13, 29}, picked));
        compareTables(picked, slice(table, {0, 1, 8, 19, 20, 33, 49}));
        // Consecutive rows (a time-ordered log's): read as one run per array.
        QVERIFY(!store.value()->gather(1, std::vector<std::uint32_t>{5, 6, 7, 8, 9}, picked));
        QVERIFY(!store.value()->gather(0, std::vector<std::uint32_t>{19}, picked));
        compareTables(picked, slice(table, {0, 1, 8, 19, 20, 33, 49, 25, 26, 27, 28, 29, 19}));

        NumericColumn label;
        for (int i = 0; i < 30; ++i)
            i % 3 ? label.push(-i) : label.pushNull();
        const std::uint64_t fileBytes = store.value()->fileBytes();
        const std::uint64_t tableBytes = store.value()->bytes();
        QVERIFY(!store.value()->replaceLabel(1, label));
        // Same sizes: written over the old arrays (a join in several passes rewrites them).
        QCOMPARE(store.value()->fileBytes(), fileBytes);
        QCOMPARE(store.value()->bytes(), tableBytes);
        QVERIFY(!store.value()->read(1, back));
        QCOMPARE(back.label.values, label.values);
        QCOMPARE(back.label.valid, label.valid);
        LogTable expected = slice(table, second);
        expected.label = label;
        expected.label.name = table.label.name;
        compareTables(back, expected);
    }

    // Arrays whose values are all one value are stored as that value: every kind of column
    // (a NaN payload, -0.0, all-null and all-valid flags, codes) comes back bit for bit through
    // read, readArray and gather, and a column that differs only in its sign of zero, or only
    // in its last value, is written whole.
    void repeatedArraysRoundTrip()
    {
        QTemporaryDir dir;
        LogTable table = richTable();
        constexpr std::size_t n = 50;
        const double payloadNaN = std::bit_cast<double>(std::uint64_t{0x7ff8'0000'dead'beefULL});
        table.tsMs.assign(n, kT0);
        table.model.codes.assign(n, 0);
        table.version.codes.assign(n, CategoricalColumn::kNull);
        table.latencyMs.values.assign(n, payloadNaN);
        table.latencyMs.valid.assign(n, 1);
        table.status.assign(n, RowStatus::Error);
        table.prediction.values.assign(n, -0.0);
        table.prediction.values[n / 2] = 0.0; // equal as a double, not as bytes: written whole
        table.label.values.assign(n, 0.0);
        table.label.valid.assign(n, 0);
        table.numericFeatures[0].values.assign(n, 2.5);
        table.numericFeatures[0].values[n - 1] = 2.25; // only the last value differs
        table.numericFeatures[1].valid.assign(n, 1);
        auto store = ingest::SpillStore::create(dir.path().toStdString());
        QVERIFY(store);
        std::vector<std::uint32_t> all(n);
        for (std::uint32_t i = 0; i < n; ++i)
            all[i] = i;
        QVERIFY(!store.value()->append(table));
        QVERIFY(!store.value()->append(slice(table, {7}))); // one row: nothing to repeat
        const auto& arrays = store.value()->chunks()[0].arrays;
        QVERIFY(arrays[ingest::kSpillTs].repeated);
        QVERIFY(arrays[ingest::kSpillLatency].repeated);
        QVERIFY(arrays[ingest::kSpillLabelValid].repeated);
        QVERIFY(!arrays[ingest::kSpillPrediction].repeated);
        QVERIFY(!arrays[ingest::kSpillFixedArrays].repeated);     // feature a: its last value differs
        QVERIFY(arrays[ingest::kSpillFixedArrays + 3].repeated);  // feature b's validity
        QVERIFY(!arrays[ingest::kSpillFixedArrays + 2].repeated); // feature b's values vary
        for (const auto& e : store.value()->chunks()[1].arrays)
            QVERIFY(!e.repeated);
        QCOMPARE(store.value()->bytes(), ingest::tableBytes(table) + ingest::tableBytes(slice(table, {7})));
        QVERIFY(store.value()->fileBytes() < store.value()->bytes());

        LogTable back = table;
        QVERIFY(!store.value()->read(0, back));
        compareTables(back, table);
        QVERIFY(!store.value()->read(1, back));
        compareTables(back, slice(table, {7}));
        std::vector<double> latency;
        QVERIFY(!store.value()->readArray(0, ingest::kSpillLatency, latency));
        QCOMPARE(latency.size(), n);
        QCOMPARE(std::bit_cast<std::uint64_t>(latency[17]), std::bit_cast<std::uint64_t>(payloadNaN));
        LogTable picked = slice(table, {});
        QVERIFY(!store.value()->gather(0, std::vector<std::uint32_t>{0, 3, 49}, picked));
        QVERIFY(!store.value()->gather(1, std::vector<std::uint32_t>{0}, picked));
        compareTables(picked, slice(table, {0, 3, 49, 7}));
        // Only the arrays asked for: the others stay empty.
        LogTable some = slice(table, {});
        std::vector<bool> wanted(arrays.size(), false);
        wanted[ingest::kSpillLatency] = true;
        QVERIFY(!store.value()->gather(0, std::vector<std::uint32_t>{1, 2}, some, &wanted));
        QCOMPARE(some.latencyMs.values.size(), std::size_t{2});
        QVERIFY(some.latencyMs.valid.empty());
        QVERIFY(some.tsMs.empty());
    }

    void boundedEqualsInMemory_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("labels");
        QTest::newRow("default reference") << 0 << false;
        QTest::newRow("default reference, late labels") << 0 << true;
        QTest::newRow("unaligned reference range, sampled windows") << 1 << true;
        QTest::newRow("window 1h") << 2 << false;
        QTest::newRow("no drift") << 3 << true;
    }

    void boundedEqualsInMemory()
    {
        QFETCH(int, mode);
        QFETCH(bool, labels);
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("log.jsonl"));
        const QString labelFile = dir.filePath(QStringLiteral("labels.jsonl"));
        writeLog(log, labelFile);
        AnalysisOptions options;
        options.drift.enabled = mode != 3;
        if (mode == 1) {
            options.drift.referenceStartMs = kT0 + 1'234'567;
            options.drift.referenceEndMs = kT0 + 20 * 3'600'000 + 7;
            options.drift.maxRowsPerWindow = 25;
        }
        if (mode == 2)
            options.windowMs = 3'600'000;
        const QString l = labels ? labelFile : QString();
        const Run full = report(log, l, 0, options);
        const QString spillDir = dir.filePath(QStringLiteral("spill"));
        QVERIFY(QDir().mkpath(spillDir));
        constexpr std::uint64_t kBudget = 64u << 10;
        const Run bounded = report(log, l, kBudget, options, spillDir.toStdString());
        QVERIFY(QDir(spillDir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
        if (labels) {
            // The label file has what the join must get right, in several id partitions
            // (the label file spilled too): compared with the in-memory join below.
            const LabelSummary& s = *full.result->log->labels;
            QVERIFY(s.duplicateLabels > 0 && s.unmatchedLabels > 0 && s.nullLabels > 0);
            QVERIFY(s.inlineLabelsReplaced > 0 && s.predictionsLabelled > 1'000);
        }

        const MemoryUse& m = bounded.result->memory;
        QCOMPARE(m.budgetBytes, kBudget);
        QCOMPARE(m.spilledRows, std::uint64_t{kRows});
        QVERIFY(m.spilledBytes > 10 * kBudget);
        QVERIFY2(m.batches > 10, qPrintable(QString::number(m.batches)));
        QCOMPARE(full.result->memory.batches, std::size_t{1});
        QCOMPARE(full.result->memory.spilledRows, std::uint64_t{0});
        QVERIFY(full.result->log->spill == nullptr);
        QCOMPARE(bounded.result->log->rowCount(), std::uint64_t{kRows});
        // The burst window alone holds more rows than the budget: a batch of its own.
        std::uint64_t largest = 0;
        for (const WindowStats& w : bounded.result->snapshot.windows)
            largest = std::max(largest, w.rows);
        QVERIFY(static_cast<double>(largest) * static_cast<double>(m.spilledBytes) / kRows > kBudget);
        // The burst window read chunk by chunk (as a sketch of it would be fed): all its rows.
        std::uint64_t burstRows = 0;
        std::size_t burstChunks = 0;
        for (const WindowStats& w : bounded.result->snapshot.windows)
            if (w.rows == largest) {
                QVERIFY(!detail::forEachChunkInRange(
                    *bounded.result->log, w.startMs, w.endMs,
                    [&](const LogTable& t, std::span<const std::uint32_t> rows) {
                        burstRows += rows.size();
                        ++burstChunks;
                        for (const std::uint32_t r : rows)
                            if (t.tsMs[r] < w.startMs || t.tsMs[r] >= w.endMs)
                                return std::optional<Error>(Error{"row outside"});
                        return std::optional<Error>();
                    }));
                break;
            }
        QCOMPARE(burstRows, largest);
        QVERIFY(burstChunks > 1); // the window is split across chunks
        // Several versions, one first seen late, and drift that sees something.
        QCOMPARE(bounded.result->snapshot.byVersion.size(), std::size_t{4});
        if (options.drift.enabled)
            QVERIFY(!bounded.result->snapshot.drift->windows.empty());
        if (labels && options.drift.enabled)
            QVERIFY(!bounded.result->snapshot.drift->conceptDrift.empty());

        // The burst window alone exceeds the budget: it is sketched (docs/SKETCHES.md), says so,
        // and keeps the in-memory value of every field it counts exactly; every other window,
        // and everything else in the report, is the in-memory report's.
        QJsonObject fullDoc = QJsonDocument::fromJson(QByteArray::fromStdString(full.json)).object();
        QJsonObject boundedDoc = QJsonDocument::fromJson(QByteArray::fromStdString(bounded.json)).object();
        const auto key = [](const char* k) { return QString::fromLatin1(k); };
        std::vector<qint64> sketched;
        for (const QJsonValue& v : boundedDoc[key("windows")].toArray())
            if (!v.toObject()[key("exact")].toBool())
                sketched.push_back(v.toObject()[key("start_ms")].toInteger());
        QCOMPARE(sketched.size(), std::size_t{1});
        const qint64 burst = sketched.front();
        const auto windowAt = [&](const QJsonObject& doc) {
            for (const QJsonValue& v : doc[key("windows")].toArray())
                if (v.toObject()[key("start_ms")].toInteger() == burst)
                    return v.toObject();
            return QJsonObject();
        };
        const QJsonObject fw = windowAt(fullDoc);
        const QJsonObject sw = windowAt(boundedDoc);
        QCOMPARE(sw[key("rows")], fw[key("rows")]);
        QVERIFY(static_cast<double>(sw[key("rows")].toInteger()) * static_cast<double>(m.spilledBytes) /
                    kRows >
                kBudget);
        QCOMPARE(fw[key("exact")], QJsonValue(true));
        for (const char* k : {"labeled", "kpi", "non_finite"})
            QCOMPARE(sw[key(k)], fw[key(k)]);
        const QJsonObject so = sw[key("operations")].toObject();
        const QJsonObject fo = fw[key("operations")].toObject();
        for (const char* k : {"throughput_per_s", "error_rate", "errors"})
            QCOMPARE(so[key(k)], fo[key(k)]);
        const QJsonObject sp = sw[key("performance")].toObject();
        const QJsonObject fp = fw[key("performance")].toObject();
        for (const char* k : {"accuracy", "precision", "recall", "f1", "log_loss", "brier"})
            QCOMPARE(sp[key(k)], fp[key(k)]);
        const QJsonArray estimates = sw[key("estimates")].toArray();
        QVERIFY(estimates.contains(QJsonValue(key("operations.latency_ms.p99"))));
        // Fewer than k labelled scores of each class: the sketches hold them all, AUC is exact.
        QVERIFY(!estimates.contains(QJsonValue(key("performance.roc_auc"))));
        QCOMPARE(sp[key("roc_auc")], fp[key("roc_auc")]);
        if (options.drift.enabled && options.drift.maxRowsPerWindow == 0) {
            // Counted statistics exact, KS D within the rank error (0.354 %).
            QVERIFY(estimates.contains(QJsonValue(key("drift.x.ks_d"))));
            const QJsonObject sd = sw[key("drift")].toObject();
            const QJsonObject fd = fw[key("drift")].toObject();
            QCOMPARE(sd.keys(), fd.keys());
            for (const QString& feature : fd.keys()) {
                const QJsonObject a = sd[feature].toObject();
                const QJsonObject b = fd[feature].toObject();
                for (const char* k : {"psi", "js", "hellinger", "chi2", "chi2_p", "missing_share"})
                    QVERIFY2(a[key(k)] == b[key(k)], qPrintable(feature + QStringLiteral(".") + key(k)));
                if (!b[key("ks_d")].isNull())
                    QVERIFY2(std::abs(a[key("ks_d")].toDouble() - b[key("ks_d")].toDouble()) <= 0.00354,
                             qPrintable(feature));
            }
            QCOMPARE(sw[key("estimated_performance")].toObject()[key("accuracy")],
                     fw[key("estimated_performance")].toObject()[key("accuracy")]);
        }
        // Everything else: the in-memory report's.
        const auto dropBurst = [&](QJsonObject& doc) {
            const auto strip = [&](QJsonArray windows) {
                QJsonArray kept;
                for (const QJsonValue& v : windows)
                    if (v.toObject()[key("start_ms")].toInteger() != burst)
                        kept.append(v);
                return kept;
            };
            doc[key("windows")] = strip(doc[key("windows")].toArray());
            QJsonObject versions = doc[key("by_version")].toObject();
            for (const QString& v : versions.keys()) {
                QJsonObject segment = versions[v].toObject();
                segment[key("windows")] = strip(segment[key("windows")].toArray());
                versions[v] = segment;
            }
            doc[key("by_version")] = versions;
        };
        dropBurst(fullDoc);
        dropBurst(boundedDoc);
        for (const QString& k : fullDoc.keys())
            QVERIFY2(fullDoc[k] == boundedDoc[k],
                     qPrintable(QStringLiteral("report key '%1' differs").arg(k)));
        QCOMPARE(fullDoc.keys(), boundedDoc.keys());
        if (options.drift.enabled)
            compareDecisionInputs(*full.result, *bounded.result, burst);
    }

    void batchesOfManyWindowsEqualInMemory_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<quint64>("budget");
        QTest::newRow("default reference") << 0 << quint64(384u << 10);
        QTest::newRow("default reference, smaller batches") << 0 << quint64(512u << 10);
        QTest::newRow("unaligned reference range, sampled windows") << 1 << quint64(512u << 10);
        QTest::newRow("window 1h") << 2 << quint64(512u << 10);
        // Time-ordered rows: the first batch holds the reference at its rows' parity, and
        // drift scores the analysis' table instead of reading the batch again.
        QTest::newRow("time-ordered") << 3 << quint64(384u << 10);
        QTest::newRow("time-ordered, unaligned reference range") << 4 << quint64(512u << 10);
        // A row of the last hour among the first: the first batch's table has every later
        // reference row one place up, so drift reads the batch again at the rows' parity.
        QTest::newRow("a row from the end first") << 5 << quint64(384u << 10);
    }

    // Batches of many windows, no window over the budget: the whole report is the in-memory
    // one. Past the first batch, drift scores the rows the analysis gathered plus the
    // previous batch's last window (not read again), which these budgets exercise.
    void batchesOfManyWindowsEqualInMemory()
    {
        QFETCH(int, mode);
        QFETCH(quint64, budget);
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("log.jsonl"));
        const QString labelFile = dir.filePath(QStringLiteral("labels.jsonl"));
        writeLog(log, labelFile, mode == 3 || mode == 4, mode == 5);
        AnalysisOptions options;
        options.drift.enabled = true;
        if (mode == 1 || mode == 4) {
            options.drift.referenceStartMs = kT0 + 1'234'567;
            options.drift.referenceEndMs = kT0 + 20 * 3'600'000 + 7;
            options.drift.maxRowsPerWindow = 25;
        }
        if (mode == 2)
            options.windowMs = 3'600'000;
        const Run full = report(log, labelFile, 0, options);
        const Run bounded = report(log, labelFile, budget, options);
        const MemoryUse& m = bounded.result->memory;
        QCOMPARE(m.spilledRows, std::uint64_t{kRows});
        QVERIFY2(m.batches >= 3, qPrintable(QString::number(m.batches)));
        QCOMPARE(bounded.json, full.json);
        compareDecisionInputs(*full.result, *bounded.result);
    }

    // The spill file is created at the first spill only: a log that fits needs no temporary
    // directory, one that does not names the directory it could not use.
    void spillDirectoryNeededOnlyToSpill()
    {
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("log.jsonl"));
        writeLog(log, dir.filePath(QStringLiteral("labels.jsonl")));
        LoadOptions load;
        load.spillDir = dir.filePath(QStringLiteral("missing")).toStdString();
        load.memoryBudgetBytes = 64u << 20;
        auto fits = loadLogs({log.toStdString()}, load);
        QVERIFY(fits);
        QVERIFY(fits->spill == nullptr);
        QCOMPARE(fits->table.rows(), std::size_t{kRows});
        load.memoryBudgetBytes = 64u << 10;
        auto spills = loadLogs({log.toStdString()}, load);
        QVERIFY(!spills);
        QVERIFY2(spills.error().message.find("cannot create a spill file in " + load.spillDir) !=
                     std::string::npos,
                 spills.error().message.c_str());
    }

    void rollingReferenceRefused()
    {
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("log.jsonl"));
        writeLog(log, dir.filePath(QStringLiteral("labels.jsonl")));
        LoadOptions load;
        load.memoryBudgetBytes = 64u << 10;
        auto loaded = loadLogs({log.toStdString()}, load);
        QVERIFY(loaded);
        QVERIFY(loaded->spill != nullptr);
        AnalysisOptions options;
        options.drift.enabled = true;
        options.drift.rollingWindows = 3;
        auto analyzed = reanalyze(std::make_shared<const LoadedLog>(std::move(loaded.value())), options);
        QVERIFY(!analyzed);
        QVERIFY2(analyzed.error().message.find("rolling") != std::string::npos,
                 analyzed.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestBoundedReport)
#include "tst_bounded_report.moc"
