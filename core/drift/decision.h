#pragma once
// Turning per-feature statistics into drift decisions.
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace vigil {

// Benjamini-Hochberg step-up at false-discovery rate q, as Alibi Detect's `fdr`:
// sort the p-values, find the largest rank k with p_(k) < q*k/n (strict), reject the k
// smallest. NaN p-values (statistic unavailable) are never rejected and do not count in n.
struct FdrResult
{
    bool anyRejected = false;
    double threshold = 0.0;     // q*k/n for the largest such k, or q when none
    std::vector<bool> rejected; // per input p-value
};
FdrResult benjaminiHochberg(std::span<const double> pValues, double q);

// Bonferroni as Alibi's default: reject p < alpha / n (n = non-NaN p-values).
std::vector<bool> bonferroni(std::span<const double> pValues, double alpha);

// Data-driven thresholds (NannyML's StandardDeviationThreshold): from the values a metric
// took on the reference windows, offset +/- multiplier * population std; a missing
// multiplier means no bound on that side; bounds are clipped to the metric's limits.
enum class ThresholdOffset
{
    Mean,
    Median,
    Min,
    Max
};
struct ReferenceThreshold
{
    std::optional<double> lower;
    std::optional<double> upper;
};
struct ThresholdRule
{
    std::optional<double> lowerMultiplier = 3.0;
    std::optional<double> upperMultiplier = 3.0;
    ThresholdOffset offset = ThresholdOffset::Mean;
    std::optional<double> lowerLimit; // e.g. 0 for a distance
    std::optional<double> upperLimit; // e.g. 1 for KS D
};
// nullopt when no reference value is a number.
std::optional<ReferenceThreshold> thresholdFromReference(std::span<const double> referenceValues,
                                                         const ThresholdRule& rule = {});

// Outside [lower, upper]? A missing value never alerts.
bool breaches(const ReferenceThreshold& threshold, std::optional<double> value);

// Per-feature decision: significant after multiple-testing correction AND the effect size
// (e.g. KS D, normed Wasserstein, PSI) at least `minimumEffect`, so that huge windows do not
// flag practically irrelevant shifts. A feature without an effect size fails the test.
enum class Correction
{
    None,
    Bonferroni,
    BenjaminiHochberg
};
struct DecisionRule
{
    double alpha = 0.05;
    Correction correction = Correction::BenjaminiHochberg;
    double minimumEffect = 0.0;
};
std::vector<bool> decideFeatureDrift(std::span<const double> pValues, std::span<const double> effectSizes,
                                     const DecisionRule& rule = {});

// The sampling noise of a two-sample distance (KS D, W1, JS) between n values and a
// reference of referenceN: its null spread scales with sqrt(1/n + 1/referenceN).
double noiseScale(double n, double referenceN);

// A reference window's effect is measured against a reference that contains it. Its CDF
// (or category shares) difference to the whole reference is (N - n) / N times the difference
// to the rest of the reference, so the effect against the rest is effect * N / (N - n):
// exact for KS D and W1, first order for JS. Without the correction the band sits about
// sqrt(13/11) - 1 = 9 % low (12 reference windows) and flags stable windows.
double leaveOneOutEffect(double effect, double n, double referenceN);

// The reference band of an effect size, learned from the reference windows' own variability
// at their sizes: the windows' leave-one-out effects divided by their noise scale, mean +
// sigmas * population std, scaled back to a window of n values. A window with half the rows
// of the reference windows thus gets a band sqrt(2) wider, as its sampling noise is.
struct EffectBand
{
    double mean = 0.0;
    double sd = 0.0;
    double sigmas = 3.0;
    double referenceN = 0.0; // 0: effects taken as they are (no sizes known), the band is flat
    double upper(double n) const;
};
// counts[i] = values of reference window i (NaN effects are skipped); empty counts, or any
// count of 0, give the flat band of the raw effects (a saved profile keeps no sizes). nullopt
// with fewer than 2 effects.
std::optional<EffectBand> effectBand(std::span<const double> effects, std::span<const double> counts,
                                     double sigmas);

// One feature of one window, as the decision sees it.
struct FeatureEvidence
{
    double p = std::numeric_limits<double>::quiet_NaN();      // NaN: outside the test family
    double effect = std::numeric_limits<double>::quiet_NaN(); // KS D or JS
    double count = 0.0;                                       // values in the window
    double featureAlpha = 1.0;
    double minimumEffect = 0.0;
    std::optional<EffectBand> band;
    // The same test on the window's values pooled with the previous window's (NaN p: none).
    double pairP = std::numeric_limits<double>::quiet_NaN();
    double pairEffect = std::numeric_limits<double>::quiet_NaN();
    double pairCount = 0.0;
    double pairOwnAlpha = 0.1;
    std::optional<EffectBand> pairBand; // the same reference windows, its own sigmas
};
// drifted = the window alone passes, or the two-window pool does:
//   alone: rejected by Benjamini-Hochberg at alpha across the window's features AND
//   p < featureAlpha AND effect >= minimumEffect AND effect > band.upper(count) (when a band
//   exists). BH controls the share of false discoveries among a window's flags, but when
//   several features of a window drift it loosens the per-test level to about
//   alpha * (drifting + 1) / features (0.9 % for 4 of 29): featureAlpha keeps each stable
//   feature's false-alarm rate below its own bound regardless.
//   pool: the same four conditions on pairP / pairEffect / pairCount with pairBand,
//   Benjamini-Hochberg over the pool p-values as their own family, AND the window itself shows the change:
//   p < pairOwnAlpha AND effect >= minimumEffect. A step change stays in every window after
//   its onset, so the pool of onset and onset + 1 has twice the rows and about the same
//   effect; a one-window spike in the previous window is diluted by half in the pool and
//   does not pass the window's own test, so it does not carry over.
std::vector<bool> decideWindow(std::span<const FeatureEvidence> features, double alpha);

} // namespace vigil
