#include "engine/drift_analysis.h"
#include "engine/feature_drift.h"

#include "drift/adwin.h"
#include "drift/categorical_drift.h"
#include "drift/decision.h"
#include "drift/distances.h"
#include "drift/error_rate_detectors.h"
#include "drift/pca_reconstruction.h"
#include "engine/drift_cbpe.h"
#include "engine/drift_decisions.h"
#include "engine/drift_pair.h"
#include "engine/drift_pool_times.h"
#include "engine/drift_reference_cache.h"
#include "engine/drift_rolling.h"
#include "engine/drift_rows.h"
#include "engine/reference_profile.h"
#include "engine/window.h"
#include "util/phase_timer.h"
#include "util/simd_state.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace vigil {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Numeric values of `rows` with nulls as NaN (drift treats both as missing).
std::vector<double> gatherNumeric(const NumericColumn& col, std::span<const std::uint32_t> rows)
{
    std::vector<double> out;
    out.reserve(rows.size());
    for (std::uint32_t r : rows)
        out.push_back(col.valid[r] ? col.values[r] : kNan);
    return out;
}

std::vector<std::int32_t> gatherCodes(const CategoricalColumn& col, std::span<const std::uint32_t> rows,
                                      const std::vector<std::int32_t>* remap)
{
    std::vector<std::int32_t> out;
    out.reserve(rows.size());
    for (std::uint32_t r : rows) {
        const std::uint32_t c = col.codes[r];
        if (c == CategoricalColumn::kNull)
            out.push_back(-1);
        else
            out.push_back(remap ? (*remap)[c] : static_cast<std::int32_t>(c));
    }
    return out;
}

// One monitored column with its reference counterpart (the same column, or the reference
// file's column of that name).
struct FeatureSource
{
    std::string name;
    const NumericColumn* numeric = nullptr;
    const NumericColumn* refNumeric = nullptr;
    const CategoricalColumn* categorical = nullptr;
    const CategoricalColumn* refCategorical = nullptr;
    std::vector<std::int32_t> refRemap; // reference code -> code of the analysed dictionary
    bool inPca = false;
};

template <typename Column> const Column* findByName(const std::vector<Column>& cols, const std::string& name)
{
    for (const auto& c : cols)
        if (c.name == name)
            return &c;
    return nullptr;
}

bool hasAnyValid(const NumericColumn& col)
{
    return std::any_of(col.valid.begin(), col.valid.end(), [](std::uint8_t v) { return v != 0; });
}

Result<std::vector<FeatureSource>> featureSources(const LogTable& table, const LogTable& ref, bool separate)
{
    std::vector<FeatureSource> out;
    for (const auto& col : table.numericFeatures) {
        const NumericColumn* r = separate ? findByName(ref.numericFeatures, col.name) : &col;
        if (!r)
            return Error{"the reference log has no numeric feature '" + col.name + "'"};
        out.push_back({col.name, &col, r, nullptr, nullptr, {}, true});
    }
    for (const auto& col : table.categoricalFeatures) {
        const CategoricalColumn* r = separate ? findByName(ref.categoricalFeatures, col.name) : &col;
        if (!r)
            return Error{"the reference log has no categorical feature '" + col.name + "'"};
        FeatureSource f{col.name, nullptr, nullptr, &col, r, {}, true};
        if (separate) {
            // Same category text -> same code; categories only the reference has get new codes.
            std::unordered_map<std::string, std::int32_t> index;
            for (std::size_t i = 0; i < col.dictionary.size(); ++i)
                index.emplace(col.dictionary[i], static_cast<std::int32_t>(i));
            auto next = static_cast<std::int32_t>(col.dictionary.size());
            for (const auto& text : r->dictionary) {
                const auto it = index.find(text);
                f.refRemap.push_back(it != index.end() ? it->second : next++);
            }
        }
        out.push_back(std::move(f));
    }
    out.push_back({"prediction", &table.prediction, &ref.prediction, nullptr, nullptr, {}, false});
    if (hasAnyValid(table.label))
        out.push_back({"label", &table.label, &ref.label, nullptr, nullptr, {}, false});
    return out;
}

