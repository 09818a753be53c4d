#pragma once
// Reading prediction logs (JSONL or CSV) into a LogTable. Malformed lines are
// counted and listed with file and 1-based line number, never dropped silently.
#include "config/config.h"
#include "ingest/log_table.h"
#include "ingest/schema.h"
#include "util/progress.h"
#include "util/result.h"

#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace vigil {

struct Problem
{
    std::string path;
    std::uint64_t line = 0; // 1-based; 0 = the file as a whole (e.g. "empty file")
    std::string error;
};

struct LoadOptions
{
    LogFormat format = LogFormat::Auto; // Auto: by extension, then by content
    MappingOverrides overrides;
    std::size_t sampleRows = 1000;         // rows used for schema inference
    std::size_t maxListedProblems = 10000; // beyond this, problems are counted only
    unsigned threads = 0;                  // 0 = hardware concurrency
    // Rows without a request id are malformed, and a file without one is an error
    // (label sources, which are joined by it).
    bool requireRequestId = false;
    // false: the request ids are not stored, and the table has none (a report without --labels
    // joins nothing by them): less to hold and to spill (21 of the 283 bytes a row of the
    // benchmark log).
    bool keepRequestIds = true;
    // Bytes of merged rows kept in memory (docs/MEMORY.md); past it the rows are spilled to a
    // temporary file (LoadedLog::spill). 0 = unlimited: the whole log in `table`.
    std::uint64_t memoryBudgetBytes = 0;
    std::string spillDir; // empty = $TMPDIR (std::filesystem::temp_directory_path)
};

struct LabelSummary; // ingest/label_summary.h
namespace ingest {
class SpillStore; // ingest/spill_store.h
}

struct LoadedLog
{
    LogTable table;
    InferredSchema schema;
    std::vector<std::string> paths;
    std::uint64_t lines = 0;     // non-empty lines read (CSV header excluded)
    std::uint64_t malformed = 0; // lines skipped, all counted even past maxListedProblems
    std::vector<Problem> problems;
    std::uint64_t bytes = 0;
    double seconds = 0.0; // wall time of the load
    // Set when a label source was joined into table.label (vigil ... --labels).
    std::shared_ptr<const LabelSummary> labels;
    // Set when the log did not fit LoadOptions::memoryBudgetBytes: every row is in the spill
    // file and `table` holds only the column layout and the (global) dictionaries.
    std::shared_ptr<ingest::SpillStore> spill;
    std::uint64_t spilledRows = 0;
    std::uint64_t memoryBudgetBytes = 0; // LoadOptions::memoryBudgetBytes
    std::string spillDir;                // LoadOptions::spillDir

    std::uint64_t rowCount() const { return table.rows() + spilledRows; }
};

// Errors (missing file, unreadable file, no usable rows) come back as Error with a
// one-line message; a partly bad file is a success with problems listed.
Result<LoadedLog> loadLogs(const std::vector<std::string>& paths, const LoadOptions& options,
                           std::stop_token stop = {}, const ProgressFn& progress = {});

// Schema inference alone, on already-read sample text (used by the mapping dialog
// and by loadLogs). `text` holds whole lines.
Result<InferredSchema> inferSchema(std::string_view text, LogFormat format);

} // namespace vigil
