#include "pca_reconstruction.h"

#include "pca_kernel.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace vigil {
namespace {

// Rows encoded at a time when fitting: 1,024 rows of 1,000 features are 8 MB, wide enough
// for the covariance's rank updates to run at full speed.
constexpr std::size_t kBlockRows = 1024;
// Rows encoded at a time when scoring: 240 rows of 1,000 features (1.9 MB) stay in L2 while
// the product reads them.
constexpr std::size_t kScoreBlockRows = 240;

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
    model.prepareFrequencyTables();

    // Encoded in blocks of rows rather than as one rows x features matrix: 20,000 reference
    // rows of 1,000 features would be 160 MB, a block is 2 MB. Two passes give the mean and
    // the population std; the third adds each standardised block to the covariance's lower
    // triangle (a symmetric rank update, half the work of the full product).
    const auto nFeatures = static_cast<Eigen::Index>(features);
    model.m_mean = Eigen::VectorXd::Zero(nFeatures);
    model.m_scale = Eigen::VectorXd::Ones(nFeatures);
    Eigen::MatrixXd block;
    const auto forBlocks = [&](bool standardise, const auto& use) {
        for (std::size_t from = 0; from < rows; from += kBlockRows) {
            block.resize(static_cast<Eigen::Index>(std::min(kBlockRows, rows - from)), nFeatures);
            model.encodeRows(reference, from, standardise, block);
            use();
        }
    };
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(nFeatures);
    forBlocks(false, [&] { sum += block.colwise().sum().transpose(); });
    const Eigen::VectorXd mean = sum / static_cast<double>(rows);
    Eigen::VectorXd squares = Eigen::VectorXd::Zero(nFeatures);
    forBlocks(false,
              [&] { squares += (block.rowwise() - mean.transpose()).colwise().squaredNorm().transpose(); });
    Eigen::VectorXd scale = (squares / static_cast<double>(rows)).cwiseSqrt();
    for (Eigen::Index i = 0; i < scale.size(); ++i)
        if (scale[i] == 0.0)
            scale[i] = 1.0; // sklearn's StandardScaler leaves constant columns unscaled
    model.m_mean = mean;
    model.m_scale = scale;

    // Standardised data has mean 0; the covariance eigenvectors are PCA's components.
    // SelfAdjointEigenSolver reads the lower triangle only.
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(nFeatures, nFeatures);
    const double norm = 1.0 / static_cast<double>(rows - 1);
    forBlocks(true, [&] { cov.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose(), norm); });
    block = Eigen::MatrixXd();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    cov = Eigen::MatrixXd();
    if (eig.info() != Eigen::Success)
        return Error{"PCA reconstruction: eigen decomposition failed"};
    const Eigen::VectorXd values = eig.eigenvalues().reverse().cwiseMax(0.0);
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
    // Eigenvalues ascend: the kept components are the last columns.
    model.m_basis = eig.eigenvectors().rightCols(keep).rowwise().reverse();
    model.prepareScoring();
    Result<PcaReconstruction> result(std::move(model));
    result.warnings = std::move(warnings);
    return result;
}

void PcaReconstruction::prepareFrequencyTables()
{
    constexpr std::int32_t kMaxDenseCode = 1 << 16;
    m_frequencyOfCode.assign(m_frequencies.size(), {});
    for (std::size_t c = 0; c < m_frequencies.size(); ++c) {
        const auto& freq = m_frequencies[c];
        if (freq.empty() || freq.front().first < 0 || freq.back().first >= kMaxDenseCode)
            continue;
        auto& table = m_frequencyOfCode[c];
        table.assign(static_cast<std::size_t>(freq.back().first) + 1, 0.0);
        for (const auto& [code, share] : freq)
            table[static_cast<std::size_t>(code)] = share;
    }
}

void PcaReconstruction::prepareScoring()
{
    const Eigen::Index d = m_basis.rows();
    const Eigen::Index k = m_basis.cols();
    // Two products of width k, or one of width d - k.
    m_complement = d - k < 2 * k;
    if (!m_complement) {
        m_scoring = m_basis;
        return;
    }
    // The last d - k columns of Q in V = QR span the discarded directions. Taken from the
    // basis alone (not from the eigensolver's other vectors), so that a model rebuilt from
    // its saved state scores every row with the very same bits as the fitted one.
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(m_basis);
    const Eigen::MatrixXd q = qr.householderQ();
    m_scoring = q.rightCols(d - k);
    if (pcakernel::available())
        m_packed = pcakernel::packColumns(m_scoring.data(), static_cast<std::size_t>(m_scoring.rows()),
                                          static_cast<std::size_t>(m_scoring.cols()));
}