// Scores every window of one feature against its reference (built once).
void scoreFeature(const FeatureSource& f, std::span<const std::uint32_t> refRows, const WindowRows& rows,
                  std::vector<std::vector<FeatureDrift>>& out, std::size_t featureIndex,
                  std::size_t pairBelowRows, DriftReferenceCache* cache)
{
    if (f.numeric) {
        // The cache keeps the sorted reference only (8 bytes a value); the index and prefix
        // sums (24 more) are rebuilt per call in one linear pass, so that a large reference
        // does not hold four times its size for the whole report.
        const std::shared_ptr<const NumericReference> cached = cache ? cache->numeric[featureIndex] : nullptr;
        std::optional<PreparedNumericReference> prepared;
        if (cached) {
            prepared.emplace(NumericReference(*cached));
        } else {
            NumericReference built = NumericReference::build(gatherNumeric(*f.refNumeric, refRows));
            if (cache)
                cache->numeric[featureIndex] = std::make_shared<const NumericReference>(built);
            prepared.emplace(std::move(built));
        }
        const PreparedNumericReference& ref = *prepared;
        std::vector<double> values; // reused: one allocation per feature, not per window
        NumericPairScorer pair(pairBelowRows);
        for (std::size_t w = 0; w < rows.windows(); ++w) {
            const auto wr = rows.rowsOf(w);
            // Written unconditionally and kept by advancing the end: no branch on NaN, which
            // the predictor cannot guess when a feature's NaNs are scattered.
            values.resize(wr.size());
            std::size_t kept = 0;
            const std::uint8_t* valid = f.numeric->valid.data();
            const double* column = f.numeric->values.data();
            for (std::uint32_t r : wr) {
                const double v = valid[r] ? column[r] : kNan;
                values[kept] = v;
                kept += static_cast<std::size_t>(!std::isnan(v));
            }
            values.resize(kept);
            const std::size_t missing = wr.size() - kept;
            out[w][featureIndex] = featureDriftFromNumeric(f.name, scoreNumericWindow(ref, values, missing));
            pair.next(ref, values, missing, out[w][featureIndex]);
        }
        return;
    }
    std::shared_ptr<const CategoricalReference> prepared = cache ? cache->categorical[featureIndex] : nullptr;
    if (!prepared) {
        prepared = std::make_shared<const CategoricalReference>(CategoricalReference::build(
            gatherCodes(*f.refCategorical, refRows, f.refRemap.empty() ? nullptr : &f.refRemap)));
        if (cache)
            cache->categorical[featureIndex] = prepared;
    }
    const CategoricalReference& ref = *prepared;
    CategoricalPairScorer pair(pairBelowRows);
    for (std::size_t w = 0; w < rows.windows(); ++w) {
        auto codes = gatherCodes(*f.categorical, rows.rowsOf(w), nullptr);
        out[w][featureIndex] = featureDriftFromCategorical(f.name, categoricalDrift(ref, codes));
        pair.next(ref, codes, out[w][featureIndex]);
    }
}

// The effect size a decision and its reference band use: KS D, or JS for a categorical.
std::optional<double> effectOf(const FeatureDrift& f)
{
    return f.categorical ? f.js : f.ksD;
}

void decide(std::vector<WindowDrift>& windows, const std::vector<bool>& inReference,
            const DriftOptions& options)
{
    if (windows.empty())
        return;
    std::vector<std::vector<double>> effects(windows.front().features.size());
    std::vector<std::vector<double>> counts(effects.size());
    for (std::size_t f = 0; f < effects.size(); ++f)
        for (std::size_t w = 0; w < windows.size(); ++w)
            if (inReference[w])
                if (const auto e = effectOf(windows[w].features[f])) {
                    effects[f].push_back(*e);
                    counts[f].push_back(static_cast<double>(windows[w].features[f].count));
                }
    applyDecisions(windows, effects, options, counts);
}

} // namespace

namespace {

// Column storage for PcaReconstruction (which takes spans).
struct GatheredColumns
{
    std::vector<std::vector<double>> numeric;
    std::vector<std::vector<std::int32_t>> categorical;

