#include "engine/bounded_pipeline.h"

#include "engine/concept_drift_stream.h"
#include "engine/drift_analysis.h"
#include "engine/drift_reference_cache.h"
#include "engine/oversized_window.h"
#include "engine/spill_batches.h"
#include "ingest/spill_store.h"
#include "util/phase_timer.h"
#include "util/simd_state.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <limits>
#include <thread>
#include <unordered_map>

namespace vigil {

namespace {

using detail::SpillBatch;
using detail::SpillPlan;
using detail::SpillWindow;

constexpr std::int64_t kDayMs = 24 * 3'600'000LL;

// The reference range computeDrift uses for a log reference (not a file or a profile):
// --reference, else the first 24 h, or the first 10 % of the windows when they span < 240 h.
Result<std::optional<std::pair<std::int64_t, std::int64_t>>> referenceRange(const SpillPlan& plan,
                                                                            const DriftOptions& d)
{
    if (!d.enabled || d.profile || d.referenceTable)
        return std::optional<std::pair<std::int64_t, std::int64_t>>{};
    const auto& w = plan.windows;
    const std::int64_t first = w.front().startMs;
    const std::int64_t last = w.back().startMs + plan.windowMs;
    std::int64_t start = first;
    std::int64_t end = 0;
    if (d.referenceStartMs || d.referenceEndMs) {
        start = d.referenceStartMs.value_or(first);
        end = d.referenceEndMs.value_or(last);
        if (end <= start)
            return Error{"drift: the reference range ends before it starts"};
    } else if (last - first < 10 * kDayMs) {
        const std::size_t k = std::max<std::size_t>(1, w.size() / 10);
        end = w[k - 1].startMs + plan.windowMs;
    } else {
        end = start + kDayMs;
    }
    return std::optional<std::pair<std::int64_t, std::int64_t>>(std::pair{start, end});
}

bool hasAnyValid(const NumericColumn& col)
{
    return std::any_of(col.valid.begin(), col.valid.end(), [](std::uint8_t v) { return v != 0; });
}

class BatchRunner
{
  public:
    BatchRunner(const LoadedLog& log, const AnalysisOptions& options, const SpillPlan& plan,
                std::optional<std::pair<std::int64_t, std::int64_t>> reference, std::stop_token stop)
        : m_log(log), m_options(options), m_plan(plan), m_reference(reference), m_stop(std::move(stop)),
          m_concept(plan.predictionKind, options.threshold, plan.windowMs)
    {
        m_schema = log.schema;
        m_analysisArrays = detail::analysisArrays(log.table);
        m_driftArrays = detail::driftArrays(log.table);
        m_schema.mapping.predictionKind = plan.predictionKind;
        m_windowOptions = options;
        m_windowOptions.windowMs = plan.windowMs;
        m_windowOptions.drift.enabled = false;
        m_driftOptions = options.drift;
        m_driftOptions.conceptDrift = false; // over the whole stream, by m_concept
        // The reference is prepared by the first batch's drift and reused by the others.
        m_driftOptions.referenceCache = std::make_shared<DriftReferenceCache>();
        if (reference) {
            m_driftOptions.referenceStartMs = reference->first;
            m_driftOptions.referenceEndMs = reference->second;
        }
        m_out.windowMs = plan.windowMs;
        m_out.predictionKind = plan.predictionKind;
        m_out.threshold = options.threshold;
        m_out.byVersion.resize(plan.segmentNames.size());
        for (std::size_t s = 0; s < plan.segmentNames.size(); ++s) {
            m_out.byVersion[s].version = plan.segmentNames[s];
            m_segmentOf.emplace(plan.segmentNames[s], s);
        }
        // Drift is given every window (start, end, rows), so that each keeps its index:
        // the deterministic sample of --drift-max-rows is seeded with it.
        m_driftInput.windowMs = plan.windowMs;
        m_driftInput.predictionKind = plan.predictionKind;
        m_driftInput.threshold = options.threshold;
        for (const auto& w : plan.windows) {
            WindowStats s;
            s.startMs = w.startMs;
            s.endMs = w.startMs + plan.windowMs;
            s.rows = w.rows;
            m_driftInput.windows.push_back(s);
        }
        if (options.drift.enabled) {
            m_drift.emplace();
            m_drift->windows.resize(plan.windows.size());
        }
    }

    // A window with more rows than this is sketched (docs/SKETCHES.md) instead of gathered.
    void setSketchAbove(std::uint64_t rows) { m_sketchAbove = rows; }

