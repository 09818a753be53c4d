// Late labels joined by request id: LabelJoin in both arrival orders with exact counts,
// the label file reader (malformed lines with line numbers), joinLabelSource, and the
// windows recomputed after a join against a full analyze().
#include "demo/demo_log.h"
#include "engine/drift_analysis.h"
#include "engine/label_join.h"
#include "engine/label_source.h"
#include "engine/window_update.h"
#include "ingest/labels.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <random>

using namespace vigil;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kT0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z

struct Pred
{
    const char* id; // nullptr = null id
    std::int64_t ts;
    std::optional<double> inlineLabel;
};

struct Lab
{
    const char* id;
    std::int64_t ts;
    std::optional<double> value; // nullopt = null label
};

LogTable predictionTable(const std::vector<Pred>& rows)
{
    LogTable t;
    for (const Pred& p : rows) {
        t.tsMs.push_back(p.ts);
        if (p.id)
            t.requestId.push(p.id);
        else
            t.requestId.pushNull();
        t.prediction.push(0.7);
        if (p.inlineLabel)
            t.label.push(*p.inlineLabel);
        else
            t.label.pushNull();
    }
    return t;
}

LogTable labelTable(const std::vector<Lab>& rows)
{
    LogTable t;
    for (const Lab& l : rows) {
        t.tsMs.push_back(l.ts);
        t.requestId.push(l.id);
        if (l.value)
            t.label.push(*l.value);
        else
            t.label.pushNull();
    }
    return t;
}

// The first n rows of a table (predictions arriving in pieces).
LogTable prefix(const LogTable& all, std::size_t n)
{
    LogTable t;
    for (std::size_t r = 0; r < n; ++r) {
        t.tsMs.push_back(all.tsMs[r]);
        if (all.requestId.valid[r])
            t.requestId.push(all.requestId.at(r));
        else
            t.requestId.pushNull();
        t.prediction.push(all.prediction.values[r]);
        t.label.values.push_back(all.label.values[r]);
        t.label.valid.push_back(all.label.valid[r]);
    }
    return t;
}

LogTable labelSlice(const LogTable& all, std::size_t from, std::size_t to)
{
    LogTable t;
    for (std::size_t r = from; r < to; ++r) {
        t.tsMs.push_back(all.tsMs[r]);
        t.requestId.push(all.requestId.at(r));
        t.label.values.push_back(all.label.values[r]);
        t.label.valid.push_back(all.label.valid[r]);
    }
    return t;
}

// Appends rows [from, to) of `all` to `t`, keeping the labels `t` has.
void grow(LogTable& t, const LogTable& all, std::size_t to)
{
    for (std::size_t r = t.rows(); r < to; ++r) {
        t.tsMs.push_back(all.tsMs[r]);
        if (all.requestId.valid[r])
            t.requestId.push(all.requestId.at(r));
        else
            t.requestId.pushNull();
        t.prediction.push(all.prediction.values[r]);
        t.label.values.push_back(all.label.values[r]);
        t.label.valid.push_back(all.label.valid[r]);
    }
}

bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

struct Expected
{
    std::uint64_t read, matched, labelled, unmatched, duplicates, nulls, replaced, dupPredictions, withoutId,
        negative;
    std::optional<double> p50, p95;
    std::vector<std::optional<double>> labels; // final label column
};

void checkSummary(const LabelSummary& s, const Expected& e)
{
    QCOMPARE(s.labelsRead, e.read);
    QCOMPARE(s.matched, e.matched);
    QCOMPARE(s.predictionsLabelled, e.labelled);
    QCOMPARE(s.unmatchedLabels, e.unmatched);
    QCOMPARE(s.duplicateLabels, e.duplicates);
    QCOMPARE(s.nullLabels, e.nulls);
    QCOMPARE(s.inlineLabelsReplaced, e.replaced);
    QCOMPARE(s.duplicatePredictionIds, e.dupPredictions);
    QCOMPARE(s.predictionsWithoutId, e.withoutId);
    QCOMPARE(s.negativeDelays, e.negative);
    QCOMPARE(s.delayP50Ms, e.p50);
    QCOMPARE(s.delayP95Ms, e.p95);
    // The invariant the report documents.
    QCOMPARE(s.labelsRead, s.nullLabels + s.duplicateLabels + s.matched + s.unmatchedLabels);
}

