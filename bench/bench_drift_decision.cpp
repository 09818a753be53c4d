// How well the report's per-feature drift decision separates real incidents from noise,
// side by side with two common rules on the same statistics. Plain executable, not a test;
// the table goes to docs/DRIFT.md ("Decision quality").
//
//   bench_drift_decision [seeds=10] [windows=60] [thresholdSigmas=3] [minimumEffect=0.1]
//   [sizes=100,1000,10000]
//
// Every run generates a log of hourly windows with 24 numeric and 4 categorical features;
// four of them carry an incident from window `onset` on, the rest (and `prediction`) stay
// stationary:
//   mean shift     N(0,1) -> N(0.5,1)   (KS D of the populations 0.20)
//   variance       N(0,1) -> N(0,2^2)   (D 0.16)
//   slow ramp      mean +0.05 sd per window after onset (D reaches 0.1 after 5 windows)
//   category mix   shares .4/.3/.2/.1 -> .25/.3/.2/.25 (JS distance 0.13)
// for 100, 1,000 and 10,000 rows per window. The reference is the first 12 windows (the
// reference-window band needs several), onset is window 30.
//
// Rules compared on each feature-window after the reference:
//   vigil     the report's `drifted`: BH across the window's features + minimum effect
//             (KS D / JS >= 0.1) + above the reference windows' band (mean + 3 sd)
//   ks<0.05   plain KS (numeric) / chi-square (categorical) p < 0.05, no correction
//   dist>=0.1 normed Wasserstein (W1 / reference sd) >= 0.1, JS >= 0.1 for categorical
#include "engine/analysis.h"
#include "engine/drift_analysis.h"

#include <fmt/core.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace vigil;

