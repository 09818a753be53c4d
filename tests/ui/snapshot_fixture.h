#pragma once
// A realistic hand-built AnalysisResult for UI tests: a week of hourly windows,
// three versions (v1 retired mid-week, v3 canary from day 5), an outage gap of
// six empty hours, undefined metrics in some windows and NaN latencies.
#include "engine/pipeline.h"

#include <cmath>
#include <memory>

namespace vigil::test {

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kFixtureStartMs = 1'764'547'200'000; // 2025-12-01 00:00 UTC
inline constexpr int kFixtureHours = 168;
inline constexpr int kGapFirstHour = 60; // hours 60..65 have no rows at all
inline constexpr int kGapHours = 6;

inline bool inGap(int h)
{
    return h >= kGapFirstHour && h < kGapFirstHour + kGapHours;
}

inline WindowStats fixtureWindow(int h, double scale, double drift, std::uint64_t rows, PredictionKind kind,
                                 double quality = 0.0)
{
    WindowStats w;
    w.startMs = kFixtureStartMs + h * kHourMs;
    w.endMs = w.startMs + kHourMs;
    w.rows = rows;
    // Labels arrive late: the last 12 hours have none, so quality metrics are undefined there.
    w.labeled = h < kFixtureHours - 12 ? rows / 2 : 0;
    w.statusKnown = rows;
    w.errors = static_cast<std::uint64_t>(static_cast<double>(rows) * (0.01 + 0.02 * ((h % 24) == 13)));
    w.errorRate = rows ? std::optional<double>(static_cast<double>(w.errors) / static_cast<double>(rows))
                       : std::nullopt;
    w.throughputPerS = static_cast<double>(rows) / 3600.0;
    const double daily = std::sin(h * 2 * M_PI / 24.0);
    w.latencyMs = {40 * scale + 8 * daily, 80 * scale + 15 * daily, 95 * scale + 20 * daily,
                   160 * scale + 40 * daily};
    if (w.labeled > 0) {
        if (kind == PredictionKind::Regression) {
            w.performance.mae = 1.2 + drift;
            w.performance.rmse = 1.8 + drift * 1.3;
            w.performance.r2 = 0.8 - drift / 3;
        } else {
            const double wobble = 0.006 * std::sin(h * 0.7 + quality * 50);
            w.performance.accuracy = 0.92 - drift + 0.01 * daily + quality + wobble;
            w.performance.precision = 0.88 - drift + quality + wobble;
            w.performance.recall = 0.81 - drift * 1.5 + quality - wobble;
            w.performance.f1 = 0.84 - drift * 1.2 + quality;
            w.performance.rocAuc = 0.95 - drift / 2 + quality / 2 + wobble / 2;
            w.performance.logLoss = 0.25 + drift - quality + wobble;
            w.performance.brier = 0.07 + drift / 3 - quality / 3;
        }
    }
    if (h % 37 == 5) {
        w.nonFinite.latency = 3; // "3 NaN latencies in window"
        w.nonFinite.prediction = 1;
    }
    KpiValue revenue{"revenue", 12.5 * static_cast<double>(rows), 12.5, rows, 0};
    KpiValue clicks{"clicks", 0.2 * static_cast<double>(rows), 0.2, rows, h % 50 == 7 ? 2u : 0u};
    w.kpis = {revenue, clicks};
    w.ratios = {{"conversion", rows ? std::optional<double>(0.031 + 0.004 * daily) : std::nullopt}};
    return w;
}

inline std::shared_ptr<LoadedLog> fixtureLog(std::uint64_t rows)
{
    auto log = std::make_shared<LoadedLog>();
    log->paths = {"/data/predictions.jsonl"};
    log->lines = rows + 5;
    log->malformed = 5;
    log->problems = {{"/data/predictions.jsonl", 17, "expected ',' after \"latency_ms\""},
                     {"/data/predictions.jsonl", 942, "timestamp is not a number or ISO 8601 text"},
                     {"/data/predictions.jsonl", 0, "file ends without a newline"}};
    log->bytes = rows * 180;
    log->seconds = 0.75;
    log->table.tsMs.resize(rows);
    InferredSchema& s = log->schema;
    s.format = LogFormat::Jsonl;
    s.sampledRows = 1000;
    s.fields = {
        {"ts", ValueType::Number, FieldRole::Timestamp, 1000, 0, "1764547200123", "name matches 'ts'"},
        {"model_version", ValueType::String, FieldRole::Version, 1000, 0, "v2", "name contains 'version'"},
        {"latency_ms", ValueType::Number, FieldRole::Latency, 997, 3, "41.7", "name contains 'latency'"},
        {"score", ValueType::Number, FieldRole::Prediction, 1000, 0, "0.83", "numbers in [0,1]"},
        {"label", ValueType::Number, FieldRole::Label, 480, 520, "1", "name is 'label'"},
        {"kpi.revenue", ValueType::Number, FieldRole::Kpi, 1000, 0, "12.5", "under 'kpi'"},
        {"features.country", ValueType::String, FieldRole::CategoricalFeature, 1000, 0, "DE",
         "few distinct strings"},
        {"debug", ValueType::Object, FieldRole::Ignored, 10, 990, "{}", "objects are not mapped"}};
    s.mapping.timestamp = "ts";
    s.mapping.version = "model_version";
    s.mapping.latency = "latency_ms";
    s.mapping.prediction = "score";
    s.mapping.label = "label";
    s.mapping.kpis = {"kpi.revenue"};
    return log;
}

// versions: 1..3. kind: Score or Regression.
inline std::shared_ptr<const AnalysisResult>
makeFixtureResult(int versions = 3, PredictionKind kind = PredictionKind::Score, bool withLabels = true)
{
    auto result = std::make_shared<AnalysisResult>();
    AnalysisSnapshot& snap = result->snapshot;
    snap.windowMs = kHourMs;
    snap.predictionKind = kind;
    snap.threshold = 0.5;
    const char* names[] = {"v1", "v2", "v3"};
    for (int v = 0; v < versions; ++v)
        snap.byVersion.push_back({names[v], {}});
    std::uint64_t total = 0;
    for (int h = 0; h < kFixtureHours; ++h) {
        if (inGap(h))
            continue;
        const double drift = h > 110 ? 0.0015 * (h - 110) : 0.0;
        const std::uint64_t rows =
            3000 + static_cast<std::uint64_t>(1500 * (1 + std::sin(h * 2 * M_PI / 24.0)));
        WindowStats all = fixtureWindow(h, 1.0, drift, rows, kind);
        if (!withLabels) {
            all.labeled = 0;
            all.performance = {};
        }
        snap.windows.push_back(all);
        total += rows;
        for (int v = 0; v < versions; ++v) {
            const bool active = (v == 0 && h < 96) || v == 1 || (v == 2 && h >= 120);
            if (versions > 1 && !active)
                continue;
            const double share[] = {0.35, 0.5, 0.25};
            const double quality[] = {0.012, -0.004, -0.01};
            WindowStats w = fixtureWindow(h, 1.0 + 0.15 * v, drift * (v == 2 ? 2.5 : 1.0),
                                          static_cast<std::uint64_t>(static_cast<double>(rows) * share[v]),
                                          kind, quality[v]);
            if (!withLabels) {
                w.labeled = 0;
                w.performance = {};
            }
            snap.byVersion[static_cast<std::size_t>(v)].windows.push_back(w);
        }
    }
    result->log = fixtureLog(total);
    result->options.threshold = 0.5;
    result->options.kpiRatios = {{"conversion", "sum(clicks) / rows"}};
    return result;
}

// Windows in the fixture (the week minus the outage).
inline constexpr int kFixtureWindows = kFixtureHours - kGapHours;

} // namespace vigil::test