void checkLabels(const LogTable& t, const Expected& e)
{
    QCOMPARE(t.label.size(), e.labels.size());
    for (std::size_t r = 0; r < e.labels.size(); ++r) {
        QVERIFY2(static_cast<bool>(t.label.valid[r]) == e.labels[r].has_value(),
                 qPrintable(QString::number(r)));
        if (e.labels[r])
            QVERIFY2(sameValue(t.label.values[r], *e.labels[r]), qPrintable(QString::number(r)));
    }
}

void writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(text), text.size());
}

bool sameOptional(const std::optional<double>& a, const std::optional<double>& b)
{
    if (a.has_value() != b.has_value())
        return false;
    return !a || sameValue(*a, *b);
}

void compareWindows(const std::vector<WindowStats>& a, const std::vector<WindowStats>& b)
{
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        const WindowStats& x = a[i];
        const WindowStats& y = b[i];
        QCOMPARE(x.startMs, y.startMs);
        QCOMPARE(x.rows, y.rows);
        QCOMPARE(x.labeled, y.labeled);
        QCOMPARE(x.errors, y.errors);
        QCOMPARE(x.nonFinite.label, y.nonFinite.label);
        QCOMPARE(x.nonFinite.prediction, y.nonFinite.prediction);
        const PerformanceMetrics& p = x.performance;
        const PerformanceMetrics& q = y.performance;
        const QString where = QStringLiteral("window %1").arg(x.startMs);
        auto check = [&](const std::optional<double>& u, const std::optional<double>& v) {
            QVERIFY2(sameOptional(u, v), qPrintable(where));
        };
        check(p.accuracy, q.accuracy);
        check(p.precision, q.precision);
        check(p.recall, q.recall);
        check(p.f1, q.f1);
        check(p.rocAuc, q.rocAuc);
        check(p.logLoss, q.logLoss);
        check(p.brier, q.brier);
        check(p.mae, q.mae);
        check(p.rmse, q.rmse);
        check(p.r2, q.r2);
        QVERIFY(sameOptional(x.latencyMs.p50, y.latencyMs.p50));
        QVERIFY(sameOptional(x.errorRate, y.errorRate));
        QCOMPARE(x.kpis.size(), y.kpis.size());
        QCOMPARE(x.ratios.size(), y.ratios.size());
        for (std::size_t k = 0; k < x.ratios.size(); ++k)
            QVERIFY(sameOptional(x.ratios[k].value, y.ratios[k].value));
    }
}

} // namespace

class TestLabelJoin : public QObject
{
    Q_OBJECT
  private slots:
    void joinBothOrders_data();
    void joinBothOrders();
    void idCollisionsStayApart();
    void labelFileProblems_data();
    void labelFileProblems();
    void joinLabelSourceFromFiles();
    void joinErrors();
    void incrementalEqualsFull_data();
    void incrementalEqualsFull();
    void demoLabelsArriveLate();
    void labelsConfig();

  private:
    QTemporaryDir m_dir;
};

