// LogSnapshots: the immutable copies of a followed log that results hold. A real log
// grows on disk and is read by LiveLog; every snapshot must stay exactly as it was
// published while more rows (and new category values) arrive, and a recycled copy
// must equal the live table after only the new rows were appended to it.
#include "engine/log_snapshots.h"
#include "ingest/live_log.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>

using namespace vigil;

namespace {

bool sameBits(const std::vector<double>& a, const std::vector<double>& b)
{
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

bool sameColumn(const NumericColumn& a, const NumericColumn& b)
{
    return a.name == b.name && sameBits(a.values, b.values) && a.valid == b.valid;
}

bool sameColumn(const CategoricalColumn& a, const CategoricalColumn& b)
{
    return a.name == b.name && a.codes == b.codes && a.dictionary == b.dictionary;
}

template <typename C> bool sameColumns(const std::vector<C>& a, const std::vector<C>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!sameColumn(a[i], b[i]))
            return false;
    return true;
}

// Column by column, bit for bit (NaN included).
bool sameTable(const LogTable& a, const LogTable& b)
{
    return a.tsMs == b.tsMs && sameColumn(a.model, b.model) && sameColumn(a.version, b.version) &&
           sameColumn(a.latencyMs, b.latencyMs) && a.status == b.status &&
           sameColumn(a.prediction, b.prediction) && sameColumn(a.label, b.label) &&
           sameColumns(a.numericFeatures, b.numericFeatures) &&
           sameColumns(a.categoricalFeatures, b.categoricalFeatures) && sameColumns(a.kpis, b.kpis) &&
           a.requestId.name == b.requestId.name && a.requestId.bytes == b.requestId.bytes &&
           a.requestId.ends == b.requestId.ends && a.requestId.valid == b.requestId.valid;
}

// Rows from..to; the country and version take new values as the log grows, so the
// dictionaries grow too; some latencies are null, some labels missing.
std::string lines(int from, int to)
{
    std::string out;
    for (int i = from; i < to; ++i) {
        const std::string country = "C" + std::to_string(i / 40);
        const std::string version = "v" + std::to_string(i / 100);
        const std::string latency = i % 17 == 0 ? "null" : std::to_string(10.0 + (i % 23) * 0.5);
        const std::string label = i % 5 == 0 ? "" : ",\"label\":" + std::to_string(i % 3 == 0 ? 1 : 0);
        out += "{\"ts\":" + std::to_string(1'767'225'600'000LL + i * 1000LL) + ",\"request_id\":\"r" +
               std::to_string(i) + "\",\"model\":\"m\",\"version\":\"" + version +
               "\",\"latency_ms\":" + latency + ",\"status\":\"" + (i % 29 == 0 ? "error" : "ok") +
               "\",\"prediction\":" + std::to_string((i % 100) / 100.0) + label +
               ",\"features\":{\"amount\":" + std::to_string(i * 1.5) + ",\"country\":\"" + country +
               "\"},\"kpi\":{\"revenue\":" + std::to_string(i % 7) + "}}\n";
    }
    return out;
}

class Writer
{
  public:
    explicit Writer(const std::string& path)
        : m_fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644))
    {
    }
    ~Writer()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool write(const std::string& text) const
    {
        return m_fd >= 0 && ::write(m_fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    }

  private:
    int m_fd;
};

} // namespace

class TstLogSnapshots : public QObject
{
    Q_OBJECT

  private slots:
    void snapshotsStayAsPublished_data()
    {
        QTest::addColumn<int>("steps");
        QTest::addColumn<int>("rowsPerStep");
        QTest::addRow("few large steps") << 4 << 700;
        QTest::addRow("many small steps") << 40 << 13;
    }

