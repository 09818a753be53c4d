#pragma once
// Reading a label source: records of {request_id, label, ts} in JSONL or CSV that
// arrive apart from the predictions (docs/LOG_FORMAT.md, "Late labels").
#include "config/config.h"
#include "ingest/load.h"
#include "util/progress.h"
#include "util/result.h"

#include <optional>
#include <stop_token>
#include <string>

namespace vigil {

// The records come back as a LogTable holding tsMs, requestId and label (every other
// column null). Label values follow the log's conventions: `logMapping`'s prediction
// kind and positive class. A record without a request id or with a bad timestamp is a
// malformed line, listed with its line number.
// With `memoryBudgetBytes` (LoadOptions), a label file larger than that is spilled like a log,
// in `spillDir`.
Result<LoadedLog> loadLabelSource(const LabelSourceConfig& source, const FieldMapping& logMapping,
                                  std::stop_token stop = {}, const ProgressFn& progress = {},
                                  std::uint64_t memoryBudgetBytes = 0, const std::string& spillDir = {});

// The load options loadLabelSource reads a label file with; live following tails label
// files with the same ones, so both read a record alike.
LoadOptions labelLoadOptions(const LabelSourceConfig& source, const FieldMapping& logMapping);

// The error for a label file whose schema has no label field, or nothing.
std::optional<Error> missingLabelField(const InferredSchema& schema, const std::string& path);

} // namespace vigil
