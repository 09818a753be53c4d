// loadLogs on hand-made files: timestamp units, malformed lines, CSV quoting,
// multiple files, block boundaries and threads. Expected timestamps were computed
// with Python's datetime ((t - epoch) // timedelta(milliseconds=1)).
#include "ingest/load.h"
#include "ingest/load_detail.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>
#include <filesystem>

using namespace vigil;

namespace {

class Files
{
  public:
    std::string write(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(content);
        return path.toStdString();
    }
    std::string path(const QString& name) const { return m_dir.filePath(name).toStdString(); }

  private:
    QTemporaryDir m_dir;
};

Result<LoadedLog> load(const std::vector<std::string>& paths, unsigned threads = 1,
                       std::size_t block = ingest::kDefaultBlockBytes, LoadOptions options = {})
{
    options.threads = threads;
    return ingest::loadLogsWithBlockSize(paths, options, block);
}

std::string dataFile(const char* name)
{
    return std::string(VIGIL_TEST_DATA_DIR "/ingest/") + name;
}

std::string decode(const CategoricalColumn& c, std::size_t row)
{
    return c.codes[row] == CategoricalColumn::kNull ? std::string("<null>") : c.dictionary[c.codes[row]];
}

// Two loads are the same table when every decoded value matches.
void compareTables(const LogTable& a, const LogTable& b)
{
    QCOMPARE(a.rows(), b.rows());
    QVERIFY(a.tsMs == b.tsMs);
    QVERIFY(a.status == b.status);
    auto sameNumeric = [](const NumericColumn& x, const NumericColumn& y) {
        if (x.valid != y.valid || x.name != y.name)
            return false;
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (x.valid[i] &&
                !(x.values[i] == y.values[i] || (std::isnan(x.values[i]) && std::isnan(y.values[i]))))
                return false;
        }
        return true;
    };
    QVERIFY(sameNumeric(a.latencyMs, b.latencyMs));
    QVERIFY(sameNumeric(a.prediction, b.prediction));
    QVERIFY(sameNumeric(a.label, b.label));
    QCOMPARE(a.numericFeatures.size(), b.numericFeatures.size());
    for (std::size_t i = 0; i < a.numericFeatures.size(); ++i)
        QVERIFY(sameNumeric(a.numericFeatures[i], b.numericFeatures[i]));
    for (std::size_t i = 0; i < a.kpis.size(); ++i)
        QVERIFY(sameNumeric(a.kpis[i], b.kpis[i]));
    std::vector<std::pair<const CategoricalColumn*, const CategoricalColumn*>> cats{{&a.model, &b.model},
                                                                                    {&a.version, &b.version}};
    QCOMPARE(a.categoricalFeatures.size(), b.categoricalFeatures.size());
    for (std::size_t i = 0; i < a.categoricalFeatures.size(); ++i)
        cats.emplace_back(&a.categoricalFeatures[i], &b.categoricalFeatures[i]);
    for (const auto& [x, y] : cats) {
        for (std::size_t r = 0; r < a.rows(); ++r)
            QCOMPARE(decode(*x, r), decode(*y, r));
        // Dictionaries hold each value once.
        std::vector<std::string> sorted = x->dictionary;
        std::sort(sorted.begin(), sorted.end());
        QVERIFY(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    }
}

} // namespace

class TestIngestLoad : public QObject
{
    Q_OBJECT

  private slots:
    void timestampUnits_data();
    void timestampUnits();
    void malformedLines_data();
    void malformedLines();
    void veryLongLine_data();
    void veryLongLine();
    void nulAtEveryOffset();
    void wideRowsSampleBeyondFirstMebibyte();
    void errors();
    void emptyFiles();
    void multiFile();
    void crlf();
    void quotedCsv();
    void csvUnterminatedQuote_data();
    void csvUnterminatedQuote();
    void nullVersusNaN();
    void keyOrderChanges_data();
    void keyOrderChanges();
    void parallelBlocksMatchSingleThread_data();
    void parallelBlocksMatchSingleThread();
    void statusValues_data();
    void statusValues();
    void classLabels();
    void overrides();
    void problemCap();
    void progressAndCancel();
    void requestIdsLeftOut();
};