    std::optional<Error> run(const SpillBatch& batch)
    {
        if (batch.oversized && batch.rows > m_sketchAbove)
            return sketchOversizedWindow(batch);
        if (batch.oversized)
            return analyzeOversizedWindow(batch);
        return analyzeBatch(batch);
    }

    Result<AnalysisSnapshot> finish()
    {
        if (m_drift && m_options.drift.conceptDrift)
            m_drift->conceptDrift = m_concept.finish();
        if (m_drift)
            m_out.drift = std::move(m_drift);
        Result<AnalysisSnapshot> result(std::move(m_out));
        result.warnings = exclusionWarnings(result.value());
        result.warnings.insert(result.warnings.end(), m_driftWarnings.begin(), m_driftWarnings.end());
        return result;
    }

  private:
    // A window with more rows than a batch may hold whose rows fit the budget: analysed
    // exactly (a window over the budget is sketched, sketchOversizedWindow).
    std::optional<Error> analyzeOversizedWindow(const SpillBatch& batch) { return analyzeBatch(batch); }

    // A window that alone exceeds the memory budget: read chunk by chunk into sketches, its
    // counts and sums exact, its order statistics estimates listed in the window.
    std::optional<Error> sketchOversizedWindow(const SpillBatch& batch)
    {
        m_tail.reset();
        m_rows.reset();
        std::shared_ptr<const ReferenceProfile> profile;
        if (m_drift) {
            if (!m_sketchReference) {
                auto r = detail::sketchReference(m_log, m_driftInput, m_driftOptions, m_reference,
                                                 m_plan.anyLabel, m_stop);
                if (!r)
                    return r.error();
                m_sketchReference = std::move(r.value());
            }
            profile = m_sketchReference->profile;
        }
        auto s = detail::sketchSpilledWindow(m_log, batch.startMs, m_plan.windowMs, m_plan.predictionKind,
                                             m_windowOptions, profile, m_plan.anyLabel, m_stop);
        if (!s)
            return s.error();
        m_out.excludedBadPairs += s->all.exclusions.badPair;
        m_out.excludedMissingPrediction += s->all.exclusions.missingPrediction;
        m_out.windows.push_back(std::move(s->all.stats));
        for (auto& [name, stats] : s->bySegment)
            m_out.byVersion[m_segmentOf.at(name)].windows.push_back(std::move(stats));
        if (m_drift && m_options.drift.conceptDrift)
            m_concept.add(s->conceptRows);
        if (m_drift && s->all.drift) {
            if (m_first) {
                m_drift->reference = m_sketchReference->info;
                m_driftWarnings = m_sketchReference->warnings;
                m_first = false;
            }
            s->all.drift->startMs = batch.startMs;
            m_drift->windows[batch.firstWindow] = std::move(*s->all.drift);
        }
        return std::nullopt;
    }

    std::optional<Error> analyzeBatch(const SpillBatch& batch)
    {
        // One table reused from batch to batch: its pages stay mapped, so a batch's gather
        // does not fault in (and zero) fresh memory.
        if (!m_rows)
            m_rows = m_log.table;
        detail::clearRows(*m_rows);
        LogTable& rows = *m_rows;
        std::optional<detail::ParityCheck> parity;
        if (m_reference && batch.firstWindow == 0)
            parity.emplace().range = *m_reference;
        if (auto e = detail::gatherRowsInto(m_log, rows, batch.startMs, batch.endMs, &m_analysisArrays,
                                            m_tail ? m_tail->rows() : 0, parity ? &*parity : nullptr))
            return e;
        phaseMark("bounded: gather");
        if (auto e = analyzeRows(batch, rows))
            return e;
        phaseMark("bounded: analyze + concept drift");
        if (!m_drift)
            return std::nullopt;
        // The batch's last window, which the next batch's drift pairs with its first: kept
        // unless it is a large part of the batch (it would double the rows in memory).
        std::optional<LogTable> tail;
        const SpillWindow& last = m_plan.windows[batch.endWindow - 1];
        if (last.rows * 8 <= batch.rows)
            tail = detail::selectRows(m_log.table, rows, last.startMs, batch.endMs);
        std::optional<Error> error;
        if (firstSharesRows(batch, parity)) {
            // The first batch holds the whole reference range at its rows' parity: its rows
            // are those driftOf would gather.
            error = scoreDrift(batch, rows);
        } else if (sharesRows(batch)) {
            // The batch's rows, then the window before them: each window's rows keep their
            // order, which is all drift reads once the reference is prepared.
            detail::appendRows(rows, *m_tail);
            m_tail.reset();
            error = scoreDrift(batch, rows);
        } else {
            m_rows.reset(); // freed before the drift gather
            m_tail.reset();
            error = driftOf(batch);
        }
        m_tail = std::move(tail);
        m_tailEnd = batch.endWindow;
        return error;
    }

