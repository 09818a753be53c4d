#include "ingest/log_tail.h"

#include "ingest/csv_block.h"
#include "ingest/csv_split.h"
#include "ingest/jsonl_block.h"
#include "ingest/log_sources.h"
#include "ingest/row_sink.h"
#include "ingest/text_util.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace vigil::ingest {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Bytes remembered before our offset: a truncated file that grew back past the
// offset between two polls no longer holds them there, and a rotated copy does.
constexpr std::size_t kPrintBytes = 64;

bool compressedName(const std::string& name)
{
    for (const char* ext : {".gz", ".zst", ".bz2", ".xz", ".lz4", ".zip"}) {
        const std::size_t n = std::strlen(ext);
        if (name.size() > n && name.compare(name.size() - n, n, ext) == 0)
            return true;
    }
    return false;
}

bool readExact(int fd, char* data, std::size_t size, std::uint64_t offset)
{
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, data + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// The name a renamed-away file has now (same directory, same inode), for problems
// found in it after the rotation; the old name with a note when it is gone.
std::string currentName(const std::string& path, dev_t dev, ino_t ino)
{
    std::error_code ec;
    const fs::path dir = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        struct stat st
        {
        };
        if (::stat(entry.path().c_str(), &st) == 0 && st.st_dev == dev && st.st_ino == ino)
            return (fs::path(path).parent_path() / entry.path().filename()).string();
    }
    return path + " (rotated away)";
}

} // namespace

struct LogTail::Stream
{
    int fd = -1;
    dev_t dev{};
    ino_t ino{};
    std::string name;         // the file name problems are reported against
    std::uint64_t offset = 0; // bytes read from fd, the pending partial line included
    std::string pending;      // bytes after the last whole line
    std::uint64_t lineNo = 0; // physical lines consumed
    bool bomChecked = false;
    bool headerDone = false;
    bool skipRows = false; // CSV header without the timestamp column
    std::shared_ptr<const CsvLayout> layout;
    std::string print;          // the bytes just before `offset` (at most kPrintBytes)
    bool truncatedSeen = false; // set by readAll: the file was truncated under a read
    bool inLongLine = false;    // skipping a line longer than kMaxLineBytes
    std::uint64_t longLineBytes = 0;
    Clock::time_point lastGrowth = Clock::now();

    ~Stream()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

struct LogTail::Parser
{
    std::unique_ptr<JsonlBlockParser> jsonl;
};

LogTail::LogTail(std::string path, LogFormat format, const RowPlan& plan, TailOptions options)
    : m_path(std::move(path)), m_format(format), m_plan(plan), m_options(options),
      m_parser(std::make_unique<Parser>())
{
    if (m_format != LogFormat::Csv)
        m_parser->jsonl = std::make_unique<JsonlBlockParser>(m_plan);
    m_options.readChunkBytes = std::max<std::size_t>(m_options.readChunkBytes, 16);
}

LogTail::~LogTail() = default;

bool LogTail::partialLinePending() const
{
    if (m_current && !m_current->pending.empty())
        return true;
    return std::any_of(m_renamed.begin(), m_renamed.end(),
                       [](const std::unique_ptr<Stream>& s) { return !s->pending.empty(); });
}

std::unique_ptr<LogTail::Stream> LogTail::openStream(std::string* error)
{
    const int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT)
            *error = m_path + ": cannot open: " + std::strerror(errno);
        return nullptr;
    }
    auto s = std::make_unique<Stream>();
    s->fd = fd;
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        *error = m_path + ": is not a readable file";
        return nullptr;
    }
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->name = m_path;
    return s;
}

void LogTail::resetStream(Stream& s)
{
    s.offset = 0;
    s.pending.clear();
    s.lineNo = 0;
    s.bomChecked = false;
    s.headerDone = false;
    s.skipRows = false;
    s.layout.reset();
    s.print.clear();
    s.inLongLine = false;
    s.longLineBytes = 0;
    s.truncatedSeen = false;
}