namespace {

constexpr int kNumeric = 24;
constexpr int kCategorical = 4;
constexpr int kReferenceWindows = 12;
constexpr int kOnset = 30;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kStart = 1'700'000'000'000 - 1'700'000'000'000 % kHour;

enum Incident
{
    MeanShift,
    Variance,
    Ramp,
    CategoryMix,
    kIncidents
};
const char* const kIncidentNames[] = {"mean shift 0.5 sd", "variance x4", "ramp 0.05 sd/window",
                                      "category mix"};
// Feature index (in the report's feature order: numeric, categorical, prediction) of each.
constexpr int kIncidentFeature[] = {0, 1, 2, kNumeric};

LogTable makeTable(int windows, std::size_t rowsPerWindow, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::size_t rows = static_cast<std::size_t>(windows) * rowsPerWindow;
    LogTable t;
    t.model.dictionary = {"m"};
    t.version.dictionary = {"v1"};
    t.numericFeatures.resize(kNumeric);
    t.categoricalFeatures.resize(kCategorical);
    for (int f = 0; f < kNumeric; ++f)
        t.numericFeatures[static_cast<std::size_t>(f)].name = fmt::format("n{}", f);
    for (int f = 0; f < kCategorical; ++f) {
        t.categoricalFeatures[static_cast<std::size_t>(f)].name = fmt::format("c{}", f);
        t.categoricalFeatures[static_cast<std::size_t>(f)].dictionary = {"a", "b", "c", "d"};
    }
    const auto category = [&](const std::array<double, 4>& shares) {
        double x = u(rng);
        for (std::uint32_t k = 0; k < 4; ++k) {
            if (x < shares[k])
                return k;
            x -= shares[k];
        }
        return 3u;
    };
    for (std::size_t i = 0; i < rows; ++i) {
        const auto w = static_cast<int>(i / rowsPerWindow);
        const double within = static_cast<double>(i % rowsPerWindow) / static_cast<double>(rowsPerWindow);
        t.tsMs.push_back(kStart + w * kHour + static_cast<std::int64_t>(within * kHour));
        t.model.codes.push_back(0);
        t.version.codes.push_back(0);
        t.latencyMs.push(10.0);
        t.status.push_back(RowStatus::Ok);
        t.prediction.push(u(rng));
        t.label.pushNull();
        const bool after = w >= kOnset;
        for (int f = 0; f < kNumeric; ++f) {
            double x = normal(rng);
            if (after && f == kIncidentFeature[MeanShift])
                x += 0.5;
            else if (after && f == kIncidentFeature[Variance])
                x *= 2.0;
            else if (after && f == kIncidentFeature[Ramp])
                x += 0.05 * (w - kOnset + 1);
            t.numericFeatures[static_cast<std::size_t>(f)].push(x);
        }
        for (int f = 0; f < kCategorical; ++f) {
            const bool mix = after && f == kIncidentFeature[CategoryMix] - kNumeric;
            t.categoricalFeatures[static_cast<std::size_t>(f)].codes.push_back(
                category(mix ? std::array{0.25, 0.3, 0.2, 0.25} : std::array{0.4, 0.3, 0.2, 0.1}));
        }
    }
    return t;
}

enum Rule
{
    Vigil,
    KsP,
    Distance,
    kRules
};
const char* const kRuleNames[] = {"vigil", "ks<0.05", "dist>=0.1"};

struct Tally
{
    long stableWindows = 0;
    std::array<long, kRules> stableFlagged{};
    // Per incident: runs, runs caught at onset or the window after, post-onset
    // feature-windows and how many were flagged, and the summed delay of the first flag.
    std::array<long, kIncidents> runs{};
    std::array<std::array<long, kRules>, kIncidents> withinOne{};
    std::array<long, kIncidents> driftedWindows{};
    std::array<std::array<long, kRules>, kIncidents> driftedFlagged{};
    std::array<std::array<long, kRules>, kIncidents> delaySum{};
    std::array<std::array<long, kRules>, kIncidents> detectedRuns{};
};

double referenceStd(const NumericColumn& col, std::size_t rows)
{
    double sum = 0.0;
    for (std::size_t i = 0; i < rows; ++i)
        sum += col.values[i];
    const double mean = sum / static_cast<double>(rows);
    double sq = 0.0;
    for (std::size_t i = 0; i < rows; ++i)
        sq += (col.values[i] - mean) * (col.values[i] - mean);
    return std::sqrt(sq / static_cast<double>(rows));
}

void score(const LogTable& table, const DriftSnapshot& drift, std::size_t rowsPerWindow, Tally& tally)
{
    const std::size_t refRows = kReferenceWindows * rowsPerWindow;
    std::vector<double> refStd;
    for (const auto& col : table.numericFeatures)
        refStd.push_back(referenceStd(col, refRows));
    refStd.push_back(referenceStd(table.prediction, refRows));
    const auto flagged = [&](const FeatureDrift& f, std::size_t index, Rule rule) {
        switch (rule) {
        case Vigil:
            return f.drifted;
        case KsP:
            return (f.categorical ? f.chi2P : f.ksP).value_or(1.0) < 0.05;
        case Distance:
            if (f.categorical)
                return f.js.value_or(0.0) >= 0.1;
            return f.wasserstein.value_or(0.0) /
                       std::max(refStd[index < kNumeric ? index : refStd.size() - 1], 0.001) >=
                   0.1;
        case kRules:
            break;
        }
        return false;
    };
    std::array<std::array<int, kRules>, kIncidents> first{};
    for (auto& f : first)
        f.fill(-1);
    for (std::size_t w = kReferenceWindows; w < drift.windows.size(); ++w) {
        const auto& features = drift.windows[w].features;
        for (std::size_t i = 0; i < features.size(); ++i) {
            int incident = -1;
            for (int k = 0; k < kIncidents; ++k)
                if (static_cast<int>(i) == kIncidentFeature[k])
                    incident = k;
            const bool drifted = incident >= 0 && static_cast<int>(w) >= kOnset;
            if (!drifted) {
                ++tally.stableWindows;
                for (int r = 0; r < kRules; ++r)
                    tally.stableFlagged[static_cast<std::size_t>(r)] +=
                        flagged(features[i], i, static_cast<Rule>(r));
                continue;
            }
            const auto k = static_cast<std::size_t>(incident);
            ++tally.driftedWindows[k];
            for (int r = 0; r < kRules; ++r) {
                const auto rr = static_cast<std::size_t>(r);
                if (!flagged(features[i], i, static_cast<Rule>(r)))
                    continue;
                ++tally.driftedFlagged[k][rr];
                if (first[k][rr] < 0)
                    first[k][rr] = static_cast<int>(w) - kOnset;
            }
        }
    }
    for (std::size_t k = 0; k < kIncidents; ++k) {
        ++tally.runs[k];
        for (std::size_t r = 0; r < kRules; ++r) {
            if (first[k][r] < 0)
                continue;
            ++tally.detectedRuns[k][r];
            tally.delaySum[k][r] += first[k][r];
            tally.withinOne[k][r] += first[k][r] <= 1;
        }
    }
}

std::string percent(long part, long whole)
{
    return whole ? fmt::format("{:.1f}", 100.0 * static_cast<double>(part) / static_cast<double>(whole))
                 : "-";
}

} // namespace