void TestIngestLoad::timestampUnits_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expectedMs");
    QTest::addColumn<QString>("unit");
    QTest::newRow("epoch s int") << QByteArray("1767225600") << qint64(1767225600000) << "s";
    QTest::newRow("epoch s float") << QByteArray("1767225600.25") << qint64(1767225600250) << "s";
    QTest::newRow("epoch ms") << QByteArray("1767225600123") << qint64(1767225600123) << "ms";
    QTest::newRow("epoch us") << QByteArray("1767225600123456") << qint64(1767225600123) << "us";
    QTest::newRow("epoch ns") << QByteArray("1767225600123456789") << qint64(1767225600123) << "ns";
    QTest::newRow("ms as text") << QByteArray("\"1767225600123\"") << qint64(1767225600123) << "ms";
    QTest::newRow("iso Z") << QByteArray("\"2026-01-01T00:00:00Z\"") << qint64(1767225600000) << "iso8601";
    QTest::newRow("iso +02:00") << QByteArray("\"2026-01-01T02:00:00+02:00\"") << qint64(1767225600000)
                                << "iso8601";
    QTest::newRow("iso fraction +05:30")
        << QByteArray("\"2026-01-01T05:30:00.250+05:30\"") << qint64(1767225600250) << "iso8601";
    QTest::newRow("iso -05:30") << QByteArray("\"2025-12-31T18:30:00.5-05:30\"") << qint64(1767225600500)
                                << "iso8601";
    QTest::newRow("iso space, us") << QByteArray("\"2026-01-01 00:00:00.123456Z\"") << qint64(1767225600123)
                                   << "iso8601";
    QTest::newRow("iso no zone = UTC")
        << QByteArray("\"2026-01-01T00:00:00\"") << qint64(1767225600000) << "iso8601";
    QTest::newRow("iso before 1970") << QByteArray("\"1969-12-31T23:59:59.999Z\"") << qint64(-1) << "iso8601";
    QTest::newRow("iso leap day") << QByteArray("\"2024-02-29T12:00:00Z\"") << qint64(1709208000000)
                                  << "iso8601";
}

void TestIngestLoad::timestampUnits()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expectedMs);
    QFETCH(QString, unit);
    Files files;
    const auto path =
        files.write(QStringLiteral("t.jsonl"), "{\"ts\": " + value + ", \"prediction\": 0.5}\n");
    const auto result = load({path});
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    QCOMPARE(result->table.rows(), std::size_t(1));
    QCOMPARE(qint64(result->table.tsMs[0]), expectedMs);
    QCOMPARE(QString::fromUtf8(toString(result->schema.mapping.timestampUnit)), unit);

    // The same in CSV (text cells).
    QByteArray cell = value;
    cell.replace('"', "");
    const auto csv = files.write(QStringLiteral("t.csv"), "ts,prediction\n" + cell + ",0.5\n");
    const auto csvResult = load({csv});
    QVERIFY(csvResult.ok());
    QCOMPARE(qint64(csvResult->table.tsMs[0]), expectedMs);
}

void TestIngestLoad::malformedLines_data()
{
    QTest::addColumn<unsigned>("threads");
    QTest::addColumn<qulonglong>("block");
    QTest::newRow("1 thread, one block") << 1u << qulonglong(ingest::kDefaultBlockBytes);
    QTest::newRow("4 threads, 64-byte blocks") << 4u << qulonglong(64);
    QTest::newRow("3 threads, 1000-byte blocks") << 3u << qulonglong(1000);
}

void TestIngestLoad::malformedLines()
{
    QFETCH(unsigned, threads);
    QFETCH(qulonglong, block);
    QByteArray text;
    auto good = [](int i) -> QByteArray {
        return "{\"ts\": " + QByteArray::number(1767225600000LL + i) +
               ", \"model\": \"m\", \"prediction\": 0.5}\n";
    };
    text += good(1);                                                          // 1
    text += "{\"ts\": 1767225600001, \"model\": \n";                          // 2 bad JSON
    text += "[1, 2, 3]\n";                                                    // 3 not an object
    text += "{\"ts\": \"abc\", \"prediction\": 0.1}\n";                       // 4 bad timestamp
    text += "\n   \n";                                                        // 5, 6 blank
    text += QByteArray("{\"ts\": 1767225600002, \"x\": \"a\0b\"}\n", 34);     // 7 NUL byte
    text += "{\"prediction\": 0.2}\n";                                        // 8 no timestamp
    text += "{\"ts\": null, \"prediction\": 0.2}\n";                          // 9 null timestamp
    text += QByteArray(2 * 1024 * 1024, 'x') + "\n";                          // 10 too long
    text += "\x01\x02\xff\xfe binary\n";                                      // 11 junk
    text += "{\"ts\": 1767225600003} trailing\n";                             // 12 trailing content
    text += good(2);                                                          // 13
    text += "{\"ts\": 1767225600004, \"model\": \"m\", \"prediction\": 0.7}"; // 14, no newline
    Files files;
    const auto path = files.write(QStringLiteral("bad.jsonl"), text);
    LoadOptions options;
    const auto result = load({path}, threads, block);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    const LoadedLog& log = result.value();
    QCOMPARE(log.table.rows(), std::size_t(3));
    QCOMPARE(log.table.tsMs, (std::vector<std::int64_t>{1767225600001, 1767225600002, 1767225600004}));
    QCOMPARE(log.malformed, std::uint64_t(9));
    QCOMPARE(log.lines, std::uint64_t(12));
    QCOMPARE(log.problems.size(), std::size_t(9));
    const std::vector<std::uint64_t> lines{2, 3, 4, 7, 8, 9, 10, 11, 12};
    for (std::size_t i = 0; i < lines.size(); ++i) {
        QCOMPARE(log.problems[i].line, lines[i]);
        QCOMPARE(log.problems[i].path, path);
        QVERIFY(!log.problems[i].error.empty());
    }
    QVERIFY(log.problems[0].error.starts_with("invalid JSON"));
    QCOMPARE(log.problems[1].error, std::string("not a JSON object"));
    QCOMPARE(log.problems[2].error, std::string("bad timestamp 'abc' in field 'ts'"));
    QCOMPARE(log.problems[3].error, std::string("binary data (NUL byte) in line"));
    QCOMPARE(log.problems[4].error, std::string("missing timestamp field 'ts'"));
    QCOMPARE(log.problems[5].error, std::string("null timestamp in field 'ts'"));
    QCOMPARE(log.problems[6].error, std::string("line too long (2097152 bytes)"));
}