    FeatureColumns view() const
    {
        FeatureColumns c;
        for (const auto& v : numeric)
            c.numeric.emplace_back(v);
        for (const auto& v : categorical)
            c.categorical.emplace_back(v);
        return c;
    }
};

// Fills `g` (its buffers reused from window to window: no allocation per window).
void gatherPca(const std::vector<FeatureSource>& features, std::span<const std::uint32_t> rows,
               bool reference, GatheredColumns& g)
{
    std::size_t numeric = 0;
    std::size_t categorical = 0;
    for (const FeatureSource& f : features) {
        if (!f.inPca)
            continue;
        if (f.numeric) {
            if (g.numeric.size() <= numeric)
                g.numeric.emplace_back();
            std::vector<double>& out = g.numeric[numeric++];
            const NumericColumn& col = reference ? *f.refNumeric : *f.numeric;
            out.resize(rows.size());
            for (std::size_t k = 0; k < rows.size(); ++k)
                out[k] = col.valid[rows[k]] ? col.values[rows[k]] : kNan;
        } else {
            if (g.categorical.size() <= categorical)
                g.categorical.emplace_back();
            std::vector<std::int32_t>& out = g.categorical[categorical++];
            const CategoricalColumn& col = reference ? *f.refCategorical : *f.categorical;
            const std::vector<std::int32_t>* remap = reference && !f.refRemap.empty() ? &f.refRemap : nullptr;
            out.resize(rows.size());
            for (std::size_t k = 0; k < rows.size(); ++k) {
                const std::uint32_t c = col.codes[rows[k]];
                out[k] = c == CategoricalColumn::kNull ? -1
                         : remap                       ? (*remap)[c]
                                                       : static_cast<std::int32_t>(c);
            }
        }
    }
    g.numeric.resize(numeric);
    g.categorical.resize(categorical);
}

// The multivariate drift as tasks for the feature pool: one fit, then one task a window, so
// that scoring (rows x features x components multiply-adds, the largest single cost at 1,000
// features) spreads over the threads instead of running on one. A window task that starts
// before the fit has finished waits for it.
class Multivariate
{
  public:
    Multivariate(const std::vector<FeatureSource>& features, std::span<const std::uint32_t> refRows,
                 const WindowRows& rows, const std::vector<bool>& inReference, DriftReferenceCache* cache)
        : m_features(features), m_refRows(refRows), m_rows(rows), m_inReference(inReference), m_cache(cache)
    {
    }

    void fit()
    {
        std::call_once(m_fitted, [this] { fitOnce(); });
    }

    void scoreWindow(std::size_t w, std::vector<WindowDrift>& out)
    {
        fit();
        if (!m_pca)
            return;
        std::span<const std::uint32_t> scored = m_rows.rowsOf(w);
        std::vector<std::uint32_t> heldOut;
        if (m_inReference[w]) {
            for (const std::uint32_t r : scored)
                if (r % 2 == 1)
                    heldOut.push_back(r);
            scored = heldOut;
        }
        // Reused by the window tasks a thread runs (no allocation per window).
        thread_local GatheredColumns cols;
        gatherPca(m_features, scored, false, cols);
        auto error = m_pca->meanError(cols.view());
        if (error && error.value())
            out[w].multivariate.reconstructionError = *error.value();
    }

    // The band from the reference windows' values, once every window is scored.
    void band(double sigmas, std::vector<WindowDrift>& out) const
    {
        if (!m_pca)
            return;
        std::vector<double> referenceValues;
        for (std::size_t w = 0; w < out.size(); ++w)
            if (m_inReference[w])
                if (const auto e = out[w].multivariate.reconstructionError)
                    referenceValues.push_back(*e);
        if (referenceValues.size() < 2)
            return;
        const auto band = referenceBand(referenceValues, sigmas, 0.0);
        if (!band)
            return;
        for (WindowDrift& wd : out) {
            wd.multivariate.lower = band->lower;
            wd.multivariate.upper = band->upper;
            if (const auto e = wd.multivariate.reconstructionError)
                wd.multivariate.drifted = *e < band->lower || *e > band->upper;
        }
    }