    // Holds every snapshot (the views may keep several) and checks all of them after
    // each publish against deep copies taken when they were published.
    void snapshotsStayAsPublished()
    {
        QFETCH(int, steps);
        QFETCH(int, rowsPerStep);
        QTemporaryDir dir;
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / "live.jsonl").string();
        Writer writer(path);
        ingest::LiveLog live({path}, {});
        LogSnapshots snapshots;
        std::vector<std::shared_ptr<const LoadedLog>> held;
        std::vector<LoadedLog> expected;
        int rows = 0;
        for (int step = 0; step < steps; ++step) {
            QVERIFY(writer.write(lines(rows, rows + rowsPerStep)));
            rows += rowsPerStep;
            auto polled = live.poll();
            QVERIFY2(polled, polled ? "" : polled.error().message.c_str());
            QVERIFY(live.ready());
            held.push_back(snapshots.publish(live.log()));
            expected.push_back(live.log());
            QCOMPARE(held.back()->table.rows(), static_cast<std::size_t>(rows));
            for (std::size_t i = 0; i < held.size(); ++i)
                QVERIFY2(sameTable(held[i]->table, expected[i].table), qPrintable(QString::number(i)));
        }
        // Everything held: nothing could be recycled.
        QCOMPARE(snapshots.fullCopies(), static_cast<std::size_t>(steps));
        QVERIFY(live.log().table.categoricalFeatures.front().dictionary.size() > 2);
    }

    // The GUI's pattern: the views hold the newest snapshot and let the previous one go.
    void releasedCopiesAreRecycled()
    {
        QTemporaryDir dir;
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / "live.jsonl").string();
        Writer writer(path);
        ingest::LiveLog live({path}, {});
        LogSnapshots snapshots;
        std::shared_ptr<const LoadedLog> shown;
        int rows = 0;
        int addedBefore = 0;
        for (int step = 0; step < 30; ++step) {
            const int added = 10 + step;
            QVERIFY(writer.write(lines(rows, rows + added)));
            rows += added;
            QVERIFY(live.poll());
            auto next = snapshots.publish(live.log());
            QVERIFY(next != shown);
            QVERIFY(sameTable(next->table, live.log().table));
            QCOMPARE(next->lines, live.log().lines);
            // One copy shown, the other free since the publish before: it gets the rows of
            // the last two steps, not all of them.
            if (step >= 2)
                QCOMPARE(snapshots.lastCopiedRows(), static_cast<std::size_t>(added + addedBefore));
            addedBefore = added;
            shown = std::move(next);
        }
        QCOMPARE(snapshots.fullCopies(), 2u);

        // Rows changed in place (late labels): the next publish copies in full.
        snapshots.invalidate();
        auto full = snapshots.publish(live.log());
        QCOMPARE(snapshots.lastCopiedRows(), static_cast<std::size_t>(rows));
        QCOMPARE(snapshots.fullCopies(), 3u);
        QVERIFY(sameTable(full->table, live.log().table));
    }

    // A snapshot read on another thread while the publisher keeps going, and one that
    // outlives the LogSnapshots that made it (ASan checks the lifetimes).
    void snapshotsOutliveThePublisher()
    {
        QTemporaryDir dir;
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / "live.jsonl").string();
        Writer writer(path);
        ingest::LiveLog live({path}, {});
        std::shared_ptr<const LoadedLog> kept;
        LoadedLog expected;
        {
            LogSnapshots snapshots;
            QVERIFY(writer.write(lines(0, 300)));
            QVERIFY(live.poll());
            kept = snapshots.publish(live.log());
            expected = live.log();
            std::atomic<bool> sawData{false};
            std::jthread reader([kept, &sawData] {
                double sum = 0.0;
                for (int pass = 0; pass < 50; ++pass)
                    for (double v : kept->table.prediction.values)
                        sum += v;
                sawData = sum > 0.0;
            });
            for (int step = 0; step < 20; ++step) {
                QVERIFY(writer.write(lines(300 + step * 10, 310 + step * 10)));
                QVERIFY(live.poll());
                auto other = snapshots.publish(live.log());
                QVERIFY(other != kept);
            }
            reader.join();
            QVERIFY(sawData);
        }
        QVERIFY(sameTable(kept->table, expected.table));
    }

    // Late labels are joined into rows already read: a recycled copy gets the new labels,
    // a held snapshot keeps the old ones.
    void labelsJoinedInPlaceReachRecycledCopies()
    {
        QTemporaryDir dir;
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / "live.jsonl").string();
        Writer writer(path);
        ingest::LiveLog live({path}, {});
        LogSnapshots snapshots;
        QVERIFY(writer.write(lines(0, 200)));
        QVERIFY(live.poll());
        auto first = snapshots.publish(live.log());
        auto second = snapshots.publish(live.log()); // `first` held: a second copy
        const LoadedLog before = live.log();
        second.reset(); // free for recycling
        NumericColumn& label = live.tableForJoin().label;
        QCOMPARE(label.size(), 200u);
        for (std::size_t r = 0; r < 200; r += 5) { // the rows without a label get one
            QVERIFY(!label.valid[r]);
            label.values[r] = 1.0;
            label.valid[r] = 1;
        }
        snapshots.labelsChanged();
        QVERIFY(writer.write(lines(200, 230)));
        QVERIFY(live.poll());
        auto third = snapshots.publish(live.log());
        QCOMPARE(snapshots.fullCopies(), 2u); // recycled, not copied whole
        QVERIFY(sameTable(third->table, live.log().table));
        QVERIFY(sameTable(first->table, before.table)); // held: the old labels
    }

    void catchUpRefusesWhatIsNotAPrefix()
    {
        LogTable copy;
        LogTable live;
        live.tsMs = {1, 2, 3};
        copy.tsMs = {1, 2, 3, 4};
        QVERIFY(!catchUp(copy, live));
        LogTable fewer;
        fewer.tsMs = {1};
        fewer.kpis.push_back(NumericColumn{"a", {1.0}, {1}});
        QVERIFY(!catchUp(fewer, live)); // a KPI column the live table does not have
        LogTable prefix;
        prefix.tsMs = {1};
        QVERIFY(catchUp(prefix, live));
        QCOMPARE(prefix.tsMs, live.tsMs);
    }
};

QTEST_GUILESS_MAIN(TstLogSnapshots)
#include "tst_log_snapshots.moc"
