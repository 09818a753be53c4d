#include "engine/drift_cbpe.h"

#include <cmath>

namespace vigil {

std::optional<IsotonicCalibrator> cbpeCalibrator(const LogTable& refTable,
                                                 std::span<const std::uint32_t> refRows)
{
    std::vector<double> scores;
    std::vector<double> labels;
    for (const std::uint32_t r : refRows) {
        if (!refTable.prediction.valid[r] || !refTable.label.valid[r])
            continue;
        const double s = refTable.prediction.values[r];
        const double y = refTable.label.values[r];
        if (!std::isfinite(s) || (y != 0.0 && y != 1.0))
            continue;
        scores.push_back(s);
        labels.push_back(y);
    }
    if (scores.empty())
        return std::nullopt;
    return fitCbpeCalibrator(scores, labels);
}

void estimatePerformance(const LogTable& table, const AnalysisSnapshot& snapshot, const WindowRows& rows,
                         const IsotonicCalibrator& calibrator, std::vector<WindowDrift>& windows)
{
    if (snapshot.predictionKind != PredictionKind::Score)
        return;
    std::vector<double> scores;
    std::vector<double> calibrated;
    for (std::size_t w = 0; w < rows.windows() && w < windows.size(); ++w) {
        scores.clear();
        for (const std::uint32_t r : rows.rowsOf(w)) {
            if (!table.prediction.valid[r] || !std::isfinite(table.prediction.values[r]))
                continue;
            scores.push_back(table.prediction.values[r]);
        }
        // The ROC estimate needs the scores sorted anyway; calibrating them in that order
        // makes each lookup a short search from the previous one.
        const std::vector<std::uint32_t> ascending = ascendingOrder(scores);
        calibrated.resize(scores.size());
        std::size_t cursor = 0;
        for (const std::uint32_t i : ascending)
            calibrated[i] = calibrator.at(scores[i], cursor);
        const CbpeEstimate e = estimateWindowOrdered(scores, calibrated, ascending, snapshot.threshold);
        windows[w].estimated = {e.accuracy, e.f1, e.rocAuc};
    }
}

} // namespace vigil
