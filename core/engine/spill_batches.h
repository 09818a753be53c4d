#pragma once
// Planning and gathering for the batched analysis of a spilled log (docs/MEMORY.md): the
// windows as analyze() would choose them, counted over the spill file's timestamps, cut
// into batches of consecutive windows that fit the memory budget, and the rows of a time
// range read back in their original order.
#include "engine/analysis.h"
#include "ingest/load.h"
#include "ingest/spill_store.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vigil::detail {

struct SpillWindow
{
    std::int64_t startMs = 0;
    std::uint64_t rows = 0;
};

struct SpillPlan
{
    std::int64_t windowMs = 0;
    std::vector<SpillWindow> windows;      // non-empty windows, ascending
    std::vector<std::string> segmentNames; // byVersion order: first appearance by (ts, row)
    bool versions = false;                 // the log has a version column
    PredictionKind predictionKind = PredictionKind::Auto;
    bool anyLabel = false; // some row has a non-null label
    double rowBytes = 0.0; // average bytes a row takes in a table
};

// One pass over the timestamps, versions, predictions and labels of every chunk.
Result<SpillPlan> planSpilledAnalysis(const LoadedLog& log, const AnalysisOptions& options);

struct SpillBatch
{
    std::size_t firstWindow = 0;
    std::size_t endWindow = 0; // exclusive
    std::int64_t startMs = 0;  // the batch's rows: startMs <= ts < endMs
    std::int64_t endMs = 0;
    std::uint64_t rows = 0;
    bool oversized = false; // one window with more rows than a batch may hold
};

// Consecutive windows, at most `maxRows` rows a batch; a larger window is a batch alone.
std::vector<SpillBatch> cutBatches(const SpillPlan& plan, std::uint64_t maxRows);

// The rows with ts in [startMs, endMs) or, when `extra` is set, in [extra->first,
// extra->second), in their original order, as a table with the log's columns and
// dictionaries. With `keepParity`, rows of the extra range keep the parity of their row
// number in the whole log (drift fits its PCA on even rows and scores the reference windows
// on odd ones): a filler row (timestamp INT64_MIN, every value null) goes before a row
// whose position would differ.
// `arrays` (see SpillStore::gather) leaves out the columns the caller does not read.
Result<LogTable> gatherRows(const LoadedLog& log, std::int64_t startMs, std::int64_t endMs,
                            std::optional<std::pair<std::int64_t, std::int64_t>> extra = std::nullopt,
                            bool keepParity = false, const std::vector<bool>* arrays = nullptr);

// gatherRows into `table` (the log's layout and dictionaries; its columns emptied, their
// capacity reused), with room for `extraRows` more rows in every gathered column (appendRows
// then grows no column by a copy). With `parity`, `*parityKept` tells whether every gathered
// row with ts in parity->range sits at a position of its row number's parity (so that the
// table equals gatherRows' with that range as `extra` and `keepParity`, when the range lies
// within [startMs, endMs)).
struct ParityCheck
{
    std::pair<std::int64_t, std::int64_t> range;
    bool kept = true;
};
std::optional<Error> gatherRowsInto(const LoadedLog& log, LogTable& table, std::int64_t startMs,
                                    std::int64_t endMs, const std::vector<bool>* arrays,
                                    std::size_t extraRows, ParityCheck* parity = nullptr);

// Empties every column of the table, keeping its capacity.
void clearRows(LogTable& table);

// The arrays analyze() reads (all but the model and the request ids), and those drift reads
// (timestamps, prediction, label, features).
std::vector<bool> analysisArrays(const LogTable& layout);
std::vector<bool> driftArrays(const LogTable& layout);

// The rows with ts in [startMs, endMs), one spill chunk at a time (a table of that chunk's
// rows in range, with the log's columns and dictionaries, and all its row indices), in the
// log's order: for summarising a window too large for memory (e.g. a sketch fed chunk by
// chunk). At most one chunk's rows are in memory.
using ChunkRowsFn = std::function<std::optional<Error>(const LogTable&, std::span<const std::uint32_t>)>;
std::optional<Error> forEachChunkInRange(const LoadedLog& log, std::int64_t startMs, std::int64_t endMs,
                                         const ChunkRowsFn& fn);

// The rows of `src` with ts in [startMs, endMs), in their order, as a table with the layout of
// `layout` (whose columns are empty); `src`'s empty columns stay empty.
LogTable selectRows(const LogTable& layout, const LogTable& src, std::int64_t startMs, std::int64_t endMs);

// Appends the rows of `src` (the same columns present) to `dst`.
void appendRows(LogTable& dst, const LogTable& src);

// Appends a filler row (timestamp INT64_MIN, outside every window) whose label is valid:
// drift compares the label column only when some row has one.
void appendLabelFiller(LogTable& table);

} // namespace vigil::detail
