// Decoding a large /api/v1/query_range answer: 1,000 series x 11,000 points (the most
// points per series Prometheus returns), generated in memory in Prometheus's own
// formatting (seconds with millisecond decimals, values as shortest strings, some NaN).
// Usage: bench_prom_query [series] [points] [repeats]
#include "prom/query_api.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>
#include <simdjson.h>
#include <string>
#include <vector>

namespace {

// CPU time of this thread: on a shared machine the wall time also counts other
// processes' turns on the cores.
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string matrix(int series, int points)
{
    std::string json = R"({"status":"success","data":{"resultType":"matrix","result":[)";
    json.reserve(static_cast<std::size_t>(series) * static_cast<std::size_t>(points) * 30);
    for (int s = 0; s < series; ++s) {
        json += fmt::format(
            R"({}{{"metric":{{"__name__":"model_request_rate","instance":"infer-{}:8000","job":"model","model":"fraud","status":"ok"}},"values":[)",
            s ? "," : "", s);
        for (int p = 0; p < points; ++p) {
            const double v = p % 1000 == 999 ? std::nan("") : 0.001 * ((p * 7919 + s * 104729) % 100000) + s;
            json += p ? ",[" : "[";
            json += fmt::format("{:.3f},\"{}\"]", 1700000000.0 + p * 15.0 + s * 0.001,
                                std::isnan(v) ? std::string("NaN") : fmt::format("{}", v));
        }
        json += "]}";
    }
    return json + "]}}";
}

} // namespace

int main(int argc, char** argv)
{
    const int series = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int points = argc > 2 ? std::atoi(argv[2]) : 11000;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
    const std::string json = matrix(series, points);
    std::vector<double> seconds;
    std::vector<double> cpu;
    std::size_t decoded = 0;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = threadCpuSeconds();
        auto r = vigil::decodeQueryResponse(json);
        cpu.push_back(threadCpuSeconds() - c0);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        if (!r.ok()) {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            return 1;
        }
        decoded = 0;
        for (const auto& s : r->series)
            decoded += s.values.size();
    }
    // The floor under any decoder: copying into simdjson's padded buffer and building its
    // DOM with a fresh parser, as decodeQueryResponse does.
    std::vector<double> parseOnly;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        simdjson::dom::parser parser;
        const simdjson::padded_string padded(json);
        simdjson::dom::element doc;
        if (parser.parse(padded).get(doc) != simdjson::SUCCESS)
            return 1;
        parseOnly.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(parseOnly.begin(), parseOnly.end());
    std::sort(seconds.begin(), seconds.end());
    std::sort(cpu.begin(), cpu.end());
    const double med = seconds[seconds.size() / 2];
    std::printf("query_range %d series x %d points: %.1f MB JSON, %zu points decoded\n", series, points,
                static_cast<double>(json.size()) / 1e6, decoded);
    std::printf("decode: median %.3f s (min %.3f, max %.3f) over %d runs, %.0f MB/s, %.0f ns/point\n", med,
                seconds.front(), seconds.back(), repeats, static_cast<double>(json.size()) / 1e6 / med,
                med * 1e9 / static_cast<double>(decoded));
    std::printf("decode CPU time: median %.3f s (min %.3f)\n", cpu[cpu.size() / 2], cpu.front());
    std::printf("of which simdjson copy + DOM parse alone: median %.3f s\n", parseOnly[parseOnly.size() / 2]);
    return 0;
}
