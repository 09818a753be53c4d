// CPU cost of scraping: N endpoints every interval for a while through one Scraper,
// measured as this process's user+system CPU time (getrusage) over the wall time.
// The endpoints are served by another process (bench/scrape_load_server.py), so its
// cost is not counted here.
// Usage: bench_scrape_load SECONDS INTERVAL_MS publish|final URL...
//   publish: a snapshot published every round (as the GUI reads it); final: only at the end.
#include "net/scraper.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 5) {
        std::fprintf(stderr, "usage: bench_scrape_load SECONDS INTERVAL_MS publish|final URL...\n");
        return 2;
    }
    const bool publish = std::string(argv[3]) == "publish";
    const int seconds = std::atoi(argv[1]);
    const int intervalMs = std::atoi(argv[2]);
    std::vector<vigil::ScrapeTarget> targets;
    for (int i = 4; i < argc; ++i) {
        vigil::ScrapeTarget t;
        t.url = argv[i];
        t.options.timeoutSeconds = 2.0;
        targets.push_back(std::move(t));
    }
    vigil::Scraper scraper(std::move(targets));
    scraper.setPublishEachRound(publish);
    const double cpu0 = cpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    scraper.run({}, std::chrono::milliseconds(intervalMs), std::chrono::seconds(seconds));
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpuSeconds() - cpu0;
    const auto snap = scraper.snapshot();
    long scrapes = 0, failures = 0;
    std::size_t series = 0, samples = 0;
    for (const auto& ep : snap->endpoints) {
        scrapes += ep.scrapes;
        failures += ep.failures;
        series += ep.series.size();
        for (const auto& [key, s] : ep.series)
            samples += s.points.size();
    }
    const int rounds = snap->endpoints.empty() ? 0 : snap->endpoints.front().scrapes;
    std::printf(
        "%s: %zu endpoints, %d rounds in %.1f s: %ld scrapes, %ld failed, %zu series, %zu samples kept\n",
        publish ? "snapshot every round" : "snapshot at the end", snap->endpoints.size(), rounds, wall,
        scrapes, failures, series, samples);
    std::printf("CPU %.3f s = %.2f%% of one core (%.0f us per scrape)\n", cpu, 100.0 * cpu / wall,
                1e6 * cpu / static_cast<double>(std::max(1L, scrapes)));
    return failures == 0 ? 0 : 1;
}
