#include "report/report.h"

#include "engine/window.h"
#include "ingest/label_summary.h"
#include "report/json_writer.h"
#include "util/time_format.h"

#include <fmt/format.h>

namespace vigil {

namespace {

void writePerformance(JsonWriter& w, const PerformanceMetrics& p)
{
    w.key("performance").beginObject();
    w.field("accuracy", p.accuracy).field("precision", p.precision).field("recall", p.recall);
    w.field("f1", p.f1).field("roc_auc", p.rocAuc).field("log_loss", p.logLoss).field("brier", p.brier);
    w.field("mae", p.mae).field("rmse", p.rmse).field("r2", p.r2);
    w.endObject();
}

void writeOperations(JsonWriter& w, const WindowStats& s)
{
    w.key("operations").beginObject();
    w.field("throughput_per_s", s.throughputPerS);
    w.field("error_rate", s.errorRate);
    w.field("errors", s.errors);
    w.key("latency_ms").beginObject();
    w.field("p50", s.latencyMs.p50).field("p90", s.latencyMs.p90);
    w.field("p95", s.latencyMs.p95).field("p99", s.latencyMs.p99);
    w.endObject();
    w.endObject();
}

void writeKpis(JsonWriter& w, const WindowStats& s)
{
    w.key("kpi").beginObject();
    for (const KpiValue& k : s.kpis) {
        w.key(k.name).beginObject();
        w.field("sum", k.sum).field("mean", k.mean).field("count", k.count);
        w.endObject();
    }
    for (const RatioValue& r : s.ratios) {
        w.field(r.name, r.value);
    }
    w.endObject();
}

void writeFeatureDrift(JsonWriter& w, const FeatureDrift& f)
{
    w.key(f.name).beginObject();
    w.field("kind", f.categorical ? "categorical" : "numeric");
    w.field("ks_d", f.ksD).field("ks_p", f.ksP).field("wasserstein", f.wasserstein);
    w.field("psi", f.psi).field("js", f.js).field("hellinger", f.hellinger);
    w.field("chi2", f.chi2).field("chi2_p", f.chi2P).field("missing_share", f.missingShare);
    w.field("drifted", f.drifted);
    w.endObject();
}

void writeWindowDrift(JsonWriter& w, const WindowDrift& d)
{
    w.key("drift").beginObject();
    for (const FeatureDrift& f : d.features) {
        writeFeatureDrift(w, f);
    }
    w.endObject();
    const MultivariateDrift& m = d.multivariate;
    w.key("multivariate").beginObject();
    w.field("reconstruction_error", m.reconstructionError).field("lower", m.lower).field("upper", m.upper);
    w.field("drifted", m.drifted);
    w.endObject();
    w.field("drift_sampled", d.sampled);
    const EstimatedPerformance& e = d.estimated;
    w.key("estimated_performance").beginObject();
    w.field("accuracy", e.accuracy).field("f1", e.f1).field("roc_auc", e.rocAuc);
    w.endObject();
}

// `drift`, when given, runs parallel to `windows` (the overall windows only).
void writeWindows(JsonWriter& w, const std::vector<WindowStats>& windows,
                  const DriftSnapshot* drift = nullptr)
{
    w.key("windows").beginArray();
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const WindowStats& s = windows[i];
        w.beginObject();
        w.field("start_ms", s.startMs).field("end_ms", s.endMs);
        w.field("start", formatIsoUtc(s.startMs));
        w.field("rows", s.rows).field("labeled", s.labeled);
        w.field("exact", s.exact && s.estimates.empty());
        if (!s.estimates.empty()) {
            w.key("estimates").beginArray();
            for (const std::string& path : s.estimates)
                w.value(path);
            w.endArray();
        }
        writePerformance(w, s.performance);
        writeOperations(w, s);
        writeKpis(w, s);
        w.key("non_finite").beginObject();
        w.field("latency_ms", s.nonFinite.latency).field("prediction", s.nonFinite.prediction);
        w.field("label", s.nonFinite.label);
        w.endObject();
        if (drift && i < drift->windows.size()) {
            writeWindowDrift(w, drift->windows[i]);
        }
        w.endObject();
    }
    w.endArray();
}

// The late-label join (docs/LOG_FORMAT.md, "Late labels"); absent without --labels.
void writeLabels(JsonWriter& w, const LabelSummary& l)
{
    w.key("labels").beginObject();
    w.field("source", l.source).field("labels_read", l.labelsRead).field("matched", l.matched);
    w.field("predictions_labelled", l.predictionsLabelled).field("unmatched_labels", l.unmatchedLabels);
    w.field("duplicate_labels", l.duplicateLabels).field("null_labels", l.nullLabels);
    w.field("inline_labels_replaced", l.inlineLabelsReplaced);
    w.field("duplicate_prediction_ids", l.duplicatePredictionIds);
    w.field("predictions_without_id", l.predictionsWithoutId);
    w.key("delay_ms").beginObject().field("p50", l.delayP50Ms).field("p95", l.delayP95Ms).endObject();
    w.field("negative_delays", l.negativeDelays);
    w.field("lines", l.lines).field("malformed", l.malformed);
    w.key("problems").beginArray();
    for (const Problem& p : l.problems) {
        w.beginObject().field("path", p.path).field("line", p.line).field("error", p.error).endObject();
    }
    w.endArray();
    w.endObject();
}

void writeSchema(JsonWriter& w, const InferredSchema& schema)
{
    const FieldMapping& m = schema.mapping;
    // A role the log does not have is null, not "".
    const auto role = [&w](std::string_view name, const std::string& field) {
        w.key(name);
        field.empty() ? w.null() : w.value(field);
    };
    w.key("mapping").beginObject();
    w.field("format", toString(schema.format));
    role("timestamp", m.timestamp);
    w.field("timestamp_unit", toString(m.timestampUnit));
    role("request_id", m.requestId);
    role("model", m.model);
    role("version", m.version);
    role("latency", m.latency);
    role("status", m.status);
    role("prediction", m.prediction);
    w.field("prediction_kind", toString(m.predictionKind));
    role("label", m.label);
    const auto list = [&w](std::string_view name, const std::vector<std::string>& items) {
        w.key(name).beginArray();
        for (const auto& item : items) {
            w.value(item);
        }
        w.endArray();
    };
    list("numeric_features", m.numericFeatures);
    list("categorical_features", m.categoricalFeatures);
    list("kpis", m.kpis);
    w.endObject();
}

// Live following (docs/FOLLOW.md): what was read and how the files rotated.
void writeFollow(JsonWriter& w, const FollowInfo& f)
{
    w.key("follow").beginObject();
    w.field("lines", f.lines);
    w.key("rotations").beginObject();
    w.field("rename", f.renameRotations).field("truncate", f.truncateRotations);
    w.endObject();
    w.field("unrecovered_truncations", f.unrecoveredTruncations);
    w.field("partial_line_pending", f.partialLinePending).field("final", f.final);
    w.key("last_ts_ms");
    if (f.lastTsMs)
        w.value(*f.lastTsMs);
    else
        w.null();
    if (f.labels) {
        const LabelFollowInfo& l = *f.labels;
        w.key("labels").beginObject();
        w.field("lines", l.lines);
        w.key("rotations").beginObject();
        w.field("rename", l.renameRotations).field("truncate", l.truncateRotations);
        w.endObject();
        w.field("partial_line_pending", l.partialLinePending).field("pending", l.pending);
        w.field("join_bytes", l.joinBytes).field("changed_rows", l.changedRows);
        w.field("recomputed_windows", l.recomputedWindows);
        w.endObject();
    }
    w.endObject();
}

} // namespace

