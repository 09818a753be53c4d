#pragma once
// Load + analyze, the one sequence the GUI, the CLI and the tests share.
#include "config/config.h"
#include "engine/analysis.h"
#include "engine/follow_info.h"
#include "ingest/load.h"
#include "util/progress.h"
#include "util/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace vigil {

// How the analysis used memory (docs/MEMORY.md); the report's "memory" object.
struct MemoryUse
{
    std::uint64_t budgetBytes = 0; // 0 = unlimited
    std::uint64_t spilledRows = 0;
    std::uint64_t spilledBytes = 0;   // the spilled rows' bytes in a table
    std::uint64_t spillFileBytes = 0; // what the spill file held (repeated values stored once)
    std::size_t batches = 1;          // analysis passes over consecutive windows
};

// Immutable once built; shared with the UI as shared_ptr<const AnalysisResult>.
struct AnalysisResult
{
    std::shared_ptr<const LoadedLog> log;
    AnalysisSnapshot snapshot;
    AnalysisOptions options;
    std::vector<std::string> warnings;
    double analyzeSeconds = 0.0;
    std::optional<FollowInfo> follow; // set while following a growing log (docs/FOLLOW.md)
    MemoryUse memory;
};

AnalysisOptions analysisOptionsFrom(const VigilConfig& config);

Result<std::shared_ptr<const AnalysisResult>> runPipeline(const std::vector<std::string>& paths,
                                                          const VigilConfig& config,
                                                          std::stop_token stop = {},
                                                          const ProgressFn& progress = {});

// Re-window an already loaded log (e.g. the user picked another window size).
Result<std::shared_ptr<const AnalysisResult>> reanalyze(std::shared_ptr<const LoadedLog> log,
                                                        const AnalysisOptions& options,
                                                        std::stop_token stop = {},
                                                        const ProgressFn& progress = {});

} // namespace vigil