    // analyze() of the batch's rows, and beside it the concept-drift detectors over them (both
    // only read the rows; the detectors are serial, so they take the core analyze() leaves).
    std::optional<Error> analyzeRows(const SpillBatch& batch, const LogTable& rows)
    {
        std::optional<Error> conceptError;
        std::optional<std::jthread> detectors;
        if (m_drift && m_options.drift.conceptDrift)
            detectors.emplace([&] {
                clearUpperSimdState(); // see util/simd_state.h
                try {
                    m_concept.add(rows);
                } catch (const std::exception& e) { // e.g. bad_alloc: reported, not terminate()
                    conceptError = Error{std::string("concept drift failed: ") + e.what()};
                }
            });
        auto part = analyze(rows, m_schema, m_windowOptions, m_stop);
        detectors.reset(); // joins
        if (!part)
            return part.error();
        if (conceptError)
            return conceptError;
        if (part->windows.size() != batch.endWindow - batch.firstWindow)
            return Error{"bounded analysis: a batch has " + std::to_string(part->windows.size()) +
                         " windows, the plan " + std::to_string(batch.endWindow - batch.firstWindow)};
        mergeWindows(std::move(part.value()));
        return std::nullopt;
    }

    // Whether the first batch's drift can score the analysis' rows: the reference is not yet
    // prepared, so drift reads the reference rows at the parity of their row numbers (driftOf);
    // when the reference range lies within the batch and the gather kept that parity, the
    // analysis' table is that same table.
    bool firstSharesRows(const SpillBatch& batch, const std::optional<detail::ParityCheck>& parity) const
    {
        if (batch.firstWindow != 0 || m_driftOptions.referenceCache->filled)
            return false;
        if (!m_reference)
            return true;
        return parity && parity->kept && m_reference->second <= batch.endMs;
    }

    // Whether the batch's drift can score the analysis' rows plus the previous batch's last
    // window instead of gathering its rows again: once the reference is prepared, and when
    // no reference row is among them (their parity, which the reference windows depend on,
    // is not kept).
    bool sharesRows(const SpillBatch& batch) const
    {
        if (!m_tail || m_tailEnd != batch.firstWindow || batch.firstWindow == 0 ||
            !m_driftOptions.referenceCache->filled)
            return false;
        const std::int64_t from = m_plan.windows[batch.firstWindow - 1].startMs;
        return !m_reference || m_reference->second <= from || m_reference->first >= batch.endMs;
    }

    void mergeWindows(AnalysisSnapshot part)
    {
        for (WindowStats& w : part.windows)
            m_out.windows.push_back(std::move(w));
        for (VersionSegment& seg : part.byVersion) {
            auto& dst = m_out.byVersion[m_segmentOf.at(seg.version)].windows;
            for (WindowStats& w : seg.windows)
                dst.push_back(std::move(w));
        }
        m_out.excludedBadPairs += part.excludedBadPairs;
        m_out.excludedMissingPrediction += part.excludedMissingPrediction;
    }

    // The first batch's rows plus the reference's (at their parity), scored as computeDrift
    // scores the whole log: the reference windows, the bands and the decisions come out the
    // same; the reference cache keeps them, so later batches read only their own rows. Each
    // batch also reads the window before its first, which the two-window pool of a small
    // window pairs it with (docs/DRIFT.md, "drifted"), and keeps only its own windows.
    std::optional<Error> driftOf(const SpillBatch& batch)
    {
        const bool withReference = !m_driftOptions.referenceCache->filled;
        const auto reference = withReference ? m_reference : std::nullopt;
        const std::int64_t from =
            batch.firstWindow > 0 ? m_plan.windows[batch.firstWindow - 1].startMs : batch.startMs;
        auto rows =
            detail::gatherRows(m_log, from, batch.endMs, reference, reference.has_value(), &m_driftArrays);
        if (!rows)
            return rows.error();
        return scoreDrift(batch, rows.value());
    }