void TestLabelJoin::joinBothOrders_data()
{
    QTest::addColumn<std::vector<Pred>>("predictions");
    QTest::addColumn<std::vector<Lab>>("labels");
    QTest::addColumn<Expected>("expected");
    const std::int64_t h = 3'600'000;

    // Quantiles: numpy.percentile of the delays (linear), printed with repr().
    // Delays 1h, 2h, 3h, 4h.
    QTest::newRow("one-to-one")
        << std::vector<Pred>{{"a", kT0, {}}, {"b", kT0, {}}, {"c", kT0, {}}, {"d", kT0, {}}}
        << std::vector<Lab>{{"a", kT0 + h, 1.0},
                            {"b", kT0 + 2 * h, 0.0},
                            {"c", kT0 + 3 * h, 1.0},
                            {"d", kT0 + 4 * h, 0.0}}
        << Expected{4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 9000000.0, 13859999.999999998, {1.0, 0.0, 1.0, 0.0}};

    QTest::newRow("unmatched labels and unlabelled predictions")
        << std::vector<Pred>{{"a", kT0, {}}, {"b", kT0 + 10, {}}, {"x", kT0 + 20, {}}}
        << std::vector<Lab>{{"a", kT0 + 1000, 1.0},
                            {"zz", kT0, 0.0},
                            {"b", kT0 + 3010, 0.0},
                            {"yy", kT0, 1.0}}
        << Expected{4, 2, 2, 2, 0, 0, 0, 0, 0, 0, 2000.0, 2900.0, {1.0, 0.0, std::nullopt}};

    // Same id three times: the latest ts wins whatever the order; equal ts: the later record.
    QTest::newRow("duplicate labels, latest ts wins")
        << std::vector<Pred>{{"a", kT0, {}}, {"b", kT0, {}}}
        << std::vector<Lab>{{"a", kT0 + 500, 1.0},
                            {"a", kT0 + 100, 0.0},
                            {"a", kT0 + 300, 0.0},
                            {"b", kT0 + 200, 0.0},
                            {"b", kT0 + 200, 1.0}}
        << Expected{5, 2, 2, 0, 3, 0, 0, 0, 0, 0, 350.0, 485.0, {1.0, 1.0}};

    // A retried request logged twice: the label goes to both rows; each pair has its delay.
    QTest::newRow("duplicate prediction ids")
        << std::vector<Pred>{{"a", kT0, {}}, {"a", kT0 + 1000, {}}, {"b", kT0, {}}, {"a", kT0 + 5000, {}}}
        << std::vector<Lab>{{"a", kT0 + 3000, 0.0}, {"b", kT0 + 100, 1.0}}
        << Expected{2, 2, 4, 0, 0, 0, 0, 2, 0, 1, 1050.0, 2849.9999999999995, {0.0, 0.0, 1.0, 0.0}};

    // A null label is read and counted, never joined: the log's own label stays.
    QTest::newRow("null and NaN labels")
        << std::vector<Pred>{{"a", kT0, 1.0}, {"b", kT0, {}}, {"c", kT0, 0.0}}
        << std::vector<Lab>{{"a", kT0 + 10, std::nullopt},
                            {"b", kT0 + 20, kNaN},
                            {"c", kT0 + 30, 1.0},
                            {"q", kT0, std::nullopt}}
        << Expected{4, 2, 2, 0, 0, 2, 1, 0, 0, 0, 25.0, 29.5, {1.0, kNaN, 1.0}};

    // Predictions without an id cannot be joined; a label older than its prediction
    // (clock skew, a label known in advance) is joined and counted as a negative delay.
    QTest::newRow("null ids and negative delays")
        << std::vector<Pred>{{nullptr, kT0, {}}, {"a", kT0 + 1000, 0.0}, {nullptr, kT0, 1.0}}
        << std::vector<Lab>{{"a", kT0, 1.0}}
        << Expected{1, 1, 1, 0, 0, 0, 1, 0, 2, 1, -1000.0, -1000.0, {std::nullopt, 1.0, 1.0}};

    QTest::newRow("no labels") << std::vector<Pred>{{"a", kT0, {}}} << std::vector<Lab>{}
                               << Expected{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {}, {}, {std::nullopt}};
}

