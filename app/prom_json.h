#pragma once
// JSON spellings shared by `vigil query` and `vigil scrape`: samples keep NaN and the
// infinities as Prometheus spells them (data, not null), points are [t_ms, value].
#include "prom/query_api.h"
#include "report/json_writer.h"

#include <string>
#include <utility>
#include <vector>

namespace vigil::cli {

void writePromNumber(JsonWriter& w, double v);
void writePromLabels(JsonWriter& w, const char* key,
                     const std::vector<std::pair<std::string, std::string>>& labels);
void writePromPoint(JsonWriter& w, const PromPoint& p);

} // namespace vigil::cli