// The line splitter finds newlines and NUL bytes in one pass, 16 bytes at a time: a NUL at
// any offset of a 16-byte step, lines ending on and around step boundaries, a NUL right
// after a newline, and a last line without newline must all count as they did before.
void TestIngestLoad::nulAtEveryOffset()
{
    QByteArray text;
    std::vector<std::uint64_t> nulLines;
    std::vector<std::int64_t> goodTs;
    std::uint64_t line = 1;
    for (int k = 0; k < 48; ++k) {
        const std::int64_t ts = 1767225600000LL + k;
        // A good line whose length walks through every remainder mod 16.
        text += "{\"ts\": " + QByteArray::number(ts) + ", \"p\": \"" + QByteArray(k, 'a') + "\"}\n";
        goodTs.push_back(ts);
        ++line;
        QByteArray bad = "{\"ts\": " + QByteArray::number(ts) + ", \"p\": \"" + QByteArray(k, 'b');
        bad += '\0';
        bad += "\"}\n";
        if (k % 7 == 0)
            bad = QByteArray(1, '\0') + "{\"ts\": 1}\n"; // NUL as the line's first byte
        text += bad;
        nulLines.push_back(line++);
    }
    text += "{\"ts\": 1767225601000, \"p\": \"z\"}"; // no final newline
    goodTs.push_back(1767225601000LL);
    Files files;
    const auto path = files.write(QStringLiteral("nul.jsonl"), text);
    for (const std::size_t block : {std::size_t{64}, std::size_t{100}, ingest::kDefaultBlockBytes}) {
        const auto result = load({path}, 2, block);
        QVERIFY(result.ok());
        QCOMPARE(result->table.tsMs, goodTs);
        QCOMPARE(result->lines, std::uint64_t(97));
        QCOMPARE(result->problems.size(), nulLines.size());
        for (std::size_t i = 0; i < nulLines.size(); ++i) {
            QCOMPARE(result->problems[i].line, nulLines[i]);
            QCOMPARE(result->problems[i].error, std::string("binary data (NUL byte) in line"));
        }
    }
}

// Schema inference reads the file's first megabyte first and more only when that holds
// fewer than the sampled rows: with 2 KB rows, a field that first appears in row 900 (past
// 1 MiB) must still be found, and one that first appears after the sample must not.
void TestIngestLoad::wideRowsSampleBeyondFirstMebibyte()
{
    QByteArray text;
    const QByteArray pad(2000, 'p');
    for (int i = 0; i < 1500; ++i) {
        text += "{\"ts\": " + QByteArray::number(1767225600000LL + i) + ", \"pad\": \"" + pad + "\"";
        if (i >= 900)
            text += ", \"late\": " + QByteArray::number(0.5 * (i % 7));
        if (i >= 1200)
            text += ", \"after_sample\": " + QByteArray::number(i % 3);
        text += ", \"prediction\": 0.5}\n";
    }
    Files files;
    const auto path = files.write(QStringLiteral("wide.jsonl"), text);
    const auto result = load({path}, 2);
    QVERIFY(result.ok());
    const auto& features = result->schema.mapping.numericFeatures;
    QVERIFY2(std::find(features.begin(), features.end(), "late") != features.end(), "row 900's field missed");
    QVERIFY(std::find(features.begin(), features.end(), "after_sample") == features.end());
    QCOMPARE(result->table.rows(), std::size_t(1500));
}

void TestIngestLoad::veryLongLine_data()
{
    QTest::addColumn<qulonglong>("block");
    QTest::newRow("line inside one block") << qulonglong(ingest::kDefaultBlockBytes);
    QTest::newRow("line across many blocks") << qulonglong(1 << 16);
}

void TestIngestLoad::veryLongLine()
{
    QFETCH(qulonglong, block);
    QByteArray text;
    for (int i = 0; i < 11; ++i)
        text += "{\"ts\": " + QByteArray::number(1767225600000LL + i) + ", \"prediction\": 0.5}\n";
    text += "{\"ts\": 1, \"blob\": \"" + QByteArray(10485760 - 21, 'a') + "\"}\n"; // 10 MiB line 12
    text += "{\"ts\": 1767225600100, \"prediction\": 0.5}\n";
    Files files;
    const auto path = files.write(QStringLiteral("long.jsonl"), text);
    const auto result = load({path}, 2, block);
    QVERIFY(result.ok());
    QCOMPARE(result->table.rows(), std::size_t(12));
    QCOMPARE(result->problems.size(), std::size_t(1));
    QCOMPARE(result->problems[0].line, std::uint64_t(12));
    QCOMPARE(result->problems[0].error, std::string("line too long (10485760 bytes)"));
}