    std::optional<Error> scoreDrift(const SpillBatch& batch, LogTable& rows)
    {
        if (m_plan.anyLabel && !hasAnyValid(rows.label))
            detail::appendLabelFiller(rows);
        auto drift = computeDrift(rows, m_driftInput, m_driftOptions, m_stop);
        if (!drift)
            return drift.error();
        if (m_first) {
            m_drift->reference = drift->reference;
            m_driftWarnings = drift.warnings;
            m_first = false;
        }
        m_drift->sampled = m_drift->sampled || drift->sampled;
        for (std::size_t w = batch.firstWindow; w < batch.endWindow; ++w)
            m_drift->windows[w] = std::move(drift->windows[w]);
        return std::nullopt;
    }

    const LoadedLog& m_log;
    const AnalysisOptions& m_options;
    const SpillPlan& m_plan;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_reference;
    std::stop_token m_stop;
    InferredSchema m_schema;
    std::vector<bool> m_analysisArrays; // the columns each step reads from the spill file
    std::vector<bool> m_driftArrays;
    AnalysisOptions m_windowOptions;
    DriftOptions m_driftOptions;
    AnalysisSnapshot m_out;
    AnalysisSnapshot m_driftInput;
    std::optional<DriftSnapshot> m_drift;
    std::vector<std::string> m_driftWarnings;
    std::unordered_map<std::string, std::size_t> m_segmentOf;
    ConceptDriftStream m_concept;
    bool m_first = true;
    std::uint64_t m_sketchAbove = std::numeric_limits<std::uint64_t>::max();
    std::optional<detail::SketchReference> m_sketchReference;
    std::optional<LogTable> m_rows; // the batch's rows, see analyzeBatch
    std::optional<LogTable> m_tail; // the last window of the batch before, see analyzeBatch
    std::size_t m_tailEnd = 0;      // that batch's endWindow
};

} // namespace

Result<std::shared_ptr<AnalysisResult>> analyzeSpilled(std::shared_ptr<const LoadedLog> log,
                                                       const AnalysisOptions& options, std::stop_token stop,
                                                       const ProgressFn& progress)
{
    const auto started = std::chrono::steady_clock::now();
    try {
        if (options.drift.enabled && options.drift.rollingWindows > 0 && !options.drift.profile)
            return Error{"--reference rolling:N needs the whole log in memory, and this log is larger than "
                         "the memory budget: raise --memory-budget (0 = unlimited) or use a reference range"};
        auto plan = detail::planSpilledAnalysis(*log, options);
        if (!plan)
            return plan.error();
        phaseMark("bounded: plan");
        auto reference = referenceRange(plan.value(), options.drift);
        if (!reference)
            return reference.error();
        // A batch and the reference rows together fit the budget; a large reference leaves
        // at least a quarter of it to the batch.
        const double rowBytes = std::max(1.0, plan->rowBytes);
        const auto budgetRows =
            static_cast<std::uint64_t>(static_cast<double>(log->memoryBudgetBytes) / rowBytes);
        std::uint64_t referenceRows = 0;
        if (const auto& r = reference.value())
            for (const auto& w : plan->windows)
                if (w.startMs < r->second && w.startMs + plan->windowMs > r->first)
                    referenceRows += w.rows;
        const std::uint64_t batchRows = std::max<std::uint64_t>(
            {1, budgetRows / 4, budgetRows > referenceRows ? budgetRows - referenceRows : 0});
        const auto batches = detail::cutBatches(plan.value(), batchRows);

        BatchRunner runner(*log, options, plan.value(), reference.value(), stop);
        runner.setSketchAbove(budgetRows);
        for (std::size_t b = 0; b < batches.size(); ++b) {
            if (stop.stop_requested())
                return Error{"cancelled"};
            if (auto e = runner.run(batches[b]))
                return *e;
            if (progress)
                progress(static_cast<double>(b + 1) / static_cast<double>(batches.size()), "windows");
        }
        auto snapshot = runner.finish();
        auto result = std::make_shared<AnalysisResult>();
        result->snapshot = std::move(snapshot.value());
        result->warnings = std::move(snapshot.warnings);
        result->options = options;
        result->memory.budgetBytes = log->memoryBudgetBytes;
        result->memory.spilledRows = log->spill->rows();
        result->memory.spilledBytes = log->spill->bytes();
        result->memory.spillFileBytes = log->spill->fileBytes();
        result->memory.batches = batches.size();
        result->log = std::move(log);
        result->analyzeSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return result;
    } catch (const std::exception& e) {
        return Error{std::string("analysis failed: ") + e.what()};
    }
}

} // namespace vigil
