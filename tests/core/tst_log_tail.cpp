// Live tailing: every line written is read exactly once across partial writes,
// rename-and-create and copy-truncate rotations, with a writer running concurrently.
// Each line carries a unique sequence number (as its latency) so the test checks the
// set of rows read, not only their count.
#include "ingest/live_log.h"
#include "test_compress.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>

using namespace vigil;
using vigil::ingest::LiveLog;
using vigil::ingest::TailOptions;

namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kBaseMs = 1'767'225'600'000; // 2026-01-01

std::string jsonLine(std::uint64_t seq)
{
    return "{\"ts\":" + std::to_string(kBaseMs + static_cast<std::int64_t>(seq)) +
           ",\"model\":\"m\",\"latency_ms\":" + std::to_string(seq) +
           ",\"prediction\":0.25,\"label\":" + std::to_string(seq % 2) + "}\n";
}

std::string csvLine(std::uint64_t seq)
{
    return std::to_string(kBaseMs + static_cast<std::int64_t>(seq)) + ",m," + std::to_string(seq) + ",0.25," +
           std::to_string(seq % 2) + "\n";
}

std::string pathIn(const QTemporaryDir& dir, const char* name)
{
    return (fs::path(dir.path().toStdString()) / name).string();
}

const std::string kCsvHeader = "ts,model,latency_ms,prediction,label\n";

// Appends with O_APPEND like a logging process: after a truncation, writes land at 0.
class Writer
{
  public:
    explicit Writer(std::string path) : m_path(std::move(path)) { reopen(); }
    ~Writer()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    void reopen()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        QVERIFY(m_fd >= 0);
    }
    void write(const std::string& text)
    {
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(m_fd, text.data() + done, text.size() - done);
            QVERIFY(n > 0);
            done += static_cast<std::size_t>(n);
        }
    }

  private:
    std::string m_path;
    int m_fd = -1;
};

// logrotate's numbering: app.log.1 -> app.log.2 ... before a new app.log.1 appears.
void shiftRotated(const std::string& path)
{
    int last = 0;
    while (fs::exists(path + "." + std::to_string(last + 1)))
        ++last;
    for (int k = last; k >= 1; --k)
        fs::rename(path + "." + std::to_string(k), path + "." + std::to_string(k + 1));
}

void copyAndTruncate(const std::string& path)
{
    shiftRotated(path);
    fs::copy_file(path, path + ".1");
    QCOMPARE(::truncate(path.c_str(), 0), 0);
}

void renameRotate(const std::string& path)
{
    shiftRotated(path);
    fs::rename(path, path + ".1");
}

std::multiset<std::uint64_t> seqsOf(const LoadedLog& log)
{
    std::multiset<std::uint64_t> out;
    for (double v : log.table.latencyMs.values)
        out.insert(static_cast<std::uint64_t>(v));
    return out;
}

std::multiset<std::uint64_t> range(std::uint64_t n)
{
    std::multiset<std::uint64_t> out;
    for (std::uint64_t i = 0; i < n; ++i)
        out.insert(i);
    return out;
}

std::size_t pollOk(LiveLog& live, bool final = false)
{
    auto r = live.poll(final);
    if (!r)
        qFatal("poll failed: %s", r.error().message.c_str());
    return r.value();
}

void compareSeqs(const LoadedLog& log, std::uint64_t written)
{
    const auto got = seqsOf(log);
    const auto want = range(written);
    if (got != want) {
        std::vector<std::uint64_t> missing, extra;
        std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(missing));
        std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
        qWarning("rows %zu, written %llu, missing %zu (first %lld), extra %zu (first %lld)", got.size(),
                 static_cast<unsigned long long>(written), missing.size(),
                 missing.empty() ? -1LL : static_cast<long long>(missing.front()), extra.size(),
                 extra.empty() ? -1LL : static_cast<long long>(extra.front()));
    }
    QCOMPARE(got.size(), want.size());
    QVERIFY(got == want);
}

} // namespace

class TstLogTail : public QObject
{
    Q_OBJECT