  private:
    void fitOnce()
    {
        if (m_cache && m_cache->filled) {
            m_pca = m_cache->pca;
            return;
        }
        fitReference();
        if (m_cache)
            m_cache->pca = m_pca;
    }

    void fitReference()
    {
        if (std::none_of(m_features.begin(), m_features.end(),
                         [](const FeatureSource& f) { return f.inPca; }))
            return;
        // Fit on the reference rows of even index only and score the reference windows on
        // their odd rows: errors measured on the rows a PCA was fitted to are lower than on
        // any other rows, and a band built from them flags stable windows as drifted.
        std::vector<std::uint32_t> fitRows;
        fitRows.reserve(m_refRows.size() / 2 + 1);
        for (const std::uint32_t r : m_refRows)
            if (r % 2 == 0)
                fitRows.push_back(r);
        GatheredColumns ref;
        gatherPca(m_features, fitRows, true, ref);
        auto pca = PcaReconstruction::fit(ref.view());
        if (pca) // else (e.g. too few reference rows) the multivariate values stay null
            m_pca.emplace(std::move(pca).value());
    }

    const std::vector<FeatureSource>& m_features;
    std::span<const std::uint32_t> m_refRows;
    const WindowRows& m_rows;
    const std::vector<bool>& m_inReference;
    DriftReferenceCache* m_cache;
    std::once_flag m_fitted;
    std::optional<PcaReconstruction> m_pca;
};

// ADWIN (and DDM for classification) over the per-prediction error stream in time order.
// Detections of one detector less than a window width after its previous one join that
// event (count, last timestamp): a detector that keeps firing through one change says one
// thing on the timeline, and a later, separate change still gets its own event.
std::vector<ConceptDriftEvent> conceptDrift(const LogTable& table, const AnalysisSnapshot& snapshot)
{
    std::vector<ConceptDriftEvent> events;
    const bool regression = snapshot.predictionKind == PredictionKind::Regression;
    const bool score = snapshot.predictionKind == PredictionKind::Score;
    std::vector<std::uint32_t> order;
    for (std::size_t i = 0; i < table.rows(); ++i)
        if (table.label.valid[i] && table.prediction.valid[i])
            order.push_back(static_cast<std::uint32_t>(i));
    if (order.empty())
        return events;
    const auto earlier = [&](std::uint32_t a, std::uint32_t b) { return table.tsMs[a] < table.tsMs[b]; };
    // Most logs are written in time order: then the rows already are (a stable sort would
    // still make all its merge passes over a million indices).
    if (!std::is_sorted(order.begin(), order.end(), earlier))
        std::stable_sort(order.begin(), order.end(), earlier);
    const std::string stream = regression ? "absolute_error" : "misclassification";
    Adwin adwin;
    Ddm ddm;
    std::vector<StreamDetector*> detectors{&adwin};
    if (!regression)
        detectors.push_back(&ddm);
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<std::size_t> open(detectors.size(), kNone); // index of each detector's last event
    const std::int64_t gap =
        snapshot.windowMs > 0 ? snapshot.windowMs : std::numeric_limits<std::int64_t>::max();
    for (std::uint32_t r : order) {
        const double p = table.prediction.values[r];
        const double y = table.label.values[r];
        double err = kNan;
        if (std::isfinite(p) && std::isfinite(y)) {
            if (regression)
                err = std::abs(p - y);
            else
                err = ((score ? (p >= snapshot.threshold) : (p >= 0.5)) != (y >= 0.5)) ? 1.0 : 0.0;
        }
        for (std::size_t d = 0; d < detectors.size(); ++d) {
            if (!detectors[d]->update(err).drift)
                continue;
            const std::int64_t ts = table.tsMs[r];
            if (open[d] != kNone && ts - events[open[d]].lastTsMs <= gap) {
                ++events[open[d]].count;
                events[open[d]].lastTsMs = ts;
                continue;
            }
            open[d] = events.size();
            events.push_back({std::string(detectors[d]->name()), ts, stream, 1, ts});
        }
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const ConceptDriftEvent& a, const ConceptDriftEvent& b) { return a.tsMs < b.tsMs; });
    return events;
}

