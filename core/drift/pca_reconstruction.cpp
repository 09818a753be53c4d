#include "pca_reconstruction.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace vigil {
namespace {

std::size_t rowCount(const FeatureColumns& cols)
{
    if (!cols.numeric.empty())
        return cols.numeric.front().size();
    if (!cols.categorical.empty())
        return cols.categorical.front().size();
    return 0;
}

bool sameLengths(const FeatureColumns& cols, std::size_t rows)
{
    for (const auto& c : cols.numeric)
        if (c.size() != rows)
            return false;
    for (const auto& c : cols.categorical)
        if (c.size() != rows)
            return false;
    return true;
}

} // namespace

Result<PcaReconstruction> PcaReconstruction::fit(const FeatureColumns& reference, double varianceShare)
{
    const std::size_t rows = rowCount(reference);
    const std::size_t features = reference.numeric.size() + reference.categorical.size();
    if (features == 0)
        return Error{"PCA reconstruction needs at least one feature column"};
    if (!sameLengths(reference, rows))
        return Error{"PCA reconstruction: reference columns have different lengths"};
    if (rows < 2)
        return Error{"PCA reconstruction needs at least two reference rows"};
    if (!(varianceShare > 0.0 && varianceShare < 1.0))
        return Error{"PCA reconstruction: explained-variance share must be in (0, 1)"};

    PcaReconstruction model;
    std::vector<std::string> warnings;
    for (const auto& col : reference.numeric) {
        double sum = 0.0;
        std::size_t n = 0;
        for (double v : col)
            if (std::isfinite(v)) {
                sum += v;
                ++n;
            }
        if (n == 0)
            warnings.push_back("PCA reconstruction: a numeric column has no finite reference value; "
                               "it is imputed with 0");
        model.m_numericFill.push_back(n ? sum / static_cast<double>(n) : 0.0);
    }
    for (const auto& col : reference.categorical) {
        std::map<std::int32_t, double> counts;
        std::size_t missing = 0;
        for (std::int32_t c : col) {
            if (c < 0)
                ++missing;
            else
                counts[c] += 1.0;
        }
        std::int32_t mode = -1;
        double best = -1.0;
        for (const auto& [code, count] : counts)
            if (count > best) { // strict: the smallest code wins ties
                best = count;
                mode = code;
            }
        model.m_categoricalFill.push_back(mode);
        if (mode >= 0)
            counts[mode] += static_cast<double>(missing);
        std::vector<std::pair<std::int32_t, double>> freq;
        for (const auto& [code, count] : counts)
            freq.emplace_back(code, count / static_cast<double>(rows));
        model.m_frequencies.push_back(std::move(freq));
    }

    model.m_mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(features));
    model.m_scale = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(features));
    auto encoded = model.encode(reference);
    if (!encoded)
        return encoded.error();
    Eigen::MatrixXd x = std::move(encoded).value();
    model.m_mean = x.colwise().mean();
    x.rowwise() -= model.m_mean.transpose();
    Eigen::VectorXd scale = (x.array().square().colwise().sum() / static_cast<double>(rows)).sqrt();
    for (Eigen::Index i = 0; i < scale.size(); ++i)
        if (scale[i] == 0.0)
            scale[i] = 1.0; // sklearn's StandardScaler leaves constant columns unscaled
    model.m_scale = scale;
    x = x.array().rowwise() / scale.transpose().array();

    // Standardised data has mean 0; the covariance eigenvectors are PCA's components.
    const Eigen::MatrixXd cov = (x.transpose() * x) / static_cast<double>(rows - 1);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    if (eig.info() != Eigen::Success)
        return Error{"PCA reconstruction: eigen decomposition failed"};
    const Eigen::VectorXd values = eig.eigenvalues().reverse().cwiseMax(0.0);
    const Eigen::MatrixXd vectors = eig.eigenvectors().rowwise().reverse();
    const double total = values.sum();
    Eigen::Index keep = values.size();
    if (total > 0.0) {
        // sklearn: searchsorted(cumsum(ratio), share, side='right') + 1.
        double cumulative = 0.0;
        Eigen::Index below = 0;
        for (Eigen::Index i = 0; i < values.size(); ++i) {
            cumulative += values[i] / total;
            if (cumulative <= varianceShare)
                below = i + 1;
        }
        keep = std::min(below + 1, values.size());
    }
    model.m_basis = vectors.leftCols(keep);
    Result<PcaReconstruction> result(std::move(model));
    result.warnings = std::move(warnings);
    return result;
}