Result<std::size_t> PcaReconstruction::checkLayout(const FeatureColumns& cols) const
{
    const std::size_t rows = rowCount(cols);
    if (cols.numeric.size() != m_numericFill.size() || cols.categorical.size() != m_categoricalFill.size())
        return Error{"PCA reconstruction: window columns differ from the reference columns"};
    if (!sameLengths(cols, rows))
        return Error{"PCA reconstruction: window columns have different lengths"};
    return rows;
}

void PcaReconstruction::encodeRows(const FeatureColumns& cols, std::size_t from, bool standardise,
                                   Eigen::MatrixXd& x) const
{
    const auto count = static_cast<std::size_t>(x.rows());
    Eigen::Index j = 0;
    // Centring and scaling are the same two operations (subtract, then divide) the whole
    // matrix got before, applied per value.
    const auto put = [&](Eigen::Index col, std::size_t r, double v) {
        x(static_cast<Eigen::Index>(r), col) = standardise ? (v - m_mean[col]) / m_scale[col] : v;
    };
    for (std::size_t c = 0; c < cols.numeric.size(); ++c, ++j) {
        const double* in = cols.numeric[c].data() + from;
        const double fill = m_numericFill[c];
        for (std::size_t r = 0; r < count; ++r) {
            const double v = in[r];
            put(j, r, std::isfinite(v) ? v : fill);
        }
    }
    for (std::size_t c = 0; c < cols.categorical.size(); ++c, ++j) {
        const auto& freq = m_frequencies[c];
        static const std::vector<double> kNoTable;
        const auto& table = c < m_frequencyOfCode.size() ? m_frequencyOfCode[c] : kNoTable;
        const std::int32_t* in = cols.categorical[c].data() + from;
        for (std::size_t r = 0; r < count; ++r) {
            std::int32_t code = in[r];
            if (code < 0)
                code = m_categoricalFill[c];
            if (!table.empty()) {
                const auto index = static_cast<std::size_t>(code);
                put(j, r, code >= 0 && index < table.size() ? table[index] : 0.0);
                continue;
            }
            const auto it = std::lower_bound(freq.begin(), freq.end(), code,
                                             [](const auto& p, std::int32_t k) { return p.first < k; });
            put(j, r, (it != freq.end() && it->first == code) ? it->second : 0.0);
        }
    }
}

Result<std::vector<double>> PcaReconstruction::rowErrors(const FeatureColumns& window) const
{
    const auto rows = checkLayout(window);
    if (!rows)
        return rows.error();
    if (m_scoring.rows() != m_mean.size() || m_basis.rows() != m_mean.size())
        return Error{"PCA reconstruction: the model's components do not match its features"};
    std::vector<double> errors(rows.value());
    // Block by block, so that a window of any size needs a few MB, not rows x features.
    Eigen::MatrixXd x;
    Eigen::MatrixXd projected;
    for (std::size_t from = 0; from < errors.size(); from += kScoreBlockRows) {
        const std::size_t count = std::min(kScoreBlockRows, errors.size() - from);
        x.resize(static_cast<Eigen::Index>(count), m_mean.size());
        encodeRows(window, from, true, x);
        if (m_complement && pcakernel::available()) {
            pcakernel::squaredProjections(x.data(), count, count, static_cast<std::size_t>(x.cols()),
                                          m_packed, static_cast<std::size_t>(m_scoring.cols()),
                                          errors.data() + from);
            for (std::size_t r = 0; r < count; ++r)
                errors[from + r] = std::sqrt(errors[from + r]);
            continue;
        }
        projected.noalias() = x * m_scoring;
        if (m_complement) {
            for (std::size_t r = 0; r < count; ++r)
                errors[from + r] = projected.row(static_cast<Eigen::Index>(r)).norm();
        } else {
            // The data mean is 0 after standardisation, so reconstruction is x V V^T.
            x.noalias() -= projected * m_basis.transpose();
            for (std::size_t r = 0; r < count; ++r)
                errors[from + r] = x.row(static_cast<Eigen::Index>(r)).norm();
        }
    }
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
    m.prepareFrequencyTables();
    m.m_mean = Eigen::Map<const Eigen::VectorXd>(s.mean.data(), static_cast<Eigen::Index>(s.mean.size()));
    m.m_scale = Eigen::Map<const Eigen::VectorXd>(s.scale.data(), static_cast<Eigen::Index>(s.scale.size()));
    const auto rows = static_cast<Eigen::Index>(s.mean.size());
    const Eigen::Index cols = s.components;
    if (rows * cols == static_cast<Eigen::Index>(s.basis.size()))
        m.m_basis = Eigen::Map<const Eigen::MatrixXd>(s.basis.data(), rows, cols);
    m.prepareScoring();
    return m;
}

} // namespace vigil
