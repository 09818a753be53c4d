#include "ingest/live_log.h"

#include "ingest/byte_source.h"
#include "ingest/csv_split.h"
#include "ingest/infer_detail.h"
#include "ingest/log_sources.h"
#include "ingest/row_sink.h"
#include "ingest/table_merge.h"
#include "ingest/text_util.h"

#include <algorithm>
#include <filesystem>

namespace vigil::ingest {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kInferPrefixBytes = 16u << 20;

LogFormat formatOf(const std::string& path, LogFormat given, std::string_view prefix)
{
    if (given != LogFormat::Auto)
        return given;
    const std::string ext =
        toLower(fs::path(logBaseName(fs::path(path).filename().string())).extension().string());
    if (ext == ".jsonl" || ext == ".json" || ext == ".ndjson")
        return LogFormat::Jsonl;
    if (ext == ".csv")
        return LogFormat::Csv;
    return sniffFormat(prefix);
}

bool compressed(const std::string& path)
{
    const std::string ext = toLower(fs::path(path).extension().string());
    return ext == ".gz" || ext == ".zst";
}

// Up to `bytes` of the file's text (decoded when it is .gz/.zst).
std::string textPrefix(const std::string& path, std::size_t bytes)
{
    auto source = openByteSource(path);
    if (!source)
        return {};
    std::string text(bytes, '\0');
    std::size_t got = 0;
    while (got < bytes) {
        const std::size_t n = source->read(text.data() + got, bytes - got);
        if (n == 0)
            break;
        got += n;
    }
    text.resize(got);
    return text;
}

// The whole lines (records) at the start of the file, at most `rows` of them
// after a CSV header; empty while there is none.
std::string firstWholeLines(const std::string& path, LogFormat format, std::size_t rows)
{
    std::string text = textPrefix(path, kInferPrefixBytes);
    if (text.empty())
        return {};
    std::size_t wanted = rows + (format == LogFormat::Csv ? 1 : 0);
    std::size_t pos = 0;
    std::size_t complete = 0;
    while (pos < text.size() && wanted > 0) {
        std::size_t end = 0;
        if (format == LogFormat::Csv) {
            const CsvRecordEnd e = findCsvRecordEnd(text.data(), pos, text.size());
            if (!e.complete)
                break;
            end = e.end;
        } else {
            end = text.find('\n', pos);
            if (end == std::string::npos)
                break;
        }
        if (!trimSpaces(std::string_view(text).substr(pos, end - pos)).empty()) {
            --wanted;
            ++complete;
        }
        pos = end + 1;
    }
    // A CSV header alone says nothing about the values yet.
    if (complete < (format == LogFormat::Csv ? 2u : 1u))
        return {};
    text.resize(pos);
    return text;
}

} // namespace

LiveLog::LiveLog(std::vector<std::string> paths, LoadOptions options, TailOptions tail)
    : m_given(std::move(paths)), m_options(std::move(options)), m_tailOptions(tail)
{
    m_tailOptions.maxProblems = m_options.maxListedProblems;
    m_log.paths = m_given;
}

// Folders and globs become rotation groups (directory + base name, in loadLogs' order):
// the last file of a group is the live one unless it is compressed.
Result<bool> LiveLog::expandSources()
{
    for (const std::string& given : m_given) {
        std::error_code ec;
        const bool folder = fs::is_directory(given, ec);
        const bool pattern = given.find_first_of("*?[") != std::string::npos && !fs::exists(given, ec);
        if (!folder && !pattern) {
            m_paths.push_back(given);
            continue;
        }
        auto expanded = expandLogSources({given});
        if (!expanded)
            return expanded.error();
        const std::vector<std::string>& files = expanded.value();
        for (std::size_t i = 0; i < files.size(); ++i) {
            const fs::path p(files[i]);
            const bool lastOfGroup =
                i + 1 == files.size() || fs::path(files[i + 1]).parent_path() != p.parent_path() ||
                logBaseName(fs::path(files[i + 1]).filename().string()) != logBaseName(p.filename().string());
            if (lastOfGroup && !compressed(files[i]))
                m_paths.push_back(files[i]);
            else
                m_history.push_back(files[i]);
        }
    }
    m_log.paths = m_history;
    m_log.paths.insert(m_log.paths.end(), m_paths.begin(), m_paths.end());
    m_expanded = true;
    return true;
}

LiveLog::~LiveLog() = default;

Result<bool> LiveLog::inferFromFirstLines()
{
    const std::size_t rows = m_options.sampleRows == 0 ? 1000 : m_options.sampleRows;
    std::vector<std::string> candidates = m_history;
    candidates.insert(candidates.end(), m_paths.begin(), m_paths.end());
    for (const std::string& path : candidates) {
        const std::string head = textPrefix(path, 4096);
        const LogFormat format = formatOf(path, m_options.format, head);
        const std::string text = firstWholeLines(path, format, rows);
        if (text.empty())
            continue;
        auto inferred = inferSchemaWithOverrides(text, format, m_options.overrides);
        if (!inferred) {
            if (inferred.error().message == "empty file")
                continue;
            return Error{path + ": " + inferred.error().message};
        }
        InferredSchema schema = std::move(inferred.value());
        if (schema.mapping.timestamp.empty()) {
            std::string fields;
            for (const FieldInfo& f : schema.fields)
                fields += (fields.empty() ? "" : ", ") + f.path;
            return Error{path + ": no timestamp field found among " + fields +
                         " (set mapping.timestamp in the config)"};
        }
        if (m_options.requireRequestId && schema.mapping.requestId.empty())
            return Error{path + ": no request id field found (e.g. request_id; set it in the config)"};
        m_plan = std::make_unique<RowPlan>(RowPlan::build(schema));
        m_plan->requireRequestId = m_options.requireRequestId;
        schema.mapping.predictionKind = m_plan->mapping.predictionKind;
        m_log.schema = std::move(schema);
        m_log.table = makeEmptyTable(*m_plan);
        m_merger = std::make_unique<TableMerger>(m_log.table);
        m_nonNumeric.assign(m_plan->dests.size(), 0);
        const auto makeTail = [&](const std::string& p) {
            const LogFormat f = p == path ? format : formatOf(p, m_options.format, {});
            return std::make_unique<LogTail>(p, f == LogFormat::Auto ? format : f, *m_plan, m_tailOptions);
        };
        for (const std::string& p : m_history)
            m_historyTails.push_back(makeTail(p));
        for (const std::string& p : m_paths)
            m_tails.push_back(makeTail(p));
        return true;
    }
    return false;
}

