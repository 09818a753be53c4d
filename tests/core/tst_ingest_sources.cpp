// loadLogs on compressed and rotated sources: .gz (also multi-member) and .zst read
// as the text they hold, damaged streams, globs and folders in logrotate order.
// Compressed files are written with zlib and libzstd; the expected tables come from
// loading the same text uncompressed.
#include "ingest/load.h"
#include "ingest/load_detail.h"
#include "ingest/log_sources.h"
#include "test_compress.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cmath>

using namespace vigil;
using vigil::test::gzipBytes;
using vigil::test::zstdBytes;

namespace {

constexpr qint64 kStartMs = 1767225600000;

// A JSONL line per row with varied digits, so that the compressed stream is long
// enough to damage in the middle. Row i has ts kStartMs + i * 1000.
QByteArray jsonlRows(int first, int count)
{
    QByteArray out;
    quint32 state = 12345u + static_cast<quint32>(first);
    for (int i = first; i < first + count; ++i) {
        state = state * 1664525u + 1013904223u;
        const double pred = static_cast<double>(state % 100000u) / 100000.0;
        out += "{\"ts\": " + QByteArray::number(kStartMs + qint64(i) * 1000) + ", \"model\": \"m" +
               QByteArray::number(int(state % 3u)) +
               "\", \"latency_ms\": " + QByteArray::number(int((state >> 8) % 500u)) +
               ", \"prediction\": " + QByteArray::number(pred, 'f', 5) +
               ", \"features\": {\"x\": " + QByteArray::number(int(state >> 12)) + "}}\n";
    }
    return out;
}

QByteArray csvRows(int count)
{
    QByteArray out = "ts,model,latency_ms,prediction\n";
    for (int i = 0; i < count; ++i)
        out += QByteArray::number(kStartMs + qint64(i) * 1000) + ",m" + QByteArray::number(i % 3) + "," +
               QByteArray::number(i % 97) + "," + QByteArray::number(i % 10) + "\n";
    return out;
}

// Complete lines that zlib can decode from a damaged or cut gzip stream before it
// stops: decoded here in one go, independently of the loader's streaming.
int linesDecodable(const QByteArray& gz, int upTo)
{
    z_stream z{};
    inflateInit2(&z, 16 + MAX_WBITS);
    QByteArray out(64 << 20, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.constData()));
    z.avail_in = static_cast<uInt>(upTo);
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    inflate(&z, Z_SYNC_FLUSH);
    out.resize(static_cast<int>(z.total_out));
    inflateEnd(&z);
    return static_cast<int>(out.count('\n'));
}

class Files
{
  public:
    std::string write(const QByteArray& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(QString::fromUtf8(name));
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(content);
        return path.toStdString();
    }
    std::string path(const QByteArray& name) const
    {
        return m_dir.filePath(QString::fromUtf8(name)).toStdString();
    }

  private:
    QTemporaryDir m_dir;
};

Result<LoadedLog> load(const std::vector<std::string>& paths, unsigned threads = 1,
                       std::size_t block = ingest::kDefaultBlockBytes)
{
    LoadOptions options;
    options.threads = threads;
    return ingest::loadLogsWithBlockSize(paths, options, block);
}

void compareTables(const LogTable& a, const LogTable& b)
{
    QCOMPARE(a.rows(), b.rows());
    QVERIFY(a.tsMs == b.tsMs);
    QVERIFY(a.model.codes == b.model.codes);
    QVERIFY(a.model.dictionary == b.model.dictionary);
    QVERIFY(a.latencyMs.values == b.latencyMs.values);
    QVERIFY(a.latencyMs.valid == b.latencyMs.valid);
    QVERIFY(a.prediction.values == b.prediction.values);
    QCOMPARE(a.numericFeatures.size(), b.numericFeatures.size());
    for (std::size_t i = 0; i < a.numericFeatures.size(); ++i)
        QVERIFY(a.numericFeatures[i].values == b.numericFeatures[i].values);
}

std::vector<std::string> fileNames(const std::vector<std::string>& paths)
{
    std::vector<std::string> names;
    for (const std::string& p : paths)
        names.push_back(QFileInfo(QString::fromStdString(p)).fileName().toStdString());
    return names;
}

QByteArray compress(const QByteArray& text, const QByteArray& kind)
{
    return kind == "gz" ? gzipBytes(text) : kind == "zst" ? zstdBytes(text) : text;
}

} // namespace

class TestIngestSources : public QObject
{
    Q_OBJECT

