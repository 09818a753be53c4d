// How well the report's per-feature drift decision separates real incidents from noise,
// side by side with two common rules on the same statistics. Plain executable, not a test;
// the tables go to docs/DRIFT.md ("Decision quality").
//
//   bench_drift_decision [seeds=300] [first_seed=0] [sizes=100,1000,10000] [threads=0] [windows=60]
//                        [sigmas=K] [min_effect=E] [feature_alpha=A] [pair_below=N]
//                        [pair_own_alpha=A] [pair_sigmas=K] [dump=FILE.csv]
//
// Every run generates a log of hourly windows with 24 numeric and 4 categorical features;
// four of them carry an incident from window `onset` on, the rest (and `prediction`) stay
// stationary:
//   mean shift     N(0,1) -> N(0.5,1)   (KS D of the populations 0.20)
//   variance       N(0,1) -> N(0,2^2)   (D 0.16)
//   slow ramp      mean +0.05 sd per window after onset (D reaches 0.1 after 5 windows)
//   category mix   shares .4/.3/.2/.1 -> .25/.3/.2/.25 (JS distance 0.13)
// The 21 stable numeric features cycle through five shapes (normal, lognormal, Student t
// with 2 degrees of freedom, Poisson(3) with its ties, zero-inflated lognormal) and the
// three stable categorical ones are 4 categories, 40 Zipf-distributed categories and 5
// categories of which two are rare (0.9 %, 0.1 %), so that a rule tuned to normal data
// shows its false flags. A size written with a trailing `v` (e.g. 1000v) varies the rows
// of each window over the day (0.25x to 1.75x the size, a sine over 24 windows).
// The reference is the first 12 windows, onset is window 30.
//
// Rules compared on each feature-window after the reference:
//   vigil     the report's `drifted` (docs/DRIFT.md, "drifted")
//   ks<0.05   plain KS (numeric) / chi-square (categorical) p < 0.05, no correction
//   dist>=0.1 normed Wasserstein (W1 / reference sd) >= 0.1, JS >= 0.1 for categorical
// Shares come with their exact (Clopper-Pearson) one-sided 95 % bound: the lower bound for
// detection, the upper bound for stable flags.
#include "engine/analysis.h"
#include "engine/drift_analysis.h"
#include "engine/drift_decisions.h"

#include <boost/math/special_functions/beta.hpp>
#include <fmt/core.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
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
    CategoryMix,
    Ramp,
    kIncidents
};
const char* const kIncidentNames[] = {"mean shift 0.5 sd", "variance x4", "category mix",
                                      "ramp 0.05 sd/window"};
// Feature index (in the report's feature order: numeric, categorical, prediction) of each.
constexpr int kIncidentFeature[] = {0, 1, kNumeric, 2};
constexpr int kSteps = 3; // the first three incidents are step changes

// Shape groups of the stable feature-windows, for the false-flag breakdown.
enum Shape
{
    Normal,
    LogNormal,
    HeavyTailed,
    Poisson,
    ZeroInflated,
    Cat4,
    CatMany,
    CatRare,
    kShapes
};
const char* const kShapeNames[] = {"normal",  "lognormal",    "t(2)",          "Poisson(3)",
                                   "0-infl.", "4 categories", "40 categories", "rare categories"};

Shape shapeOf(std::size_t feature)
{
    if (feature < 3 || feature >= kNumeric + kCategorical) // incident features, prediction (uniform)
        return Normal;
    if (feature < kNumeric)
        return static_cast<Shape>((feature - 3) % 5);
    switch (feature - kNumeric) {
    case 0:
    case 1:
        return Cat4;
    case 2:
        return CatMany;
    default:
        return CatRare;
    }
}

struct Size
{
    std::size_t rows = 0;
    bool varying = false;
    std::string label() const { return fmt::format("{}{}", rows, varying ? " (varying)" : ""); }
};

std::size_t rowsOfWindow(const Size& size, int w)
{
    if (!size.varying)
        return size.rows;
    const double factor = 1.0 + 0.75 * std::sin(2.0 * 3.14159265358979 * w / 24.0);
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(factor * size.rows)));
}

