#include "engine/drift_rolling.h"

#include "engine/drift_analysis.h"

#include <algorithm>

namespace vigil {

Result<DriftSnapshot> computeRollingDrift(const LogTable& table, const AnalysisSnapshot& snapshot,
                                          const DriftOptions& options, std::stop_token stop)
{
    DriftSnapshot out;
    const auto& windows = snapshot.windows;
    if (windows.empty())
        return out;
    const std::size_t n = options.rollingWindows;
    out.reference.source = "rolling";
    out.reference.rollingWindows = n;
    out.reference.startMs = windows.front().startMs;
    out.reference.endMs = windows.back().startMs;
    out.windows.resize(windows.size());
    out.windows[0].startMs = windows[0].startMs;
    std::vector<std::string> warnings;

    // Each window is scored by an ordinary range-reference pass over a snapshot that holds
    // only its predecessors (the reference windows, for the bands) and itself.
    DriftOptions one = options;
    one.rollingWindows = 0;
    one.referenceTable = nullptr;
    one.conceptDrift = false;
    AnalysisSnapshot part;
    part.windowMs = snapshot.windowMs;
    part.predictionKind = snapshot.predictionKind;
    part.threshold = snapshot.threshold;
    for (std::size_t w = 1; w < windows.size(); ++w) {
        if (stop.stop_requested())
            return Error{"cancelled"};
        const std::size_t first = w > n ? w - n : 0;
        part.windows.assign(windows.begin() + static_cast<std::ptrdiff_t>(first),
                            windows.begin() + static_cast<std::ptrdiff_t>(w) + 1);
        one.referenceStartMs = windows[first].startMs;
        one.referenceEndMs = windows[w - 1].endMs;
        auto drift = computeDrift(table, part, one, stop);
        if (!drift)
            return drift.error();
        out.windows[w] = std::move(drift.value().windows.back());
        out.sampled = out.sampled || drift.value().sampled;
        out.reference.rows = drift.value().reference.rows;
        if (warnings.empty())
            warnings = drift.warnings;
    }
    // The first window keeps the feature names with every statistic null.
    if (windows.size() > 1)
        for (const FeatureDrift& f : out.windows[1].features) {
            FeatureDrift blank;
            blank.name = f.name;
            blank.categorical = f.categorical;
            out.windows[0].features.push_back(std::move(blank));
        }
    if (options.conceptDrift)
        out.conceptDrift = computeConceptDrift(table, snapshot);
    Result<DriftSnapshot> result(std::move(out));
    result.warnings = std::move(warnings);
    return result;
}

} // namespace vigil