void TestLabelJoin::joinBothOrders()
{
    QFETCH(std::vector<Pred>, predictions);
    QFETCH(std::vector<Lab>, labels);
    QFETCH(Expected, expected);
    const LogTable allPredictions = predictionTable(predictions);
    const LogTable allLabels = labelTable(labels);

    {
        // Predictions first, labels after (the batch path).
        LogTable t = allPredictions;
        LabelJoin join;
        QVERIFY(join.addPredictions(t, 0).empty());
        const auto changed = join.addLabels(t, allLabels);
        checkSummary(join.summary(t), expected);
        checkLabels(t, expected);
        std::uint64_t labelled = 0;
        for (std::size_t r = 0; r < t.rows(); ++r)
            labelled += std::find(changed.begin(), changed.end(), r) != changed.end();
        QCOMPARE(labelled, expected.labelled);
    }
    {
        // Labels first: all pending until the predictions arrive.
        LogTable t = prefix(allPredictions, 0);
        LabelJoin join;
        QVERIFY(join.addLabels(t, allLabels).empty());
        const LabelSummary pending = join.summary(t);
        QCOMPARE(pending.matched, std::uint64_t{0});
        QCOMPARE(pending.unmatchedLabels, expected.matched + expected.unmatched);
        grow(t, allPredictions, allPredictions.rows());
        const auto changed = join.addPredictions(t, 0);
        QCOMPARE(changed.size(), static_cast<std::size_t>(expected.labelled));
        checkSummary(join.summary(t), expected);
        checkLabels(t, expected);
    }
    {
        // Interleaved, one row at a time: prediction k, then label k.
        LogTable t = prefix(allPredictions, 0);
        LabelJoin join;
        const std::size_t steps = std::max(allPredictions.rows(), allLabels.rows());
        for (std::size_t k = 0; k < steps; ++k) {
            if (k < allPredictions.rows()) {
                const std::size_t before = t.rows();
                grow(t, allPredictions, k + 1);
                join.addPredictions(t, before);
            }
            if (k < allLabels.rows())
                join.addLabels(t, labelSlice(allLabels, k, k + 1));
        }
        checkSummary(join.summary(t), expected);
        checkLabels(t, expected);
    }
}

// Different ids with the same hash must not be joined to each other: checked through
// the index directly with a constant hash.
void TestLabelJoin::idCollisionsStayApart()
{
    detail::IdHashIndex index;
    const std::vector<std::string> keys = {"a", "b", "c", "d", "e"};
    for (std::uint32_t i = 0; i < keys.size(); ++i) {
        QVERIFY(index.find(42, [&](std::uint32_t ref) { return keys[ref] == keys[i]; }) == nullptr);
        index.insert(42, i);
    }
    for (std::uint32_t i = 0; i < keys.size(); ++i) {
        const auto* slot = index.find(42, [&](std::uint32_t ref) { return keys[ref] == keys[i]; });
        QVERIFY(slot != nullptr);
        QCOMPARE(slot->ref, i);
    }
    QVERIFY(index.find(42, [](std::uint32_t) { return false; }) == nullptr);
    QCOMPARE(index.size(), keys.size());
}

void TestLabelJoin::labelFileProblems_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<std::uint64_t>("records");
    QTest::addColumn<QList<int>>("badLines");
    QTest::addColumn<QStringList>("errorsContain");

    QTest::newRow("jsonl") << QStringLiteral("labels.jsonl")
                           << QByteArray("{\"request_id\": \"a\", \"label\": 1, \"ts\": 1767225600000}\n"
                                         "{\"request_id\": \"b\", \"label\": 0, \"ts\": \"yesterday\"}\n"
                                         "{\"label\": 1, \"ts\": 1767225600000}\n"
                                         "{\"request_id\": \"c\", \"label\": 1, \"ts\n"
                                         "\n"
                                         "{\"request_id\": 17, \"label\": null, \"ts\": 1767225600}\n"
                                         "{\"request_id\": \"d\", \"label\": true, \"ts\": null}\n")
                           << std::uint64_t{2} << QList<int>{2, 3, 4, 7}
                           << QStringList{QStringLiteral("bad timestamp"),
                                          QStringLiteral("missing request id"), QString(),
                                          QStringLiteral("null timestamp")};
    QTest::newRow("csv") << QStringLiteral("labels.csv")
                         << QByteArray("id,outcome,ts\n"
                                       "a,1,2026-01-01T00:00:00Z\n"
                                       ",0,2026-01-01T00:00:00Z\n"
                                       "c,1,not-a-time\n"
                                       "d,,2026-01-01T01:00:00Z\n")
                         << std::uint64_t{2} << QList<int>{3, 4}
                         << QStringList{QStringLiteral("missing request id"),
                                        QStringLiteral("bad timestamp")};
}

