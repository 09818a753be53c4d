// The drift half of WindowSketchBuilder: the window against a reference profile, with the
// same functions computeDriftFromProfile (reference_profile.cpp) scores a held window with.
#include "engine/window_sketch.h"

#include "drift/cbpe.h"
#include "engine/drift_analysis.h"
#include "engine/drift_decisions.h"
#include "engine/feature_drift.h"
#include "stats/kll_estimates.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace vigil {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Profile category index -> the log's code (a category the log has not seen gets a code
// past its dictionary), as computeDriftFromProfile recodes.
std::vector<std::int32_t> recode(const std::vector<std::string>& dictionary, const ProfileCategorical& cat)
{
    std::unordered_map<std::string, std::int32_t> index;
    for (std::size_t i = 0; i < dictionary.size(); ++i)
        index.emplace(dictionary[i], static_cast<std::int32_t>(i));
    auto next = static_cast<std::int32_t>(dictionary.size());
    std::vector<std::int32_t> codes;
    for (const auto& text : cat.categories) {
        const auto it = index.find(text);
        codes.push_back(it != index.end() ? it->second : next++);
    }
    return codes;
}

} // namespace

// The profile's PCA re-coded to the current dictionaries; rebuilt when a chunk brings new
// categories (the codes of rows already scored cannot change: codes are global).
struct WindowSketchBuilder::Pca
{
    std::vector<std::size_t> dictionarySizes;
    std::optional<PcaReconstruction> model;
    std::optional<IsotonicCalibrator> calibrator;
};

void WindowSketchBuilder::addDrift(const LogTable& t, std::span<const std::uint32_t> rows)
{
    const auto column = [&](std::size_t i) -> const NumericColumn& {
        const std::size_t features = m_numeric.size() - 2;
        return i < features ? t.numericFeatures[i] : i == features ? t.prediction : t.label;
    };
    for (std::size_t i = 0; i < m_numeric.size(); ++i) {
        NumericFeature& f = m_numeric[i];
        const NumericColumn& c = column(i);
        const bool present = c.values.size() == t.rows() && c.valid.size() == t.rows();
        const std::vector<double>& edges = f.profile->numeric.edges;
        for (const std::uint32_t r : rows) {
            const double v = present && c.valid[r] ? c.values[r] : kNan;
            ++f.rows;
            if (&c == &t.label && present && c.valid[r])
                m_sawLabel = true; // a NaN label counts, as hasAnyValid counts it
            if (std::isnan(v)) {
                ++f.missing;
                continue;
            }
            if (v == -kInf)
                ++f.negInf;
            else if (v == kInf)
                ++f.posInf;
            else
                f.finite.update(v);
            // countPerBin's bin, every non-NaN value (the infinities in the outer bins).
            f.binCounts[static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), v) -
                                                 edges.begin())] += 1.0;
        }
    }
    for (std::size_t i = 0; i < m_categorical.size(); ++i) {
        CategoricalFeature& f = m_categorical[i];
        const CategoricalColumn& c = t.categoricalFeatures[i];
        if (c.dictionary.size() > f.dictionary.size())
            f.dictionary = c.dictionary; // codes are global: a later chunk's dictionary extends it
        if (f.counts.size() < c.dictionary.size())
            f.counts.resize(c.dictionary.size(), 0);
        const bool present = c.codes.size() == t.rows();
        for (const std::uint32_t r : rows) {
            ++f.rows;
            const std::uint32_t code = present ? c.codes[r] : CategoricalColumn::kNull;
            if (code == CategoricalColumn::kNull || code >= f.counts.size())
                ++f.missing;
            else
                ++f.counts[code];
        }
    }
    // CBPE: expected confusion counts from the calibrated scores, summed in row order as
    // estimateWindowOrdered sums them.
    if (m_kind == PredictionKind::Score && m_profile->hasCalibrator &&
        t.prediction.values.size() == t.rows()) {
        if (!m_pca)
            m_pca = std::make_shared<Pca>();
        if (!m_pca->calibrator)
            m_pca->calibrator =
                IsotonicCalibrator::fromPoints(m_profile->calibratorX, m_profile->calibratorY);
        for (const std::uint32_t r : rows) {
            if (!t.prediction.valid[r] || !std::isfinite(t.prediction.values[r]))
                continue;
            const double s = t.prediction.values[r];
            const double p = (*m_pca->calibrator)(s);
            if (s >= m_threshold) {
                m_cbpeTp += p;
                m_cbpeFp += 1.0 - p;
            } else {
                m_cbpeFn += p;
                m_cbpeTn += 1.0 - p;
            }
            ++m_cbpeRows;
            m_cbpeScores.update(s);
        }
    }
}

