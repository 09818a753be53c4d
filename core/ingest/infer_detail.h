#pragma once
// Schema inference internals shared by inferSchema, applyOverrides and loadLogs.
#include "config/config.h"
#include "ingest/schema.h"
#include "util/result.h"

#include <string_view>

namespace vigil::ingest {

// Sniffs JSONL ('{' first) vs CSV when `format` is Auto.
LogFormat sniffFormat(std::string_view text);

// inferSchema with config overrides applied before the timestamp unit and the
// prediction kind are resolved, so that those follow the fields finally mapped.
Result<InferredSchema> inferSchemaWithOverrides(std::string_view text, LogFormat format,
                                                const MappingOverrides& overrides);

} // namespace vigil::ingest
