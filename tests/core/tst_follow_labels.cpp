// Late labels while following: predictions and labels are appended to real files in
// interleaved batches (labels before their predictions, after them, shuffled; with
// duplicates, unknown ids, null labels, malformed lines, lines split across polls, and
// the label file rotated by rename and by copy-truncate). At checkpoints and at the
// end, the FollowSession's report must equal a static `--labels` run (runPipeline)
// over the same text, number for number.
#include "engine/follow_session.h"
#include "engine/pipeline.h"
#include "report/report.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>

using namespace vigil;

namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kT0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z
constexpr int kBlock = 150;                     // predictions per step
constexpr int kSteps = 24;
constexpr std::int64_t kWindowMs = 10'000;

std::string predictionLine(int i)
{
    std::string id = "\"r" + std::to_string(i) + "\"";
    if (i % 97 == 5)
        id = "null"; // no request id: never labelled
    else if (i % 89 == 3)
        id = "\"r" + std::to_string(i - 1) + "\""; // a duplicate prediction id
    std::string line = "{\"ts\":" + std::to_string(kT0 + i * 40LL) + ",\"request_id\":" + id +
                       ",\"model\":\"m\",\"version\":\"" + (i < kBlock * kSteps / 2 ? "v1" : "v2") +
                       "\",\"latency_ms\":" + std::to_string(3 + i % 17) +
                       ",\"prediction\":" + std::to_string(((i * 37) % 100) / 100.0);
    if (i % 11 == 0)
        line += ",\"label\":" + std::to_string(i % 2); // an inline label the source overrides
    return line + "}\n";
}

std::string labelJson(const std::string& id, std::int64_t ts, const std::string& value)
{
    return "{\"request_id\":\"" + id + "\",\"label\":" + value + ",\"ts\":" + std::to_string(ts) + "}\n";
}

std::string labelCsv(const std::string& id, std::int64_t ts, const std::string& value)
{
    return id + "," + (value == "null" ? std::string() : value) + "," + std::to_string(ts) + "\n";
}