  private slots:
    void partialLineWaitsForItsNewline()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.jsonl");
        Writer w(path);
        LiveLog live({path}, {});
        QCOMPARE(pollOk(live), 0u); // empty: no schema yet, not an error
        QVERIFY(!live.ready());
        w.write(jsonLine(0));
        const std::string second = jsonLine(1);
        w.write(second.substr(0, 17));
        QCOMPARE(pollOk(live), 1u);
        QVERIFY(live.partialLinePending());
        QCOMPARE(pollOk(live), 0u);
        w.write(second.substr(17));
        QCOMPARE(pollOk(live), 1u);
        QVERIFY(!live.partialLinePending());
        compareSeqs(live.log(), 2);
        QCOMPARE(live.log().malformed, 0u);
    }

    void randomSplitsOfEveryLine_data()
    {
        QTest::addColumn<unsigned>("seed");
        QTest::addColumn<bool>("csv");
        for (unsigned seed : {1u, 2u, 3u}) {
            QTest::addRow("jsonl-%u", seed) << seed << false;
            QTest::addRow("csv-%u", seed) << seed << true;
        }
    }

    // The text arrives in writes of 1..200 bytes, with a poll after each: lines
    // (and the CSV header) are cut everywhere, the BOM included.
    void randomSplitsOfEveryLine()
    {
        QFETCH(unsigned, seed);
        QFETCH(bool, csv);
        QTemporaryDir dir;
        const std::string path = pathIn(dir, csv ? "app.csv" : "app.jsonl");
        std::string text = "\xEF\xBB\xBF";
        if (csv)
            text += kCsvHeader;
        constexpr std::uint64_t kLines = 400;
        for (std::uint64_t i = 0; i < kLines; ++i)
            text += csv ? csvLine(i) : jsonLine(i);
        Writer w(path);
        LiveLog live({path}, {});
        std::mt19937 rng(seed);
        std::size_t pos = 0;
        while (pos < text.size()) {
            const std::size_t n = std::min<std::size_t>(text.size() - pos, 1 + rng() % 200);
            w.write(text.substr(pos, n));
            pos += n;
            pollOk(live);
        }
        pollOk(live, true);
        compareSeqs(live.log(), kLines);
        QCOMPARE(live.log().lines, kLines);
        QCOMPARE(live.log().malformed, 0u);
        QVERIFY(live.log().problems.empty());
    }

    void incompleteLastLineIsReportedAtTheEnd()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.jsonl");
        Writer w(path);
        w.write(jsonLine(0) + jsonLine(1));
        w.write(jsonLine(2).substr(0, 20));
        LiveLog live({path}, {});
        QCOMPARE(pollOk(live), 2u);
        QVERIFY(live.partialLinePending());
        pollOk(live, true);
        QCOMPARE(live.log().table.rows(), 2u);
        QCOMPARE(live.log().lines, 3u);
        QCOMPARE(live.log().malformed, 1u);
        QCOMPARE(live.log().problems.size(), 1u);
        QCOMPARE(live.log().problems[0].line, 3u);
        QCOMPARE(QString::fromStdString(live.log().problems[0].path), QString::fromStdString(path));
        QVERIFY(live.log().problems[0].error.starts_with("incomplete last line"));
        QVERIFY(!live.partialLinePending());
    }

    // Lines reach the old file after our last read and before the rename, and the
    // writer keeps appending to the renamed file before it reopens the log.
    void renameAndCreate()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.log");
        std::uint64_t seq = 0;
        Writer w(path);
        for (; seq < 10; ++seq)
            w.write(jsonLine(seq));
        LiveLog live({path}, {});
        QCOMPARE(pollOk(live), 10u);
        for (; seq < 15; ++seq)
            w.write(jsonLine(seq)); // not read yet
        renameRotate(path);
        for (; seq < 18; ++seq)
            w.write(jsonLine(seq)); // into app.log.1, through the old descriptor
        w.reopen();
        for (; seq < 25; ++seq)
            w.write(jsonLine(seq));
        pollOk(live);
        QCOMPARE(live.counters().renameRotations, 1u);
        compareSeqs(live.log(), 25);
        for (; seq < 27; ++seq) {
            w.write(jsonLine(seq));
        }
        pollOk(live, true);
        compareSeqs(live.log(), 27);
        QCOMPARE(live.counters().truncateRotations, 0u);
    }

    void renameThenCreateLater()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.log");
        auto w = std::make_unique<Writer>(path);
        w->write(jsonLine(0));
        LiveLog live({path}, {});
        QCOMPARE(pollOk(live), 1u);
        renameRotate(path);
        w->write(jsonLine(1));
        QCOMPARE(pollOk(live), 1u); // the old descriptor still delivers
        w = std::make_unique<Writer>(path);
        w->write(jsonLine(2));
        QCOMPARE(pollOk(live), 1u);
        QCOMPARE(live.counters().renameRotations, 1u);
        compareSeqs(live.log(), 3);
    }

    void copyTruncate_data()
    {
        QTest::addColumn<bool>("regrowPastOffset");
        QTest::addRow("refill-short") << false;
        QTest::addRow("refill-past-offset") << true;
    }

    // Lines written between our last read and the copy are only in app.log.1 then.
    void copyTruncate()
    {
        QFETCH(bool, regrowPastOffset);
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.log");
        std::uint64_t seq = 0;
        Writer w(path);
        for (; seq < 10; ++seq)
            w.write(jsonLine(seq));
        LiveLog live({path}, {});
        QCOMPARE(pollOk(live), 10u);
        for (; seq < 14; ++seq)
            w.write(jsonLine(seq));
        copyAndTruncate(path);
        // More than was in the file before: the size alone no longer shows the truncation.
        const std::uint64_t after = regrowPastOffset ? 30 : 3;
        for (std::uint64_t i = 0; i < after; ++i, ++seq)
            w.write(jsonLine(seq));
        pollOk(live);
        QCOMPARE(live.counters().truncateRotations, 1u);
        QCOMPARE(live.counters().unrecoveredTruncations, 0u);
        compareSeqs(live.log(), seq);
        w.write(jsonLine(seq++));
        pollOk(live, true);
        compareSeqs(live.log(), seq);
        QCOMPARE(live.log().malformed, 0u);
    }

    void copyTruncateCompressedCopy_data()
    {
        QTest::addColumn<QString>("extension");
        QTest::addRow("gzip") << QStringLiteral(".gz");
        QTest::addRow("zstd") << QStringLiteral(".zst");
    }

    // copytruncate + compress without delaycompress: by the next poll the copy exists
    // only as app.log.1.gz. An older compressed sibling with other text must not match.
    void copyTruncateCompressedCopy()
    {
        QFETCH(QString, extension);
        const bool gzip = extension == QStringLiteral(".gz");
        const auto compress = [gzip](const QByteArray& text) {
            return gzip ? vigil::test::gzipBytes(text) : vigil::test::zstdBytes(text);
        };
        const auto writeFile = [](const std::string& path, const QByteArray& bytes) {
            std::ofstream(path, std::ios::binary).write(bytes.constData(), bytes.size());
        };
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.log");
        QByteArray older;
        for (std::uint64_t s = 1000; s < 1040; ++s)
            older += QByteArray::fromStdString(jsonLine(s));
        std::uint64_t seq = 0;
        Writer w(path);
        for (; seq < 10; ++seq)
            w.write(jsonLine(seq));
        LiveLog live({path}, {});
        QCOMPARE(pollOk(live), 10u);
        w.write(jsonLine(seq++));
        w.write(jsonLine(seq++));
        w.write("{\"ts\": broken\n"); // line 13, read from the compressed copy
        for (std::uint64_t i = 0; i < 3; ++i, ++seq)
            w.write(jsonLine(seq));
        QFile plain(QString::fromStdString(path));
        QVERIFY(plain.open(QIODevice::ReadOnly));
        const QByteArray copied = plain.readAll();
        plain.close();
        writeFile(path + ".1" + extension.toStdString(), compress(copied));
        QCOMPARE(::truncate(path.c_str(), 0), 0);
        // Written after the compressed copy, so it is the newest: still not ours.
        writeFile(path + ".2" + extension.toStdString(), compress(older));
        for (std::uint64_t i = 0; i < 3; ++i, ++seq)
            w.write(jsonLine(seq));
        pollOk(live);
        QCOMPARE(live.counters().truncateRotations, 1u);
        QCOMPARE(live.counters().unrecoveredTruncations, 0u);
        compareSeqs(live.log(), seq);
        QCOMPARE(live.log().malformed, 1u);
        QCOMPARE(live.log().problems.size(), 1u);
        QCOMPARE(live.log().problems[0].path, path + ".1" + extension.toStdString());
        QCOMPARE(live.log().problems[0].line, 13u);
        w.write(jsonLine(seq++));
        pollOk(live, true);
        compareSeqs(live.log(), seq);
    }

    void followFolderReadsRotatedFilesFirst_data()
    {
        QTest::addColumn<bool>("glob");
        QTest::addRow("folder") << false;
        QTest::addRow("glob") << true;
    }

    // A folder (or glob) of rotated logs: the older files, compressed or not, are read once
    // and in logrotate order before the live file is followed; a rotation afterwards does
    // not make them count again.
    void followFolderReadsRotatedFilesFirst()
    {
        QFETCH(bool, glob);
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.log");
        QByteArray oldest;
        for (std::uint64_t s = 0; s < 10; ++s)
            oldest += QByteArray::fromStdString(s == 3 ? std::string("not json\n") : jsonLine(s));
        const QByteArray gz = vigil::test::gzipBytes(oldest);
        std::ofstream(path + ".2.gz", std::ios::binary).write(gz.constData(), gz.size());
        std::string older;
        for (std::uint64_t s = 10; s < 20; ++s)
            older += jsonLine(s);
        older.pop_back(); // the last line of a rotated file without its newline is still a line
        std::ofstream(path + ".1", std::ios::binary) << older;
        std::uint64_t seq = 20;
        auto w = std::make_unique<Writer>(path);
        for (; seq < 25; ++seq)
            w->write(jsonLine(seq));
        const std::string followed = glob ? pathIn(dir, "app.log*") : dir.path().toStdString();
        LiveLog live({followed}, {});
        QCOMPARE(pollOk(live), 24u);
        for (; seq < 30; ++seq)
            w->write(jsonLine(seq));
        QCOMPARE(pollOk(live), 5u);
        renameRotate(path); // app.log.1 -> app.log.2, app.log -> app.log.1
        w->write(jsonLine(seq++));
        w = std::make_unique<Writer>(path);
        w->write(jsonLine(seq++));
        pollOk(live, true);
        std::vector<std::uint64_t> got;
        for (double v : live.log().table.latencyMs.values)
            got.push_back(static_cast<std::uint64_t>(v));
        std::vector<std::uint64_t> want;
        for (std::uint64_t s = 0; s < seq; ++s) {
            if (s != 3)
                want.push_back(s);
        }
        QCOMPARE(got, want);
        QCOMPARE(live.log().malformed, 1u);
        QCOMPARE(live.log().problems.size(), 1u);
        QCOMPARE(live.log().problems[0].path, path + ".2.gz");
        QCOMPARE(live.log().problems[0].line, 4u);
        QCOMPARE(live.counters().renameRotations, 1u);
        QCOMPARE(live.log().paths, (std::vector<std::string>{path + ".2.gz", path + ".1", path}));
    }

    // Nothing in the folder can grow: every file is read once and nothing is followed.
    void followFolderOfCompressedFiles()
    {
        QTemporaryDir dir;
        QByteArray text;
        for (std::uint64_t s = 0; s < 7; ++s)
            text += QByteArray::fromStdString(jsonLine(s));
        const QByteArray zst = vigil::test::zstdBytes(text);
        std::ofstream(pathIn(dir, "app.jsonl.1.zst"), std::ios::binary).write(zst.constData(), zst.size());
        LiveLog live({dir.path().toStdString()}, {});
        QCOMPARE(pollOk(live), 7u);
        QCOMPARE(pollOk(live, true), 0u);
        compareSeqs(live.log(), 7);
    }

    void truncationWithoutCopyIsReported()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.log");
        Writer w(path);
        for (std::uint64_t s = 0; s < 5; ++s)
            w.write(jsonLine(s));
        LiveLog live({path}, {});
        QCOMPARE(pollOk(live), 5u);
        QCOMPARE(::truncate(path.c_str(), 0), 0);
        w.write(jsonLine(5));
        QCOMPARE(pollOk(live), 1u);
        QCOMPARE(live.counters().unrecoveredTruncations, 1u);
        QCOMPARE(live.log().problems.size(), 1u);
        QCOMPARE(live.log().problems[0].line, 0u);
        QVERIFY(live.log().problems[0].error.find("no rotated copy") != std::string::npos);
        compareSeqs(live.log(), 6);
    }

    // Malformed lines keep their file and line: before a rotation in app.log, the
    // copied-away part in app.log.1 (same line numbers), then the new app.log from 1.
    void malformedLinesKeepFileAndLine()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.log");
        Writer w(path);
        std::uint64_t seq = 0;
        w.write(jsonLine(seq++));
        w.write("{not json\n");
        w.write("\n"); // blank: not a line, but a physical one
        w.write(jsonLine(seq++));
        LiveLog live({path}, {});
        QCOMPARE(pollOk(live), 2u);
        w.write("garbage\n"); // line 5, read from the copy
        w.write(jsonLine(seq++));
        copyAndTruncate(path);
        w.write(jsonLine(seq++));
        w.write("{\"ts\":\"not a time\"}\n"); // line 2 of the new file
        pollOk(live, true);
        compareSeqs(live.log(), seq);
        QCOMPARE(live.log().malformed, 3u);
        QCOMPARE(live.log().lines, seq + 3);
        const auto& p = live.log().problems;
        QCOMPARE(p.size(), 3u);
        QCOMPARE(QString::fromStdString(p[0].path), QString::fromStdString(path));
        QCOMPARE(p[0].line, 2u);
        QCOMPARE(QString::fromStdString(p[1].path), QString::fromStdString(path + ".1"));
        QCOMPARE(p[1].line, 5u);
        QCOMPARE(QString::fromStdString(p[2].path), QString::fromStdString(path));
        QCOMPARE(p[2].line, 2u);
    }

    void csvRotationStartsWithANewHeader()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.csv");
        Writer w(path);
        std::uint64_t seq = 0;
        w.write(kCsvHeader);
        for (; seq < 5; ++seq)
            w.write(csvLine(seq));
        LiveLog live({path}, {});
        QCOMPARE(pollOk(live), 5u);
        renameRotate(path);
        w.reopen();
        w.write(kCsvHeader);
        for (; seq < 9; ++seq)
            w.write(csvLine(seq));
        pollOk(live);
        copyAndTruncate(path);
        w.write(kCsvHeader);
        for (; seq < 12; ++seq)
            w.write(csvLine(seq));
        pollOk(live, true);
        compareSeqs(live.log(), seq);
        QCOMPARE(live.log().malformed, 0u);
        QCOMPARE(live.counters().renameRotations, 1u);
        QCOMPARE(live.counters().truncateRotations, 1u);
    }

    void concurrentWriterWithRotations_data()
    {
        QTest::addColumn<unsigned>("seed");
        QTest::addColumn<int>("rotations");
        QTest::addRow("a") << 11u << 6;
        QTest::addRow("b") << 12u << 10;
    }

    // A writer thread appends (some lines in two writes) and rotates both ways while
    // this thread polls; the final drain must hold every line exactly once.
    void concurrentWriterWithRotations()
    {
        QFETCH(unsigned, seed);
        QFETCH(int, rotations);
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.log");
        constexpr std::uint64_t kLines = 30000;
        std::atomic<bool> done{false};
        std::atomic<int> renames{0}, truncates{0};
        std::atomic<std::uint64_t> polls{0};
        {
            Writer first(path);
            first.write(jsonLine(0));
        }
        // Following starts with the file as it is then: rotated files from before are not read.
        TailOptions tail;
        tail.readChunkBytes = 4096; // many reads per poll, lines cut at chunk ends too
        LiveLog live({path}, {}, tail);
        QCOMPARE(pollOk(live), 1u);
        // At most one rotation per poll (docs/FOLLOW.md): the writer lets two polls pass
        // after each, however slow the reader is (sanitizers, a loaded machine).
        auto letReaderSeeIt = [&] {
            const std::uint64_t seen = polls.load();
            while (polls.load() < seen + 2)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
        };
        std::jthread writer([&] {
            std::mt19937 rng(seed);
            Writer w(path);
            const std::uint64_t every = kLines / static_cast<std::uint64_t>(rotations + 1);
            for (std::uint64_t seq = 1; seq < kLines; ++seq) {
                const std::string line = jsonLine(seq);
                if (rng() % 7 == 0) {
                    const std::size_t cut = 1 + rng() % (line.size() - 1);
                    w.write(line.substr(0, cut));
                    std::this_thread::yield();
                    w.write(line.substr(cut));
                } else {
                    w.write(line);
                }
                if (seq % every == 0) {
                    if ((seq / every) % 2 == 1) {
                        renameRotate(path);
                        // The application notices the rotation a little later.
                        for (int k = 0; k < 3 && seq + 1 < kLines; ++k)
                            w.write(jsonLine(++seq));
                        w.reopen();
                        ++renames;
                    } else {
                        copyAndTruncate(path);
                        ++truncates;
                    }
                    letReaderSeeIt();
                }
                if (seq % 500 == 0)
                    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 2000));
            }
            done = true;
        });
        while (!done) {
            pollOk(live);
            ++polls;
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
        writer.join();
        pollOk(live, true);
        compareSeqs(live.log(), kLines);
        QCOMPARE(live.log().malformed, 0u);
        QCOMPARE(live.counters().renameRotations, static_cast<std::uint64_t>(renames.load()));
        QCOMPARE(live.counters().truncateRotations, static_cast<std::uint64_t>(truncates.load()));
        QCOMPARE(live.counters().unrecoveredTruncations, 0u);
    }

    void compressedFilesAreRefused()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "app.jsonl.gz");
        std::ofstream(path) << "x";
        LiveLog live({path}, {});
        auto r = live.poll();
        QVERIFY(!r);
        QVERIFY(r.error().message.find("compressed") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TstLogTail)
#include "tst_log_tail.moc"