void TestLabelJoin::labelFileProblems()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, text);
    QFETCH(std::uint64_t, records);
    QFETCH(QList<int>, badLines);
    QFETCH(QStringList, errorsContain);
    const QString path = m_dir.filePath(name);
    writeFile(path, text);
    LabelSourceConfig source;
    source.path = path.toStdString();
    if (name.endsWith(QStringLiteral(".csv")))
        source.label = "outcome"; // not a name inference knows
    FieldMapping mapping;
    mapping.predictionKind = PredictionKind::Score;
    auto loaded = loadLabelSource(source, mapping);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE(loaded->table.rows(), records);
    QCOMPARE(loaded->malformed, static_cast<std::uint64_t>(badLines.size()));
    QCOMPARE(loaded->problems.size(), static_cast<std::size_t>(badLines.size()));
    for (qsizetype i = 0; i < badLines.size(); ++i) {
        QCOMPARE(loaded->problems[static_cast<std::size_t>(i)].line, static_cast<std::uint64_t>(badLines[i]));
        QVERIFY2(loaded->problems[static_cast<std::size_t>(i)].error.find(errorsContain[i].toStdString()) !=
                     std::string::npos,
                 loaded->problems[static_cast<std::size_t>(i)].error.c_str());
    }
    // Only the label record's fields are read.
    QCOMPARE(loaded->table.requestId.size(), static_cast<std::size_t>(records));
    QVERIFY(loaded->table.numericFeatures.empty());
    QVERIFY(loaded->table.categoricalFeatures.empty());
}

void TestLabelJoin::joinLabelSourceFromFiles()
{
    // Numeric ids in the log and text ids in the labels are the same requests.
    const QString log = m_dir.filePath(QStringLiteral("log.jsonl"));
    writeFile(log, "{\"ts\": 1767225600000, \"request_id\": 1, \"score\": 0.9, \"label\": 0}\n"
                   "{\"ts\": 1767225660000, \"request_id\": 2, \"score\": 0.2}\n"
                   "{\"ts\": 1767225720000, \"request_id\": 3, \"score\": 0.6}\n"
                   "{\"ts\": 1767225780000, \"score\": 0.6}\n");
    const QString labels = m_dir.filePath(QStringLiteral("late.csv"));
    writeFile(labels, "request_id,label,ts\n"
                      "1,yes,2026-01-01T01:00:00Z\n"
                      "2,no,2026-01-01T02:01:00Z\n"
                      "9,yes,2026-01-01T02:00:00Z\n"
                      "2,yes,2026-01-01T00:30:00Z\n"
                      "3,,2026-01-01T00:30:00Z\n");
    LoadOptions options;
    options.overrides.positiveClass = "yes";
    auto loaded = loadLogs({log.toStdString()}, options);
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->schema.mapping.requestId, std::string("request_id"));
    LabelSourceConfig source;
    source.path = labels.toStdString();
    auto joined = joinLabelSource(loaded.value(), source);
    QVERIFY2(joined.ok(), joined.ok() ? "" : joined.error().message.c_str());
    const LabelSummary& s = *joined.value();
    QCOMPARE(loaded->labels.get(), joined.value().get());
    QCOMPARE(s.labelsRead, std::uint64_t{5});
    QCOMPARE(s.matched, std::uint64_t{2});
    QCOMPARE(s.predictionsLabelled, std::uint64_t{2});
    QCOMPARE(s.unmatchedLabels, std::uint64_t{1});
    QCOMPARE(s.duplicateLabels, std::uint64_t{1});
    QCOMPARE(s.nullLabels, std::uint64_t{1});
    QCOMPARE(s.inlineLabelsReplaced, std::uint64_t{1});
    QCOMPARE(s.predictionsWithoutId, std::uint64_t{1});
    // Delays: 1h and 2h exactly.
    QCOMPARE(s.delayP50Ms, std::optional<double>(5'400'000.0));
    QCOMPARE(s.delayP95Ms, std::optional<double>(7'020'000.0));
    const NumericColumn& label = loaded->table.label;
    QCOMPARE(label.values[0], 1.0);
    QCOMPARE(label.values[1], 0.0);
    QVERIFY(!label.valid[2]);
    QVERIFY(!label.valid[3]);
    QVERIFY(!joined.warnings.empty());
}

