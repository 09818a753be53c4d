#include "engine/drift_stage.h"

#include "engine/drift_analysis.h"

#include <chrono>
#include <exception>

namespace vigil {

Result<std::shared_ptr<const AnalysisResult>> withDrift(std::shared_ptr<const AnalysisResult> result,
                                                        DriftOptions options, std::stop_token stop)
{
    if (!result || !result->log)
        return Error{"no log loaded"};
    if (result->snapshot.drift)
        return result;
    const auto start = std::chrono::steady_clock::now();
    options.enabled = true;
    try {
        auto drift = computeDrift(result->log->table, result->snapshot, options, stop);
        if (!drift)
            return drift.error();
        auto out = std::make_shared<AnalysisResult>(*result);
        out->snapshot.drift = std::move(drift.value());
        out->options.drift = std::move(options);
        out->analyzeSeconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::shared_ptr<const AnalysisResult>(std::move(out));
    } catch (const std::exception& e) {
        return Error{std::string("drift failed: ") + e.what()};
    }
}

} // namespace vigil
