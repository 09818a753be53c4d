#pragma once
// A log that keeps growing: one LogTail per followed path, one schema (inferred
// from the first whole lines that appear), and one LoadedLog that only ever gets
// rows appended. The caller polls; nothing here runs a thread of its own.
#include "ingest/load.h"
#include "ingest/log_tail.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace vigil::ingest {

class TableMerger;
struct RowPlan;

class LiveLog
{
  public:
    // A file path is followed as given (a compressed one is refused by poll(): it cannot
    // grow). A folder or glob is expanded as loadLogs does (oldest data first): of each
    // rotation group the newest uncompressed file is followed, the older files (plain,
    // .gz, .zst) are read once before it. Files that appear later are not picked up,
    // except through the followed file's own rotation.
    LiveLog(std::vector<std::string> paths, LoadOptions options, TailOptions tail = {});
    ~LiveLog();
    LiveLog(const LiveLog&) = delete;
    LiveLog& operator=(const LiveLog&) = delete;

    // Reads what is new in every file and appends its rows to log(); returns the
    // number of rows appended. Until a first whole line exists the schema is not
    // known and nothing is read. `final`: drain everything, report partial lines.
    Result<std::size_t> poll(bool final = false, std::stop_token stop = {});

    bool ready() const { return m_plan != nullptr; }
    const LoadedLog& log() const { return m_log; }
    // The late-label join writes the label column of rows already read, in place;
    // rows are never reordered or removed by that.
    LogTable& tableForJoin() { return m_log.table; }
    // Drops the rows read so far (counters, problems and dictionaries stay): a label
    // file's records, once joined, are not needed again.
    void discardRows();
    TailCounters counters() const; // summed over the files
    bool partialLinePending() const;
    std::optional<std::int64_t> lastTsMs() const { return m_lastTs; }
    std::vector<std::string> warnings() const;

  private:
    Result<bool> inferFromFirstLines();
    Result<bool> expandSources();
    void absorb(TailBatch& batch);

    std::vector<std::string> m_given;
    std::vector<std::string> m_history; // read once, in this order, before the followed files
    std::vector<std::unique_ptr<LogTail>> m_historyTails;
    bool m_expanded = false;
    std::vector<std::string> m_paths; // followed
    LoadOptions m_options;
    TailOptions m_tailOptions;
    std::unique_ptr<RowPlan> m_plan;
    std::vector<LogFormat> m_formats;
    std::vector<std::unique_ptr<LogTail>> m_tails;
    LoadedLog m_log;
    std::unique_ptr<TableMerger> m_merger;
    std::vector<std::uint64_t> m_nonNumeric;
    std::uint64_t m_unlistedProblems = 0;
    std::optional<std::int64_t> m_lastTs;
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
};

} // namespace vigil::ingest