void TestIngestLoad::errors()
{
    Files files;
    const auto missing = load({files.path(QStringLiteral("nope.jsonl"))});
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.find("nope.jsonl: no such file") != std::string::npos);

    // A folder means the log files in it (tst_ingest_sources); one without any is an error.
    const auto emptyDir = files.path(QStringLiteral("nologs"));
    std::filesystem::create_directory(emptyDir);
    const auto dir = load({emptyDir});
    QVERIFY(!dir.ok());
    QCOMPARE(dir.error().message, emptyDir + ": no log files in the folder");

    const auto empty = files.write(QStringLiteral("empty.jsonl"), "");
    const auto emptyResult = load({empty});
    QVERIFY(!emptyResult.ok());
    QCOMPARE(emptyResult.error().message, empty + ": empty file");

    const auto blank = files.write(QStringLiteral("blank.jsonl"), "\n\n  \n");
    QVERIFY(!load({blank}).ok());

    const auto garbage = files.write(QStringLiteral("garbage.jsonl"), "nope\n{bad\n");
    const auto garbageResult = load({garbage});
    QVERIFY(!garbageResult.ok());
    QVERIFY(garbageResult.error().message.find("no usable rows") != std::string::npos);
    QVERIFY(garbageResult.error().message.find(garbage) != std::string::npos);
    QVERIFY(garbageResult.error().message.find('\n') == std::string::npos);

    // No timestamp at all is an error naming the fields seen.
    const auto noTs = files.write(QStringLiteral("nots.jsonl"), "{\"a\": 1}\n");
    const auto noTsResult = load({noTs});
    QVERIFY(!noTsResult.ok());
    QVERIFY(noTsResult.error().message.find("timestamp") != std::string::npos);
}

void TestIngestLoad::emptyFiles()
{
    Files files;
    const auto empty = files.write(QStringLiteral("a.jsonl"), "");
    const auto headerOnly = files.write(QStringLiteral("b.csv"), "ts,prediction\n");
    const auto result = load({empty, dataFile("default.jsonl"), headerOnly});
    QVERIFY(result.ok());
    QCOMPARE(result->table.rows(), std::size_t(40));
    QCOMPARE(result->problems.size(), std::size_t(2));
    QCOMPARE(result->problems[0].path, empty);
    QCOMPARE(result->problems[0].line, std::uint64_t(0));
    QCOMPARE(result->problems[0].error, std::string("empty file"));
    QCOMPARE(result->problems[1].path, headerOnly);
    QCOMPARE(result->malformed, std::uint64_t(0));

    const auto allEmpty = load({empty, files.write(QStringLiteral("c.jsonl"), "\n")});
    QVERIFY(!allEmpty.ok());
    QVERIFY(allEmpty.error().message.ends_with(": empty file"));
}

void TestIngestLoad::multiFile()
{
    const auto one = load({dataFile("default.jsonl")});
    const auto both = load({dataFile("default.jsonl"), dataFile("default.csv")}, 2);
    QVERIFY(both.ok());
    QCOMPARE(both->table.rows(), std::size_t(80));
    QCOMPARE(both->paths.size(), std::size_t(2));
    QCOMPARE(both->lines, std::uint64_t(80));
    // The CSV holds the same records, so the second half repeats the first.
    for (std::size_t i = 0; i < 40; ++i) {
        QCOMPARE(both->table.tsMs[i + 40], both->table.tsMs[i]);
        QCOMPARE(decode(both->table.model, i + 40), decode(both->table.model, i));
        QCOMPARE(both->table.numericFeatures[0].values[i + 40], both->table.numericFeatures[0].values[i]);
        QCOMPARE(decode(both->table.categoricalFeatures[0], i + 40),
                 decode(both->table.categoricalFeatures[0], i));
    }
    QCOMPARE(both->table.model.dictionary.size(), one->table.model.dictionary.size());
}

void TestIngestLoad::crlf()
{
    Files files;
    for (const char* name : {"default.jsonl", "default.csv"}) {
        QFile in(QString::fromStdString(dataFile(name)));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray text = in.readAll();
        text.replace("\n", "\r\n");
        const auto path = files.write(QStringLiteral("crlf_") + QString::fromUtf8(name), text);
        const auto plain = load({dataFile(name)});
        const auto windows = load({path}, 2, 300);
        QVERIFY(windows.ok());
        QCOMPARE(windows->malformed, std::uint64_t(0));
        compareTables(windows->table, plain->table);
    }
}