  private slots:
    void compressedMatchesPlain_data();
    void compressedMatchesPlain();
    void multiMemberGzip();
    void corruptGzip();
    void corruptZstd();
    void truncatedStream_data();
    void truncatedStream();
    void lineNumbersInCompressed_data();
    void lineNumbersInCompressed();
    void csvInGzip();
    void rotationOrder_data();
    void rotationOrder();
    void folderOrder();
    void globOrder();
    void emptySources();
};

void TestIngestSources::compressedMatchesPlain_data()
{
    QTest::addColumn<QByteArray>("kind");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<uint>("threads");
    QTest::addColumn<qulonglong>("block");
    for (const char* kind : {"gz", "zst"}) {
        const QByteArray k = kind;
        QTest::addRow("%s 1 thread", kind)
            << k << QByteArray("app.jsonl." + k) << 1u << qulonglong(ingest::kDefaultBlockBytes);
        QTest::addRow("%s 2 threads small blocks", kind)
            << k << QByteArray("app.jsonl." + k) << 2u << qulonglong(4096);
        QTest::addRow("%s 1 thread tiny blocks", kind)
            << k << QByteArray("app.jsonl." + k) << 1u << qulonglong(300);
        // No telling extension: the magic bytes say compressed, the content says JSONL.
        QTest::addRow("%s by magic bytes", kind) << k << QByteArray("app.data") << 2u << qulonglong(4096);
    }
}

void TestIngestSources::compressedMatchesPlain()
{
    QFETCH(QByteArray, kind);
    QFETCH(QByteArray, name);
    QFETCH(uint, threads);
    QFETCH(qulonglong, block);
    Files files;
    const QByteArray text = jsonlRows(0, 3000);
    const auto plain = load({files.write("app.jsonl", text)});
    QVERIFY(plain.ok());
    const QByteArray packed = compress(text, kind);
    const std::string path = files.write(name, packed);
    const auto packedLoad = load({path}, threads, block);
    QVERIFY2(packedLoad.ok(), packedLoad.ok() ? "" : packedLoad.error().message.c_str());
    QCOMPARE(packedLoad->table.rows(), std::size_t(3000));
    compareTables(plain->table, packedLoad->table);
    QCOMPARE(packedLoad->lines, plain->lines);
    QCOMPARE(packedLoad->malformed, std::uint64_t(0));
    QVERIFY(packedLoad->problems.empty());
    // bytes counts what was read from disk: the compressed size.
    QCOMPARE(packedLoad->bytes, std::uint64_t(packed.size()));
    QVERIFY(packedLoad->bytes < plain->bytes);
}

void TestIngestSources::multiMemberGzip()
{
    Files files;
    const QByteArray a = jsonlRows(0, 500);
    const QByteArray b = jsonlRows(500, 700);
    const QByteArray c = jsonlRows(1200, 10);
    const auto plain = load({files.write("all.jsonl", a + b + c)});
    QVERIFY(plain.ok());
    // `cat a.gz b.gz c.gz`: three members, read as one text.
    const auto multi =
        load({files.write("all.jsonl.gz", gzipBytes(a) + gzipBytes(b) + gzipBytes(c))}, 2, 2048);
    QVERIFY2(multi.ok(), multi.ok() ? "" : multi.error().message.c_str());
    QCOMPARE(multi->table.rows(), std::size_t(1210));
    compareTables(plain->table, multi->table);
    QVERIFY(multi->problems.empty());
}

