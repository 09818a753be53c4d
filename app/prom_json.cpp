#include "prom_json.h"

#include <cmath>

namespace vigil::cli {

void writePromNumber(JsonWriter& w, double v)
{
    if (std::isnan(v))
        w.value("NaN");
    else if (std::isinf(v))
        w.value(v > 0 ? "+Inf" : "-Inf");
    else
        w.value(v);
}

void writePromLabels(JsonWriter& w, const char* key,
                     const std::vector<std::pair<std::string, std::string>>& labels)
{
    w.key(key).beginObject();
    for (const auto& [k, v] : labels)
        w.field(k, v);
    w.endObject();
}

void writePromPoint(JsonWriter& w, const PromPoint& p)
{
    w.beginArray().value(p.timestampMs);
    writePromNumber(w, p.value);
    w.endArray();
}

} // namespace vigil::cli
