#include "engine/pipeline.h"

#include "engine/bounded_pipeline.h"
#include "engine/drift_analysis.h"
#include "engine/label_source.h"
#include "util/phase_timer.h"

#include <chrono>
#include <exception>

namespace vigil {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Loading takes most of the time; analysis the rest.
constexpr double kLoadShare = 0.85;

} // namespace

AnalysisOptions analysisOptionsFrom(const VigilConfig& config)
{
    AnalysisOptions options;
    options.windowMs = config.windowMs;
    if (config.threshold) {
        options.threshold = *config.threshold;
    }
    options.kpiRatios = config.kpiRatios;
    const DriftConfig& d = config.drift;
    options.drift.alpha = d.alpha.value_or(options.drift.alpha);
    options.drift.minimumEffect = d.minEffect.value_or(options.drift.minimumEffect);
    options.drift.thresholdSigmas = d.thresholdSigmas.value_or(options.drift.thresholdSigmas);
    options.drift.featureAlpha = d.featureAlpha.value_or(options.drift.featureAlpha);
    options.drift.pairBelowRows = d.pairBelowRows.value_or(options.drift.pairBelowRows);
    options.drift.pairOwnAlpha = d.pairOwnAlpha.value_or(options.drift.pairOwnAlpha);
    options.drift.pairThresholdSigmas = d.pairThresholdSigmas.value_or(options.drift.pairThresholdSigmas);
    for (const auto& [name, f] : d.features)
        options.drift.features[name] = {f.minEffect,          f.thresholdSigmas, f.ignore,
                                        f.featureAlpha,       f.pairBelowRows,   f.pairOwnAlpha,
                                        f.pairThresholdSigmas};
    return options;
}

namespace {

// Builds a still-mutable result so callers can add to it before it is shared as const.
Result<std::shared_ptr<AnalysisResult>> analyzeLog(std::shared_ptr<const LoadedLog> log,
                                                   const AnalysisOptions& options, std::stop_token stop,
                                                   const ProgressFn& progress)
{
    if (!log) {
        return Error{"no log loaded"};
    }
    if (log->spill) {
        return analyzeSpilled(std::move(log), options, stop, progress);
    }
    const auto start = std::chrono::steady_clock::now();
    try {
        auto snapshot = analyze(log->table, log->schema, options, stop, progress);
        if (!snapshot) {
            return snapshot.error();
        }
        phaseMark("analyze");
        if (options.drift.enabled) {
            auto drift = computeDrift(log->table, snapshot.value(), options.drift, stop);
            if (!drift) {
                return drift.error();
            }
            snapshot.warnings.insert(snapshot.warnings.end(), drift.warnings.begin(), drift.warnings.end());
            snapshot.value().drift = std::move(drift.value());
            phaseMark("drift: return");
        }
        auto result = std::make_shared<AnalysisResult>();
        result->log = std::move(log);
        result->snapshot = std::move(snapshot.value());
        result->options = options;
        result->warnings = std::move(snapshot.warnings);
        result->analyzeSeconds = secondsSince(start);
        result->memory.budgetBytes = result->log->memoryBudgetBytes;
        return result;
    } catch (const std::exception& e) {
        return Error{std::string("analysis failed: ") + e.what()};
    }
}

} // namespace

Result<std::shared_ptr<const AnalysisResult>> reanalyze(std::shared_ptr<const LoadedLog> log,
                                                        const AnalysisOptions& options, std::stop_token stop,
                                                        const ProgressFn& progress)
{
    auto analyzed = analyzeLog(std::move(log), options, stop, progress);
    if (!analyzed) {
        return analyzed.error();
    }
    return std::shared_ptr<const AnalysisResult>(std::move(analyzed.value()));
}

Result<std::shared_ptr<const AnalysisResult>> runPipeline(const std::vector<std::string>& paths,
                                                          const VigilConfig& config, std::stop_token stop,
                                                          const ProgressFn& progress)
{
    LoadOptions loadOptions;
    if (config.format) {
        loadOptions.format = *config.format;
    }
    loadOptions.overrides = config.mapping;

    ProgressFn loadProgress;
    ProgressFn analyzeProgress;
    if (progress) {
        loadProgress = [&progress](double f, std::string_view stage) { progress(f * kLoadShare, stage); };
        analyzeProgress = [&progress](double f, std::string_view stage) {
            progress(kLoadShare + f * (1.0 - kLoadShare), stage);
        };
    }

    Result<LoadedLog> loaded = Error{"not loaded"};
    try {
        loaded = loadLogs(paths, loadOptions, stop, loadProgress);
    } catch (const std::exception& e) {
        return Error{std::string("reading the log failed: ") + e.what()};
    }
    if (!loaded) {
        return loaded.error();
    }
    std::vector<std::string> loadWarnings = std::move(loaded.warnings);
    if (config.labels && !config.labels->path.empty()) {
        auto joined = joinLabelSource(loaded.value(), *config.labels, stop);
        if (!joined) {
            return joined.error();
        }
        loadWarnings.insert(loadWarnings.end(), joined.warnings.begin(), joined.warnings.end());
    }
    auto log = std::make_shared<const LoadedLog>(std::move(loaded.value()));

    auto analyzed = analyzeLog(std::move(log), analysisOptionsFrom(config), stop, analyzeProgress);
    if (!analyzed) {
        return analyzed.error();
    }
    auto& result = analyzed.value();
    result->warnings.insert(result->warnings.begin(), loadWarnings.begin(), loadWarnings.end());
    return std::shared_ptr<const AnalysisResult>(std::move(result));
}

} // namespace vigil