void TestIngestSources::corruptGzip()
{
    Files files;
    const int total = 20000;
    const QByteArray text = jsonlRows(0, total);
    QByteArray gz = gzipBytes(text);
    const int damageAt = gz.size() / 2;
    for (int i = damageAt; i < damageAt + 64; ++i)
        gz[i] = static_cast<char>(~gz[i]);
    const std::string bad = files.write("bad.jsonl.gz", gz);
    const std::string good = files.write("good.jsonl", jsonlRows(total, 10));
    // The intact prefix decodes to at least this many whole lines.
    const int intactLines = linesDecodable(gz, damageAt);
    QVERIFY(intactLines > 0);

    for (unsigned threads : {1u, 2u}) {
        const auto result = load({bad, good}, threads, 8192);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        const LoadedLog& log = result.value();
        std::vector<Problem> damage;
        for (const Problem& p : log.problems) {
            if (p.error.find("corrupt gzip data after line ") != std::string::npos)
                damage.push_back(p);
        }
        QCOMPARE(damage.size(), std::size_t(1));
        const Problem& p = damage.front();
        QCOMPARE(p.path, bad);
        const std::string expectedText = "corrupt gzip data after line " + std::to_string(p.line - 1) + ": ";
        QVERIFY2(p.error.rfind(expectedText, 0) == 0, p.error.c_str());
        QVERIFY(p.error.size() > expectedText.size()); // zlib's message follows
        // zlib may decode garbage for a while before it notices (a flipped bit
        // still makes valid Huffman codes; the CRC is checked at the member end),
        // so the damage is reported at or after the intact prefix.
        QVERIFY(p.line - 1 >= std::uint64_t(intactLines));
        // Rows kept from the damaged file: all whole lines of the intact prefix at
        // least, never more than the lines read; the next file is read in full.
        std::size_t fromBad = 0;
        for (qint64 ts : log.table.tsMs)
            fromBad += ts < kStartMs + qint64(total) * 1000 ? 1 : 0;
        // Exactly the whole lines of the intact prefix: the garbage decoded after
        // it does not parse as rows.
        QCOMPARE(fromBad, std::size_t(intactLines));
        QVERIFY(fromBad < std::size_t(total));
        QVERIFY(fromBad <= p.line - 1);
        // The kept rows are the file's first rows, in order.
        for (std::size_t i = 0; i < std::size_t(intactLines); ++i)
            QCOMPARE(log.table.tsMs[i], kStartMs + qint64(i) * 1000);
        QCOMPARE(log.table.rows() - fromBad, std::size_t(10));
        QVERIFY(log.malformed >= 1);
        QCOMPARE(log.paths, (std::vector<std::string>{bad, good}));
    }
}

void TestIngestSources::corruptZstd()
{
    Files files;
    const int total = 20000;
    QByteArray zst = zstdBytes(jsonlRows(0, total));
    const int damageAt = zst.size() / 2;
    for (int i = damageAt; i < damageAt + 64; ++i)
        zst[i] = static_cast<char>(~zst[i]);
    const std::string bad = files.write("bad.jsonl.zst", zst);
    const std::string good = files.write("good.jsonl", jsonlRows(total, 10));
    const auto result = load({bad, good}, 2, 8192);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    const LoadedLog& log = result.value();
    const Problem& p = log.problems.back(); // the file's damage comes after its bad lines
    QCOMPARE(p.path, bad);
    const std::string expectedText = "corrupt zstd data after line " + std::to_string(p.line - 1) + ": ";
    QVERIFY2(p.error.rfind(expectedText, 0) == 0, p.error.c_str());
    QVERIFY(p.error.size() > expectedText.size());
    std::size_t fromBad = 0;
    for (qint64 ts : log.table.tsMs)
        fromBad += ts < kStartMs + qint64(total) * 1000 ? 1 : 0;
    QVERIFY(fromBad > 0);
    QVERIFY(fromBad < std::size_t(total));
    QVERIFY(fromBad <= p.line - 1);
    QCOMPARE(log.table.rows() - fromBad, std::size_t(10));
    for (std::size_t i = 0; i < fromBad / 2; ++i)
        QCOMPARE(log.table.tsMs[i], kStartMs + qint64(i) * 1000);
}

void TestIngestSources::truncatedStream_data()
{
    QTest::addColumn<QByteArray>("kind");
    QTest::addColumn<double>("keep");
    QTest::newRow("gz 60%") << QByteArray("gz") << 0.6;
    QTest::newRow("gz header only") << QByteArray("gz") << 0.0001;
    QTest::newRow("zst 60%") << QByteArray("zst") << 0.6;
    QTest::newRow("zst 30%") << QByteArray("zst") << 0.3;
    QTest::newRow("gz 99.9%") << QByteArray("gz") << 0.999;
    QTest::newRow("zst 99.9%") << QByteArray("zst") << 0.999;
    QTest::newRow("zst magic only") << QByteArray("zst") << 0.0;
}