Result<Eigen::MatrixXd> PcaReconstruction::encode(const FeatureColumns& cols) const
{
    const std::size_t rows = rowCount(cols);
    if (cols.numeric.size() != m_numericFill.size() || cols.categorical.size() != m_categoricalFill.size())
        return Error{"PCA reconstruction: window columns differ from the reference columns"};
    if (!sameLengths(cols, rows))
        return Error{"PCA reconstruction: window columns have different lengths"};
    Eigen::MatrixXd x(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(features()));
    Eigen::Index j = 0;
    for (std::size_t c = 0; c < cols.numeric.size(); ++c, ++j)
        for (std::size_t r = 0; r < rows; ++r) {
            const double v = cols.numeric[c][r];
            x(static_cast<Eigen::Index>(r), j) = std::isfinite(v) ? v : m_numericFill[c];
        }
    for (std::size_t c = 0; c < cols.categorical.size(); ++c, ++j) {
        const auto& freq = m_frequencies[c];
        for (std::size_t r = 0; r < rows; ++r) {
            std::int32_t code = cols.categorical[c][r];
            if (code < 0)
                code = m_categoricalFill[c];
            const auto it = std::lower_bound(freq.begin(), freq.end(), code,
                                             [](const auto& p, std::int32_t k) { return p.first < k; });
            x(static_cast<Eigen::Index>(r), j) = (it != freq.end() && it->first == code) ? it->second : 0.0;
        }
    }
    return x;
}

Result<std::vector<double>> PcaReconstruction::rowErrors(const FeatureColumns& window) const
{
    auto encoded = encode(window);
    if (!encoded)
        return encoded.error();
    Eigen::MatrixXd x = std::move(encoded).value();
    x.rowwise() -= m_mean.transpose();
    x = x.array().rowwise() / m_scale.transpose().array();
    // The data mean is 0 after standardisation, so reconstruction is x W W^T.
    const Eigen::MatrixXd residual = x - (x * m_basis) * m_basis.transpose();
    std::vector<double> errors(static_cast<std::size_t>(x.rows()));
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        errors[static_cast<std::size_t>(r)] = residual.row(r).norm();
    return errors;
}

Result<std::optional<double>> PcaReconstruction::meanError(const FeatureColumns& window) const
{
    auto errors = rowErrors(window);
    if (!errors)
        return errors.error();
    if (errors->empty())
        return std::optional<double>{};
    double sum = 0.0;
    for (double e : errors.value())
        sum += e;
    return std::optional<double>{sum / static_cast<double>(errors->size())};
}

std::optional<ReferenceBand> referenceBand(std::span<const double> values, double k,
                                           std::optional<double> lowerLimit)
{
    double sum = 0.0;
    std::size_t n = 0;
    for (double v : values)
        if (!std::isnan(v)) {
            sum += v;
            ++n;
        }
    if (n == 0)
        return std::nullopt;
    ReferenceBand band;
    band.mean = sum / static_cast<double>(n);
    double sq = 0.0;
    for (double v : values)
        if (!std::isnan(v))
            sq += (v - band.mean) * (v - band.mean);
    band.stdDev = std::sqrt(sq / static_cast<double>(n));
    band.lower = band.mean - k * band.stdDev;
    band.upper = band.mean + k * band.stdDev;
    if (lowerLimit)
        band.lower = std::max(band.lower, *lowerLimit);
    return band;
}

PcaReconstruction::State PcaReconstruction::state() const
{
    State s;
    s.numericFill = m_numericFill;
    s.categoricalFill = m_categoricalFill;
    s.frequencies = m_frequencies;
    s.mean.assign(m_mean.data(), m_mean.data() + m_mean.size());
    s.scale.assign(m_scale.data(), m_scale.data() + m_scale.size());
    s.basis.assign(m_basis.data(), m_basis.data() + m_basis.size());
    s.components = static_cast<int>(m_basis.cols());
    return s;
}

PcaReconstruction PcaReconstruction::fromState(State s)
{
    PcaReconstruction m;
    m.m_numericFill = std::move(s.numericFill);
    m.m_categoricalFill = std::move(s.categoricalFill);
    m.m_frequencies = std::move(s.frequencies);
    for (auto& f : m.m_frequencies)
        std::sort(f.begin(), f.end());
    m.m_mean = Eigen::Map<const Eigen::VectorXd>(s.mean.data(), static_cast<Eigen::Index>(s.mean.size()));
    m.m_scale = Eigen::Map<const Eigen::VectorXd>(s.scale.data(), static_cast<Eigen::Index>(s.scale.size()));
    const auto rows = static_cast<Eigen::Index>(s.mean.size());
    const Eigen::Index cols = s.components;
    if (rows * cols == static_cast<Eigen::Index>(s.basis.size()))
        m.m_basis = Eigen::Map<const Eigen::MatrixXd>(s.basis.data(), rows, cols);
    return m;
}

} // namespace vigil
