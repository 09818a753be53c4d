#include "engine/reference_profile.h"
#include "engine/feature_drift.h"

#include "drift/categorical_drift.h"
#include "engine/drift_analysis.h"
#include "engine/drift_cbpe.h"
#include "engine/drift_decisions.h"
#include "engine/drift_pair.h"
#include "engine/drift_rows.h"
#include "util/simd_state.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <thread>
#include <unordered_map>

namespace vigil {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

bool hasAnyValid(const NumericColumn& col)
{
    return std::any_of(col.valid.begin(), col.valid.end(), [](std::uint8_t v) { return v != 0; });
}

template <typename Column> const Column* findByName(const std::vector<Column>& cols, const std::string& name)
{
    for (const auto& c : cols)
        if (c.name == name)
            return &c;
    return nullptr;
}

std::vector<double> gatherNumeric(const NumericColumn& col, std::span<const std::uint32_t> rows)
{
    std::vector<double> out;
    out.reserve(rows.size());
    for (const std::uint32_t r : rows)
        out.push_back(col.valid[r] ? col.values[r] : kNan);
    return out;
}

std::vector<std::int32_t> gatherCodes(const CategoricalColumn& col, std::span<const std::uint32_t> rows,
                                      const std::vector<std::int32_t>* remap)
{
    std::vector<std::int32_t> out;
    out.reserve(rows.size());
    for (const std::uint32_t r : rows) {
        const std::uint32_t c = col.codes[r];
        if (c == CategoricalColumn::kNull)
            out.push_back(-1);
        else
            out.push_back(remap ? (*remap)[c] : static_cast<std::int32_t>(c));
    }
    return out;
}

ProfileNumeric numericProfile(std::span<const double> values)
{
    const NumericReference ref = NumericReference::build(values);
    ProfileNumeric p;
    p.rows = ref.rows;
    p.missing = ref.missing;
    p.edges = ref.edges;
    p.binCounts = ref.binCounts;
    p.mean = ref.mean;
    p.stdDev = ref.stdDev;
    const std::size_t n = ref.sorted.size();
    if (n <= kProfileExactValues) {
        p.values = ref.sorted;
        return p;
    }
    // Order statistics at equally spaced ranks (nearest rank, so +/-Inf stay as they are).
    p.exact = false;
    constexpr std::size_t k = kProfileSketchPoints - 1;
    for (std::size_t i = 0; i <= k; ++i)
        p.values.push_back(ref.sorted[(i * (n - 1) + k / 2) / k]);
    return p;
}

} // namespace

NumericReference numericReference(const ProfileNumeric& p)
{
    if (p.exact) {
        std::vector<double> values = p.values;
        values.resize(p.values.size() + p.missing, kNan);
        return NumericReference::build(values);
    }
    NumericReference r;
    r.sorted = p.values;
    r.rows = p.rows;
    r.missing = p.missing;
    r.edges = p.edges;
    r.binCounts = p.binCounts;
    r.mean = p.mean;
    r.stdDev = p.stdDev;
    return r;
}

namespace {

// One categorical reference column in the analysed dictionary's codes (reference-only
// categories get new codes, as drift does for a reference file) and the text of each code.
struct CodedReference
{
    std::vector<std::int32_t> remap; // reference code -> analysed code; empty = same table
    std::vector<std::string> codeText;
};

CodedReference codedReference(const CategoricalColumn& col, const CategoricalColumn& ref, bool separate)
{
    CodedReference c;
    c.codeText = col.dictionary;
    if (!separate)
        return c;
    std::unordered_map<std::string, std::int32_t> index;
    for (std::size_t i = 0; i < col.dictionary.size(); ++i)
        index.emplace(col.dictionary[i], static_cast<std::int32_t>(i));
    auto next = static_cast<std::int32_t>(col.dictionary.size());
    for (const auto& text : ref.dictionary) {
        const auto it = index.find(text);
        if (it != index.end()) {
            c.remap.push_back(it->second);
        } else {
            c.remap.push_back(next++);
            c.codeText.push_back(text);
        }
    }
    return c;
}

} // namespace