Result<bool> LogTail::readAll(Stream& s, TailBatch& out, const std::string& problemPath)
{
    bool grew = false;
    const std::size_t padding = jsonPadding();
    std::string work;
    while (true) {
        // Most polls find nothing new: they cost one fstat, no buffer.
        struct stat st
        {
        };
        if (::fstat(s.fd, &st) != 0)
            return Error{problemPath + ": read error: " + std::strerror(errno)};
        if (static_cast<std::uint64_t>(st.st_size) <= s.offset)
            break;
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(
            m_options.readChunkBytes, static_cast<std::uint64_t>(st.st_size) - s.offset));
        const std::size_t keep = s.pending.size();
        work.resize(keep + want + padding);
        std::memcpy(work.data(), s.pending.data(), keep);
        ssize_t n = 0;
        do {
            n = ::pread(s.fd, work.data() + keep, want, static_cast<off_t>(s.offset));
        } while (n < 0 && errno == EINTR);
        if (n < 0)
            return Error{problemPath + ": read error: " + std::strerror(errno)};
        if (n == 0)
            break;
        if (!s.print.empty()) {
            // Checked after the read: if the bytes before our offset are no longer
            // ours, the file was truncated before or during this read, and the chunk
            // may belong to the new file. The rotated copy holds the real bytes.
            std::string before(s.print.size(), '\0');
            if (!readExact(s.fd, before.data(), before.size(), s.offset - before.size()) ||
                before != s.print) {
                s.truncatedSeen = true;
                break;
            }
        }
        grew = true;
        const auto got = static_cast<std::size_t>(n);
        s.offset += got;
        s.lastGrowth = Clock::now();
        m_counters.bytes += got;
        out.bytes += got;
        const std::size_t size = keep + got;
        const std::size_t printFrom = size > kPrintBytes ? size - kPrintBytes : 0;
        s.print.assign(work.data() + printFrom, size - printFrom);
        std::memset(work.data() + size, ' ', work.size() - size);
        consume(s, work, size, false, out, problemPath);
        if (m_stop.stop_requested())
            break;
    }
    return grew;
}

// Parses the whole lines at the start of work[0, size) and keeps the rest pending.
// work has jsonPadding() readable bytes after `size`.
void LogTail::consume(Stream& s, std::string& work, std::size_t size, bool eof, TailBatch& out,
                      const std::string& problemPath)
{
    char* data = work.data();
    std::size_t pos = 0;
    if (!s.bomChecked) {
        if (size < 3 && !eof) {
            s.pending.assign(data, size);
            return;
        }
        s.bomChecked = true;
        if (size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0)
            pos = 3;
    }
    if (s.inLongLine) {
        const void* nl = std::memchr(data + pos, '\n', size - pos);
        if (nl == nullptr) {
            s.longLineBytes += size - pos;
            s.pending.clear();
            return;
        }
        const auto end = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
        s.longLineBytes += end - pos;
        out.problems.push_back(Problem{problemPath, s.lineNo + 1,
                                       "line too long (" + std::to_string(s.longLineBytes) + " bytes)"});
        ++out.lines;
        ++out.malformed;
        ++s.lineNo;
        s.inLongLine = false;
        pos = end + 1;
    }
    const bool csv = m_format == LogFormat::Csv;
    while (csv && !s.headerDone && pos < size) {
        const CsvRecordEnd end = findCsvRecordEnd(data, pos, size);
        if (!end.complete && !eof)
            break;
        const std::string_view record(data + pos, end.end - pos);
        s.lineNo += 1 + end.newlines;
        pos = std::min(end.end + 1, size);
        if (trimSpaces(record).empty())
            continue;
        std::vector<std::string_view> fields;
        std::string scratch;
        std::vector<std::string> header;
        if (splitCsvRecord(record, fields, scratch)) {
            for (std::string_view f : fields)
                header.emplace_back(trimSpaces(f));
        }
        s.headerDone = true;
        s.layout = std::make_shared<const CsvLayout>(makeCsvLayout(std::move(header), m_plan));
        if (std::find(s.layout->header.begin(), s.layout->header.end(), m_plan.mapping.timestamp) ==
            s.layout->header.end()) {
            s.skipRows = true;
            out.problems.push_back(
                Problem{problemPath, 0,
                        "no column '" + m_plan.mapping.timestamp + "' (the timestamp); file skipped"});
        }
    }
    if (csv && !s.headerDone) {
        s.pending.assign(data + pos, size - pos);
        return;
    }
    std::size_t cut = size;
    if (!eof) {
        if (csv) {
            cut = pos + lastCsvBoundary(data + pos, size - pos);
        } else {
            const void* nl = memrchr(data + pos, '\n', size - pos);
            cut = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1 : pos;
        }
    }
    if (cut > pos)
        parseLines(s, data + pos, cut - pos, work.size() - pos, out, problemPath);
    if (size - cut > kMaxLineBytes && !eof) {
        // A line longer than any sane log line: skip to its end without buffering it.
        s.inLongLine = true;
        s.longLineBytes = size - cut;
        s.pending.clear();
        return;
    }
    s.pending.assign(data + cut, size - cut);
}

