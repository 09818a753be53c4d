#pragma once
// Test and fuzzing hooks for loadLogs: a smaller read block forces the multi-block
// paths (line carry-over, dictionary merge, ordered output) on small files.
#include "ingest/load.h"

#include <cstddef>

namespace vigil::ingest {

// 8 MiB: large enough that per-block costs (a row sink, block dictionaries, a merge) vanish,
// small enough that the parse starts after a short first read, the last block leaves the
// other workers idle only briefly, and the blocks in flight stay small in memory (32 MiB
// blocks held ~190 MiB on 2 cores, ~30 % of a 1M-row report's RSS).
inline constexpr std::size_t kDefaultBlockBytes = 8u << 20;

Result<LoadedLog> loadLogsWithBlockSize(const std::vector<std::string>& paths, const LoadOptions& options,
                                        std::size_t blockBytes, std::stop_token stop = {},
                                        const ProgressFn& progress = {});

} // namespace vigil::ingest