// The default reference: the first 24 h, or the first 10 % of the windows (at least one)
// when the analysed windows span less than 240 h.
DriftReferenceInfo defaultReference(const AnalysisSnapshot& snapshot)
{
    constexpr std::int64_t kDayMs = 24 * 3'600'000LL;
    const auto& w = snapshot.windows;
    DriftReferenceInfo info;
    info.source = "range";
    info.startMs = w.front().startMs;
    if (w.back().endMs - w.front().startMs < 10 * kDayMs) {
        const std::size_t k = std::max<std::size_t>(1, w.size() / 10);
        info.endMs = w[k - 1].endMs;
    } else {
        info.endMs = info.startMs + kDayMs;
    }
    return info;
}

} // namespace

namespace {

// The bands of every call come from the reference windows' statistics of the first one (whose
// table held their rows); later calls see those windows empty and take them from the cache.
void shareReferenceWindows(DriftReferenceCache& cache, bool reuse, const std::vector<bool>& inReference,
                           std::vector<std::vector<FeatureDrift>>& perWindow,
                           std::vector<WindowDrift>& windows)
{
    for (std::size_t w = 0; w < inReference.size(); ++w) {
        if (!inReference[w])
            continue;
        if (reuse) {
            perWindow[w] = cache.referenceFeatures.at(w);
            windows[w].multivariate.reconstructionError = cache.referenceErrors.at(w);
        } else {
            cache.referenceFeatures[w] = perWindow[w];
            cache.referenceErrors[w] = windows[w].multivariate.reconstructionError;
        }
    }
    cache.filled = true;
}

} // namespace