int main(int argc, char** argv)
{
    const int seeds = argc > 1 ? std::atoi(argv[1]) : 10;
    const int windows = argc > 2 ? std::atoi(argv[2]) : 60;
    DriftOptions defaults;
    const double sigmas = argc > 3 ? std::atof(argv[3]) : defaults.thresholdSigmas;
    const double minimumEffect = argc > 4 ? std::atof(argv[4]) : defaults.minimumEffect;
    std::vector<std::size_t> sizes;
    for (const char* p = argc > 5 ? argv[5] : "100,1000,10000"; *p;) {
        char* end = nullptr;
        sizes.push_back(std::strtoull(p, &end, 10));
        p = *end ? end + 1 : end;
    }
    fmt::print("{} seeds x {} hourly windows, reference = first {}, onset = window {}; {} numeric + {} "
               "categorical features + prediction; vigil: thresholdSigmas {}, minimumEffect {}\n\n",
               seeds, windows, kReferenceWindows, kOnset, kNumeric, kCategorical, sigmas, minimumEffect);
    fmt::print("| rows/window | incident | rule | caught within 1 window | drifted windows flagged | "
               "mean delay (windows) |\n|---|---|---|---|---|---|\n");
    std::map<std::size_t, Tally> bySize;
    for (const std::size_t rowsPerWindow : sizes) {
        Tally& tally = bySize[rowsPerWindow];
        for (int s = 0; s < seeds; ++s) {
            const LogTable table =
                makeTable(windows, rowsPerWindow, static_cast<std::uint64_t>(s) * 7919 + 1);
            AnalysisOptions options;
            options.windowMs = kHour;
            const auto snapshot = analyze(table, InferredSchema{}, options);
            if (!snapshot.ok()) {
                std::fprintf(stderr, "error: %s\n", snapshot.error().message.c_str());
                return 1;
            }
            DriftOptions drift;
            drift.enabled = true;
            drift.thresholdSigmas = sigmas;
            drift.minimumEffect = minimumEffect;
            drift.referenceStartMs = kStart;
            drift.referenceEndMs = kStart + kReferenceWindows * kHour;
            const auto result = computeDrift(table, snapshot.value(), drift);
            if (!result.ok()) {
                std::fprintf(stderr, "error: %s\n", result.error().message.c_str());
                return 1;
            }
            score(table, result.value(), rowsPerWindow, tally);
        }
        for (std::size_t k = 0; k < kIncidents; ++k)
            for (std::size_t r = 0; r < kRules; ++r) {
                const long detected = tally.detectedRuns[k][r];
                fmt::print("| {} | {} | {} | {} % | {} % | {} |\n", rowsPerWindow, kIncidentNames[k],
                           kRuleNames[r], percent(tally.withinOne[k][r], tally.runs[k]),
                           percent(tally.driftedFlagged[k][r], tally.driftedWindows[k]),
                           detected ? fmt::format("{:.1f} ({} of {} runs)",
                                                  static_cast<double>(tally.delaySum[k][r]) /
                                                      static_cast<double>(detected),
                                                  detected, tally.runs[k])
                                    : std::string("never"));
            }
    }
    fmt::print(
        "\n| rows/window | stable feature-windows | vigil flagged | ks<0.05 flagged | dist>=0.1 flagged "
        "|\n|---|---|---|---|---|\n");
    for (const auto& [rowsPerWindow, tally] : bySize)
        fmt::print("| {} | {} | {} % | {} % | {} % |\n", rowsPerWindow, tally.stableWindows,
                   percent(tally.stableFlagged[Vigil], tally.stableWindows),
                   percent(tally.stableFlagged[KsP], tally.stableWindows),
                   percent(tally.stableFlagged[Distance], tally.stableWindows));
    return 0;
}