void TestIngestSources::truncatedStream()
{
    QFETCH(QByteArray, kind);
    QFETCH(double, keep);
    Files files;
    const int total = 20000;
    const QByteArray packed = compress(jsonlRows(0, total), kind);
    const int cut = std::max(4, static_cast<int>(packed.size() * keep));
    const QByteArray truncated = packed.left(cut);
    const std::string path = files.write("cut.jsonl." + kind, truncated);
    const std::string other = files.write("next.jsonl", jsonlRows(total, 5));
    const auto result = load({path, other}, 2, 8192);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    const LoadedLog& log = result.value();
    QCOMPARE(log.problems.size(), std::size_t(1));
    const Problem& p = log.problems.front();
    QCOMPARE(p.path, path);
    const std::uint64_t read = p.line - 1;
    const std::string expected = std::string("corrupt ") + (kind == "gz" ? "gzip" : "zstd") +
                                 " data after line " + std::to_string(read) + ": unexpected end of file";
    QCOMPARE(QString::fromStdString(p.error), QString::fromStdString(expected));
    QCOMPARE(log.malformed, std::uint64_t(1));
    // A cut stream decodes to good text only: every whole line read is a row.
    QCOMPARE(log.table.rows(), std::size_t(read + 5));
    QVERIFY(read < std::uint64_t(total));
    if (kind == "gz")
        QCOMPARE(read, std::uint64_t(linesDecodable(truncated, truncated.size())));
    else
        QCOMPARE(read > 0, keep > 0.1);
    for (std::size_t i = 0; i < read; ++i)
        QCOMPARE(log.table.tsMs[i], kStartMs + qint64(i) * 1000);
}

void TestIngestSources::lineNumbersInCompressed_data()
{
    QTest::addColumn<QByteArray>("kind");
    QTest::addColumn<uint>("threads");
    QTest::addColumn<qulonglong>("block");
    for (const char* kind : {"gz", "zst"}) {
        QTest::addRow("%s one block", kind)
            << QByteArray(kind) << 1u << qulonglong(ingest::kDefaultBlockBytes);
        QTest::addRow("%s many blocks", kind) << QByteArray(kind) << 2u << qulonglong(1000);
    }
}

void TestIngestSources::lineNumbersInCompressed()
{
    QFETCH(QByteArray, kind);
    QFETCH(uint, threads);
    QFETCH(qulonglong, block);
    Files files;
    QByteArray text = jsonlRows(0, 4);               // lines 1-4
    text += "{not json\n";                           // line 5
    text += jsonlRows(4, 100);                       // lines 6-105
    text += "\n";                                    // line 106, blank
    text += "{\"ts\": \"abc\", \"model\": \"m\"}\n"; // line 107
    text += jsonlRows(104, 50);
    const auto result = load({files.write("lines.jsonl." + kind, compress(text, kind))}, threads, block);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    QCOMPARE(result->malformed, std::uint64_t(2));
    QCOMPARE(result->problems.size(), std::size_t(2));
    QCOMPARE(result->problems[0].line, std::uint64_t(5));
    QCOMPARE(result->problems[1].line, std::uint64_t(107));
    QCOMPARE(result->table.rows(), std::size_t(154));
}

void TestIngestSources::csvInGzip()
{
    Files files;
    const QByteArray text = csvRows(2000);
    const auto plain = load({files.write("t.csv", text)});
    QVERIFY(plain.ok());
    for (const char* name : {"t.csv.gz", "t.gz"}) {
        const auto gz = load({files.write(name, gzipBytes(text))}, 2, 777);
        QVERIFY2(gz.ok(), gz.ok() ? "" : gz.error().message.c_str());
        QCOMPARE(gz->table.rows(), std::size_t(2000));
        compareTables(plain->table, gz->table);
    }
    const auto zst = load({files.write("t.csv.zst", zstdBytes(text))}, 1, 500);
    QVERIFY(zst.ok());
    compareTables(plain->table, zst->table);
}

void TestIngestSources::rotationOrder_data()
{
    QTest::addColumn<QByteArrayList>("given");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::newRow("numbered") << QByteArrayList{"app.log", "app.log.1", "app.log.10", "app.log.2.gz"}
                              << QByteArrayList{"app.log.10", "app.log.2.gz", "app.log.1", "app.log"};
    QTest::newRow("dated dash") << QByteArrayList{"app.jsonl", "app-2026-01-03.jsonl.zst",
                                                  "app-2026-01-02.jsonl"}
                                << QByteArrayList{"app-2026-01-02.jsonl", "app-2026-01-03.jsonl.zst",
                                                  "app.jsonl"};
    QTest::newRow("dateext") << QByteArrayList{"app.log", "app.log-20260110.gz", "app.log-20251231"}
                             << QByteArrayList{"app.log-20251231", "app.log-20260110.gz", "app.log"};
    QTest::newRow("two logs") << QByteArrayList{"b.log.1", "a.log", "b.log", "a.log.1"}
                              << QByteArrayList{"a.log.1", "a.log", "b.log.1", "b.log"};
    QTest::newRow("plain names") << QByteArrayList{"c.jsonl", "a.jsonl", "b.csv"}
                                 << QByteArrayList{"a.jsonl", "b.csv", "c.jsonl"};
}

