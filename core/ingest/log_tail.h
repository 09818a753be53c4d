#pragma once
// Follows one growing plain-text log file (`tail -F` semantics): each poll reads
// the bytes appended since the last one and parses only whole lines; a partial
// last line waits for its newline. Rotation is detected by polling:
//  - rename-and-create (inode/device of the path changes): the old descriptor is
//    drained to its end first, and kept open and drained a while longer, since a
//    writer keeps appending to it until it reopens the log;
//  - copy-truncate (the file shrinks, or the bytes before our offset changed): the
//    lines between our offset and the truncation point were copied to a rotated
//    sibling (`app.log.1`, `app.log-20260103`); they are read from there, then the
//    truncated file is read again from its start.
// The copy may already be compressed (logrotate's `compress` without `delaycompress`):
// a .gz/.zst sibling is decoded up to our offset and read from there.
// Compressed files that grow (.gz/.zst) are not followed: they are read whole by loadLogs.
#include "ingest/byte_source.h"
#include "ingest/load.h"
#include "ingest/log_table.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace vigil::ingest {

struct RowPlan;

struct TailCounters
{
    std::uint64_t lines = 0;     // non-blank lines read (CSV: data records; headers excluded)
    std::uint64_t malformed = 0; // of those, lines that gave no row
    std::uint64_t bytes = 0;     // bytes read, rotated copies included
    std::uint64_t renameRotations = 0;
    std::uint64_t truncateRotations = 0;
    std::uint64_t unrecoveredTruncations = 0; // truncations whose copied-away bytes were not found
};

// What one poll produced, in file order. Each block's categorical codes index that
// block's own dictionaries (merge with TableMerger).
struct TailBatch
{
    std::vector<LogTable> tables;
    std::vector<Problem> problems;
    std::vector<std::uint64_t> nonNumeric; // per RowPlan dest, summed over the blocks
    std::uint64_t lines = 0;
    std::uint64_t malformed = 0;
    std::uint64_t bytes = 0;
};

struct TailOptions
{
    std::size_t maxProblems = 10000;
    std::size_t readChunkBytes = 4u << 20;
    // How long a renamed-away file is still drained after its last growth.
    std::chrono::milliseconds renamedDrainIdle{3000};
};

class LogTail
{
  public:
    // `plan` must outlive the tail. `format` is Jsonl or Csv (each new file of a CSV
    // log starts with its own header).
    LogTail(std::string path, LogFormat format, const RowPlan& plan, TailOptions options = {});
    ~LogTail();
    LogTail(const LogTail&) = delete;
    LogTail& operator=(const LogTail&) = delete;

    // Reads what is new into `out` (appended). `final`: drain every open file to its
    // end and report a partial last line as a problem ("incomplete last line").
    // A missing file is not an error (it may not be created yet, or be mid-rotation).
    // `stop` ends a long read (a large file's first poll) early; the rest comes next time.
    Result<bool> poll(TailBatch& out, bool final = false, std::stop_token stop = {});

    // For a file that no longer grows (a rotated sibling, plain, .gz or .zst, read before the
    // live file when a folder or glob is followed): reads it from its start through the same
    // line handling, as a one-shot load would (a last line without a newline is a line).
    // True once it is read to its end; a stop request pauses it (call again to go on).
    Result<bool> readOnce(TailBatch& out, std::stop_token stop = {});

    const TailCounters& counters() const { return m_counters; }
    bool partialLinePending() const;
    const std::string& path() const { return m_path; }

  private:
    struct Stream;
    struct Parser;

    std::unique_ptr<Stream> openStream(std::string* error);
    Result<bool> readAll(Stream& s, TailBatch& out, const std::string& problemPath);
    void consume(Stream& s, std::string& work, std::size_t size, bool eof, TailBatch& out,
                 const std::string& problemPath);
    void parseLines(Stream& s, const char* data, std::size_t size, std::size_t readable, TailBatch& out,
                    const std::string& problemPath);
    void finishStream(Stream& s, TailBatch& out, const std::string& problemPath);
    bool truncated(const Stream& s, std::uint64_t size) const;
    Result<bool> recoverTruncated(Stream& s, TailBatch& out);
    bool recoverFromCompressedCopy(Stream& s, TailBatch& out);
    bool consumeDecoded(Stream& s, ByteSource& source, TailBatch& out, const std::string& problemPath,
                        bool stoppable);
    void noteCorruption(Stream& s, const ByteSource& source, TailBatch& out, const std::string& problemPath,
                        const char* where);
    void resetStream(Stream& s);

    std::string m_path;
    LogFormat m_format;
    const RowPlan& m_plan;
    TailOptions m_options;
    std::unique_ptr<Parser> m_parser;
    std::unique_ptr<Stream> m_current;
    std::vector<std::unique_ptr<Stream>> m_renamed; // rotated away, still drained
    std::unique_ptr<ByteSource> m_onceSource;       // readOnce: the file being read
    std::unique_ptr<Stream> m_onceStream;
    bool m_onceDone = false;
    TailCounters m_counters;
    std::stop_token m_stop;
};

} // namespace vigil::ingest