void TestIngestLoad::quotedCsv()
{
    const QByteArray text = "ts,model,note,prediction,features.city\n"                 // 1
                            "1767225600000,m,\"a, b\",0.5,\"Berlin\"\n"                // 2
                            "1767225601000,m,\"say \"\"hi\"\"\",0.6,Paris\n"           // 3
                            "1767225602000,\"m\",\"two\nlines\",0.7,\"New\r\nYork\"\n" // 4-6
                            "1767225603000,m,only,three\n"                             // 7: 4 fields
                            "1767225604000,m,\"x\"y,0.1,Rome\n"                        // 8: junk after quote
                            "1767225605000,m,,,\n";                                    // 9: nulls
    Files files;
    const auto path = files.write(QStringLiteral("q.csv"), text);
    for (std::size_t block : {std::size_t(ingest::kDefaultBlockBytes), std::size_t(16)}) {
        const auto result = load({path}, 2, block);
        QVERIFY(result.ok());
        const LoadedLog& log = result.value();
        QCOMPARE(log.table.rows(), std::size_t(4));
        QCOMPARE(log.malformed, std::uint64_t(2));
        QCOMPARE(log.problems[0].line, std::uint64_t(7));
        QCOMPARE(log.problems[0].error, std::string("expected 5 fields, found 4"));
        QCOMPARE(log.problems[1].line, std::uint64_t(8));
        const CategoricalColumn& city = log.table.categoricalFeatures.at(0);
        QCOMPARE(decode(city, 0), std::string("Berlin"));
        QCOMPARE(decode(city, 2), std::string("New\r\nYork"));
        QCOMPARE(decode(city, 3), std::string("<null>"));
        QCOMPARE(log.table.prediction.values[1], 0.6);
        QCOMPARE(log.table.prediction.valid[3], std::uint8_t(0));
        QCOMPARE(log.table.tsMs[2], std::int64_t(1767225602000));
    }
    // The free-text column is distinct on every row, so it is not a feature.
    const auto result = load({path});
    for (const FieldInfo& f : result->schema.fields) {
        if (f.path == "note")
            QCOMPARE(f.role, FieldRole::Ignored);
    }
}

void TestIngestLoad::csvUnterminatedQuote_data()
{
    QTest::addColumn<int>("filler"); // rows after the stray quote
    QTest::addColumn<qulonglong>("block");
    QTest::newRow("short file, one block") << 5 << qulonglong(ingest::kDefaultBlockBytes);
    QTest::newRow("short file, small blocks") << 5 << qulonglong(64);
    QTest::newRow("over 1 MiB, one block") << 60000 << qulonglong(ingest::kDefaultBlockBytes);
    QTest::newRow("over 1 MiB, 256 KiB blocks") << 60000 << qulonglong(256 * 1024);
}

void TestIngestLoad::csvUnterminatedQuote()
{
    QFETCH(int, filler);
    QFETCH(qulonglong, block);
    QByteArray text = "ts,note,prediction\n1767225600000,fine,0.5\n1767225600001,\"oops,0.5\n";
    for (int i = 0; i < filler; ++i)
        text += QByteArray::number(1767225601000LL + i) + ",row,0.25\n";
    Files files;
    const auto result = load({files.write(QStringLiteral("u.csv"), text)}, 2, block);
    QVERIFY(result.ok());
    // Only line 3 is lost: reading resumes on the next physical line.
    QCOMPARE(result->malformed, std::uint64_t(1));
    QCOMPARE(result->problems.at(0).line, std::uint64_t(3));
    QCOMPARE(result->problems.at(0).error.substr(0, 25), std::string("unterminated quoted field"));
    QCOMPARE(result->table.rows(), std::size_t(1 + filler));
    QCOMPARE(result->table.tsMs.back(), std::int64_t(1767225601000LL + filler - 1));
}

void TestIngestLoad::nullVersusNaN()
{
    LoadOptions options;
    options.sampleRows = 3; // keep row 4's "abc" out of inference: features.y is numeric
    const auto result = load({dataFile("nan_null.jsonl")}, 1, ingest::kDefaultBlockBytes, options);
    QVERIFY(result.ok());
    const LogTable& t = result->table;
    const NumericColumn& x = t.numericFeatures.at(0);
    const NumericColumn& y = t.numericFeatures.at(1);
    QCOMPARE(x.name, std::string("x"));
    QCOMPARE(y.name, std::string("y"));
    // x: NaN token, null, 2.0, missing
    QCOMPARE(x.valid, (std::vector<std::uint8_t>{1, 0, 1, 0}));
    QVERIFY(std::isnan(x.values[0]));
    QCOMPARE(x.values[2], 2.0);
    // y: 1.0, -Infinity token, "NaN" string, "abc" (not a number: null + warning)
    QCOMPARE(y.valid, (std::vector<std::uint8_t>{1, 1, 1, 0}));
    QVERIFY(std::isinf(y.values[1]) && y.values[1] < 0);
    QVERIFY(std::isnan(y.values[2]));
    const NumericColumn& loss = t.kpis.at(0);
    QCOMPARE(loss.name, std::string("loss"));
    QCOMPARE(loss.valid, (std::vector<std::uint8_t>{1, 0, 1, 1}));
    QVERIFY(std::isinf(loss.values[0]) && loss.values[0] > 0);
    QVERIFY(std::isinf(loss.values[3]) && loss.values[3] < 0);
    QCOMPARE(t.prediction.valid, (std::vector<std::uint8_t>{1, 1, 0, 1}));
    QCOMPARE(t.label.valid, (std::vector<std::uint8_t>{1, 1, 0, 0}));
    QCOMPARE(result->malformed, std::uint64_t(0));
    const bool warned = std::any_of(result.warnings.begin(), result.warnings.end(), [](const std::string& w) {
        return w.find("1 values of 'features.y' are not numbers") != std::string::npos;
    });
    QVERIFY(warned);

    // CSV: empty cell is null, "NaN"/"inf" texts are values.
    Files files;
    const auto csv =
        files.write(QStringLiteral("n.csv"), "ts,features.v\n1,NaN\n2,\n3,-inf\n4,Infinity\n5,1.5\n");
    const auto c = load({csv});
    QVERIFY(c.ok());
    const NumericColumn& v = c->table.numericFeatures.at(0);
    QCOMPARE(v.valid, (std::vector<std::uint8_t>{1, 0, 1, 1, 1}));
    QVERIFY(std::isnan(v.values[0]));
    QVERIFY(std::isinf(v.values[2]) && v.values[2] < 0);
    QVERIFY(std::isinf(v.values[3]) && v.values[3] > 0);
}

