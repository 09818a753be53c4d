// Speed of the drift statistics. Plain executable, not a test; figures go to docs/DRIFT.md.
//
//   bench_drift [features=20] [windows=200] [rows=5000] [refRows=5000]
//
// Times numericDrift (KS with exact/asymptotic p, Wasserstein, quantile-bin PSI/JS/Hellinger,
// missing share) for every feature x window against a prebuilt NumericReference, then the
// streaming detectors, and extrapolates to 1,000 features x 200 windows.
#include "drift/adwin.h"
#include "drift/error_rate_detectors.h"
#include "drift/kswin.h"
#include "drift/numeric_drift.h"
#include "drift/page_hinkley.h"

#include <fmt/core.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <random>
#include <vector>

using namespace vigil;

namespace {

std::vector<double> normalSample(std::mt19937_64& rng, std::size_t n, double loc, double scale)
{
    std::normal_distribution<double> dist(loc, scale);
    std::vector<double> v(n);
    for (double& x : v)
        x = dist(rng);
    return v;
}

// Process CPU time: the development machine is shared, so wall-clock time would mostly
// measure the neighbours. The benchmark is single-threaded.
double cpuNow()
{
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

double seconds(double from)
{
    return cpuNow() - from;
}

} // namespace

int main(int argc, char** argv)
{
    const int features = argc > 1 ? std::atoi(argv[1]) : 20;
    const int windows = argc > 2 ? std::atoi(argv[2]) : 200;
    const auto rows = static_cast<std::size_t>(argc > 3 ? std::atol(argv[3]) : 5000);
    const auto refRows = static_cast<std::size_t>(argc > 4 ? std::atol(argv[4]) : 5000);

    std::mt19937_64 rng(7);
    std::vector<std::vector<double>> windowData;
    for (int w = 0; w < windows; ++w)
        windowData.push_back(normalSample(rng, rows, w % 10 == 9 ? 0.1 : 0.0, 1.0)); // every 10th drifts

    double buildSeconds = 0.0;
    double driftSeconds = 0.0;
    double checksum = 0.0;
    int exact = 0;
    for (int f = 0; f < features; ++f) {
        const auto refData = normalSample(rng, refRows, 0.0, 1.0);
        auto t0 = cpuNow();
        const auto ref = NumericReference::build(refData);
        buildSeconds += seconds(t0);
        t0 = cpuNow();
        for (const auto& w : windowData) {
            const auto d = numericDrift(ref, w);
            checksum += d.ks->pValue + *d.psi;
            exact += d.ks->exact ? 1 : 0;
        }
        driftSeconds += seconds(t0);
    }
    const double pairs = static_cast<double>(features) * windows;
    const double perPair = driftSeconds / pairs;
    fmt::print("numeric drift: {} features x {} windows, {} rows/window, {} reference rows ({} exact KS)\n",
               features, windows, rows, refRows, exact);
    fmt::print("  reference build  {:.3f} ms/feature\n", 1e3 * buildSeconds / features);
    fmt::print("  window stats     {:.3f} ms/(feature x window), {:.1f} M rows/s\n", 1e3 * perPair,
               static_cast<double>(rows) / perPair / 1e6);
    fmt::print("  extrapolated 1,000 features x 200 windows: {:.1f} s CPU on one core\n",
               perPair * 1000 * 200 + buildSeconds / features * 1000);
    fmt::print("  (checksum {:.6g})\n", checksum);

    // Streaming detectors over one long stream each.
    const std::size_t streamLength = 1'000'000;
    std::vector<double> errors(streamLength);
    std::bernoulli_distribution bern(0.2);
    for (double& e : errors)
        e = bern(rng) ? 1.0 : 0.0;
    auto timeDetector = [&](StreamDetector& d, std::size_t n) {
        const auto t0 = cpuNow();
        int drifts = 0;
        for (std::size_t i = 0; i < n; ++i)
            drifts += d.update(errors[i]).drift ? 1 : 0;
        const double s = seconds(t0);
        fmt::print("  {:<13} {:>8.2f} M updates/s ({} drifts in {} values)\n", d.name(), n / s / 1e6, drifts,
                   n);
    };
    fmt::print("streaming detectors on a Bernoulli(0.2) error stream:\n");
    Adwin adwin;
    PageHinkley ph;
    Ddm ddm;
    Eddm eddm;
    HddmA hddm;
    Kswin kswin;
    timeDetector(adwin, streamLength);
    timeDetector(ph, streamLength);
    timeDetector(ddm, streamLength);
    timeDetector(eddm, streamLength);
    timeDetector(hddm, streamLength);
    timeDetector(kswin, 100'000);
    return 0;
}
