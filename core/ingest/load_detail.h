#pragma once
// Test and fuzzing hooks for loadLogs: a smaller read block forces the multi-block
// paths (line carry-over, dictionary merge, ordered output) on small files.
#include "ingest/load.h"

#include <cstddef>

namespace vigil::ingest {

inline constexpr std::size_t kDefaultBlockBytes = 32u << 20;

Result<LoadedLog> loadLogsWithBlockSize(const std::vector<std::string>& paths, const LoadOptions& options,
                                        std::size_t blockBytes, std::stop_token stop = {},
                                        const ProgressFn& progress = {});

} // namespace vigil::ingest