// The parser expects each row's keys in the previous row's order; rows that change the
// order, add unknown keys or skip keys must still put every value in its own column.
void TestIngestLoad::keyOrderChanges_data()
{
    QTest::addColumn<QByteArray>("orders"); // per row, cycled: the keys of the row in order
    QTest::newRow("same order") << QByteArray("ts x y f p");
    QTest::newRow("alternating") << QByteArray("ts x y f p;p f y x ts");
    QTest::newRow("rotating") << QByteArray("ts x y f p;x y f p ts;y f p ts x;f p ts x y");
    QTest::newRow("unknown keys between") << QByteArray("ts u1 x y f p;ts x u2 y u1 f p u3");
    QTest::newRow("keys missing") << QByteArray("ts x y f p;ts f p;ts y x p f;ts p");
    QTest::newRow("nested reversed") << QByteArray("ts x y f p;ts x y F p");
}

void TestIngestLoad::keyOrderChanges()
{
    QFETCH(QByteArray, orders);
    // Row i: x = 1.5 i, y = -i, f.a = 10 i, f.b = "c<i mod 3>", p = i / 100; "F" is f with
    // its keys reversed; u1..u3 are unknown keys (a number, an object, a string).
    constexpr int kRows = 60;
    const QList<QByteArray> rowOrders = orders.split(';');
    QByteArray text;
    std::vector<bool> hasX, hasY, hasF, hasP;
    for (int i = 0; i < kRows; ++i) {
        const QList<QByteArray> keys = rowOrders[i % rowOrders.size()].split(' ');
        std::string line;
        for (const QByteArray& k : keys) {
            line += line.empty() ? "{" : ", ";
            if (k == "ts")
                line += "\"ts\": " + std::to_string(1700000000000LL + i * 1000LL);
            else if (k == "x")
                line += "\"x\": " + QByteArray::number(1.5 * i).toStdString();
            else if (k == "y")
                line += "\"y\": " + std::to_string(-i);
            else if (k == "f")
                line += "\"f\": {\"a\": " + std::to_string(10 * i) + ", \"b\": \"c" + std::to_string(i % 3) +
                        "\"}";
            else if (k == "F")
                line += "\"f\": {\"b\": \"c" + std::to_string(i % 3) +
                        "\", \"a\": " + std::to_string(10 * i) + "}";
            else if (k == "p")
                line += "\"p\": " + QByteArray::number(i / 100.0, 'g', 17).toStdString();
            else if (k == "u1")
                line += "\"u1\": 7";
            else if (k == "u2")
                line += "\"u2\": {\"x\": 99, \"a\": 98}";
            else
                line += "\"u3\": \"x\"";
        }
        text += QByteArray::fromStdString(line + "}\n");
        hasX.push_back(keys.contains("x"));
        hasY.push_back(keys.contains("y"));
        hasF.push_back(keys.contains("f") || keys.contains("F"));
        hasP.push_back(keys.contains("p"));
    }
    Files files;
    const auto path = files.write(QStringLiteral("order.jsonl"), text);
    LoadOptions options;
    options.overrides.timestamp = "ts";
    options.overrides.prediction = "p";
    options.overrides.numericFeatures = std::vector<std::string>{"x", "y", "f.a"};
    options.overrides.categoricalFeatures = std::vector<std::string>{"f.b"};
    const auto result = load({path}, 1, ingest::kDefaultBlockBytes, options);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    const LogTable& t = result->table;
    QCOMPARE(t.rows(), std::size_t(kRows));
    QCOMPARE(result->malformed, std::uint64_t(0));
    QCOMPARE(t.numericFeatures.size(), std::size_t(3));
    for (int i = 0; i < kRows; ++i) {
        const auto r = static_cast<std::size_t>(i);
        QCOMPARE(t.tsMs[r], 1700000000000LL + i * 1000LL);
        QCOMPARE(bool(t.numericFeatures[0].valid[r]), bool(hasX[r]));
        if (hasX[r])
            QCOMPARE(t.numericFeatures[0].values[r], 1.5 * i);
        QCOMPARE(bool(t.numericFeatures[1].valid[r]), bool(hasY[r]));
        if (hasY[r])
            QCOMPARE(t.numericFeatures[1].values[r], double(-i));
        QCOMPARE(bool(t.numericFeatures[2].valid[r]), bool(hasF[r]));
        if (hasF[r]) {
            QCOMPARE(t.numericFeatures[2].values[r], 10.0 * i);
            QCOMPARE(decode(t.categoricalFeatures.at(0), r), "c" + std::to_string(i % 3));
        } else {
            QCOMPARE(decode(t.categoricalFeatures.at(0), r), std::string("<null>"));
        }
        QCOMPARE(bool(t.prediction.valid[r]), bool(hasP[r]));
        if (hasP[r])
            QCOMPARE(t.prediction.values[r], i / 100.0);
    }
}