void LogTail::parseLines(Stream& s, const char* data, std::size_t size, std::size_t readable, TailBatch& out,
                         const std::string& problemPath)
{
    BlockResult block;
    if (m_format == LogFormat::Csv) {
        if (s.skipRows) {
            // Still counted, so that a file without the timestamp column is not silent.
            for (std::size_t i = 0; i < size; ++i)
                s.lineNo += data[i] == '\n';
            return;
        }
        block = parseCsvBlock(data, size, *s.layout, m_plan, m_options.maxProblems);
    } else {
        block = m_parser->jsonl->parse(data, size, readable, m_options.maxProblems);
    }
    for (BlockProblem& p : block.problems)
        out.problems.push_back(Problem{problemPath, s.lineNo + p.line + 1, std::move(p.error)});
    s.lineNo += block.physicalLines;
    out.lines += block.lines;
    out.malformed += block.malformed;
    if (out.nonNumeric.size() < block.nonNumeric.size())
        out.nonNumeric.resize(block.nonNumeric.size(), 0);
    for (std::size_t i = 0; i < block.nonNumeric.size(); ++i)
        out.nonNumeric[i] += block.nonNumeric[i];
    if (block.table.rows() > 0)
        out.tables.push_back(std::move(block.table));
}

// The end of a file's data: a partial line left is reported, never dropped silently.
void LogTail::finishStream(Stream& s, TailBatch& out, const std::string& problemPath)
{
    if (s.inLongLine) {
        out.problems.push_back(
            Problem{problemPath, s.lineNo + 1,
                    "line too long (" + std::to_string(s.longLineBytes) + " bytes, no newline at the end)"});
        ++out.lines;
        ++out.malformed;
        ++s.lineNo;
        s.inLongLine = false;
    }
    if (!trimSpaces(s.pending).empty()) {
        out.problems.push_back(Problem{problemPath, s.lineNo + 1,
                                       "incomplete last line (" + std::to_string(s.pending.size()) +
                                           " bytes without a newline)"});
        ++out.lines;
        ++out.malformed;
        ++s.lineNo;
    }
    s.pending.clear();
}

bool LogTail::truncated(const Stream& s, std::uint64_t size) const
{
    if (size < s.offset)
        return true;
    if (s.print.empty())
        return false;
    // Grown past our offset again after a truncation: the bytes before it changed.
    std::string now(s.print.size(), '\0');
    if (!readExact(s.fd, now.data(), now.size(), s.offset - s.print.size()))
        return true;
    return now != s.print;
}

// Copy-truncate: what was written after our offset before the truncation is in the
// rotated copy, at the same offsets. The newest sibling that holds our last bytes
// at the same place is it.
Result<bool> LogTail::recoverTruncated(Stream& s, TailBatch& out)
{
    ++m_counters.truncateRotations;
    const fs::path self(m_path);
    const fs::path dir = self.parent_path().empty() ? fs::path(".") : self.parent_path();
    const std::string base = self.filename().string();
    std::string best;
    fs::file_time_type bestTime{};
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() <= base.size() || name.compare(0, base.size(), base) != 0 || compressedName(name))
            continue;
        const char sep = name[base.size()];
        if (sep != '.' && sep != '-' && sep != '_')
            continue;
        std::error_code fe;
        if (!entry.is_regular_file(fe) || entry.file_size(fe) < s.offset || fe)
            continue;
        const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        std::string at(s.print.size(), '\0');
        const bool same = readExact(fd, at.data(), at.size(), s.offset - s.print.size()) && at == s.print;
        ::close(fd);
        const auto time = entry.last_write_time(fe);
        if (same && !fe && (best.empty() || time > bestTime)) {
            best = (self.parent_path() / name).string();
            bestTime = time;
        }
    }
    if (!best.empty()) {
        const int fd = ::open(best.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            const int own = s.fd;
            s.fd = fd;
            // Read to its end even when asked to stop: the stream is reset right after.
            const std::stop_token stop = std::exchange(m_stop, std::stop_token{});
            auto read = readAll(s, out, best);
            m_stop = stop;
            s.fd = own;
            ::close(fd);
            if (!read)
                return read.error();
            finishStream(s, out, best);
            resetStream(s);
            return true;
        }
    }
    if (s.offset > 0 && recoverFromCompressedCopy(s, out)) {
        resetStream(s);
        return true;
    }
    if (s.offset > 0) {
        ++m_counters.unrecoveredTruncations;
        out.problems.push_back(Problem{m_path, 0,
                                       "truncated after byte " + std::to_string(s.offset) +
                                           " was read, and no rotated copy (plain, .gz or .zst) holding the "
                                           "rest was found: "
                                           "lines written between the last read and the truncation are "
                                           "missing"});
    }
    finishStream(s, out, m_path);
    resetStream(s);
    return false;
}

