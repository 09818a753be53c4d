#include "engine/concept_drift_stream.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil {

namespace {
constexpr std::size_t kNone = static_cast<std::size_t>(-1);
}

ConceptDriftStream::ConceptDriftStream(PredictionKind kind, double threshold, std::int64_t windowMs)
    : m_regression(kind == PredictionKind::Regression), m_score(kind == PredictionKind::Score),
      m_threshold(threshold), m_gap(windowMs > 0 ? windowMs : std::numeric_limits<std::int64_t>::max()),
      m_stream(m_regression ? "absolute_error" : "misclassification")
{
    m_detectors.push_back(&m_adwin);
    if (!m_regression)
        m_detectors.push_back(&m_ddm);
    m_open.assign(m_detectors.size(), kNone);
}

// The same arithmetic and merging of detections as drift_analysis.cpp's conceptDrift.
void ConceptDriftStream::add(const LogTable& table)
{
    if (table.label.valid.size() != table.rows() || table.prediction.valid.size() != table.rows())
        return;
    std::vector<std::uint32_t> order;
    for (std::size_t i = 0; i < table.rows(); ++i)
        if (table.label.valid[i] && table.prediction.valid[i])
            order.push_back(static_cast<std::uint32_t>(i));
    const auto earlier = [&](std::uint32_t a, std::uint32_t b) { return table.tsMs[a] < table.tsMs[b]; };
    if (!std::is_sorted(order.begin(), order.end(), earlier))
        std::stable_sort(order.begin(), order.end(), earlier);
    for (const std::uint32_t r : order) {
        const double p = table.prediction.values[r];
        const double y = table.label.values[r];
        double err = std::numeric_limits<double>::quiet_NaN();
        if (std::isfinite(p) && std::isfinite(y)) {
            if (m_regression)
                err = std::abs(p - y);
            else
                err = ((m_score ? (p >= m_threshold) : (p >= 0.5)) != (y >= 0.5)) ? 1.0 : 0.0;
        }
        for (std::size_t d = 0; d < m_detectors.size(); ++d) {
            if (!m_detectors[d]->update(err).drift)
                continue;
            const std::int64_t ts = table.tsMs[r];
            if (m_open[d] != kNone && ts - m_events[m_open[d]].lastTsMs <= m_gap) {
                ++m_events[m_open[d]].count;
                m_events[m_open[d]].lastTsMs = ts;
                continue;
            }
            m_open[d] = m_events.size();
            m_events.push_back({std::string(m_detectors[d]->name()), ts, m_stream, 1, ts});
        }
    }
}

std::vector<ConceptDriftEvent> ConceptDriftStream::finish() const
{
    std::vector<ConceptDriftEvent> events = m_events;
    std::stable_sort(events.begin(), events.end(),
                     [](const ConceptDriftEvent& a, const ConceptDriftEvent& b) { return a.tsMs < b.tsMs; });
    return events;
}

} // namespace vigil
