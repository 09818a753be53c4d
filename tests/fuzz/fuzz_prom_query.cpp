// libFuzzer target for the Prometheus HTTP API decoder and the PromQL math it feeds.
#include "prom/query_api.h"
#include "prom/rate.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    auto result = vigil::decodeQueryResponse(json);
    if (!result.ok()) {
        if (result.error().message.empty())
            std::abort();
        return 0;
    }
    for (const auto& series : result->series) {
        if (series.values.empty())
            continue;
        // Decoded series are not guaranteed sorted; the math must still not misbehave.
        const auto& v = series.values;
        const std::int64_t end = v.back().timestampMs;
        const std::int64_t start = v.front().timestampMs;
        std::int64_t span = 0;
        const bool shortSpan =
            start <= end && !__builtin_sub_overflow(end, start, &span) && span / 15000 < 500;
        (void)vigil::promRate(v, end, 300000);
        (void)vigil::promIrate(v, end, 300000);
        if (shortSpan)
            (void)vigil::evaluateRange(v, vigil::RangeFunction::Increase, start, end, 15000, 60000);
    }
    return 0;
}
