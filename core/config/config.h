#pragma once
// The user's config file (JSON, documented in docs/CONFIG.md): mapping overrides,
// analysis options and KPI ratios. Anything not given keeps the inferred/default value.
#include "ingest/schema.h"
#include "util/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

struct MappingOverrides
{
    std::optional<std::string> timestamp;
    std::optional<TimestampUnit> timestampUnit;
    std::optional<std::string> requestId;
    std::optional<std::string> model;
    std::optional<std::string> version;
    std::optional<std::string> latency;
    std::optional<std::string> status;
    std::optional<std::vector<std::string>> okStatusValues;
    std::optional<std::string> prediction;
    std::optional<PredictionKind> predictionKind;
    std::optional<std::string> label;
    std::optional<std::string> positiveClass;
    std::optional<std::vector<std::string>> numericFeatures;
    std::optional<std::vector<std::string>> categoricalFeatures;
    std::optional<std::vector<std::string>> kpis;

    bool empty() const;
};

// A KPI ratio such as "conversion = sum(converted) / rows".
// expression grammar: TERM "/" TERM, TERM := "rows" | "labeled" | AGG "(" kpi-name ")",
// AGG := "sum" | "mean" | "count".
struct KpiRatio
{
    std::string name;
    std::string expression;
};

// Drift decision settings (docs/CONFIG.md, "drift"); unset values keep the defaults of
// DriftOptions. Per feature (by the name the report uses): its own minimum effect size,
// its own reference-band width, or `ignore` (still measured, never flagged).
struct FeatureDriftConfig
{
    std::optional<double> minEffect;
    std::optional<double> thresholdSigmas;
    bool ignore = false;
    std::optional<double> featureAlpha;
    std::optional<std::size_t> pairBelowRows;
    std::optional<double> pairOwnAlpha;
    std::optional<double> pairThresholdSigmas;
};

struct DriftConfig
{
    std::optional<double> alpha;
    std::optional<double> minEffect;
    std::optional<double> thresholdSigmas;
    std::map<std::string, FeatureDriftConfig> features;
    std::optional<double> featureAlpha;
    std::optional<std::size_t> pairBelowRows;
    std::optional<double> pairOwnAlpha;
    std::optional<double> pairThresholdSigmas;

    bool empty() const
    {
        return !alpha && !minEffect && !thresholdSigmas && features.empty() && !featureAlpha &&
               !pairBelowRows && !pairOwnAlpha && !pairThresholdSigmas;
    }
};

// A second source of labels, joined to the log by request id (docs/LOG_FORMAT.md).
// Fields not given are inferred from the label file like the log's.
struct LabelSourceConfig
{
    std::string path;
    std::optional<LogFormat> format;
    std::optional<std::string> requestId;
    std::optional<std::string> label;
    std::optional<std::string> timestamp;
    std::optional<TimestampUnit> timestampUnit;
};

struct VigilConfig
{
    std::optional<LogFormat> format;
    MappingOverrides mapping;
    std::optional<std::int64_t> windowMs;
    std::optional<double> threshold; // score >= threshold is the positive class
    std::vector<KpiRatio> kpiRatios;
    DriftConfig drift;
    std::optional<LabelSourceConfig> labels;
};

Result<VigilConfig> parseConfig(std::string_view json);
Result<VigilConfig> loadConfigFile(const std::string& path);
std::string configToJson(const VigilConfig& config);

// Overrides win over what inference found; the FieldInfo of an overridden field
// gets reason "set by config".
void applyOverrides(const MappingOverrides& overrides, InferredSchema& schema);

} // namespace vigil