std::string reportToJson(const AnalysisResult& result)
{
    const LoadedLog& log = *result.log;
    const AnalysisSnapshot& snap = result.snapshot;
    JsonWriter w;
    w.beginObject();
    w.field("vigil_report", 1);
    w.key("source").beginObject();
    w.key("paths").beginArray();
    for (const auto& p : log.paths) {
        w.value(p);
    }
    w.endArray();
    w.field("rows", log.rowCount());
    w.field("lines", log.lines).field("malformed", log.malformed).field("bytes", log.bytes);
    w.endObject();
    const MemoryUse& mem = result.memory;
    w.key("memory").beginObject();
    w.field("budget_bytes", mem.budgetBytes).field("spilled_rows", mem.spilledRows);
    w.field("spilled_bytes", mem.spilledBytes).field("spill_file_bytes", mem.spillFileBytes);
    w.field("batches", static_cast<std::uint64_t>(mem.batches));
    w.endObject();
    if (result.follow)
        writeFollow(w, *result.follow);
    writeSchema(w, log.schema);
    if (log.labels) {
        writeLabels(w, *log.labels);
    }
    w.field("window_ms", snap.windowMs).field("window", formatWindowSize(snap.windowMs));
    w.field("prediction_kind", toString(snap.predictionKind)).field("threshold", snap.threshold);
    if (snap.drift) {
        const DriftReferenceInfo& ref = snap.drift->reference;
        w.key("reference").beginObject();
        w.field("start_ms", ref.startMs).field("end_ms", ref.endMs).field("rows", ref.rows);
        w.field("source", ref.source);
        if (ref.source == "rolling") {
            w.field("windows", static_cast<std::uint64_t>(ref.rollingWindows));
        }
        w.endObject();
        w.field("sampled", snap.drift->sampled);
        w.key("concept_drift").beginArray();
        for (const ConceptDriftEvent& e : snap.drift->conceptDrift) {
            w.beginObject()
                .field("detector", e.detector)
                .field("ts_ms", e.tsMs)
                .field("stream", e.stream)
                .field("count", e.count)
                .field("last_ts_ms", e.lastTsMs)
                .endObject();
        }
        w.endArray();
    }
    writeWindows(w, snap.windows, snap.drift ? &*snap.drift : nullptr);
    w.key("by_version").beginObject();
    for (const VersionSegment& seg : snap.byVersion) {
        w.key(seg.version).beginObject();
        writeWindows(w, seg.windows);
        w.endObject();
    }
    w.endObject();
    w.key("problems").beginArray();
    for (const Problem& p : log.problems) {
        w.beginObject().field("path", p.path).field("line", p.line).field("error", p.error).endObject();
    }
    w.endArray();
    // Listed problems are capped; this says how many more exist beyond the list.
    w.field("problems_not_listed", log.malformed > log.problems.size()
                                       ? log.malformed - static_cast<std::uint64_t>(log.problems.size())
                                       : std::uint64_t{0});
    w.key("warnings").beginArray();
    for (const auto& warning : result.warnings) {
        w.value(warning);
    }
    w.endArray();
    w.endObject();
    std::string out = w.take();
    out.push_back('\n');
    return out;
}

