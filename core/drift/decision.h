#pragma once
// Turning per-feature statistics into drift decisions.
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

} // namespace vigil
