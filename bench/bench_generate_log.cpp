// Writes the benchmark log: N rows of the default record shape with 20 numeric and
// 5 categorical features (~500 bytes a row), deterministic. Never committed.
// Usage: bench_generate_log OUT.jsonl|- [rows=1000000]   (- = standard output, to pipe the
// rows straight into `vigil report -`)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <random>
#include <string>

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s OUT.jsonl [rows]\n", argv[0]);
        return 2;
    }
    const long long rows = argc > 2 ? std::atoll(argv[2]) : 1'000'000;
    const bool toStdout = std::string(argv[1]) == "-";
    std::FILE* out = toStdout ? stdout : std::fopen(argv[1], "wb");
    if (!out) {
        std::perror(argv[1]);
        return 2;
    }
    std::mt19937_64 rng(42);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const char* countries[] = {"DE", "FR", "US", "BR", "IN", "GB", "JP", "ES"};
    const char* devices[] = {"ios", "android", "web"};
    const char* plans[] = {"free", "basic", "pro", "team"};
    const char* channels[] = {"organic", "ads", "referral", "email", "partner"};
    const char* segments[] = {"a", "b", "c", "d", "e", "f"};
    const long long t0 = 1767225600000LL;
    const long long spanMs = 7LL * 24 * 3600 * 1000;
    std::string line;
    for (long long i = 0; i < rows; ++i) {
        line.clear();
        const long long ts = t0 + i * spanMs / rows;
        const double score = 1.0 / (1.0 + std::exp(-normal(rng)));
        fmt::format_to(std::back_inserter(line),
                       R"({{"ts": {}, "request_id": "req-{:08}", "model": "churn", "version": "{}", )"
                       R"("latency_ms": {:.3f}, "status": "{}", "features": {{)",
                       ts, i, i < rows / 2 ? "1.3.0" : "1.4.0", std::exp(3.0 + 0.4 * normal(rng)),
                       uniform(rng) < 0.01 ? "error" : "ok");
        for (int f = 0; f < 20; ++f) {
            fmt::format_to(std::back_inserter(line), R"("x{:02}":{:.3f},)", f, normal(rng) * (f + 1));
        }
        fmt::format_to(
            std::back_inserter(line),
            R"("country": "{}", "device": "{}", "plan": "{}", "channel": "{}", "segment": "{}"}}, )",
            countries[rng() % 8], devices[rng() % 3], plans[rng() % 4], channels[rng() % 5],
            segments[rng() % 6]);
        fmt::format_to(std::back_inserter(line),
                       R"("prediction": {:.6f}, "label": {}, "kpi": {{"revenue": {:.2f}, "converted": {}}}}})"
                       "\n",
                       score, uniform(rng) < score ? 1 : 0, uniform(rng) * 50.0, uniform(rng) < 0.2 ? 1 : 0);
        if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
            std::perror("write");
            return 2;
        }
    }
    return std::fclose(out) == 0 ? 0 : 2;
}