Result<std::size_t> LiveLog::poll(bool final, std::stop_token stop)
{
    try {
        if (!m_expanded) {
            auto expanded = expandSources();
            if (!expanded)
                return expanded.error();
        }
        for (const std::string& p : m_paths) {
            if (compressed(p))
                return Error{p +
                             ": a compressed file cannot be followed (read it without --follow, or follow "
                             "its folder: older compressed files are read once)"};
        }
        if (!m_plan) {
            auto ready = inferFromFirstLines();
            if (!ready)
                return ready.error();
            if (!ready.value())
                return std::size_t{0};
        }
        const std::size_t before = m_log.table.rows();
        // Older files first and whole, so that rows stay in the order of the data.
        for (auto& tail : m_historyTails) {
            TailBatch batch;
            auto read = tail->readOnce(batch, stop);
            if (!read)
                return read.error();
            absorb(batch);
            if (!read.value())
                return m_log.table.rows() - before;
        }
        for (auto& tail : m_tails) {
            TailBatch batch;
            auto polled = tail->poll(batch, final, stop);
            if (!polled)
                return polled.error();
            absorb(batch);
        }
        m_log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
        return m_log.table.rows() - before;
    } catch (const std::bad_alloc&) {
        return Error{"out of memory while following the log"};
    } catch (const std::exception& e) {
        return Error{std::string("following the log failed: ") + e.what()};
    }
}

void LiveLog::absorb(TailBatch& batch)
{
    m_log.lines += batch.lines;
    m_log.malformed += batch.malformed;
    m_log.bytes += batch.bytes;
    for (Problem& p : batch.problems) {
        if (m_log.problems.size() < m_options.maxListedProblems)
            m_log.problems.push_back(std::move(p));
        else if (p.line == 0)
            ++m_unlistedProblems; // file-level notes are not lines; keep them countable
    }
    for (std::size_t i = 0; i < batch.nonNumeric.size() && i < m_nonNumeric.size(); ++i)
        m_nonNumeric[i] += batch.nonNumeric[i];
    for (LogTable& t : batch.tables) {
        const auto last = std::max_element(t.tsMs.begin(), t.tsMs.end());
        if (last != t.tsMs.end())
            m_lastTs = std::max(m_lastTs.value_or(*last), *last);
        m_merger->append(std::move(t));
    }
}

void LiveLog::discardRows()
{
    LogTable& t = m_log.table;
    const auto clearNumeric = [](NumericColumn& c) {
        c.values.clear();
        c.valid.clear();
    };
    t.tsMs.clear();
    t.model.codes.clear();
    t.version.codes.clear();
    clearNumeric(t.latencyMs);
    t.status.clear();
    clearNumeric(t.prediction);
    clearNumeric(t.label);
    for (auto& c : t.numericFeatures)
        clearNumeric(c);
    for (auto& c : t.categoricalFeatures)
        c.codes.clear();
    for (auto& c : t.kpis)
        clearNumeric(c);
    t.requestId.bytes.clear();
    t.requestId.ends.clear();
    t.requestId.valid.clear();
}

TailCounters LiveLog::counters() const
{
    TailCounters sum;
    std::vector<const LogTail*> all;
    for (const auto& t : m_historyTails)
        all.push_back(t.get());
    for (const auto& t : m_tails)
        all.push_back(t.get());
    for (const LogTail* t : all) {
        const TailCounters& c = t->counters();
        sum.lines += c.lines;
        sum.malformed += c.malformed;
        sum.bytes += c.bytes;
        sum.renameRotations += c.renameRotations;
        sum.truncateRotations += c.truncateRotations;
        sum.unrecoveredTruncations += c.unrecoveredTruncations;
    }
    return sum;
}

bool LiveLog::partialLinePending() const
{
    return std::any_of(m_tails.begin(), m_tails.end(),
                       [](const std::unique_ptr<LogTail>& t) { return t->partialLinePending(); });
}

std::vector<std::string> LiveLog::warnings() const
{
    std::vector<std::string> out;
    if (m_plan) {
        for (std::size_t d = 0; d < m_nonNumeric.size(); ++d) {
            if (m_nonNumeric[d] > 0)
                out.push_back(std::to_string(m_nonNumeric[d]) + " values of '" + m_plan->dests[d].path +
                              "' are not numbers and were read as null");
        }
    }
    if (m_log.malformed > 0)
        out.push_back(std::to_string(m_log.malformed) + " malformed lines skipped");
    return out;
}

} // namespace vigil::ingest
