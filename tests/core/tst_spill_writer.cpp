// The spill writer thread (docs/MEMORY.md): chunks written while merging goes on reach the
// spill file complete and in order, whatever the budget, and a write error (here the file
// size limit, RLIMIT_FSIZE, a real EFBIG from pwrite) stops the load with its message instead
// of being lost on the writer thread.
#include "ingest/load.h"
#include "ingest/load_detail.h"
#include "ingest/spill_store.h"
#include "ingest/spill_writer.h"
#include "ingest/table_merge.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstring>
#include <random>
#include <string>
#include <sys/resource.h>

using namespace vigil;

namespace {

LogTable layout()
{
    LogTable t;
    t.numericFeatures.resize(2);
    t.categoricalFeatures.resize(1);
    t.kpis.resize(1);
    return t;
}

// A parsed block as the loader hands it over: its own dictionaries, so that merging remaps.
LogTable block(std::uint64_t firstRow, std::size_t rows, std::mt19937_64& rng)
{
    LogTable t = layout();
    const std::vector<std::string> words = {"a", "b", "c", "d"};
    const std::size_t shift = rng() % words.size();
    for (std::size_t k = 0; k < words.size(); ++k)
        t.categoricalFeatures[0].dictionary.push_back(words[(k + shift) % words.size()]);
    t.model.dictionary = {"m"};
    t.version.dictionary = {shift % 2 ? "v2" : "v1"};
    for (std::size_t i = 0; i < rows; ++i) {
        const std::uint64_t row = firstRow + i;
        t.tsMs.push_back(static_cast<std::int64_t>(row) * 1000 - static_cast<std::int64_t>(rng() % 5000));
        t.model.codes.push_back(row % 11 == 0 ? CategoricalColumn::kNull : 0);
        t.version.codes.push_back(0);
        row % 7 == 0 ? t.latencyMs.pushNull() : t.latencyMs.push(static_cast<double>(row));
        t.status.push_back(static_cast<RowStatus>(row % 3));
        t.prediction.push(static_cast<double>(row % 100) / 100.0);
        row % 4 == 0 ? t.label.pushNull() : t.label.push(static_cast<double>(row % 2));
        t.numericFeatures[0].push(static_cast<double>(row) * 0.5);
        row % 5 == 0 ? t.numericFeatures[1].pushNull() : t.numericFeatures[1].push(-static_cast<double>(row));
        t.categoricalFeatures[0].codes.push_back(row % 13 == 0 ? CategoricalColumn::kNull
                                                               : static_cast<std::uint32_t>(rng() % 4));
        t.kpis[0].push(static_cast<double>(row % 17));
        row % 9 == 0 ? t.requestId.pushNull() : t.requestId.push("req-" + std::to_string(row));
    }
    return t;
}

std::vector<std::string> arraysOf(const LogTable& t)
{
    std::vector<std::string> out;
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
    return out;
}

// Sets the file size limit for the test's length (and ignores SIGXFSZ, which would kill it).
class FileSizeLimit
{
  public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &m_saved);
        m_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = m_saved;
        limit.rlim_cur = bytes;
        m_ok = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_handler);
    }
    bool ok() const { return m_ok; }

  private:
    rlimit m_saved{};
    void (*m_handler)(int) = nullptr;
    bool m_ok = false;
};

} // namespace

class TestSpillWriter : public QObject
{
    Q_OBJECT