Result<ReferenceProfile> buildReferenceProfile(const LogTable& table, const AnalysisSnapshot& snapshot,
                                               const DriftOptions& options)
{
    if (!snapshot.drift)
        return Error{"reference profile: drift was not computed"};
    const DriftReferenceInfo& info = snapshot.drift->reference;
    if (info.source == "rolling")
        return Error{"reference profile: a rolling reference differs per window and cannot be saved"};
    if (info.source == "profile")
        return Error{"reference profile: the reference already is a profile"};
    const bool separate = options.referenceTable != nullptr;
    const LogTable& ref = separate ? *options.referenceTable : table;
    std::vector<std::uint32_t> refRows;
    if (separate) {
        refRows.resize(ref.rows());
        for (std::size_t i = 0; i < refRows.size(); ++i)
            refRows[i] = static_cast<std::uint32_t>(i);
    } else {
        refRows = rowsInRange(table.tsMs, info.startMs, info.endMs);
    }
    std::vector<std::size_t> inReference;
    for (std::size_t w = 0; w < snapshot.windows.size(); ++w)
        if (!separate && snapshot.windows[w].startMs >= info.startMs &&
            snapshot.windows[w].endMs <= info.endMs)
            inReference.push_back(w);

    ReferenceProfile p;
    p.reference = info;
    p.predictionKind = toString(snapshot.predictionKind);
    // PCA inputs gathered on the rows drift fits on (even row indices), in profile order.
    std::vector<std::uint32_t> fitRows;
    for (const std::uint32_t r : refRows)
        if (r % 2 == 0)
            fitRows.push_back(r);
    std::vector<std::vector<double>> pcaNumeric;
    std::vector<std::vector<std::int32_t>> pcaCategorical;
    std::vector<std::map<std::int32_t, std::int32_t>> codeToIndex; // per categorical

    const auto addNumeric = [&](const std::string& name, const NumericColumn& refCol, bool inPca) {
        ProfileFeature f;
        f.name = name;
        f.numeric = numericProfile(gatherNumeric(refCol, refRows));
        p.features.push_back(std::move(f));
        if (inPca)
            pcaNumeric.push_back(gatherNumeric(refCol, fitRows));
    };
    for (const auto& col : table.numericFeatures) {
        const NumericColumn* r = separate ? findByName(ref.numericFeatures, col.name) : &col;
        if (!r)
            return Error{std::string("reference profile: the reference log has no numeric feature '") +
                         col.name + "'"};
        addNumeric(col.name, *r, true);
    }
    for (const auto& col : table.categoricalFeatures) {
        const CategoricalColumn* r = separate ? findByName(ref.categoricalFeatures, col.name) : &col;
        if (!r)
            return Error{std::string("reference profile: the reference log has no categorical feature '") +
                         col.name + "'"};
        const CodedReference coded = codedReference(col, *r, separate);
        const auto* remap = coded.remap.empty() ? nullptr : &coded.remap;
        const CategoricalReference counts = CategoricalReference::build(gatherCodes(*r, refRows, remap));
        ProfileFeature f;
        f.name = col.name;
        f.categorical = true;
        f.cat.rows = counts.rows;
        f.cat.missing = counts.missing;
        std::map<std::int32_t, std::int32_t> index;
        for (const auto& [code, count] : counts.counts) {
            index[code] = static_cast<std::int32_t>(f.cat.categories.size());
            f.cat.categories.push_back(coded.codeText[static_cast<std::size_t>(code)]);
            f.cat.counts.push_back(count);
        }
        codeToIndex.push_back(std::move(index));
        p.features.push_back(std::move(f));
        pcaCategorical.push_back(gatherCodes(*r, fitRows, remap));
    }
    addNumeric("prediction", ref.prediction, false);
    addNumeric("label", ref.label, false);

    // The reference windows' effect sizes, for the decision bands.
    for (const std::size_t w : inReference) {
        for (const FeatureDrift& fd : snapshot.drift->windows[w].features)
            for (ProfileFeature& f : p.features)
                if (f.name == fd.name && f.categorical == fd.categorical)
                    if (const auto e = decisionEffect(fd)) {
                        f.referenceEffects.push_back(*e);
                        f.referenceCounts.push_back(static_cast<double>(fd.count));
                    }
        if (const auto e = snapshot.drift->windows[w].multivariate.reconstructionError)
            p.multivariateReferenceErrors.push_back(*e);
    }

    if (!pcaNumeric.empty() || !pcaCategorical.empty()) {
        FeatureColumns cols;
        for (const auto& v : pcaNumeric)
            cols.numeric.emplace_back(v);
        for (const auto& v : pcaCategorical)
            cols.categorical.emplace_back(v);
        if (auto pca = PcaReconstruction::fit(cols)) {
            auto state = pca.value().state();
            // Codes -> indices into the feature's categories (re-coded when the profile is used).
            for (std::size_t c = 0; c < state.categoricalFill.size(); ++c) {
                const auto& index = codeToIndex[c];
                if (state.categoricalFill[c] >= 0)
                    state.categoricalFill[c] = index.at(state.categoricalFill[c]);
                for (auto& [code, share] : state.frequencies[c])
                    code = index.at(code);
            }
            p.pca = std::move(state);
        }
    }
    if (const auto calibrator = cbpeCalibrator(ref, refRows)) {
        p.hasCalibrator = true;
        p.calibratorX = calibrator->x();
        p.calibratorY = calibrator->y();
    }
    return p;
}