Result<bool> WindowSketchBuilder::addPca(const LogTable& t, std::span<const std::uint32_t> rows)
{
    if (!m_profile->pca || rows.empty())
        return true;
    if (!m_pca)
        m_pca = std::make_shared<Pca>();
    const std::size_t modelFeatures = m_profile->features.size() - 2;
    const auto numericByName = [&](const std::string& name) -> const NumericColumn* {
        for (const auto& c : t.numericFeatures)
            if (c.name == name)
                return &c;
        return nullptr;
    };
    const auto categoricalByName = [&](const std::string& name) -> const CategoricalColumn* {
        for (const auto& c : t.categoricalFeatures)
            if (c.name == name)
                return &c;
        return nullptr;
    };
    std::vector<std::size_t> sizes;
    for (std::size_t i = 0; i < modelFeatures; ++i)
        if (m_profile->features[i].categorical)
            sizes.push_back(categoricalByName(m_profile->features[i].name)->dictionary.size());
    if (!m_pca->model || sizes != m_pca->dictionarySizes) {
        PcaReconstruction::State state = *m_profile->pca;
        std::size_t c = 0;
        for (std::size_t i = 0; i < modelFeatures; ++i) {
            const ProfileFeature& f = m_profile->features[i];
            if (!f.categorical)
                continue;
            const auto codes = recode(categoricalByName(f.name)->dictionary, f.cat);
            const auto at = [&](std::int32_t index) {
                return index >= 0 && static_cast<std::size_t>(index) < codes.size()
                           ? codes[static_cast<std::size_t>(index)]
                           : -1;
            };
            if (c < state.categoricalFill.size()) {
                state.categoricalFill[c] = at(state.categoricalFill[c]);
                for (auto& [code, share] : state.frequencies[c])
                    code = at(code);
            }
            ++c;
        }
        m_pca->model = PcaReconstruction::fromState(std::move(state));
        m_pca->dictionarySizes = sizes;
    }
    // The chunk's columns in the profile's order, as computeDriftFromProfile gathers them.
    std::vector<std::vector<double>> nums;
    std::vector<std::vector<std::int32_t>> cats;
    for (std::size_t i = 0; i < modelFeatures; ++i) {
        const ProfileFeature& f = m_profile->features[i];
        if (!f.categorical) {
            const NumericColumn& col = *numericByName(f.name);
            auto& out = nums.emplace_back();
            for (const std::uint32_t r : rows)
                out.push_back(col.valid[r] ? col.values[r] : kNan);
            continue;
        }
        const CategoricalColumn& col = *categoricalByName(f.name);
        auto& out = cats.emplace_back();
        for (const std::uint32_t r : rows)
            out.push_back(col.codes[r] == CategoricalColumn::kNull ? -1
                                                                   : static_cast<std::int32_t>(col.codes[r]));
    }
    FeatureColumns cols;
    for (const auto& v : nums)
        cols.numeric.emplace_back(v);
    for (const auto& v : cats)
        cols.categorical.emplace_back(v);
    auto errors = m_pca->model->rowErrors(cols);
    if (!errors)
        return Error{std::string("reference profile: ") + errors.error().message};
    for (const double e : errors.value())
        m_pcaSum += e; // meanError's sum, continued across chunks in row order
    m_pcaRows += errors->size();
    return true;
}

FeatureDrift WindowSketchBuilder::finishNumeric(const NumericFeature& f,
                                                std::vector<std::string>& estimates) const
{
    const PreparedNumericReference ref(numericReference(f.profile->numeric));
    const std::uint64_t values = f.finite.count() + f.negInf + f.posInf;
    // A sketch that held every value: the held window's exact path, bit for bit.
    if (f.finite.exact() && f.negInf + f.posInf <= m_options.k) {
        std::vector<double> window(f.negInf, -kInf);
        const auto view = f.finite.sortedView();
        for (std::size_t i = 0; i < view.values().size(); ++i)
            window.insert(window.end(), view.weightAt(i), view.values()[i]);
        window.insert(window.end(), f.posInf, kInf);
        return featureDriftFromNumeric(f.name, scoreNumericWindow(ref, window, f.missing));
    }
    NumericDrift out;
    out.missing = MissingShare::make(f.rows, f.missing, ref.ref.rows, ref.ref.missing);
    if (!ref.ref.sorted.empty() && values > 0) {
        const auto view = f.finite.sortedView();
        const double d = stats::ksStatisticSketch(ref.ref.sorted, view, f.negInf, f.posInf);
        out.ks = ksTwoSamplePValue(static_cast<std::int64_t>(ref.ref.sorted.size()),
                                   static_cast<std::int64_t>(values), d);
        out.wasserstein = stats::wassersteinSketch(ref.ref.finiteSorted(), view);
        addNormedAndBinnedCounts(ref.ref, f.binCounts, out);
        for (const char* field : {"ks_d", "ks_p", "drifted"})
            estimates.push_back("drift." + f.name + "." + field);
        if (out.wasserstein)
            estimates.push_back("drift." + f.name + ".wasserstein");
    }
    return featureDriftFromNumeric(f.name, out);
}