  private slots:
    void chunksCompleteAndInOrder_data()
    {
        QTest::addColumn<quint64>("budget");
        QTest::addColumn<int>("blockRows");
        QTest::newRow("a chunk every block") << quint64(1) << 300;
        QTest::newRow("small budget") << quint64(40'000) << 250;
        QTest::newRow("chunks of many blocks") << quint64(400'000) << 100;
        QTest::newRow("one spill at the end") << quint64(2'000'000) << 997;
    }

    // Merged with a spill and read back chunk by chunk, the rows are exactly those merged
    // without one: a chunk lost, written twice, out of order or torn by the hand-over fails.
    void chunksCompleteAndInOrder()
    {
        QFETCH(quint64, budget);
        QFETCH(int, blockRows);
        QTemporaryDir dir;
        std::mt19937_64 rng(budget);
        std::vector<LogTable> blocks;
        std::uint64_t rows = 0;
        for (int b = 0; b < 40; ++b) {
            blocks.push_back(block(rows, static_cast<std::size_t>(blockRows + b), rng));
            rows += blockRows + b;
        }
        LogTable expected = layout();
        ingest::TableMerger plain(expected);
        for (const LogTable& b : blocks)
            plain.append(LogTable(b));

        LogTable target = layout();
        ingest::TableMerger merger(target);
        merger.spillTo(dir.path().toStdString(), budget);
        for (LogTable& b : blocks) {
            merger.append(std::move(b));
            QVERIFY(!merger.spillError());
        }
        QVERIFY(merger.finishSpill());
        const auto store = merger.spillStore();
        QVERIFY(store);
        QCOMPARE(target.rows(), std::size_t{0});
        QCOMPARE(target.categoricalFeatures[0].dictionary, expected.categoricalFeatures[0].dictionary);
        QCOMPARE(target.version.dictionary, expected.version.dictionary);
        QCOMPARE(store->rows(), rows);
        QVERIFY(store->chunks().size() >= (budget == 1 ? 40u : 2u));
        LogTable back = layout();
        std::uint64_t next = 0;
        for (std::size_t c = 0; c < store->chunks().size(); ++c) {
            QCOMPARE(store->chunks()[c].firstRow, next);
            next += store->chunks()[c].rows;
            std::vector<std::uint32_t> all(store->chunks()[c].rows);
            for (std::size_t r = 0; r < all.size(); ++r)
                all[r] = static_cast<std::uint32_t>(r);
            QVERIFY(!store->gather(c, all, back));
        }
        const auto a = arraysOf(back);
        const auto e = arraysOf(expected);
        QCOMPARE(a.size(), e.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(a[i] == e[i], qPrintable(QStringLiteral("array %1 differs").arg(i)));
    }

    // A merger dropped with a chunk still being written (a load that failed or was
    // cancelled) waits for it and leaves nothing behind.
    void droppedWhileWriting()
    {
        QTemporaryDir dir;
        std::mt19937_64 rng(3);
        LogTable target = layout();
        {
            ingest::TableMerger merger(target);
            merger.spillTo(dir.path().toStdString(), 1);
            for (int b = 0; b < 20; ++b)
                merger.append(block(static_cast<std::uint64_t>(b) * 5000, 5000, rng));
        }
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    // The writer thread's error reaches the merging thread: at a later hand-over or at the end.
    void writeErrorReported()
    {
        QTemporaryDir dir;
        std::mt19937_64 rng(5);
        LogTable target = layout();
        ingest::TableMerger merger(target);
        merger.spillTo(dir.path().toStdString(), 10'000);
        const FileSizeLimit limit(64 * 1024);
        QVERIFY(limit.ok());
        bool failed = false;
        for (int b = 0; b < 60 && !failed; ++b) {
            merger.append(block(static_cast<std::uint64_t>(b) * 200, 200, rng));
            failed = merger.spillError().has_value();
        }
        if (!failed)
            QVERIFY(!merger.finishSpill());
        QVERIFY(merger.spillError());
        QVERIFY2(merger.spillError()->message.find("writing the spill file failed") != std::string::npos,
                 merger.spillError()->message.c_str());
        QVERIFY2(merger.spillError()->message.find(std::strerror(EFBIG)) != std::string::npos,
                 merger.spillError()->message.c_str());
    }

    // End to end: the parallel loader stops with the write error (not a crash, not a hang,
    // not a report missing rows).
    void loadStopsOnWriteError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("log.jsonl"));
        {
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            for (int i = 0; i < 20'000; ++i)
                out.write(
                    QStringLiteral("{\"timestamp\": %1, \"prediction\": 0.%2, \"x\": %3, \"request_id\": "
                                   "\"r%4\"}\n")
                        .arg(1'767'225'600'000LL + i * 1000LL)
                        .arg(i % 10)
                        .arg(i * 0.25)
                        .arg(i)
                        .toUtf8());
        }
        LoadOptions load;
        load.memoryBudgetBytes = 32 * 1024;
        load.spillDir = dir.path().toStdString();
        load.threads = 2;
        {
            const FileSizeLimit limit(100 * 1024);
            QVERIFY(limit.ok());
            auto loaded = ingest::loadLogsWithBlockSize({path.toStdString()}, load, 64u << 10, {}, {});
            QVERIFY(!loaded);
            QVERIFY2(loaded.error().message.find("writing the spill file failed") != std::string::npos,
                     loaded.error().message.c_str());
        }
        // Without the limit the same load spills and keeps every row.
        auto loaded = ingest::loadLogsWithBlockSize({path.toStdString()}, load, 64u << 10, {}, {});
        QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
        QVERIFY(loaded->spill);
        QCOMPARE(loaded->spill->rows(), std::uint64_t{20'000});
    }
};

QTEST_GUILESS_MAIN(TestSpillWriter)
#include "tst_spill_writer.moc"
