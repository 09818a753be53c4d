#pragma once
// The common case of decodeQueryResponse, fast: a successful matrix or vector answer,
// read with simdjson's On-Demand API in one pass (no DOM). It declines (nullopt) on
// anything else: errors, other result types, native histograms, unknown fields, any
// malformed part; the DOM decoder then decodes the body and words the error.
#include "prom/query_api.h"

#include <optional>
#include <simdjson.h>

namespace vigil::prom {

std::optional<QueryResponse> decodeQueryResultFast(const simdjson::padded_string& json);

} // namespace vigil::prom