void TestIngestLoad::parallelBlocksMatchSingleThread_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<unsigned>("threads");
    QTest::addColumn<qulonglong>("block");
    for (const char* f :
         {"default.jsonl", "default.csv", "iso_score.jsonl", "classes.csv", "regression.jsonl"}) {
        QTest::addRow("%s 4x200", f) << QString::fromUtf8(f) << 4u << qulonglong(200);
        QTest::addRow("%s 3x37", f) << QString::fromUtf8(f) << 3u << qulonglong(37);
        QTest::addRow("%s 1x500", f) << QString::fromUtf8(f) << 1u << qulonglong(500);
    }
}

void TestIngestLoad::parallelBlocksMatchSingleThread()
{
    QFETCH(QString, file);
    QFETCH(unsigned, threads);
    QFETCH(qulonglong, block);
    const std::string path = dataFile(file.toUtf8().constData());
    const auto reference = load({path}, 1);
    const auto parallel = load({path}, threads, block);
    QVERIFY(reference.ok() && parallel.ok());
    compareTables(parallel->table, reference->table);
    QCOMPARE(parallel->lines, reference->lines);
}

void TestIngestLoad::statusValues_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("values");
    QTest::addColumn<QString>("expected"); // o = ok, e = error, u = unknown
    QTest::newRow("status text") << QByteArray("status")
                                 << QByteArray("\"ok\",\"OK\",\"success\",\"failed\",null,\"\"") << "oooeue";
    QTest::newRow("http codes") << QByteArray("http_status") << QByteArray("200,201,302,404,500,\"503\"")
                                << "oooeee";
    QTest::newRow("success bool") << QByteArray("success") << QByteArray("true,false,null,\"true\",1,0")
                                  << "oeuooe";
    QTest::newRow("error bool") << QByteArray("error") << QByteArray("true,false,null,\"timeout\",0,\"\"")
                                << "eooeoo";
    QTest::newRow("error code") << QByteArray("error_code") << QByteArray("0,1,42,null,\"0\",\"E1\"")
                                << "oeeooe";
}

void TestIngestLoad::statusValues()
{
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, values);
    QFETCH(QString, expected);
    QByteArray text;
    const QList<QByteArray> list = values.split(',');
    for (int i = 0; i < list.size(); ++i)
        text +=
            "{\"ts\": " + QByteArray::number(1767225600000LL + i) + ", \"" + field + "\": " + list[i] + "}\n";
    Files files;
    const auto result = load({files.write(QStringLiteral("s.jsonl"), text)});
    QVERIFY(result.ok());
    QCOMPARE(result->schema.mapping.status, field.toStdString());
    QString got;
    for (RowStatus s : result->table.status)
        got += s == RowStatus::Ok      ? QLatin1Char('o')
               : s == RowStatus::Error ? QLatin1Char('e')
                                       : QLatin1Char('u');
    QCOMPARE(got, expected);
}

void TestIngestLoad::classLabels()
{
    Files files;
    // Booleans: positive class "1" matches true.
    const auto bools =
        files.write(QStringLiteral("b.jsonl"), "{\"ts\": 1, \"prediction\": true, \"label\": false}\n"
                                               "{\"ts\": 2, \"prediction\": false, \"label\": true}\n"
                                               "{\"ts\": 3, \"prediction\": true, \"label\": null}\n");
    const auto b = load({bools});
    QVERIFY(b.ok());
    QCOMPARE(b->schema.mapping.predictionKind, PredictionKind::ClassLabel);
    QCOMPARE(b->table.prediction.values, (std::vector<double>{1, 0, 1}));
    QCOMPARE(b->table.label.valid, (std::vector<std::uint8_t>{1, 1, 0}));
    QCOMPARE(b->table.label.values[1], 1.0);
    // Integers with integer labels are classes; "yes"/"no" strings pick "yes".
    const auto ints = files.write(QStringLiteral("i.jsonl"), "{\"ts\": 1, \"pred\": 2, \"label\": 2}\n"
                                                             "{\"ts\": 2, \"pred\": 1, \"label\": 0}\n");
    const auto i = load({ints});
    QCOMPARE(i->schema.mapping.predictionKind, PredictionKind::ClassLabel);
    QCOMPARE(i->table.prediction.values, (std::vector<double>{0, 1}));
    const auto c = load({dataFile("classes.csv")});
    QCOMPARE(c->schema.mapping.positiveClass, std::string("yes"));
    QCOMPARE(c->table.prediction.values[0], 0.0); // "no"
    QCOMPARE(c->table.label.values[0], 1.0);      // "yes"
}