// logrotate's `copytruncate` with `compress` (and no `delaycompress`) leaves the copy only as
// app.log.1.gz once gzip is done. Its text is decoded up to our offset (the whole prefix:
// compressed data cannot be entered in the middle) and checked against our last bytes there
// before the rest is read. The newest matching sibling wins, as for plain copies.
bool LogTail::recoverFromCompressedCopy(Stream& s, TailBatch& out)
{
    if (s.print.empty() || s.offset < s.print.size())
        return false;
    const fs::path self(m_path);
    const fs::path dir = self.parent_path().empty() ? fs::path(".") : self.parent_path();
    const std::string base = self.filename().string();
    std::vector<std::pair<fs::file_time_type, std::string>> candidates;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() <= base.size() + 1 || name.compare(0, base.size(), base) != 0)
            continue;
        const char sep = name[base.size()];
        const bool decodable = name.ends_with(".gz") || name.ends_with(".zst");
        std::error_code fe;
        if ((sep != '.' && sep != '-' && sep != '_') || !decodable || !entry.is_regular_file(fe) || fe)
            continue;
        const auto time = entry.last_write_time(fe);
        if (!fe)
            candidates.emplace_back(time, (self.parent_path() / name).string());
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string scratch(std::size_t{1} << 20, '\0');
    for (const auto& candidate : candidates) {
        const std::string& path = candidate.second;
        auto source = openByteSource(path);
        if (!source || source->compression() == Compression::None)
            continue;
        std::uint64_t skip = s.offset - s.print.size();
        while (skip > 0) {
            const std::size_t got = source->read(
                scratch.data(), static_cast<std::size_t>(std::min<std::uint64_t>(skip, scratch.size())));
            if (got == 0)
                break;
            skip -= got;
        }
        std::string at(s.print.size(), '\0');
        if (skip > 0 || source->read(at.data(), at.size()) != at.size() || at != s.print)
            continue;
        consumeDecoded(s, *source, out, path, false);
        noteCorruption(s, *source, out, path, " data in the rotated copy after line ");
        finishStream(s, out, path);
        return true;
    }
    return false;
}

// Damage in compressed text ends it: one malformed entry at the first line not read,
// as loadLogs reports it.
void LogTail::noteCorruption(Stream& s, const ByteSource& source, TailBatch& out,
                             const std::string& problemPath, const char* where)
{
    if (source.corruption().empty())
        return;
    out.problems.push_back(Problem{problemPath, s.lineNo + 1,
                                   std::string("corrupt ") + compressionName(source.compression()) + where +
                                       std::to_string(s.lineNo) + ": " + source.corruption()});
    ++out.lines;
    ++out.malformed;
    ++s.lineNo;
}

// readAll's loop over decoded text: whole lines parsed, the rest held as pending. False
// when a stop request (stoppable only) ended it before the end of the text.
bool LogTail::consumeDecoded(Stream& s, ByteSource& source, TailBatch& out, const std::string& problemPath,
                             bool stoppable)
{
    const std::size_t padding = jsonPadding();
    std::string work;
    while (true) {
        if (stoppable && m_stop.stop_requested())
            return false;
        const std::size_t keep = s.pending.size();
        const std::size_t want = m_options.readChunkBytes;
        work.resize(keep + want + padding);
        std::memcpy(work.data(), s.pending.data(), keep);
        const std::size_t got = source.read(work.data() + keep, want);
        if (got == 0)
            return true;
        s.offset += got;
        m_counters.bytes += got;
        out.bytes += got;
        const std::size_t size = keep + got;
        std::memset(work.data() + size, ' ', work.size() - size);
        consume(s, work, size, false, out, problemPath);
        if (got < want)
            return true;
    }
}