Result<DriftSnapshot> computeDriftFromProfile(const LogTable& table, const AnalysisSnapshot& snapshot,
                                              const DriftOptions& options, const ReferenceProfile& profile,
                                              std::stop_token stop)
{
    if (profile.features.size() < 2)
        return Error{"reference profile: no prediction/label entries"};
    const std::size_t modelFeatures = profile.features.size() - 2; // then prediction, label
    const auto profileFeature = [&](const std::string& name) -> const ProfileFeature* {
        for (std::size_t i = 0; i < modelFeatures; ++i)
            if (profile.features[i].name == name)
                return &profile.features[i];
        return nullptr;
    };
    // The mapping fingerprint: the same feature names, each of the same kind.
    const auto check = [&](const std::string& name, bool categorical) -> std::optional<Error> {
        const ProfileFeature* f = profileFeature(name);
        if (!f)
            return Error{
                std::string("reference profile does not fit this log: the profile has no feature '") + name +
                "'"};
        if (f->categorical != categorical)
            return Error{std::string("reference profile does not fit this log: feature '") + name + "' is " +
                         (f->categorical ? "categorical" : "numeric") + " in the profile but " +
                         (categorical ? "categorical" : "numeric") + " in the log"};
        return std::nullopt;
    };
    for (const auto& col : table.numericFeatures)
        if (auto e = check(col.name, false))
            return *e;
    for (const auto& col : table.categoricalFeatures)
        if (auto e = check(col.name, true))
            return *e;
    for (std::size_t i = 0; i < modelFeatures; ++i) {
        const auto& name = profile.features[i].name;
        if (!findByName(table.numericFeatures, name) && !findByName(table.categoricalFeatures, name))
            return Error{std::string("reference profile does not fit this log: the log has no feature '") +
                         name + "'"};
    }

    DriftSnapshot out;
    out.reference = profile.reference;
    out.reference.source = "profile";
    if (snapshot.windows.empty())
        return out;
    std::vector<std::int64_t> starts;
    std::vector<std::int64_t> ends;
    for (const WindowStats& s : snapshot.windows) {
        starts.push_back(s.startMs);
        ends.push_back(s.endMs);
    }
    const WindowRows rows(table.tsMs, starts, ends, options.maxRowsPerWindow);
    out.sampled = rows.sampled();
    out.windows.resize(starts.size());
    for (std::size_t w = 0; w < starts.size(); ++w) {
        out.windows[w].startMs = starts[w];
        out.windows[w].sampled = rows.rowsOf(w).size() < snapshot.windows[w].rows;
    }

    // Profile category index -> analysed code, per categorical feature.
    const auto recode = [&](const CategoricalColumn& col, const ProfileCategorical& cat) {
        std::unordered_map<std::string, std::int32_t> index;
        for (std::size_t i = 0; i < col.dictionary.size(); ++i)
            index.emplace(col.dictionary[i], static_cast<std::int32_t>(i));
        auto next = static_cast<std::int32_t>(col.dictionary.size());
        std::vector<std::int32_t> codes;
        for (const auto& text : cat.categories) {
            const auto it = index.find(text);
            codes.push_back(it != index.end() ? it->second : next++);
        }
        return codes;
    };

    // One task per feature (in the report's order), spread over threads as computeDrift does.
    struct Task
    {
        std::string name;
        const NumericColumn* numeric = nullptr;
        const CategoricalColumn* categorical = nullptr;
        const ProfileFeature* profile = nullptr;
    };
    std::vector<Task> tasks;
    for (const auto& col : table.numericFeatures)
        tasks.push_back({col.name, &col, nullptr, profileFeature(col.name)});
    for (const auto& col : table.categoricalFeatures)
        tasks.push_back({col.name, nullptr, &col, profileFeature(col.name)});
    tasks.push_back({"prediction", &table.prediction, nullptr, &profile.features[modelFeatures]});
    if (hasAnyValid(table.label))
        tasks.push_back({"label", &table.label, nullptr, &profile.features[modelFeatures + 1]});
    std::vector<std::vector<double>> effects;
    std::vector<std::vector<double>> counts;
    for (const Task& t : tasks) {
        effects.push_back(t.profile->referenceEffects);
        counts.push_back(t.profile->referenceCounts);
    }
    std::vector<std::vector<FeatureDrift>> perFeature(tasks.size());
    const auto score = [&](const Task& t, std::vector<FeatureDrift>& result) {
        const std::size_t pairBelowRows = featureDecision(t.name, options).pairBelowRows;
        if (t.numeric) {
            const PreparedNumericReference ref(numericReference(t.profile->numeric));
            NumericPairScorer pair(pairBelowRows);
            for (std::size_t w = 0; w < rows.windows(); ++w) {
                std::vector<double> values;
                std::size_t missing = 0;
                for (const std::uint32_t r : rows.rowsOf(w)) {
                    const double v = t.numeric->valid[r] ? t.numeric->values[r] : kNan;
                    if (std::isnan(v))
                        ++missing;
                    else
                        values.push_back(v);
                }
                result.push_back(featureDriftFromNumeric(t.name, scoreNumericWindow(ref, values, missing)));
                pair.next(ref, values, missing, result.back());
            }
            return;
        }
        const ProfileCategorical& cat = t.profile->cat;
        const auto codes = recode(*t.categorical, cat);
        CategoricalReference ref;
        ref.rows = cat.rows;
        ref.missing = cat.missing;
        for (std::size_t i = 0; i < codes.size(); ++i)
            ref.counts[codes[i]] = cat.counts[i];
        CategoricalPairScorer pair(pairBelowRows);
        for (std::size_t w = 0; w < rows.windows(); ++w) {
            auto window = gatherCodes(*t.categorical, rows.rowsOf(w), nullptr);
            result.push_back(featureDriftFromCategorical(t.name, categoricalDrift(ref, window)));
            pair.next(ref, window, result.back());
        }
    };
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        clearUpperSimdState(); // see util/simd_state.h
        for (std::size_t t = next++; t < tasks.size() && !stop.stop_requested(); t = next++)
            score(tasks[t], perFeature[t]);
    };
    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, static_cast<unsigned>(tasks.size()));
    {
        std::vector<std::jthread> pool;
        for (unsigned t = 1; t < threads; ++t)
            pool.emplace_back(work);
        work();
    }
    if (stop.stop_requested())
        return Error{"cancelled"};
    for (std::size_t w = 0; w < out.windows.size(); ++w)
        for (auto& feature : perFeature)
            out.windows[w].features.push_back(std::move(feature[w]));
    if (stop.stop_requested())
        return Error{"cancelled"};
    applyDecisions(out.windows, effects, options, counts);

    if (profile.pca) {
        // Columns in the profile's order, categorical codes re-coded to the log's.
        PcaReconstruction::State state = *profile.pca;
        std::vector<const NumericColumn*> numeric;
        std::vector<const CategoricalColumn*> categorical;
        std::size_t c = 0;
        for (std::size_t i = 0; i < modelFeatures; ++i) {
            const ProfileFeature& f = profile.features[i];
            if (!f.categorical) {
                numeric.push_back(findByName(table.numericFeatures, f.name));
                continue;
            }
            const CategoricalColumn* col = findByName(table.categoricalFeatures, f.name);
            categorical.push_back(col);
            const auto codes = recode(*col, f.cat);
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
        const PcaReconstruction pca = PcaReconstruction::fromState(std::move(state));
        for (std::size_t w = 0; w < rows.windows(); ++w) {
            std::vector<std::vector<double>> nums;
            std::vector<std::vector<std::int32_t>> cats;
            FeatureColumns cols;
            for (const NumericColumn* col : numeric)
                nums.push_back(gatherNumeric(*col, rows.rowsOf(w)));
            for (const CategoricalColumn* col : categorical)
                cats.push_back(gatherCodes(*col, rows.rowsOf(w), nullptr));
            for (const auto& v : nums)
                cols.numeric.emplace_back(v);
            for (const auto& v : cats)
                cols.categorical.emplace_back(v);
            auto error = pca.meanError(cols);
            if (!error)
                return Error{std::string("reference profile: ") + error.error().message};
            if (error.value())
                out.windows[w].multivariate.reconstructionError = *error.value();
        }
        if (profile.multivariateReferenceErrors.size() >= 2)
            if (const auto band =
                    referenceBand(profile.multivariateReferenceErrors, options.thresholdSigmas, 0.0))
                for (WindowDrift& wd : out.windows) {
                    wd.multivariate.lower = band->lower;
                    wd.multivariate.upper = band->upper;
                    if (const auto e = wd.multivariate.reconstructionError)
                        wd.multivariate.drifted = *e < band->lower || *e > band->upper;
                }
    }
    if (profile.hasCalibrator)
        estimatePerformance(table, snapshot, rows,
                            IsotonicCalibrator::fromPoints(profile.calibratorX, profile.calibratorY),
                            out.windows);
    if (options.conceptDrift)
        out.conceptDrift = computeConceptDrift(table, snapshot);
    Result<DriftSnapshot> result(std::move(out));
    if (profile.predictionKind != toString(snapshot.predictionKind))
        result.warnings.push_back(std::string("the reference profile was saved for prediction kind '") +
                                  profile.predictionKind + "', this log's is '" +
                                  toString(snapshot.predictionKind) + "'");
    if (!result->windows.empty())
        for (const auto& name : unknownDecisionFeatures(result->windows.front().features, options))
            result.warnings.push_back(std::string("config drift.features names '") + name +
                                      "', which is not a drift feature of this log");
    return result;
}

} // namespace vigil