void TestIngestLoad::overrides()
{
    LoadOptions options;
    options.overrides.latency = "";                   // no latency in this log
    options.overrides.prediction = "features.amount"; // any field can be the prediction
    options.overrides.predictionKind = PredictionKind::Regression;
    options.overrides.categoricalFeatures = std::vector<std::string>{"model"};
    options.overrides.timestampUnit = TimestampUnit::Millis;
    const auto result = load({dataFile("default.jsonl")}, 2, 500, options);
    QVERIFY(result.ok());
    const InferredSchema& s = result->schema;
    QVERIFY(s.mapping.latency.empty());
    QCOMPARE(result->table.latencyMs.valid[0], std::uint8_t(0));
    QCOMPARE(s.mapping.prediction, std::string("features.amount"));
    QCOMPARE(s.mapping.predictionKind, PredictionKind::Regression);
    QCOMPARE(result->table.prediction.values[0], 15.08);
    for (const FieldInfo& f : s.fields) {
        if (f.path == "latency_ms") {
            QCOMPARE(f.role, FieldRole::Ignored);
            QCOMPARE(f.reason, std::string("disabled by config"));
        }
        if (f.path == "features.amount") {
            QCOMPARE(f.role, FieldRole::Prediction);
            QCOMPARE(f.reason, std::string("set by config"));
        }
        if (f.path == "features.country")
            QCOMPARE(f.role, FieldRole::Ignored); // not in the configured list
    }
    QCOMPARE(s.mapping.numericFeatures.size(), std::size_t(0)); // amount moved to prediction
    QCOMPARE(result->table.categoricalFeatures.size(), std::size_t(1));
    QCOMPARE(decode(result->table.categoricalFeatures[0], 1), std::string("churn"));
}

void TestIngestLoad::problemCap()
{
    QByteArray text;
    for (int i = 0; i < 50; ++i)
        text += "{\"ts\": " + QByteArray::number(1767225600000LL + i) + "}\nbad\n";
    Files files;
    LoadOptions options;
    options.maxListedProblems = 7;
    const auto result = load({files.write(QStringLiteral("p.jsonl"), text)}, 3, 64, options);
    QVERIFY(result.ok());
    QCOMPARE(result->malformed, std::uint64_t(50));
    QCOMPARE(result->problems.size(), std::size_t(7));
    QCOMPARE(result->problems[6].line, std::uint64_t(14));
}

void TestIngestLoad::progressAndCancel()
{
    std::atomic<int> calls = 0;
    std::atomic<bool> reachedOne = false;
    const auto result = ingest::loadLogsWithBlockSize({dataFile("default.jsonl")}, LoadOptions{}, 256, {},
                                                      [&](double fraction, std::string_view) {
                                                          ++calls;
                                                          if (fraction == 1.0)
                                                              reachedOne = true;
                                                      });
    QVERIFY(result.ok());
    QVERIFY(calls > 5);
    QVERIFY(reachedOne);

    std::stop_source stop;
    stop.request_stop();
    const auto cancelled =
        ingest::loadLogsWithBlockSize({dataFile("default.jsonl")}, LoadOptions{}, 256, stop.get_token());
    QVERIFY(!cancelled.ok());
    QCOMPARE(cancelled.error().message, std::string("loading cancelled"));
}

QTEST_GUILESS_MAIN(TestIngestLoad)
// keepRequestIds = false (a report without --labels): no ids are read, every other column is
// the same, and rows whose id is odd (a number, an object) are not counted malformed either
// way; label sources (requireRequestId) read them regardless.
void TestIngestLoad::requestIdsLeftOut()
{
    Files files;
    const std::string path = files.write(QStringLiteral("ids.jsonl"),
                                         "{\"ts\": 1, \"request_id\": \"a\", \"prediction\": 0.5}\n"
                                         "{\"ts\": 2, \"request_id\": 7, \"prediction\": 0.25}\n"
                                         "{\"ts\": 3, \"request_id\": {\"x\": 1}, \"prediction\": 0.75}\n"
                                         "{\"ts\": 4, \"prediction\": 1}\n");
    const auto with = load({path});
    LoadOptions options;
    options.keepRequestIds = false;
    const auto without = load({path}, 2, 64, options);
    QVERIFY(with.ok() && without.ok());
    QCOMPARE(with->schema.mapping.requestId, std::string("request_id"));
    QCOMPARE(without->schema.mapping.requestId, std::string("request_id")); // still its role
    QCOMPARE(with->table.requestId.size(), std::size_t{4});
    QCOMPARE(std::string(with->table.requestId.at(1)), std::string("7"));
    QCOMPARE(without->table.requestId.size(), std::size_t{0});
    QVERIFY(without->table.requestId.bytes.empty());
    QCOMPARE(without->malformed, with->malformed);
    QCOMPARE(without->table.rows(), std::size_t{4});
    compareTables(with->table, without->table);

    options.requireRequestId = true; // a label source: ids are what it is for
    const auto labels = load({path}, 1, ingest::kDefaultBlockBytes, options);
    QVERIFY(labels.ok());
    QCOMPARE(labels->table.requestId.size(), labels->table.rows());
    QCOMPARE(labels->malformed, std::uint64_t{2}); // the object id and the missing one
}

#include "tst_ingest_load.moc"