Result<bool> LogTail::readOnce(TailBatch& out, std::stop_token stop)
{
    if (m_onceDone)
        return true;
    if (!m_onceSource) {
        m_onceSource = openByteSource(m_path);
        if (!m_onceSource)
            return Error{m_path + ": cannot open: " + std::strerror(errno)};
        m_onceStream = std::make_unique<Stream>();
        m_onceStream->name = m_path;
    }
    m_stop = std::move(stop);
    Stream& s = *m_onceStream;
    const std::uint64_t linesBefore = out.lines;
    const std::uint64_t malformedBefore = out.malformed;
    const bool ended = consumeDecoded(s, *m_onceSource, out, m_path, true);
    if (ended) {
        if (m_onceSource->ioError())
            return Error{m_path + ": read error"};
        noteCorruption(s, *m_onceSource, out, m_path, " data after line ");
        if (!s.pending.empty() || s.inLongLine) {
            std::string work = s.pending;
            const std::size_t size = work.size();
            work.resize(size + jsonPadding(), ' ');
            s.pending.clear();
            consume(s, work, size, true, out, m_path);
            finishStream(s, out, m_path);
        }
        m_onceDone = true;
        m_onceSource.reset();
        m_onceStream.reset();
    }
    m_counters.lines += out.lines - linesBefore;
    m_counters.malformed += out.malformed - malformedBefore;
    return ended;
}

Result<bool> LogTail::poll(TailBatch& out, bool final, std::stop_token stop)
{
    m_stop = std::move(stop);
    const std::uint64_t linesBefore = out.lines;
    const std::uint64_t malformedBefore = out.malformed;
    bool grew = false;
    for (auto it = m_renamed.begin(); it != m_renamed.end();) {
        Stream& r = **it;
        auto read = readAll(r, out, r.name);
        if (!read)
            return read.error();
        grew |= read.value();
        if (final || Clock::now() - r.lastGrowth > m_options.renamedDrainIdle) {
            finishStream(r, out, r.name);
            it = m_renamed.erase(it);
        } else {
            ++it;
        }
    }
    std::string error;
    if (!m_current) {
        m_current = openStream(&error);
        if (!error.empty())
            return Error{error};
        if (!m_current)
            return grew;
    }
    struct stat st
    {
    };
    if (::stat(m_path.c_str(), &st) == 0) {
        if (st.st_dev != m_current->dev || st.st_ino != m_current->ino) {
            // Rename-and-create: whatever reached the old file before the rename is read first.
            auto read = readAll(*m_current, out, m_current->name);
            if (!read)
                return read.error();
            grew |= read.value();
            ++m_counters.renameRotations;
            m_current->name = currentName(m_path, m_current->dev, m_current->ino);
            m_current->lastGrowth = Clock::now();
            if (final)
                finishStream(*m_current, out, m_current->name);
            else
                m_renamed.push_back(std::move(m_current));
            m_current = openStream(&error);
            if (!error.empty())
                return Error{error};
        } else if (truncated(*m_current, static_cast<std::uint64_t>(st.st_size))) {
            auto recovered = recoverTruncated(*m_current, out);
            if (!recovered)
                return recovered.error();
            grew = true;
        }
    }
    if (m_current) {
        auto read = readAll(*m_current, out, m_current->name);
        if (!read)
            return read.error();
        grew |= read.value();
        if (m_current->truncatedSeen) {
            auto recovered = recoverTruncated(*m_current, out);
            if (!recovered)
                return recovered.error();
            read = readAll(*m_current, out, m_current->name);
            if (!read)
                return read.error();
            grew = true;
        }
        if (final)
            finishStream(*m_current, out, m_current->name);
    }
    m_counters.lines += out.lines - linesBefore;
    m_counters.malformed += out.malformed - malformedBefore;
    return grew;
}

} // namespace vigil::ingest