void TestLabelJoin::joinErrors()
{
    const QString log = m_dir.filePath(QStringLiteral("noid.jsonl"));
    writeFile(log, "{\"ts\": 1767225600000, \"score\": 0.9}\n");
    const QString labels = m_dir.filePath(QStringLiteral("ok.jsonl"));
    writeFile(labels, "{\"request_id\": \"a\", \"label\": 1, \"ts\": 1767225600000}\n");
    auto loaded = loadLogs({log.toStdString()}, LoadOptions{});
    QVERIFY(loaded.ok());
    QVERIFY(loaded->table.requestId.size() == 0); // no id field: no column, no cost
    LabelSourceConfig source;
    source.path = labels.toStdString();
    auto joined = joinLabelSource(loaded.value(), source);
    QVERIFY(!joined.ok());
    QVERIFY(joined.error().message.find("request id") != std::string::npos);

    const QString noLabel = m_dir.filePath(QStringLiteral("nolabel.jsonl"));
    writeFile(noLabel, "{\"request_id\": \"a\", \"ts\": 1767225600000}\n");
    source.path = noLabel.toStdString();
    auto missing = loadLabelSource(source, FieldMapping{});
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.find("no label field") != std::string::npos);

    const QString noId = m_dir.filePath(QStringLiteral("noid-labels.jsonl"));
    writeFile(noId, "{\"label\": 1, \"ts\": 1767225600000}\n");
    source.path = noId.toStdString();
    auto noIdResult = loadLabelSource(source, FieldMapping{});
    QVERIFY(!noIdResult.ok());
    QVERIFY(noIdResult.error().message.find("request id") != std::string::npos);

    source.path = m_dir.filePath(QStringLiteral("absent.jsonl")).toStdString();
    QVERIFY(!loadLabelSource(source, FieldMapping{}).ok());
}

void TestLabelJoin::incrementalEqualsFull_data()
{
    QTest::addColumn<bool>("flipToRegression");
    QTest::addColumn<bool>("drift");
    QTest::newRow("score labels") << false << false;
    QTest::newRow("score labels, drift") << false << true;
    QTest::newRow("a label turns the model into regression") << true << false;
}