namespace {

std::string csvCell(const std::optional<double>& v)
{
    return v ? fmt::format("{}", *v) : std::string();
}

std::string csvQuoted(std::string_view text)
{
    if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
        return std::string(text);
    }
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

// The per-window drift summary columns (docs/DRIFT.md, "CSV"); empty cells without drift.
std::string driftSummaryCells(const WindowDrift* d)
{
    if (!d) {
        return ",,,,,,";
    }
    std::size_t drifted = 0;
    for (const FeatureDrift& f : d->features) {
        drifted += f.drifted ? 1 : 0;
    }
    return fmt::format(",{},{},{},{},{},{}", drifted, csvCell(d->multivariate.reconstructionError),
                       d->multivariate.drifted ? 1 : 0, csvCell(d->estimated.accuracy),
                       csvCell(d->estimated.f1), csvCell(d->estimated.rocAuc));
}

void appendCsvRows(std::string& out, std::string_view segment, const std::vector<WindowStats>& windows,
                   const DriftSnapshot* drift = nullptr, bool driftColumns = false)
{
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const WindowStats& s = windows[i];
        const PerformanceMetrics& p = s.performance;
        out += fmt::format("{},{},{},{},{},{}", csvQuoted(segment), s.startMs, s.endMs,
                           formatIsoUtc(s.startMs), s.rows, s.labeled);
        for (const auto& v :
             {p.accuracy, p.precision, p.recall, p.f1, p.rocAuc, p.logLoss, p.brier, p.mae, p.rmse, p.r2}) {
            out += ',' + csvCell(v);
        }
        out += fmt::format(",{},{}", s.throughputPerS, csvCell(s.errorRate));
        for (const auto& v : {s.latencyMs.p50, s.latencyMs.p90, s.latencyMs.p95, s.latencyMs.p99}) {
            out += ',' + csvCell(v);
        }
        for (const KpiValue& k : s.kpis) {
            out += fmt::format(",{},{}", k.sum, csvCell(k.mean));
        }
        for (const RatioValue& r : s.ratios) {
            out += ',' + csvCell(r.value);
        }
        out += fmt::format(",{},{},{}", s.nonFinite.latency, s.nonFinite.prediction, s.nonFinite.label);
        if (driftColumns) {
            out += driftSummaryCells(drift && i < drift->windows.size() ? &drift->windows[i] : nullptr);
        }
        out += '\n';
    }
}

} // namespace

std::string reportToCsv(const AnalysisResult& result)
{
    const AnalysisSnapshot& snap = result.snapshot;
    std::string out =
        "segment,start_ms,end_ms,start,rows,labeled,accuracy,precision,recall,f1,roc_auc,log_loss,"
        "brier,mae,rmse,r2,throughput_per_s,error_rate,latency_p50_ms,latency_p90_ms,"
        "latency_p95_ms,latency_p99_ms";
    // KPI and ratio columns follow the order of the first window; every window has the same set.
    const WindowStats* first = snap.windows.empty() ? nullptr : &snap.windows.front();
    if (first) {
        for (const KpiValue& k : first->kpis) {
            out += ',' + csvQuoted(k.name + "_sum") + ',' + csvQuoted(k.name + "_mean");
        }
        for (const RatioValue& r : first->ratios) {
            out += ',' + csvQuoted(r.name);
        }
    }
    out += ",non_finite_latency,non_finite_prediction,non_finite_label";
    const DriftSnapshot* drift = snap.drift ? &*snap.drift : nullptr;
    if (drift) {
        out += ",drifted_features,multivariate_error,multivariate_drifted,estimated_accuracy,estimated_f1,"
               "estimated_roc_auc";
    }
    out += '\n';
    appendCsvRows(out, "all", snap.windows, drift, drift != nullptr);
    for (const VersionSegment& seg : snap.byVersion) {
        appendCsvRows(out, "version=" + seg.version, seg.windows, nullptr, drift != nullptr);
    }
    return out;
}

} // namespace vigil
