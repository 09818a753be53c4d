#pragma once
// Multivariate drift by PCA reconstruction error, as NannyML's
// DataReconstructionDriftCalculator: fitted on the reference, then each window's value is
// the mean over its rows of ||x - PCA^-1(PCA(x))||_2.
//
// Preprocessing, all fitted on the reference:
//  - missing values are imputed: numeric NaN and +/-Inf with the column's mean of finite
//    values, categorical missing codes (< 0) with the most frequent category (the smallest
//    code on ties, like sklearn's SimpleImputer);
//  - categoricals are frequency-encoded (share of the category among the reference rows
//    after imputation; a category unseen in the reference encodes as 0);
//  - every column is standardised with the reference mean and population std (std 0 -> 1);
//  - PCA keeps the fewest leading components whose explained-variance share exceeds 0.65
//    (sklearn's rule for a float n_components).
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <Eigen/Dense>

namespace vigil {

// Column views of one sample; every column has the same number of rows.
struct FeatureColumns
{
    std::vector<std::span<const double>> numeric;
    std::vector<std::span<const std::int32_t>> categorical;
};

class PcaReconstruction
{
  public:
    static Result<PcaReconstruction> fit(const FeatureColumns& reference, double varianceShare = 0.65);

    int components() const { return static_cast<int>(m_basis.cols()); }
    int features() const { return static_cast<int>(m_mean.size()); }

    // Per-row reconstruction errors; empty for a window without rows. The window must have
    // the reference's columns (same counts, same order).
    Result<std::vector<double>> rowErrors(const FeatureColumns& window) const;
    // Mean of rowErrors; nullopt for an empty window.
    Result<std::optional<double>> meanError(const FeatureColumns& window) const;

    // Everything a fitted model holds, for saving it (reference profiles) and rebuilding it.
    struct State
    {
        std::vector<double> numericFill;
        std::vector<std::int32_t> categoricalFill;
        std::vector<std::vector<std::pair<std::int32_t, double>>> frequencies; // sorted by code
        std::vector<double> mean, scale;
        std::vector<double> basis; // column-major, features x components
        int components = 0;
    };
    State state() const;
    // The frequencies are re-sorted by code (a caller may have re-coded the categories).
    static PcaReconstruction fromState(State state);

  private:
    // Checks that `cols` has the reference's layout; returns its row count.
    Result<std::size_t> checkLayout(const FeatureColumns& cols) const;
    // Rows [from, from + out.rows()) encoded (imputed, frequency-encoded) and, with
    // `standardise`, centred and scaled, into `out` (rows x features).
    void encodeRows(const FeatureColumns& cols, std::size_t from, bool standardise,
                    Eigen::MatrixXd& out) const;
    // m_frequencyOfCode from m_frequencies.
    void prepareFrequencyTables();
    // m_scoring (and m_packed) from m_basis.
    void prepareScoring();

    std::vector<double> m_numericFill;
    std::vector<std::int32_t> m_categoricalFill;
    std::vector<std::vector<std::pair<std::int32_t, double>>> m_frequencies; // sorted by code
    // m_frequencies as a table indexed by code (0 for a code the reference lacks), when the
    // codes are few enough: every row of every window looks its category up.
    std::vector<std::vector<double>> m_frequencyOfCode;
    Eigen::VectorXd m_mean;
    Eigen::VectorXd m_scale;
    Eigen::MatrixXd m_basis; // features x components, orthonormal columns
    // What a row's error is computed with: ||x - V V^T x|| equals ||U^T x|| for U an
    // orthonormal basis of the discarded directions, one product instead of two, and a
    // narrower one whenever more than a third of the directions is kept (1,000 columns at
    // 65 % variance keep about 600). Empty columns when everything is kept: error 0.
    Eigen::MatrixXd m_scoring;
    bool m_complement = false;
    std::vector<double> m_packed; // m_scoring for pcakernel when the CPU runs it
};

// Alert band from the reference windows' own values (NannyML's StandardDeviationThreshold):
// mean +/- k * population std, the lower limit clipped at 0.
struct ReferenceBand
{
    double mean = 0.0;
    double stdDev = 0.0;
    double lower = 0.0;
    double upper = 0.0;
};
std::optional<ReferenceBand> referenceBand(std::span<const double> referenceValues, double k = 3.0,
                                           std::optional<double> lowerLimit = 0.0);

} // namespace vigil
