#include "ingest/load.h"

#include "ingest/block_buffer.h"
#include "ingest/block_pool.h"
#include "ingest/byte_source.h"
#include "ingest/csv_block.h"
#include "ingest/csv_split.h"
#include "ingest/infer_detail.h"
#include "ingest/jsonl_block.h"
#include "ingest/load_detail.h"
#include "ingest/log_sources.h"
#include "ingest/spill_store.h"
#include "ingest/table_merge.h"
#include "ingest/text_util.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace vigil::ingest {

namespace {

namespace fs = std::filesystem;

struct FileCloser
{
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

struct InputFile
{
    std::string path;
    LogFormat format = LogFormat::Auto;
    std::uint64_t size = 0;
    std::uint64_t records = 0;    // non-blank lines (CSV: data records)
    std::uint64_t lineOffset = 0; // physical lines before the next merged block
    std::vector<Problem> problems;
    std::optional<Problem> damage; // damaged compressed data ended the file early
};

LogFormat formatByName(const std::string& path)
{
    // `app.jsonl.2.gz` is JSONL: the compression and rotation suffixes say nothing.
    const std::string ext =
        toLower(fs::path(logBaseName(fs::path(path).filename().string())).extension().string());
    if (ext == ".jsonl" || ext == ".json" || ext == ".ndjson")
        return LogFormat::Jsonl;
    if (ext == ".csv")
        return LogFormat::Csv;
    return LogFormat::Auto;
}

std::string readPrefix(const std::string& path, std::size_t bytes, bool& wholeFile)
{
    const auto source = openByteSource(path);
    std::error_code ec;
    const auto fileSize = path == kStdinPath ? std::uintmax_t{0} : fs::file_size(path, ec);
    if (path == kStdinPath)
        ec = std::make_error_code(std::errc::not_supported);
    if (source && source->compression() == Compression::None && !ec && fileSize < bytes)
        bytes = static_cast<std::size_t>(fileSize) + 1; // +1 so that the end of the file is seen
    std::string text(bytes, '\0');
    const std::size_t n = source ? source->read(text.data(), bytes) : 0;
    text.resize(n);
    wholeFile = n < bytes;
    return text;
}

// The first `rows` records (plus the CSV header), cut at a record boundary; `complete` says
// whether all of them were there.
std::string_view sampleText(std::string_view text, LogFormat format, std::size_t rows, bool wholeFile,
                            bool* complete = nullptr)
{
    std::size_t wanted = rows + (format == LogFormat::Csv ? 1 : 0);
    std::size_t pos = 0;
    while (pos < text.size() && wanted > 0) {
        std::size_t end = 0;
        bool complete = false;
        if (format == LogFormat::Csv) {
            const CsvRecordEnd e = findCsvRecordEnd(text.data(), pos, text.size());
            end = e.end;
            complete = e.complete;
        } else {
            end = text.find('\n', pos);
            complete = end != std::string_view::npos;
            if (!complete)
                end = text.size();
        }
        if (!complete && !wholeFile)
            break; // a partial last line is left out
        if (!trimSpaces(text.substr(pos, end - pos)).empty())
            --wanted;
        pos = std::min(end + 1, text.size());
    }
    if (complete)
        *complete = wanted == 0;
    return text.substr(0, pos);
}

struct Pending
{
    std::future<BlockResult> result;
    std::size_t file = 0;
    std::uint64_t bytes = 0; // of the input this block covers
};

class Loader
{
  public:
    Loader(const LoadOptions& options, std::size_t blockBytes, std::stop_token stop,
           const ProgressFn& progress)
        : m_options(options), m_blockBytes(std::max<std::size_t>(blockBytes, 16)), m_stop(std::move(stop)),
          m_progress(progress)
    {
    }

    Result<LoadedLog> run(const std::vector<std::string>& paths);

  private:
    std::optional<Error> openAll(const std::vector<std::string>& paths);
    std::optional<Error> infer();
    std::optional<Error> readFile(std::size_t index);
    bool readHeader(std::size_t index, const char* data, std::size_t size, bool eof, std::size_t& begin);
    void submit(std::size_t file, std::shared_ptr<Buffer> buffer, std::size_t begin, std::size_t end,
                std::uint64_t progressBytes);
    void submitCorruption(std::size_t index, const ByteSource& source);
    void submitProblem(std::size_t file, std::string error, std::uint64_t bytes);
    void mergeFront();
    void drain(std::size_t keep);
    BlockResult parseBlock(void* state, std::size_t file, const Buffer& buffer, std::size_t begin,
                           std::size_t end);