FeatureDrift WindowSketchBuilder::finishCategorical(const CategoricalFeature& f) const
{
    const ProfileCategorical& cat = f.profile->cat;
    const auto codes = recode(f.dictionary, cat);
    CategoricalReference ref;
    ref.rows = cat.rows;
    ref.missing = cat.missing;
    for (std::size_t i = 0; i < codes.size(); ++i)
        ref.counts[codes[i]] = cat.counts[i];
    std::vector<std::pair<std::int32_t, double>> counts;
    for (std::size_t c = 0; c < f.counts.size(); ++c)
        if (f.counts[c] > 0)
            counts.emplace_back(static_cast<std::int32_t>(c), static_cast<double>(f.counts[c]));
    return featureDriftFromCategorical(f.name, categoricalDriftFromCounts(ref, counts, f.rows, f.missing));
}

WindowDrift WindowSketchBuilder::finishDrift(std::vector<std::string>& estimates)
{
    WindowDrift wd;
    wd.startMs = m_startMs;
    std::vector<std::vector<double>> effects;
    std::vector<std::vector<double>> counts;
    const bool label = m_options.labelFeature.value_or(m_sawLabel);
    std::vector<std::string> numericEstimates;
    const auto addNumeric = [&](const NumericFeature& f) {
        wd.features.push_back(finishNumeric(f, numericEstimates));
        effects.push_back(f.profile->referenceEffects);
        counts.push_back(f.profile->referenceCounts);
    };
    // computeDriftFromProfile's order: numeric features, categorical, prediction, label.
    for (std::size_t i = 0; i + 2 < m_numeric.size(); ++i)
        addNumeric(m_numeric[i]);
    for (const CategoricalFeature& f : m_categorical) {
        wd.features.push_back(finishCategorical(f));
        effects.push_back(f.profile->referenceEffects);
        counts.push_back(f.profile->referenceCounts);
    }
    addNumeric(m_numeric[m_numeric.size() - 2]);
    if (label)
        addNumeric(m_numeric.back());
    std::vector<WindowDrift> one{std::move(wd)};
    applyDecisions(one, effects, m_driftOptions, counts);
    wd = std::move(one.front());
    estimates.insert(estimates.end(), numericEstimates.begin(), numericEstimates.end());
    // Benjamini-Hochberg ranks every p-value of the window: an estimated KS p can move the
    // threshold a categorical feature is held to, so its decision is an estimate too.
    if (!numericEstimates.empty())
        for (const CategoricalFeature& f : m_categorical)
            estimates.push_back("drift." + f.name + ".drifted");

    if (m_pcaRows > 0) {
        wd.multivariate.reconstructionError = m_pcaSum / static_cast<double>(m_pcaRows);
        if (m_profile->multivariateReferenceErrors.size() >= 2)
            if (const auto band = referenceBand(m_profile->multivariateReferenceErrors,
                                                m_driftOptions.thresholdSigmas, 0.0)) {
                wd.multivariate.lower = band->lower;
                wd.multivariate.upper = band->upper;
                const double e = *wd.multivariate.reconstructionError;
                wd.multivariate.drifted = e < band->lower || e > band->upper;
            }
    }
    if (m_cbpeRows > 0) {
        wd.estimated.accuracy = (m_cbpeTp + m_cbpeTn) / static_cast<double>(m_cbpeRows);
        const double denominator = m_cbpeTp + 0.5 * (m_cbpeFp + m_cbpeFn);
        if (denominator > 0.0)
            wd.estimated.f1 = m_cbpeTp / denominator;
        // ROC AUC from the sketch of the scores. While it holds every score, NannyML's
        // computation itself on them (rows of equal score have equal probabilities, so their
        // order does not matter); past that an estimate (docs/SKETCHES.md).
        const auto view = m_cbpeScores.sortedView();
        std::vector<double> calibrated;
        calibrated.reserve(view.values().size());
        for (const double s : view.values())
            calibrated.push_back((*m_pca->calibrator)(s));
        if (m_cbpeScores.exact()) {
            std::vector<double> scores;
            std::vector<double> probabilities;
            for (std::size_t i = 0; i < view.values().size(); ++i) {
                scores.insert(scores.end(), view.weightAt(i), view.values()[i]);
                probabilities.insert(probabilities.end(), view.weightAt(i), calibrated[i]);
            }
            std::vector<std::uint32_t> ascending(scores.size());
            for (std::size_t i = 0; i < ascending.size(); ++i)
                ascending[i] = static_cast<std::uint32_t>(i);
            wd.estimated.rocAuc = estimateWindowOrdered(scores, probabilities, ascending, m_threshold).rocAuc;
        } else {
            wd.estimated.rocAuc = stats::cbpeRocAucSketch(view, calibrated);
            if (wd.estimated.rocAuc)
                estimates.push_back("estimated_performance.roc_auc");
        }
    }
    return wd;
}

} // namespace vigil
