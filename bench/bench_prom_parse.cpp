// Parse speed of the Prometheus exposition parser and the query API decoder.
// Usage: bench_prom_parse [node_exporter.txt] [repeats]
//   default file: tests/data/prom/node_exporter.txt (run from the repository root)
// Stages: "text" parses the file as 0.0.4; "openmetrics" parses the same samples
// rewritten as OpenMetrics (counters as _total, "# EOF"); "api" decodes a synthetic
// /api/v1/query_range matrix of 10 series x 11,000 points.
#include "prom/exposition.h"
#include "prom/query_api.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

template <typename Fn> double medianMicros(int repeats, Fn fn)
{
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(repeats));
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = Clock::now();
        fn();
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    std::sort(us.begin(), us.end());
    return us[us.size() / 2];
}

// The 0.0.4 body as OpenMetrics: counter samples get "_total" appended to the family
// name in TYPE lines (node_exporter's names already end in _total), untyped -> unknown.
std::string toOpenMetrics(const std::string& text)
{
    std::istringstream in(text);
    std::string out;
    std::string line;
    std::vector<std::string> seen;
    while (std::getline(in, line)) {
        if (line.rfind("# TYPE ", 0) == 0) {
            const auto space = line.rfind(' ');
            std::string name = line.substr(7, space - 7);
            std::string type = line.substr(space + 1);
            const bool total = name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
            const std::string base = total ? name.substr(0, name.size() - 6) : name;
            if (type == "counter" && total && std::find(seen.begin(), seen.end(), base) == seen.end()) {
                line = "# TYPE " + base + " counter";
                name = base;
            } else if (type == "counter") {
                line = "# TYPE " + name + " unknown"; // not renamable without touching samples
            } else if (type == "untyped") {
                line = "# TYPE " + name + " unknown";
            }
            seen.push_back(name);
        } else if (line.rfind("# HELP ", 0) == 0) {
            continue; // HELP names would need the same renaming; skip them
        }
        out += line;
        out += '\n';
    }
    return out + "# EOF\n";
}

std::string syntheticMatrix(int series, int points)
{
    std::string json = R"({"status":"success","data":{"resultType":"matrix","result":[)";
    for (int s = 0; s < series; ++s) {
        json += fmt::format(
            R"({}{{"metric":{{"__name__":"node_load1","instance":"host-{}:9100","job":"node"}},"values":[)",
            s ? "," : "", s);
        for (int p = 0; p < points; ++p)
            json += fmt::format(R"({}[{:.3f},"{}"])", p ? "," : "", 1700000000.0 + p * 15.0,
                                0.01 * (p % 977) + s);
        json += "]}";
    }
    return json + "]}}";
}

} // namespace

int main(int argc, char** argv)
{
    const std::string path = argc > 1 ? argv[1] : "tests/data/prom/node_exporter.txt";
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 200;
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 1;
    }
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const std::string om = toOpenMetrics(text);

    std::size_t samples = 0;
    const double textUs = medianMicros(repeats, [&] {
        auto r = vigil::parseExposition(text, vigil::ExpositionFormat::Text004, 0);
        if (!r.ok()) {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            std::exit(1);
        }
        samples = r->samples.size();
    });
    std::size_t omSamples = 0;
    const double omUs = medianMicros(repeats, [&] {
        auto r = vigil::parseExposition(om, vigil::ExpositionFormat::OpenMetrics, 0);
        if (!r.ok()) {
            std::fprintf(stderr, "openmetrics: %s\n", r.error().message.c_str());
            std::exit(1);
        }
        omSamples = r->samples.size();
    });
    const std::string matrix = syntheticMatrix(10, 11000);
    std::size_t points = 0;
    const double apiUs = medianMicros(std::max(5, repeats / 20), [&] {
        auto r = vigil::decodeQueryResponse(matrix);
        if (!r.ok()) {
            std::fprintf(stderr, "api: %s\n", r.error().message.c_str());
            std::exit(1);
        }
        points = 0;
        for (const auto& s : r->series)
            points += s.values.size();
    });

    std::printf("text        %8.1f us median  %zu samples  %.1f MB/s  %.0f ns/sample  %.2f M samples/s\n",
                textUs, samples, static_cast<double>(text.size()) / textUs,
                textUs * 1000.0 / static_cast<double>(samples), static_cast<double>(samples) / textUs);
    std::printf("openmetrics %8.1f us median  %zu samples  %.1f MB/s\n", omUs, omSamples,
                static_cast<double>(om.size()) / omUs);
    std::printf("api matrix  %8.1f us median  %zu points   %.1f MB/s  %.0f ns/point\n", apiUs, points,
                static_cast<double>(matrix.size()) / apiUs, apiUs * 1000.0 / static_cast<double>(points));
    return 0;
}
