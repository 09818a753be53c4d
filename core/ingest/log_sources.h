#pragma once
// Turns the paths given to loadLogs into the files to read: globs (`*`, `?`, `[`)
// are expanded and a folder means every log file in it, both ordered oldest data
// first the way logrotate names files. Plain file paths are kept as given.
#include "util/result.h"

#include <string>
#include <vector>

namespace vigil::ingest {

Result<std::vector<std::string>> expandLogSources(const std::vector<std::string>& paths);

// Oldest data first: `app.log.2.gz`, `app.log.1`, then `app.log`; dated names
// (`app-2026-01-03.jsonl`, `app.log-20260103`) by date, before the undated live
// file; different logs by name. Sorts by file name, not by directory.
void sortRotated(std::vector<std::string>& paths);

// Whether a file name looks like a log (`.jsonl`, `.json`, `.ndjson`, `.csv`,
// `.log`, optionally rotated and/or `.gz`/`.zst`).
bool looksLikeLogName(const std::string& name);

// The name without `.gz`/`.zst` and without a rotation number or date suffix
// (`app.jsonl.2.gz` -> `app.jsonl`), used for the log format too.
std::string logBaseName(const std::string& name);

} // namespace vigil::ingest