Result<DriftSnapshot> computeDrift(const LogTable& table, const AnalysisSnapshot& snapshot,
                                   const DriftOptions& options, std::stop_token stop)
{
    if (options.profile)
        return computeDriftFromProfile(table, snapshot, options, *options.profile, stop);
    if (options.rollingWindows > 0)
        return computeRollingDrift(table, snapshot, options, stop);
    DriftSnapshot out;
    if (snapshot.windows.empty())
        return out;
    phaseMark("drift: enter");
    const bool separate = options.referenceTable != nullptr;
    const LogTable& refTable = separate ? *options.referenceTable : table;
    DriftReferenceCache* cache = options.referenceCache.get();
    const bool reuse = cache && cache->filled;
    std::vector<std::uint32_t> refRows;
    if (reuse) {
        out.reference = cache->reference; // this table need not hold the reference rows
    } else if (separate) {
        if (refTable.rows() == 0)
            return Error{"drift: the reference log has no rows"};
        const auto [lo, hi] = std::minmax_element(refTable.tsMs.begin(), refTable.tsMs.end());
        out.reference = {*lo, *hi + 1, 0, "file"};
        refRows.resize(refTable.rows());
        for (std::size_t i = 0; i < refRows.size(); ++i)
            refRows[i] = static_cast<std::uint32_t>(i);
    } else {
        if (options.referenceStartMs || options.referenceEndMs) {
            out.reference.source = "range";
            out.reference.startMs = options.referenceStartMs.value_or(snapshot.windows.front().startMs);
            out.reference.endMs = options.referenceEndMs.value_or(snapshot.windows.back().endMs);
            if (out.reference.endMs <= out.reference.startMs)
                return Error{"drift: the reference range ends before it starts"};
        } else {
            out.reference = defaultReference(snapshot);
        }
        refRows = rowsInRange(table.tsMs, out.reference.startMs, out.reference.endMs);
    }
    if (!reuse)
        out.reference.rows = refRows.size();
    if (refRows.empty() && !reuse)
        return Error{"drift: the reference has no rows (" +
                     std::string(separate ? "reference file" : "range") + " selects nothing)"};

    auto features = featureSources(table, refTable, separate);
    if (!features)
        return features.error();
    if (cache && !reuse)
        cache->reference = out.reference;
    std::vector<std::int64_t> starts;
    std::vector<std::int64_t> ends;
    std::vector<bool> inReference;
    for (const WindowStats& s : snapshot.windows) {
        starts.push_back(s.startMs);
        ends.push_back(s.endMs);
        inReference.push_back(!separate && s.startMs >= out.reference.startMs &&
                              s.endMs <= out.reference.endMs);
    }
    const WindowRows rows(table.tsMs, starts, ends, options.maxRowsPerWindow);
    out.sampled = rows.sampled();

    phaseMark("drift: reference + window rows");
    const std::size_t nFeatures = features.value().size();
    std::vector<std::vector<FeatureDrift>> perWindow(starts.size(), std::vector<FeatureDrift>(nFeatures));
    out.windows.resize(starts.size());
    // Independent tasks spread over threads, the longest first: the PCA fit, the error-stream
    // detectors (one pass over every row), CBPE (it writes only `estimated`), each feature (its
    // reference sorted once), then the PCA score of each window (by then the fit is done).
    if (cache && !reuse) {
        cache->numeric.assign(nFeatures, nullptr);
        cache->categorical.assign(nFeatures, nullptr);
    }
    Multivariate pca(features.value(), refRows, rows, inReference, cache);
    const std::size_t tasks = 3 + nFeatures + starts.size();
    const auto runTask = [&](std::size_t t) {
        if (t == 0) {
            pca.fit();
        } else if (t == 1) {
            if (options.conceptDrift)
                out.conceptDrift = conceptDrift(table, snapshot);
        } else if (t == 2) {
            const auto calibrator = reuse ? cache->calibrator : cbpeCalibrator(refTable, refRows);
            if (cache && !reuse)
                cache->calibrator = calibrator;
            if (calibrator)
                estimatePerformance(table, snapshot, rows, *calibrator, out.windows);
        } else if (t < 3 + nFeatures) {
            const FeatureSource& f = features.value()[t - 3];
            scoreFeature(f, refRows, rows, perWindow, t - 3, featureDecision(f.name, options).pairBelowRows,
                         cache);
        } else {
            pca.scoreWindow(t - 3 - nFeatures, out.windows);
        }
    };
    std::atomic<std::size_t> next{0};
    DriftPoolTimes times(phaseTimingsEnabled() ? tasks : 0);
    const auto work = [&] {
        clearUpperSimdState(); // see util/simd_state.h
        const unsigned thread = times.join();
        for (std::size_t t = next++; t < tasks && !stop.stop_requested(); t = next++) {
            const double begin = times.now();
            runTask(t);
            times.record(t, thread, begin);
        }
    };
    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, static_cast<unsigned>(tasks));
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    pool.clear();
    phaseMark("drift: pool");
    times.print({{"PCA fit", 0, 1},
                 {"concept drift", 1, 2},
                 {"CBPE", 2, 3},
                 {"features", 3, 3 + nFeatures},
                 {"PCA windows", 3 + nFeatures, tasks}});
    if (stop.stop_requested())
        return Error{"cancelled"};
    if (cache)
        shareReferenceWindows(*cache, reuse, inReference, perWindow, out.windows);
    pca.band(options.thresholdSigmas, out.windows);

    for (std::size_t w = 0; w < starts.size(); ++w) {
        out.windows[w].startMs = starts[w];
        out.windows[w].features = std::move(perWindow[w]);
        out.windows[w].sampled = rows.rowsOf(w).size() < snapshot.windows[w].rows;
    }
    decide(out.windows, inReference, options);
    phaseMark("drift: decide");
    Result<DriftSnapshot> result(std::move(out));
    if (!result->windows.empty())
        for (const auto& name : unknownDecisionFeatures(result->windows.front().features, options))
            result.warnings.push_back(std::string("config drift.features names '") + name +
                                      "', which is not a drift feature of this log");
    return result;
}

std::vector<ConceptDriftEvent> computeConceptDrift(const LogTable& table, const AnalysisSnapshot& snapshot)
{
    return conceptDrift(table, snapshot);
}

} // namespace vigil
