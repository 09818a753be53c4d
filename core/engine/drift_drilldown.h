#pragma once
// One feature in one window against the drift reference, as the drill-down panel draws it:
// both distributions on common bins (numeric) or as category shares (categorical), both
// ECDFs with the point where KS D is attained, and the feature's drift over every window.
#include "engine/analysis.h"
#include "util/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

namespace vigil {

// Nulls (missing field) apart from NaN and ±Inf: all of them are data to the on-call.
struct SampleCounts
{
    std::uint64_t rows = 0;
    std::uint64_t nulls = 0;
    std::uint64_t nan = 0;
    std::uint64_t posInf = 0;
    std::uint64_t negInf = 0;
    std::uint64_t finite = 0;
};

// np.histogram of both samples' finite values over their pooled range: edges.size() ==
// bins + 1, shares are counts / finite values of that side (0 when it has none).
struct CommonHistogram
{
    std::vector<double> edges;
    std::vector<std::uint64_t> refCounts, curCounts;
    std::vector<double> refShares, curShares;
};

struct EcdfPoint
{
    double x = 0.0;
    double f = 0.0; // share of the non-NaN values <= x
};

// Where D = sup |F_ref - F_cur| is attained (the smallest such x).
struct KsLocation
{
    double x = 0.0;
    double refF = 0.0;
    double curF = 0.0;
    double d = 0.0;
};

struct NumericDistributions
{
    SampleCounts ref, cur;
    CommonHistogram histogram;
    std::vector<EcdfPoint> refEcdf, curEcdf; // finite x only, decimated, step functions
    std::optional<KsLocation> ks;            // nullopt when a side has no non-NaN value
};

struct CategoryShare
{
    std::string name; // "(other)" for the folded tail
    std::uint64_t refCount = 0, curCount = 0;
    double refShare = 0.0, curShare = 0.0; // of the non-null values of that side
    bool unseen = false;                   // in the window, never in the reference
    bool other = false;
};

struct CategoricalDistributions
{
    SampleCounts ref, cur;              // finite = non-null values
    std::vector<CategoryShare> shares;  // by max(refShare, curShare) descending, "(other)" last
    std::uint64_t unseenCategories = 0; // distinct categories of the window absent from the reference
};

struct DriftSeriesPoint
{
    std::int64_t startMs = 0;
    FeatureDrift drift;
};

struct FeatureDrilldown
{
    std::string feature;
    bool categorical = false;
    std::size_t window = 0;
    std::int64_t windowStartMs = 0, windowEndMs = 0;
    DriftReferenceInfo reference;
    std::optional<NumericDistributions> numeric;
    std::optional<CategoricalDistributions> categories;
    FeatureDrift statistics; // of this window
    std::vector<DriftSeriesPoint> series;
};

struct DrilldownOptions
{
    int bins = 30;
    std::size_t maxEcdfPoints = 500;
    std::size_t topCategories = 12;
    // The separately loaded reference, when the drift was computed against one.
    std::shared_ptr<const LogTable> referenceTable;
};

// NaN for null values; the counts tell nulls apart.
NumericDistributions numericDistributions(std::span<const double> ref, std::span<const double> cur,
                                          std::span<const std::uint8_t> refValid,
                                          std::span<const std::uint8_t> curValid, int bins,
                                          std::size_t maxEcdfPoints);

// Codes index `names`; -1 is null.
CategoricalDistributions categoricalDistributions(std::span<const std::int32_t> ref,
                                                  std::span<const std::int32_t> cur,
                                                  const std::vector<std::string>& names, std::size_t topN);

// Edges exactly as numpy.linspace(lo, hi, bins + 1) (lo == hi widens to ±0.5, as np.histogram).
std::vector<double> histogramEdges(double lo, double hi, int bins);
// np.histogram's bin of a finite x inside [edges.front(), edges.back()].
std::size_t histogramBin(const std::vector<double>& edges, double x);

// The feature names that have drift statistics, in snapshot order.
std::vector<std::string> driftFeatureNames(const DriftSnapshot& drift);

// Needs snapshot.drift. Errors: unknown feature (the message lists the known ones), a window
// out of range, a cancelled run.
Result<FeatureDrilldown> computeDrilldown(const LogTable& table, const AnalysisSnapshot& snapshot,
                                          const std::string& feature, std::size_t window,
                                          const DrilldownOptions& options = {}, std::stop_token stop = {});

} // namespace vigil