// The label records of prediction block b, in the order a labelling service emits them.
std::vector<std::string> labelLines(int b, bool csv)
{
    auto make = csv ? labelCsv : labelJson;
    std::vector<std::string> out;
    for (int i = b * kBlock; i < (b + 1) * kBlock; ++i) {
        if (i % 7 == 0)
            continue; // never labelled
        const std::int64_t ts = kT0 + i * 40LL + 30'000 + (i % 50) * 100;
        const std::string id = "r" + std::to_string(i);
        out.push_back(make(id, ts, i % 31 == 0 ? "null" : std::to_string((i * 13) % 3 == 0 ? 1 : 0)));
        if (i % 23 == 0) // a corrected verdict, later
            out.push_back(make(id, ts + 5'000, std::to_string((i * 13) % 3 == 0 ? 0 : 1)));
        if (i % 29 == 0) // an older verdict arriving late: ignored
            out.push_back(make(id, ts - 60'000, "1"));
        if (i % 100 == 0) // an id no prediction has
            out.push_back(make("u" + std::to_string(i), ts, "1"));
        if (i % 211 == 0 && !csv)
            out.push_back("{\"request_id\":\"r" + std::to_string(i) +
                          "\",\"label\":1,\"ts\":\n"); // malformed
    }
    return out;
}

class AppendFile
{
  public:
    explicit AppendFile(std::string path) : m_path(std::move(path)) { reopen(); }
    ~AppendFile() { ::close(m_fd); }
    void reopen()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (m_fd < 0)
            qFatal("cannot open %s", m_path.c_str());
    }
    void write(const std::string& text)
    {
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(m_fd, text.data() + done, text.size() - done);
            if (n <= 0)
                qFatal("write failed");
            done += static_cast<std::size_t>(n);
        }
    }
    const std::string& path() const { return m_path; }

  private:
    std::string m_path;
    int m_fd = -1;
};

enum class Order
{
    LabelsAfter,  // labels of block b written 3 steps after it
    LabelsBefore, // labels of block b written 3 steps before it
    Shuffled      // labels of block b at a random step
};

enum class Rotation
{
    None,
    Rename,
    CopyTruncate
};

void writeWhole(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

// The report without what differs by construction: the follow object, warnings, and
// the label source's name (a rotated label file is compared with one whole copy).
std::string comparable(const AnalysisResult& r, bool keepProblems)
{
    AnalysisResult copy = r;
    copy.follow.reset();
    copy.warnings.clear();
    auto log = std::make_shared<LoadedLog>(*r.log);
    if (log->labels) {
        auto labels = std::make_shared<LabelSummary>(*log->labels);
        labels->source.clear();
        if (!keepProblems)
            labels->problems.clear();
        for (Problem& problem : labels->problems)
            problem.path.clear(); // labels.jsonl vs its whole copy; the line numbers must agree
        log->labels = labels;
    }
    copy.log = log;
    return reportToJson(copy);
}

void compareReports(const std::string& a, const std::string& b, const char* what)
{
    if (a != b) {
        std::size_t i = 0;
        while (i < a.size() && i < b.size() && a[i] == b[i])
            ++i;
        const std::size_t from = i > 200 ? i - 200 : 0;
        qWarning("%s: differ at %zu:\nfollow: %s\nstatic: %s", what, i, a.substr(from, 400).c_str(),
                 b.substr(from, 400).c_str());
    }
    QVERIFY2(a == b, what);
}

} // namespace

class TestFollowLabels : public QObject
{
    Q_OBJECT

  private slots:
    void followEqualsStaticJoin_data()
    {
        QTest::addColumn<int>("order");
        QTest::addColumn<int>("rotation");
        QTest::addColumn<bool>("csv");
        QTest::newRow("labels after predictions") << int(Order::LabelsAfter) << int(Rotation::None) << false;
        QTest::newRow("labels before predictions")
            << int(Order::LabelsBefore) << int(Rotation::None) << false;
        QTest::newRow("shuffled, csv labels") << int(Order::Shuffled) << int(Rotation::None) << true;
        QTest::newRow("shuffled, rename rotation") << int(Order::Shuffled) << int(Rotation::Rename) << false;
        QTest::newRow("labels after, copy-truncate")
            << int(Order::LabelsAfter) << int(Rotation::CopyTruncate) << false;
    }

    void followEqualsStaticJoin()
    {
        QFETCH(int, order);
        QFETCH(int, rotation);
        QFETCH(bool, csv);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path root = dir.path().toStdString();
        const std::string predPath = (root / "pred.jsonl").string();
        const std::string labelPath = (root / (csv ? "labels.csv" : "labels.jsonl")).string();
        const std::string wholeLabels = (root / (csv ? "whole.csv" : "whole.jsonl")).string();
        const std::string csvHeader = "request_id,label,ts\n";

        // Which step writes the labels of each block.
        std::vector<std::vector<int>> labelsAt(kSteps);
        std::mt19937 rng(42);
        for (int b = 0; b < kSteps; ++b) {
            int step = b;
            if (Order(order) == Order::LabelsAfter)
                step = std::min(b + 3, kSteps - 1);
            else if (Order(order) == Order::LabelsBefore)
                step = std::max(b - 3, 0);
            else
                step = static_cast<int>(rng() % kSteps);
            labelsAt[static_cast<std::size_t>(step)].push_back(b);
        }

        AppendFile preds(predPath);
        AppendFile labels(labelPath);
        std::string labelText; // every label byte written, in order: the static run's file
        std::string held;      // half a label line, finished by the next step
        auto writeLabels = [&](const std::string& text) {
            labels.write(text);
            labelText += text;
        };
        if (csv)
            writeLabels(csvHeader);

        VigilConfig config;
        config.windowMs = kWindowMs;
        AnalysisOptions options = analysisOptionsFrom(config);
        options.drift.enabled = false;
        FollowSession session({predPath}, loadOptionsFrom(config), options);
        LabelSourceConfig source;
        source.path = labelPath;
        session.followLabels(source);

        int compared = 0;
        std::uint64_t labelRecomputes = 0;
        for (int step = 0; step < kSteps; ++step) {
            if (!held.empty()) {
                writeLabels(held);
                held.clear();
            }
            std::string predText;
            for (int i = step * kBlock; i < (step + 1) * kBlock; ++i)
                predText += predictionLine(i);
            preds.write(predText);
            std::string text;
            for (const int b : labelsAt[static_cast<std::size_t>(step)])
                for (const std::string& l : labelLines(b, csv))
                    text += l;
            // Every fourth step ends mid-line: the half line waits for its newline.
            if (step % 4 == 1 && text.size() > 20) {
                const std::size_t lastStart = text.rfind('\n', text.size() - 2) + 1;
                const std::size_t cut = lastStart + (text.size() - lastStart) / 2;
                held = text.substr(cut);
                text.resize(cut);
            }
            writeLabels(text);

            auto polled = session.poll();
            QVERIFY2(polled, polled ? "" : polled.error().message.c_str());

            if (Rotation(rotation) != Rotation::None && (step == 8 || step == 16)) {
                const std::string rotated = labelPath + (step == 8 ? ".1" : ".2");
                if (Rotation(rotation) == Rotation::Rename) {
                    fs::rename(labelPath, rotated);
                    writeLabels(labelLines(step, csv).front()); // the service has not reopened yet
                    labels.reopen();
                } else {
                    fs::copy_file(labelPath, rotated);
                    QCOMPARE(::truncate(labelPath.c_str(), 0), 0);
                }
                if (csv)
                    writeLabels(csvHeader);
                auto after = session.poll();
                QVERIFY2(after, after ? "" : after.error().message.c_str());
            }

            if (step % 4 != 0 && step != kSteps - 1)
                continue;
            auto live = session.analyze();
            QVERIFY2(live, live ? "" : live.error().message.c_str());
            QVERIFY(live.value()->follow && live.value()->follow->labels);
            labelRecomputes += live.value()->follow->labels->recomputedWindows;
            if (!held.empty() || step == kSteps - 1 || labelText.size() <= csvHeader.size())
                continue; // compared after the final drain; a static run needs a label record
            writeWhole(wholeLabels, labelText);
            VigilConfig staticConfig = config;
            staticConfig.labels = LabelSourceConfig{};
            staticConfig.labels->path = wholeLabels;
            auto ref = runPipeline({predPath}, staticConfig);
            QVERIFY2(ref, ref ? "" : ref.error().message.c_str());
            compareReports(comparable(*live.value(), Rotation(rotation) == Rotation::None),
                           comparable(*ref.value(), Rotation(rotation) == Rotation::None),
                           ("step " + std::to_string(step)).c_str());
            ++compared;
        }
        if (!held.empty())
            writeLabels(held);

        auto drained = session.poll(true);
        QVERIFY2(drained, drained ? "" : drained.error().message.c_str());
        auto live = session.analyze();
        QVERIFY2(live, live ? "" : live.error().message.c_str());
        writeWhole(wholeLabels, labelText);
        VigilConfig staticConfig = config;
        staticConfig.labels = LabelSourceConfig{};
        staticConfig.labels->path = wholeLabels;
        auto ref = runPipeline({predPath}, staticConfig);
        QVERIFY2(ref, ref ? "" : ref.error().message.c_str());
        const bool sameFile = Rotation(rotation) == Rotation::None;
        compareReports(comparable(*live.value(), sameFile), comparable(*ref.value(), sameFile), "final");
        QVERIFY(compared >= 3);

        // The counts, explicitly: every kind of record occurred and was counted once.
        const LabelSummary& got = *live.value()->log->labels;
        const LabelSummary& want = *ref.value()->log->labels;
        QCOMPARE(got.labelsRead, want.labelsRead);
        QCOMPARE(got.matched, want.matched);
        QCOMPARE(got.predictionsLabelled, want.predictionsLabelled);
        QCOMPARE(got.unmatchedLabels, want.unmatchedLabels);
        QCOMPARE(got.duplicateLabels, want.duplicateLabels);
        QCOMPARE(got.nullLabels, want.nullLabels);
        QCOMPARE(got.malformed, want.malformed);
        QCOMPARE(got.lines, want.lines);
        QCOMPARE(got.delayP50Ms, want.delayP50Ms);
        QCOMPARE(got.delayP95Ms, want.delayP95Ms);
        QVERIFY(got.unmatchedLabels >= static_cast<std::uint64_t>(kBlock * kSteps / 100));
        QVERIFY(got.duplicateLabels > 0 && got.nullLabels > 0 && got.inlineLabelsReplaced > 0);
        QVERIFY(csv || got.malformed > 0);
        QCOMPARE(got.source, labelPath);
        const FollowInfo& f = *live.value()->follow;
        QCOMPARE(f.labels->pending, got.unmatchedLabels);
        QVERIFY(!f.labels->partialLinePending);
        QCOMPARE(f.labels->renameRotations, Rotation(rotation) == Rotation::Rename ? 2u : 0u);
        QCOMPARE(f.labels->truncateRotations, Rotation(rotation) == Rotation::CopyTruncate ? 2u : 0u);
        // Labels that arrive after their predictions recompute only the windows they touch.
        if (Order(order) != Order::LabelsBefore)
            QVERIFY(labelRecomputes > 0);
        QVERIFY(f.final);
    }

    // A label batch for one window recomputes that window alone.
    void labelBatchRecomputesOnlyItsWindows()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        AppendFile preds((root / "p.jsonl").string());
        AppendFile labels((root / "l.jsonl").string());
        for (int i = 0; i < 600; ++i) // 60 s per window of 10 s: 24 s of rows, 3 windows
            preds.write("{\"ts\":" + std::to_string(kT0 + i * 40LL) + ",\"request_id\":\"r" +
                        std::to_string(i) + "\",\"prediction\":0.75}\n");
        labels.write(labelJson("r0", kT0 + 60'000, "1"));
        AnalysisOptions options;
        options.windowMs = kWindowMs;
        options.drift.enabled = false;
        FollowSession session({preds.path()}, {}, options);
        LabelSourceConfig source;
        source.path = labels.path();
        session.followLabels(source);
        QVERIFY(session.poll());
        auto first = session.analyze();
        QVERIFY(first);
        QCOMPARE(first.value()->snapshot.windows.size(), 3u);
        QCOMPARE(first.value()->log->labels->predictionsLabelled, 1u);
        // Two labels for rows of the second window (ts 10 s..20 s: rows 250..499).
        labels.write(labelJson("r300", kT0 + 70'000, "0") + labelJson("r301", kT0 + 70'000, "1") +
                     labelJson("r9999", kT0 + 70'000, "1"));
        QVERIFY(session.poll());
        auto second = session.analyze();
        QVERIFY(second);
        const FollowInfo& f = *second.value()->follow;
        QCOMPARE(f.recomputedWindows, 1u);
        QCOMPARE(f.labels->recomputedWindows, 1u);
        QCOMPARE(f.labels->changedRows, 2u);
        QCOMPARE(f.labels->pending, 1u);
        QCOMPARE(second.value()->snapshot.windows[1].labeled, 2u);
        QCOMPARE(second.value()->log->labels->predictionsLabelled, 3u);
        QCOMPARE(second.value()->log->labels->unmatchedLabels, 1u);
        // The prediction of the held label arrives: joined, its (new) window computed.
        preds.write("{\"ts\":" + std::to_string(kT0 + 25'000) +
                    ",\"request_id\":\"r9999\",\"prediction\":0.5}\n");
        QVERIFY(session.poll());
        auto third = session.analyze();
        QVERIFY(third);
        QCOMPARE(third.value()->log->labels->unmatchedLabels, 0u);
        QCOMPARE(third.value()->log->labels->predictionsLabelled, 4u);
        QCOMPARE(third.value()->follow->labels->pending, 0u);
        QCOMPARE(third.value()->follow->recomputedWindows, 1u);
    }

    // Two label files (two labelling services): each record joins wherever it came from;
    // the result equals a static run over their concatenation.
    void twoLabelFiles()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        AppendFile preds((root / "p.jsonl").string());
        AppendFile a((root / "a.jsonl").string());
        AppendFile b((root / "b.jsonl").string());
        std::string textA, textB;
        AnalysisOptions options;
        options.windowMs = kWindowMs;
        options.drift.enabled = false;
        FollowSession session({preds.path()}, {}, options);
        LabelSourceConfig source;
        source.path = a.path();
        session.followLabels(source, {a.path(), b.path()});
        for (int step = 0; step < 6; ++step) {
            std::string p;
            for (int i = step * kBlock; i < (step + 1) * kBlock; ++i)
                p += predictionLine(i);
            preds.write(p);
            // Block step+1 ahead into a, block step-1 behind into b.
            for (const auto& [block, file, text] :
                 {std::tuple{step + 1, &a, &textA}, std::tuple{step - 1, &b, &textB}}) {
                if (block < 0 || block >= 6)
                    continue;
                std::string l;
                for (const std::string& line : labelLines(block, false))
                    l += line;
                file->write(l);
                *text += l;
            }
            QVERIFY(session.poll());
        }
        QVERIFY(session.poll(true));
        auto live = session.analyze();
        QVERIFY2(live, live ? "" : live.error().message.c_str());
        const std::string whole = (root / "whole.jsonl").string();
        writeWhole(whole, textA + textB);
        VigilConfig config;
        config.windowMs = kWindowMs;
        config.labels = LabelSourceConfig{};
        config.labels->path = whole;
        auto ref = runPipeline({preds.path()}, config);
        QVERIFY2(ref, ref ? "" : ref.error().message.c_str());
        AnalysisResult refNoDrift = *ref.value();
        refNoDrift.snapshot.drift.reset();
        refNoDrift.options = live.value()->options;
        compareReports(comparable(*live.value(), false), comparable(refNoDrift, false), "two files");
        QCOMPARE(live.value()->log->labels->source, a.path() + ", " + b.path());
        QCOMPARE(live.value()->follow->labels->lines, live.value()->log->labels->lines);
        QVERIFY(live.value()->log->labels->predictionsLabelled > 0);
    }

    void labelFileWithoutRequestIdIsAnError()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        AppendFile preds((root / "p.jsonl").string());
        AppendFile labels((root / "l.jsonl").string());
        preds.write("{\"ts\":" + std::to_string(kT0) + ",\"request_id\":\"r0\",\"prediction\":0.75}\n");
        labels.write("{\"ts\":" + std::to_string(kT0) + ",\"label\":1}\n");
        FollowSession session({preds.path()}, {}, {});
        LabelSourceConfig source;
        source.path = labels.path();
        session.followLabels(source);
        auto polled = session.poll();
        QVERIFY(!polled);
        QVERIFY2(polled.error().message.find("no request id field") != std::string::npos,
                 polled.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestFollowLabels)
#include "tst_follow_labels.moc"