LogTable makeTable(int windows, const Size& size, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::student_t_distribution<double> heavy(2.0);
    std::poisson_distribution<int> poisson(3.0);
    LogTable t;
    t.model.dictionary = {"m"};
    t.version.dictionary = {"v1"};
    t.numericFeatures.resize(kNumeric);
    t.categoricalFeatures.resize(kCategorical);
    for (int f = 0; f < kNumeric; ++f)
        t.numericFeatures[static_cast<std::size_t>(f)].name = fmt::format("n{}", f);
    std::array<std::vector<double>, kCategorical> shares;
    shares[0] = shares[1] = {0.4, 0.3, 0.2, 0.1};
    for (int k = 1; k <= 40; ++k)
        shares[2].push_back(1.0 / k);
    shares[3] = {0.9, 0.06, 0.03, 0.009, 0.001};
    const std::vector<double> mixed = {0.25, 0.3, 0.2, 0.25};
    for (int f = 0; f < kCategorical; ++f) {
        auto& col = t.categoricalFeatures[static_cast<std::size_t>(f)];
        col.name = fmt::format("c{}", f);
        double total = 0.0;
        for (double s : shares[static_cast<std::size_t>(f)])
            total += s;
        for (std::size_t k = 0; k < shares[static_cast<std::size_t>(f)].size(); ++k) {
            col.dictionary.push_back(fmt::format("k{}", k));
            shares[static_cast<std::size_t>(f)][k] /= total;
        }
    }
    const auto category = [&](const std::vector<double>& s) {
        double x = u(rng);
        for (std::uint32_t k = 0; k < s.size(); ++k) {
            if (x < s[k])
                return k;
            x -= s[k];
        }
        return static_cast<std::uint32_t>(s.size() - 1);
    };
    for (int w = 0; w < windows; ++w) {
        const std::size_t n = rowsOfWindow(size, w);
        const bool after = w >= kOnset;
        for (std::size_t i = 0; i < n; ++i) {
            const double within = static_cast<double>(i) / static_cast<double>(n);
            t.tsMs.push_back(kStart + w * kHour + static_cast<std::int64_t>(within * kHour));
            t.model.codes.push_back(0);
            t.version.codes.push_back(0);
            t.latencyMs.push(10.0);
            t.status.push_back(RowStatus::Ok);
            t.prediction.push(u(rng));
            t.label.pushNull();
            for (int f = 0; f < kNumeric; ++f) {
                double x = 0.0;
                switch (shapeOf(static_cast<std::size_t>(f))) {
                case Normal:
                    x = normal(rng);
                    break;
                case LogNormal:
                    x = std::exp(normal(rng));
                    break;
                case HeavyTailed:
                    x = heavy(rng);
                    break;
                case Poisson:
                    x = poisson(rng);
                    break;
                default:
                    x = u(rng) < 0.6 ? 0.0 : std::exp(normal(rng));
                    break;
                }
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
                    category(mix ? mixed : shares[static_cast<std::size_t>(f)]));
            }
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
    std::array<long, kShapes> stableWindows{};
    std::array<std::array<long, kRules>, kShapes> stableFlagged{};
    // Per incident: runs, runs caught at onset or the window after, post-onset
    // feature-windows and how many were flagged, and the summed delay of the first flag.
    std::array<long, kIncidents> runs{};
    std::array<std::array<long, kRules>, kIncidents> withinOne{};
    std::array<long, kIncidents> driftedWindows{};
    std::array<std::array<long, kRules>, kIncidents> driftedFlagged{};
    std::array<std::array<long, kRules>, kIncidents> delaySum{};
    std::array<std::array<long, kRules>, kIncidents> detectedRuns{};

    void add(const Tally& o)
    {
        for (std::size_t s = 0; s < kShapes; ++s) {
            stableWindows[s] += o.stableWindows[s];
            for (std::size_t r = 0; r < kRules; ++r)
                stableFlagged[s][r] += o.stableFlagged[s][r];
        }
        for (std::size_t k = 0; k < kIncidents; ++k) {
            runs[k] += o.runs[k];
            driftedWindows[k] += o.driftedWindows[k];
            for (std::size_t r = 0; r < kRules; ++r) {
                withinOne[k][r] += o.withinOne[k][r];
                driftedFlagged[k][r] += o.driftedFlagged[k][r];
                delaySum[k][r] += o.delaySum[k][r];
                detectedRuns[k][r] += o.detectedRuns[k][r];
            }
        }
    }
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

int incidentOf(std::size_t feature)
{
    for (int k = 0; k < kIncidents; ++k)
        if (static_cast<int>(feature) == kIncidentFeature[k])
            return k;
    return -1;
}

void score(const LogTable& table, const DriftSnapshot& drift, std::size_t refRows, Tally& tally,
           std::FILE* dump, const std::string& sizeLabel, std::uint64_t seed)
{
    std::vector<double> refStd;
    for (const auto& col : table.numericFeatures)
        refStd.push_back(referenceStd(col, refRows));
    refStd.push_back(referenceStd(table.prediction, refRows));
    const auto normedW1 = [&](const FeatureDrift& f, std::size_t index) {
        return f.wasserstein.value_or(0.0) /
               std::max(refStd[index < kNumeric ? index : refStd.size() - 1], 0.001);
    };
    const auto flagged = [&](const FeatureDrift& f, std::size_t index, Rule rule) {
        switch (rule) {
        case Vigil:
            return f.drifted;
        case KsP:
            return (f.categorical ? f.chi2P : f.ksP).value_or(1.0) < 0.05;
        case Distance:
            return f.categorical ? f.js.value_or(0.0) >= 0.1 : normedW1(f, index) >= 0.1;
        case kRules:
            break;
        }
        return false;
    };
    if (dump) {
        // One line per feature-window, reference windows included, for trying rules offline.
        std::string out;
        for (std::size_t w = 0; w < drift.windows.size(); ++w) {
            const auto& features = drift.windows[w].features;
            for (std::size_t i = 0; i < features.size(); ++i) {
                const FeatureDrift& f = features[i];
                const int incident = incidentOf(i);
                const bool drifted = incident >= 0 && static_cast<int>(w) >= kOnset;
                out +=
                    fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", sizeLabel, seed, w,
                                i, static_cast<int>(shapeOf(i)), drifted ? incident : -1, f.ksD.value_or(NAN),
                                f.ksP.value_or(NAN), f.categorical ? NAN : normedW1(f, i), f.js.value_or(NAN),
                                f.chi2PooledP.value_or(NAN), f.psi.value_or(NAN), f.drifted ? 1 : 0, f.count,
                                decisionPValue(f).value_or(NAN), f.pairEffect.value_or(NAN),
                                f.pairP.value_or(NAN), f.pairCount);
            }
        }
        static std::mutex mutex;
        const std::lock_guard lock(mutex);
        std::fputs(out.c_str(), dump);
    }
    std::array<std::array<int, kRules>, kIncidents> first{};
    for (auto& f : first)
        f.fill(-1);
    for (std::size_t w = kReferenceWindows; w < drift.windows.size(); ++w) {
        const auto& features = drift.windows[w].features;
        for (std::size_t i = 0; i < features.size(); ++i) {
            const int incident = incidentOf(i);
            const bool drifted = incident >= 0 && static_cast<int>(w) >= kOnset;
            if (!drifted) {
                const auto s = static_cast<std::size_t>(shapeOf(i));
                ++tally.stableWindows[s];
                for (int r = 0; r < kRules; ++r)
                    tally.stableFlagged[s][static_cast<std::size_t>(r)] +=
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

// Clopper-Pearson one-sided 95 % bounds of a binomial share.
double lowerBound(long k, long n)
{
    return k == 0 ? 0.0
                  : boost::math::ibeta_inv(static_cast<double>(k), static_cast<double>(n - k + 1), 0.05);
}
double upperBound(long k, long n)
{
    return k == n ? 1.0
                  : boost::math::ibeta_inv(static_cast<double>(k + 1), static_cast<double>(n - k), 0.95);
}

std::string share(long k, long n, bool lower)
{
    if (n == 0)
        return "-";
    const double p = 100.0 * static_cast<double>(k) / static_cast<double>(n);
    const double b = 100.0 * (lower ? lowerBound(k, n) : upperBound(k, n));
    const int digits = lower ? 1 : 2;
    return fmt::format("{:.{}f} % ({} {:.{}f})", p, digits, lower ? ">=" : "<=", b, digits);
}

std::string argument(int argc, char** argv, const char* key, const char* fallback)
{
    const std::size_t len = std::strlen(key);
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], key, len) == 0 && argv[i][len] == '=')
            return argv[i] + len + 1;
    return fallback;
}

} // namespace

int main(int argc, char** argv)
{
    const int seeds = std::stoi(argument(argc, argv, "seeds", "300"));
    // Runs first_seed .. first_seed + seeds - 1: a second set of seeds checks settings tuned on the first.
    const int firstSeed = std::stoi(argument(argc, argv, "first_seed", "0"));
    const int windows = std::stoi(argument(argc, argv, "windows", "60"));
    unsigned threads = static_cast<unsigned>(std::stoi(argument(argc, argv, "threads", "0")));
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    DriftOptions defaults;
    const double sigmas =
        std::stod(argument(argc, argv, "sigmas", fmt::format("{}", defaults.thresholdSigmas).c_str()));
    const double featureAlpha =
        std::stod(argument(argc, argv, "feature_alpha", fmt::format("{}", defaults.featureAlpha).c_str()));
    const double minimumEffect =
        std::stod(argument(argc, argv, "min_effect", fmt::format("{}", defaults.minimumEffect).c_str()));
    const auto pairBelow = static_cast<std::size_t>(
        std::stoull(argument(argc, argv, "pair_below", fmt::format("{}", defaults.pairBelowRows).c_str())));
    const double pairOwnAlpha =
        std::stod(argument(argc, argv, "pair_own_alpha", fmt::format("{}", defaults.pairOwnAlpha).c_str()));
    const double pairSigmas = std::stod(
        argument(argc, argv, "pair_sigmas", fmt::format("{}", defaults.pairThresholdSigmas).c_str()));
    std::vector<Size> sizes;
    const std::string sizeList = argument(argc, argv, "sizes", "100,1000,10000");
    for (const char* p = sizeList.c_str(); *p;) {
        char* end = nullptr;
        Size s;
        s.rows = std::strtoull(p, &end, 10);
        if (*end == 'v') {
            s.varying = true;
            ++end;
        }
        sizes.push_back(s);
        p = *end ? end + 1 : end;
    }
    const std::string dumpPath = argument(argc, argv, "dump", "");
    std::FILE* dump = dumpPath.empty() ? nullptr : std::fopen(dumpPath.c_str(), "w");
    if (dump)
        std::fputs("size,seed,window,feature,shape,incident,ks_d,ks_p,w1n,js,chi2_pooled_p,psi,vigil,count,"
                   "decision_p,pair_effect,pair_p,pair_count\n",
                   dump);
    fmt::print("{} seeds x {} hourly windows, reference = first {}, onset = window {}; {} numeric + {} "
               "categorical features + prediction; thresholdSigmas {}, minimumEffect {}, featureAlpha {}, "
               "pairBelowRows {}, pairOwnAlpha {}, pairThresholdSigmas {}; {} threads\n\n",
               seeds, windows, kReferenceWindows, kOnset, kNumeric, kCategorical, sigmas, minimumEffect,
               featureAlpha, pairBelow, pairOwnAlpha, pairSigmas, threads);
    std::vector<Tally> bySize(sizes.size());
    for (std::size_t si = 0; si < sizes.size(); ++si) {
        const Size size = sizes[si];
        const auto t0 = std::chrono::steady_clock::now();
        std::atomic<int> next{0};
        std::atomic<bool> failed{false};
        std::mutex merge;
        const auto work = [&] {
            Tally local;
            for (int s = next++; s < seeds && !failed; s = next++) {
                const auto seed = static_cast<std::uint64_t>(s + firstSeed) * 7919 + 1;
                const LogTable table = makeTable(windows, size, seed);
                AnalysisOptions options;
                options.windowMs = kHour;
                const auto snapshot = analyze(table, InferredSchema{}, options);
                if (!snapshot.ok()) {
                    std::fprintf(stderr, "error: %s\n", snapshot.error().message.c_str());
                    failed = true;
                    break;
                }
                DriftOptions drift;
                drift.enabled = true;
                drift.threads = 1; // the seeds run in parallel
                drift.conceptDrift = false;
                drift.thresholdSigmas = sigmas;
                drift.minimumEffect = minimumEffect;
                drift.featureAlpha = featureAlpha;
                drift.pairBelowRows = pairBelow;
                drift.pairOwnAlpha = pairOwnAlpha;
                drift.pairThresholdSigmas = pairSigmas;
                drift.referenceStartMs = kStart;
                drift.referenceEndMs = kStart + kReferenceWindows * kHour;
                const auto result = computeDrift(table, snapshot.value(), drift);
                if (!result.ok()) {
                    std::fprintf(stderr, "error: %s\n", result.error().message.c_str());
                    failed = true;
                    break;
                }
                std::size_t refRows = 0;
                for (int w = 0; w < kReferenceWindows; ++w)
                    refRows += rowsOfWindow(size, w);
                score(table, result.value(), refRows, local, dump, size.label(), seed);
            }
            const std::lock_guard lock(merge);
            bySize[si].add(local);
        };
        std::vector<std::jthread> pool;
        for (unsigned t = 1; t < threads; ++t)
            pool.emplace_back(work);
        work();
        pool.clear();
        if (failed)
            return 1;
        std::fprintf(stderr, "%s rows/window: %.1f s\n", size.label().c_str(),
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    if (dump)
        std::fclose(dump);

    fmt::print("Step changes caught within one window of onset (share of runs, one-sided 95 % lower bound) "
               "and share of post-onset windows flagged:\n\n");
    fmt::print("| rows/window | incident | vigil | ks<0.05 | dist>=0.1 |\n|---|---|---|---|---|\n");
    for (std::size_t si = 0; si < sizes.size(); ++si) {
        const Tally& tally = bySize[si];
        for (std::size_t k = 0; k < kIncidents; ++k) {
            std::string row = fmt::format("| {} | {} |", sizes[si].label(), kIncidentNames[k]);
            for (std::size_t r = 0; r < kRules; ++r) {
                const double flaggedShare = 100.0 * static_cast<double>(tally.driftedFlagged[k][r]) /
                                            static_cast<double>(std::max(1L, tally.driftedWindows[k]));
                if (k < kSteps)
                    row += fmt::format(" {}; {:.1f} % |", share(tally.withinOne[k][r], tally.runs[k], true),
                                       flaggedShare);
                else {
                    const long detected = tally.detectedRuns[k][r];
                    row +=
                        detected
                            ? fmt::format(" first flag {:.1f} windows after onset ({}/{} runs); {:.1f} % |",
                                          static_cast<double>(tally.delaySum[k][r]) /
                                              static_cast<double>(detected),
                                          detected, tally.runs[k], flaggedShare)
                            : std::string(" never |");
                }
            }
            fmt::print("{}\n", row);
        }
    }
    fmt::print("\nStable feature-windows flagged (share, one-sided 95 % upper bound):\n\n");
    fmt::print(
        "| rows/window | stable feature-windows | vigil | ks<0.05 | dist>=0.1 |\n|---|---|---|---|---|\n");
    for (std::size_t si = 0; si < sizes.size(); ++si) {
        const Tally& tally = bySize[si];
        long total = 0;
        std::array<long, kRules> flagged{};
        for (std::size_t s = 0; s < kShapes; ++s) {
            total += tally.stableWindows[s];
            for (std::size_t r = 0; r < kRules; ++r)
                flagged[r] += tally.stableFlagged[s][r];
        }
        fmt::print("| {} | {} | {} | {} | {} |\n", sizes[si].label(), total,
                   share(flagged[Vigil], total, false), share(flagged[KsP], total, false),
                   share(flagged[Distance], total, false));
    }
    fmt::print(
        "\nStable feature-windows flagged by shape (vigil / ks<0.05 / dist>=0.1, %):\n\n| rows/window |");
    for (const char* name : kShapeNames)
        fmt::print(" {} |", name);
    fmt::print("\n|---|");
    for (std::size_t s = 0; s < kShapes; ++s)
        fmt::print("---|");
    fmt::print("\n");
    for (std::size_t si = 0; si < sizes.size(); ++si) {
        const Tally& tally = bySize[si];
        fmt::print("| {} |", sizes[si].label());
        for (std::size_t s = 0; s < kShapes; ++s) {
            const double n = static_cast<double>(std::max(1L, tally.stableWindows[s]));
            fmt::print(" {:.2f} / {:.1f} / {:.1f} |", 100.0 * tally.stableFlagged[s][Vigil] / n,
                       100.0 * tally.stableFlagged[s][KsP] / n, 100.0 * tally.stableFlagged[s][Distance] / n);
        }
        fmt::print("\n");
    }
    return 0;
}