void TestLabelJoin::incrementalEqualsFull()
{
    QFETCH(bool, flipToRegression);
    QFETCH(bool, drift);
    // 3000 predictions over ~50 windows, two versions, some labelled inline; then late
    // labels for a random third in three batches.
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    LogTable t;
    t.version.dictionary = {"1.0", "1.1"};
    NumericColumn kpi;
    kpi.name = "revenue";
    t.kpis.push_back(kpi);
    t.numericFeatures.push_back(NumericColumn{"amount", {}, {}});
    const std::size_t n = 3000;
    for (std::size_t r = 0; r < n; ++r) {
        t.tsMs.push_back(kT0 + static_cast<std::int64_t>(r) * 60'000 +
                         static_cast<std::int64_t>(u(rng) * 50'000));
        t.requestId.push("req-" + std::to_string(r));
        t.version.codes.push_back(r % 3 == 0 ? 1u : (r % 17 == 0 ? CategoricalColumn::kNull : 0u));
        t.prediction.push(u(rng));
        t.latencyMs.push(10.0 + 50.0 * u(rng));
        t.status.push_back(RowStatus::Ok);
        t.kpis[0].push(u(rng));
        t.numericFeatures[0].push(u(rng) + (r > n / 2 ? 0.5 : 0.0));
        if (u(rng) < 0.2)
            t.label.push(u(rng) < 0.5 ? 1.0 : 0.0);
        else
            t.label.pushNull();
    }
    AnalysisOptions options;
    options.windowMs = 60 * 60'000;
    options.drift.enabled = drift;
    InferredSchema schema;
    schema.mapping.predictionKind = PredictionKind::Auto;
    auto before = analyze(t, schema, options);
    QVERIFY(before.ok());
    AnalysisSnapshot snapshot = std::move(before.value());
    if (drift) {
        auto d = computeDrift(t, snapshot, options.drift);
        QVERIFY(d.ok());
        snapshot.drift = std::move(d.value());
    }

    LabelJoin join;
    join.addPredictions(t, 0);
    for (int batch = 0; batch < 3; ++batch) {
        LogTable labels;
        for (std::size_t k = 0; k < 400; ++k) {
            // Each batch labels a third of the time range, so only its windows change.
            const auto r = static_cast<std::size_t>(batch) * 1000 + static_cast<std::size_t>(u(rng) * 1000);
            labels.tsMs.push_back(t.tsMs[r] + 3'600'000);
            labels.requestId.push("req-" + std::to_string(r));
            labels.label.push(u(rng) < 0.4 ? 1.0 : 0.0);
        }
        if (flipToRegression && batch == 2) {
            labels.tsMs.push_back(t.tsMs[5] + 7'200'000);
            labels.requestId.push("req-5");
            labels.label.push(3.5);
        }
        const auto changed = join.addLabels(t, labels);
        QVERIFY(!changed.empty());
        const auto windows = windowsOfRows(t, changed, snapshot.windowMs);
        QVERIFY(windows.size() < snapshot.windows.size() / 2);
        auto updated = recomputeWindows(t, schema, options, std::move(snapshot), windows);
        QVERIFY2(updated.ok(), updated.ok() ? "" : updated.error().message.c_str());
        snapshot = std::move(updated.value());

        auto full = analyze(t, schema, options);
        QVERIFY(full.ok());
        QCOMPARE(snapshot.predictionKind, full->predictionKind);
        compareWindows(snapshot.windows, full->windows);
        QCOMPARE(snapshot.byVersion.size(), full->byVersion.size());
        for (std::size_t s = 0; s < snapshot.byVersion.size(); ++s) {
            QCOMPARE(snapshot.byVersion[s].version, full->byVersion[s].version);
            compareWindows(snapshot.byVersion[s].windows, full->byVersion[s].windows);
        }
        QCOMPARE(snapshot.drift.has_value(), drift);
        if (drift) {
            auto fullDrift = computeDrift(t, full.value(), options.drift);
            QVERIFY(fullDrift.ok());
            QCOMPARE(snapshot.drift->conceptDrift.size(), fullDrift->conceptDrift.size());
            QCOMPARE(snapshot.drift->windows.size(), fullDrift->windows.size());
        }
    }
    QCOMPARE(snapshot.predictionKind, flipToRegression ? PredictionKind::Regression : PredictionKind::Score);
}

// `vigil demo --separate-labels`: no label in the log, every label in the label file,
// each arriving after its prediction; labels not yet arrived come with a later range.
void TestLabelJoin::demoLabelsArriveLate()
{
    const std::string log = m_dir.filePath(QStringLiteral("demo.jsonl")).toStdString();
    const std::string labels = m_dir.filePath(QStringLiteral("demo-labels.jsonl")).toStdString();
    DemoScenario scenario;
    scenario.startMs = kT0;
    scenario.rowsPerMinute = 3.0;
    scenario.separateLabels = true;
    DemoLogGenerator generator(scenario);
    const std::int64_t day = DemoTimeline::kDay;
    QVERIFY(writeDemoRange(generator, log, kT0, kT0 + day, false, labels).ok());

    auto loaded = loadLogs({log}, LoadOptions{});
    QVERIFY(loaded.ok());
    QVERIFY(loaded->schema.mapping.label.empty());
    LabelSourceConfig source;
    source.path = labels;
    auto first = joinLabelSource(loaded.value(), source);
    QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
    const LabelSummary a = *first.value();
    QVERIFY(a.labelsRead > 500);
    QCOMPARE(a.matched, a.labelsRead);
    QCOMPARE(a.predictionsLabelled, a.labelsRead);
    QCOMPARE(a.unmatchedLabels + a.duplicateLabels + a.nullLabels + a.negativeDelays + a.malformed,
             std::uint64_t{0});
    // Labels arrive ~6 h late (log-normal), and none after the end of the range.
    QVERIFY(*a.delayP50Ms > 3.0 * 3.6e6 && *a.delayP50Ms < 9.0 * 3.6e6);
    QVERIFY(a.predictionsLabelled <
            static_cast<std::uint64_t>(0.9 * static_cast<double>(loaded->table.rows())));

    // The next day brings the first day's late labels too.
    QVERIFY(writeDemoRange(generator, log, kT0 + day, kT0 + 2 * day, true, labels).ok());
    auto again = loadLogs({log}, LoadOptions{});
    QVERIFY(again.ok());
    auto second = joinLabelSource(again.value(), source);
    QVERIFY(second.ok());
    QVERIFY(second.value()->labelsRead > 2 * a.labelsRead);
    QCOMPARE(second.value()->unmatchedLabels, std::uint64_t{0});
}

void TestLabelJoin::labelsConfig()
{
    auto parsed = parseConfig(R"({"labels": {"path": "late.csv", "format": "csv", "request_id": "rid",
                                             "label": "y", "ts": "when", "timestamp_unit": "s"}})");
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
    QVERIFY(parsed->labels.has_value());
    const LabelSourceConfig& l = *parsed->labels;
    QCOMPARE(l.path, std::string("late.csv"));
    QCOMPARE(l.format, std::optional<LogFormat>(LogFormat::Csv));
    QCOMPARE(l.requestId, std::optional<std::string>("rid"));
    QCOMPARE(l.label, std::optional<std::string>("y"));
    QCOMPARE(l.timestamp, std::optional<std::string>("when"));
    QCOMPARE(l.timestampUnit, std::optional<TimestampUnit>(TimestampUnit::Seconds));
    // Written back and read again: the same.
    auto again = parseConfig(configToJson(parsed.value()));
    QVERIFY2(again.ok(), again.ok() ? "" : again.error().message.c_str());
    QCOMPARE(again->labels->path, l.path);
    QCOMPARE(again->labels->format, l.format);
    QCOMPARE(again->labels->requestId, l.requestId);
    QCOMPARE(again->labels->label, l.label);
    QCOMPARE(again->labels->timestamp, l.timestamp);
    QCOMPARE(again->labels->timestampUnit, l.timestampUnit);
    QVERIFY(!parseConfig("{}")->labels.has_value());

    auto typo = parseConfig(R"({"labels": {"pth": "x"}})");
    QVERIFY(!typo.ok());
    QVERIFY(typo.error().message.find("labels.pth") != std::string::npos);
    QVERIFY(!parseConfig(R"({"labels": "x.csv"})").ok());
    QVERIFY(!parseConfig(R"({"labels": {"format": "xml"}})").ok());
}

QTEST_GUILESS_MAIN(TestLabelJoin)
#include "tst_label_join.moc"