void TestIngestSources::rotationOrder()
{
    QFETCH(QByteArrayList, given);
    QFETCH(QByteArrayList, expected);
    std::vector<std::string> paths;
    for (const QByteArray& g : given)
        paths.push_back("/logs/" + g.toStdString());
    ingest::sortRotated(paths);
    std::vector<std::string> want;
    for (const QByteArray& e : expected)
        want.push_back("/logs/" + e.toStdString());
    QCOMPARE(paths, want);
}

void TestIngestSources::folderOrder()
{
    Files files;
    // Oldest data in the highest number / earliest date; each file holds the next rows.
    files.write("logs/app.log.2.gz", gzipBytes(jsonlRows(0, 10)));
    files.write("logs/app.log.1", jsonlRows(10, 10));
    files.write("logs/app.log", jsonlRows(20, 10));
    files.write("logs/svc-2026-01-02.jsonl", jsonlRows(30, 10));
    files.write("logs/svc-2026-01-03.jsonl.zst", zstdBytes(jsonlRows(40, 10)));
    files.write("logs/svc.jsonl", jsonlRows(50, 10));
    files.write("logs/.hidden.jsonl", jsonlRows(1000, 10));
    files.write("logs/notes.txt", "not a log\n");
    files.write("logs/sub/deeper.jsonl", jsonlRows(2000, 10));
    const auto result = load({files.path("logs")}, 2);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    QCOMPARE(fileNames(result->paths),
             (std::vector<std::string>{"app.log.2.gz", "app.log.1", "app.log", "svc-2026-01-02.jsonl",
                                       "svc-2026-01-03.jsonl.zst", "svc.jsonl"}));
    QCOMPARE(result->table.rows(), std::size_t(60));
    for (std::size_t i = 0; i < 60; ++i)
        QCOMPARE(result->table.tsMs[i], kStartMs + qint64(i) * 1000);
    QVERIFY(result->problems.empty());
}

void TestIngestSources::globOrder()
{
    Files files;
    files.write("g/app.log.2.gz", gzipBytes(jsonlRows(0, 5)));
    files.write("g/app.log.1", jsonlRows(5, 5));
    files.write("g/app.log", jsonlRows(10, 5));
    files.write("g/other.jsonl", jsonlRows(100, 5));
    const auto result = load({files.path("g/app.log*")});
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    QCOMPARE(fileNames(result->paths), (std::vector<std::string>{"app.log.2.gz", "app.log.1", "app.log"}));
    QCOMPARE(result->table.rows(), std::size_t(15));
    QVERIFY(std::is_sorted(result->table.tsMs.begin(), result->table.tsMs.end()));

    // `?` and `[` patterns, mixed with a plain path that keeps its place.
    const auto mixed = load({files.path("g/other.jsonl"), files.path("g/app.log.[12]*")});
    QVERIFY(mixed.ok());
    QCOMPARE(fileNames(mixed->paths), (std::vector<std::string>{"other.jsonl", "app.log.2.gz", "app.log.1"}));
    const auto single = load({files.path("g/app.lo?")});
    QVERIFY(single.ok());
    QCOMPARE(fileNames(single->paths), (std::vector<std::string>{"app.log"}));
}

void TestIngestSources::emptySources()
{
    Files files;
    files.write("some/x.jsonl", jsonlRows(0, 3));
    const std::string pattern = files.path("some/*.csv");
    const auto noMatch = load({pattern});
    QVERIFY(!noMatch.ok());
    QCOMPARE(noMatch.error().message, pattern + ": no file matches");

    QVERIFY(QDir().mkpath(QString::fromStdString(files.path("empty"))));
    files.write("onlyjunk/readme.txt", "hello\n");
    for (const char* dir : {"empty", "onlyjunk"}) {
        const std::string path = files.path(dir);
        const auto result = load({path});
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message, path + ": no log files in the folder");
    }
    // A pattern in a list with good files still fails: nothing is read silently short.
    const auto partly = load({files.path("some/x.jsonl"), pattern});
    QVERIFY(!partly.ok());
}

QTEST_GUILESS_MAIN(TestIngestSources)
#include "tst_ingest_sources.moc"