    const LoadOptions& m_options;
    std::size_t m_blockBytes;
    std::stop_token m_stop;
    const ProgressFn& m_progress;

    std::vector<InputFile> m_files;
    std::uint64_t m_totalBytes = 0;
    std::uint64_t m_mergedBytes = 0;
    InferredSchema m_schema;
    std::vector<std::string> m_inferWarnings;
    std::unique_ptr<RowPlan> m_plan;
    std::shared_ptr<BufferRecycler> m_buffers;
    std::vector<std::shared_ptr<const CsvLayout>> m_layouts;
    std::unique_ptr<JsonlBlockParser> m_inlineParser;
    std::unique_ptr<BlockPool> m_pool;
    std::size_t m_maxInFlight = 2;
    std::deque<Pending> m_pending;
    double m_avgRecordBytes = 0.0;

    LoadedLog m_log;
    std::unique_ptr<TableMerger> m_merger;
    std::vector<std::uint64_t> m_nonNumeric;
};

std::optional<Error> Loader::openAll(const std::vector<std::string>& given)
{
    if (given.empty())
        return Error{"no log file given"};
    auto expanded = expandLogSources(given);
    if (!expanded)
        return expanded.error();
    for (const std::string& path : expanded.value()) {
        if (path == kStdinPath) {
            // A pipe: no size (progress is not known), the format from the option or the text.
            InputFile file;
            file.path = path;
            file.format = m_options.format;
            if (file.format == LogFormat::Auto) {
                bool whole = false;
                file.format = sniffFormat(readPrefix(path, 4096, whole));
            }
            m_files.push_back(std::move(file));
            continue;
        }
        std::error_code ec;
        const auto status = fs::status(path, ec);
        if (ec || !fs::exists(status))
            return Error{path + ": no such file"};
        if (fs::is_directory(status))
            return Error{path + ": is a directory, not a log file"};
        FilePtr f(std::fopen(path.c_str(), "rb"));
        if (!f)
            return Error{path + ": cannot open: " + std::strerror(errno)};
        // Reading one byte catches files that open but cannot be read (EISDIR, EIO).
        char probe = 0;
        if (std::fread(&probe, 1, 1, f.get()) == 0 && std::ferror(f.get()))
            return Error{path + ": cannot read: " + std::strerror(errno)};
        InputFile file;
        file.path = path;
        file.size = fs::is_regular_file(status) ? fs::file_size(path, ec) : 0;
        file.format = m_options.format != LogFormat::Auto ? m_options.format : formatByName(path);
        if (file.format == LogFormat::Auto) {
            bool whole = false;
            file.format = sniffFormat(readPrefix(path, 4096, whole));
        }
        m_totalBytes += file.size;
        m_files.push_back(std::move(file));
    }
    return std::nullopt;
}

std::optional<Error> Loader::infer()
{
    std::optional<Error> firstError;
    const std::size_t rows = m_options.sampleRows == 0 ? 1000 : m_options.sampleRows;
    for (const InputFile& file : m_files) {
        // The sample is the first rows of the file: read 1 MiB first (a thousand rows of a
        // wide log), more only when that holds fewer rows, up to 16 MiB. Reading 16 MiB every
        // time cost the 1M-row report 8 ms before its parse could start.
        bool whole = false;
        std::string prefix;
        std::string_view text;
        for (std::size_t bytes = 1u << 20;; bytes *= 4) {
            prefix = readPrefix(file.path, bytes, whole);
            bool complete = false;
            text = sampleText(prefix, file.format, rows, whole, &complete);
            if (complete || whole || bytes >= (16u << 20))
                break;
        }
        if (trimSpaces(text).empty() && (whole || prefix.empty()))
            continue;
        auto result = inferSchemaWithOverrides(text, file.format, m_options.overrides);
        if (!result) {
            if (!firstError && result.error().message != "empty file")
                firstError = Error{file.path + ": " + result.error().message};
            continue;
        }
        m_schema = std::move(result.value());
        m_inferWarnings = result.warnings;
        if (m_schema.mapping.timestamp.empty()) {
            std::string fields;
            for (const FieldInfo& f : m_schema.fields)
                fields += (fields.empty() ? "" : ", ") + f.path;
            return Error{file.path + ": no timestamp field found among " + fields +
                         " (set mapping.timestamp in the config)"};
        }
        if (m_options.requireRequestId && m_schema.mapping.requestId.empty())
            return Error{file.path + ": no request id field found (e.g. request_id; set it in the config)"};
        if (m_schema.sampledRows > 0)
            m_avgRecordBytes = static_cast<double>(text.size()) / static_cast<double>(m_schema.sampledRows);
        return std::nullopt;
    }
    if (firstError)
        return firstError;
    std::string names;
    for (const InputFile& f : m_files)
        names += (names.empty() ? "" : ", ") + f.path;
    return Error{names + ": empty file"};
}

BlockResult Loader::parseBlock(void* state, std::size_t file, const Buffer& buffer, std::size_t begin,
                               std::size_t end)
{
    const std::size_t maxProblems = m_options.maxListedProblems;
    if (m_files[file].format == LogFormat::Csv)
        return parseCsvBlock(buffer.data.get() + begin, end - begin, *m_layouts[file], *m_plan, maxProblems);
    auto* parser = static_cast<JsonlBlockParser*>(state);
    return parser->parse(buffer.data.get() + begin, end - begin, buffer.allocated - begin, maxProblems);
}

void Loader::submit(std::size_t file, std::shared_ptr<Buffer> buffer, std::size_t begin, std::size_t end,
                    std::uint64_t progressBytes)
{
    Pending pending;
    pending.file = file;
    pending.bytes = progressBytes;
    if (!m_pool) {
        std::promise<BlockResult> promise;
        promise.set_value(parseBlock(m_inlineParser.get(), file, *buffer, begin, end));
        pending.result = promise.get_future();
    } else {
        auto promise = std::make_shared<std::promise<BlockResult>>();
        pending.result = promise->get_future();
        m_pool->submit([this, promise, file, buffer, begin, end](void* state) {
            try {
                promise->set_value(parseBlock(state, file, *buffer, begin, end));
            } catch (...) {
                promise->set_exception(std::current_exception());
            }
        });
    }
    m_pending.push_back(std::move(pending));
    drain(m_maxInFlight);
}

void Loader::submitProblem(std::size_t file, std::string error, std::uint64_t bytes)
{
    BlockResult result;
    result.table = makeEmptyTable(*m_plan);
    result.lines = 1;
    result.malformed = 1;
    result.physicalLines = 1;
    result.problems.push_back(BlockProblem{0, std::move(error)});
    std::promise<BlockResult> promise;
    promise.set_value(std::move(result));
    m_pending.push_back(Pending{promise.get_future(), file, bytes});
    drain(m_maxInFlight);
}

// Damaged compressed data ends the file: what was decoded before it is kept, and
// the damage is one malformed entry at the first line not read. The blocks before
// are merged first so that the line count in the message is known.
void Loader::submitCorruption(std::size_t index, const ByteSource& source)
{
    drain(0);
    InputFile& file = m_files[index];
    const std::uint64_t linesRead = file.lineOffset;
    file.damage = Problem{file.path, linesRead + 1,
                          std::string("corrupt ") + compressionName(source.compression()) +
                              " data after line " + std::to_string(linesRead) + ": " + source.corruption()};
    file.records += 1;
    m_log.lines += 1;
    m_log.malformed += 1;
}

void Loader::drain(std::size_t keep)
{
    while (m_pending.size() > keep)
        mergeFront();
}

void Loader::mergeFront()
{
    Pending pending = std::move(m_pending.front());
    m_pending.pop_front();
    BlockResult block = pending.result.get();
    InputFile& file = m_files[pending.file];
    for (BlockProblem& p : block.problems)
        file.problems.push_back(Problem{file.path, file.lineOffset + p.line + 1, std::move(p.error)});
    file.lineOffset += block.physicalLines;
    file.records += block.lines;
    m_log.lines += block.lines;
    m_log.malformed += block.malformed;
    for (std::size_t i = 0; i < block.nonNumeric.size(); ++i)
        m_nonNumeric[i] += block.nonNumeric[i];
    m_merger->append(std::move(block.table));
    if (m_merger->spillError())
        throw std::runtime_error(m_merger->spillError()->message);
    m_mergedBytes += pending.bytes;
    if (m_progress && m_totalBytes > 0)
        m_progress(std::min(1.0, static_cast<double>(m_mergedBytes) / static_cast<double>(m_totalBytes)),
                   "reading");
}

// Reads the CSV header record; false while it is not complete yet.
bool Loader::readHeader(std::size_t index, const char* data, std::size_t size, bool eof, std::size_t& begin)
{
    InputFile& file = m_files[index];
    std::size_t pos = begin;
    while (pos < size) {
        const CsvRecordEnd end = findCsvRecordEnd(data, pos, size);
        if (!end.complete && !eof)
            return false;
        const std::string_view record(data + pos, end.end - pos);
        file.lineOffset += 1 + end.newlines;
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
        m_layouts[index] = std::make_shared<const CsvLayout>(makeCsvLayout(std::move(header), *m_plan));
        begin = pos;
        return true;
    }
    begin = pos;
    return eof;
}

std::optional<Error> Loader::readFile(std::size_t index)
{
    InputFile& file = m_files[index];
    const std::unique_ptr<ByteSource> source = openByteSource(file.path);
    if (!source)
        return Error{file.path + ": cannot open: " + std::strerror(errno)};
    const bool csv = file.format == LogFormat::Csv;
    bool headerDone = !csv;
    bool first = true;
    std::string carry;
    // Progress counts bytes on disk, which for a compressed file are fewer than the text.
    std::uint64_t diskReported = 0;
    auto progressBytes = [&](std::uint64_t textBytes) -> std::uint64_t {
        if (source->compression() == Compression::None)
            return textBytes;
        const std::uint64_t delta = source->diskBytes() - diskReported;
        diskReported = source->diskBytes();
        return delta;
    };
    auto readError = [&] { return Error{file.path + ": read error: " + std::strerror(errno)}; };
    // A pipe's size is known once it has been read: the bytes it gave (compressed ones for
    // .gz/.zst text, as for files).
    struct PipeBytes
    {
        InputFile& file;
        const ByteSource& source;
        std::uint64_t& total;
        ~PipeBytes()
        {
            if (file.path == kStdinPath) {
                file.size = source.diskBytes();
                total += file.size;
            }
        }
    } pipeBytes{file, *source, m_totalBytes};
    while (true) {
        if (stopRequested(m_stop))
            return Error{"loading cancelled"};
        auto buffer = m_buffers->acquire(carry.size() + m_blockBytes);
        char* data = buffer->data.get();
        std::memcpy(data, carry.data(), carry.size());
        const std::size_t n = source->read(data + carry.size(), m_blockBytes);
        if (source->ioError())
            return readError();
        // Damaged compressed data ends the text early; a partial line before the
        // damage is not a line and is dropped.
        const bool corrupt = !source->corruption().empty();
        const bool eof = n < m_blockBytes;
        const std::size_t size = carry.size() + n;
        std::memset(data + size, ' ', buffer->allocated - size);
        carry.clear();
        std::size_t begin = 0;
        if (first && size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0)
            begin = 3;
        if (first && !eof && size < 3) {
            carry.assign(data, size);
            continue;
        }
        first = false;
        if (!headerDone) {
            const std::size_t headerStart = begin;
            headerDone = readHeader(index, data, size, eof && !corrupt, begin);
            if (!headerDone && corrupt) {
                submitCorruption(index, *source);
                return std::nullopt;
            }
            if (!headerDone) {
                if (size - headerStart > kMaxLineBytes)
                    return Error{file.path + ": CSV header longer than 1 MiB"};
                carry.assign(data + headerStart, size - headerStart);
                continue;
            }
            if (!m_layouts[index] ||
                std::find(m_layouts[index]->header.begin(), m_layouts[index]->header.end(),
                          m_plan->mapping.timestamp) == m_layouts[index]->header.end()) {
                if (m_layouts[index])
                    file.problems.push_back(Problem{file.path, 0,
                                                    "no column '" + m_plan->mapping.timestamp +
                                                        "' (the timestamp); file skipped"});
                m_mergedBytes += file.size;
                return std::nullopt;
            }
        }
        std::size_t cut = size;
        if (!eof || corrupt) {
            cut = begin + (csv ? lastCsvBoundary(data + begin, size - begin) : 0);
            if (!csv) {
                const void* nl = memrchr(data + begin, '\n', size - begin);
                cut = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1 : begin;
            }
        }
        if (cut == begin && !eof) {
            if (size - begin <= kMaxLineBytes) {
                carry.assign(data + begin, size - begin);
                continue;
            }
            // A record longer than any sane log line: report it and skip to its end
            // without buffering it.
            const auto* nl = static_cast<const char*>(std::memchr(data + begin, '\n', size - begin));
            if (nl != nullptr) {
                const auto len = static_cast<std::size_t>(nl - (data + begin));
                submitProblem(index,
                              len > kMaxLineBytes ? "line too long (" + std::to_string(len) + " bytes)"
                                                  : "unterminated quoted field (record longer than 1 MiB)",
                              progressBytes(len + 1));
                carry.assign(nl + 1, static_cast<std::size_t>(data + size - nl - 1));
                continue;
            }
            std::uint64_t len = size - begin;
            std::vector<char> skip(m_blockBytes);
            bool found = false;
            bool atEnd = false;
            while (!found && !atEnd) {
                const std::size_t got = source->read(skip.data(), skip.size());
                if (source->ioError())
                    return readError();
                atEnd = got < skip.size();
                const auto* hit = static_cast<const char*>(std::memchr(skip.data(), '\n', got));
                if (hit != nullptr) {
                    found = true;
                    len += static_cast<std::uint64_t>(hit - skip.data());
                    carry.assign(hit + 1, static_cast<std::size_t>(skip.data() + got - hit - 1));
                } else {
                    len += got;
                }
            }
            // Damage inside the long line: it ends there. Damage after its end is
            // met by the next read, after the lines carried over.
            if (!found && !source->corruption().empty()) {
                submitCorruption(index, *source);
                return std::nullopt;
            }
            submitProblem(index, "line too long (" + std::to_string(len) + " bytes)", progressBytes(len));
            if (found && !(atEnd && carry.empty()))
                continue;
            if (!found)
                break;
            continue;
        }
        if (cut > begin)
            submit(index, buffer, begin, cut, progressBytes(cut - begin));
        if (corrupt) {
            submitCorruption(index, *source);
            return std::nullopt;
        }
        carry.assign(data + cut, size - cut);
        if (eof)
            break;
    }
    return std::nullopt;
}

Result<LoadedLog> Loader::run(const std::vector<std::string>& paths)
{
    const auto started = std::chrono::steady_clock::now();
    if (auto error = openAll(paths))
        return *error;
    if (auto error = infer())
        return *error;
    m_plan = std::make_unique<RowPlan>(RowPlan::build(m_schema));
    m_plan->keepRequestIds = m_options.keepRequestIds || m_options.requireRequestId;
    m_plan->avgRecordBytes = m_avgRecordBytes;
    m_plan->requireRequestId = m_options.requireRequestId;
    m_schema.mapping.predictionKind = m_plan->mapping.predictionKind;
    m_layouts.resize(m_files.size());
    m_nonNumeric.assign(m_plan->dests.size(), 0);
    m_log.table = makeEmptyTable(*m_plan);
    m_merger = std::make_unique<TableMerger>(m_log.table);
    if (m_options.memoryBudgetBytes > 0)
        m_merger->spillTo(m_options.spillDir, m_options.memoryBudgetBytes);
    if (m_avgRecordBytes > 0) {
        // Untouched reserved pages cost no memory, so a generous estimate is cheap.
        const double estimate = static_cast<double>(m_totalBytes) / m_avgRecordBytes * 1.05 + 16;
        m_merger->reserve(
            static_cast<std::size_t>(std::min(estimate, static_cast<double>(m_totalBytes) + 16)));
    }

    unsigned threads = m_options.threads != 0 ? m_options.threads : std::thread::hardware_concurrency();
    threads = std::max(1u, threads);
    if (threads == 1) {
        m_inlineParser = std::make_unique<JsonlBlockParser>(*m_plan);
    } else {
        const RowPlan* plan = m_plan.get();
        m_pool = std::make_unique<BlockPool>(threads, [plan] {
            return std::static_pointer_cast<void>(std::make_shared<JsonlBlockParser>(*plan));
        });
        m_maxInFlight = threads * 2;
        // Blocks in flight hold their input and their parsed rows; many cores with
        // large blocks would hold a gigabyte, so blocks shrink as threads grow.
        constexpr std::size_t kInFlightBudget = 192u << 20;
        m_blockBytes =
            std::min(m_blockBytes, std::max<std::size_t>(2u << 20, kInFlightBudget / m_maxInFlight));
    }

    m_buffers = std::make_shared<BufferRecycler>(m_blockBytes, m_maxInFlight + 2);
    for (std::size_t i = 0; i < m_files.size(); ++i) {
        if (auto error = readFile(i)) {
            m_pool.reset(); // finish what is in flight before the buffers go away
            return *error;
        }
    }
    drain(0);
    m_pool.reset();
    if (!m_merger->finishSpill())
        return *m_merger->spillError();
    m_log.spill = m_merger->spillStore(); // null when the log fitted
    m_log.spilledRows = m_log.spill ? m_log.spill->rows() : 0;
    m_log.memoryBudgetBytes = m_options.memoryBudgetBytes;
    m_log.spillDir = m_options.spillDir;

    std::vector<std::string> warnings = m_inferWarnings;
    for (std::size_t i = 0; i < m_files.size(); ++i) {
        InputFile& file = m_files[i];
        if (file.records == 0 && file.problems.empty())
            m_log.problems.push_back(Problem{file.path, 0, "empty file"});
        for (Problem& p : file.problems) {
            if (m_log.problems.size() < m_options.maxListedProblems)
                m_log.problems.push_back(std::move(p));
        }
        // Listed even past the cap: damage usually comes after many garbled lines,
        // and it is what explains them.
        if (file.damage)
            m_log.problems.push_back(std::move(*file.damage));
        m_log.paths.push_back(file.path);
    }
    if (m_log.rowCount() == 0) {
        std::string names;
        for (const InputFile& f : m_files)
            names += (names.empty() ? "" : ", ") + f.path;
        if (m_log.malformed == 0)
            return Error{names + ": empty file"};
        const Problem* first = nullptr;
        for (const Problem& p : m_log.problems) {
            if (p.line > 0) {
                first = &p;
                break;
            }
        }
        return Error{names + ": no usable rows (" + std::to_string(m_log.malformed) + " malformed lines" +
                     (first ? "; first: line " + std::to_string(first->line) + ": " + first->error : "") +
                     ")"};
    }
    for (std::size_t d = 0; d < m_nonNumeric.size(); ++d) {
        if (m_nonNumeric[d] > 0)
            warnings.push_back(std::to_string(m_nonNumeric[d]) + " values of '" + m_plan->dests[d].path +
                               "' are not numbers and were read as null");
    }
    if (m_log.malformed > 0)
        warnings.push_back(std::to_string(m_log.malformed) + " malformed lines skipped");
    m_log.schema = std::move(m_schema);
    m_log.bytes = m_totalBytes;
    m_log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (m_progress)
        m_progress(1.0, "reading");
    Result<LoadedLog> result(std::move(m_log));
    result.warnings = std::move(warnings);
    return result;
}

} // namespace

Result<LoadedLog> loadLogsWithBlockSize(const std::vector<std::string>& paths, const LoadOptions& options,
                                        std::size_t blockBytes, std::stop_token stop,
                                        const ProgressFn& progress)
{
    try {
        Loader loader(options, blockBytes, std::move(stop), progress);
        return loader.run(paths);
    } catch (const std::bad_alloc&) {
        return Error{"out of memory while loading the log"};
    } catch (const std::exception& e) {
        return Error{std::string("loading failed: ") + e.what()};
    }
}

} // namespace vigil::ingest

namespace vigil {

Result<LoadedLog> loadLogs(const std::vector<std::string>& paths, const LoadOptions& options,
                           std::stop_token stop, const ProgressFn& progress)
{
    return ingest::loadLogsWithBlockSize(paths, options, ingest::kDefaultBlockBytes, std::move(stop),
                                         progress);
}

} // namespace vigil
