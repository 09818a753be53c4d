#pragma once
// ADWIN (and DDM for classification) over the per-prediction error stream, fed in pieces:
// the batched report (docs/MEMORY.md) hands it one batch of consecutive windows at a time,
// and the detectors' state carries over, so the events equal computeConceptDrift's over the
// whole log (same rows, same order: labelled rows stably sorted by timestamp).
#include "drift/adwin.h"
#include "drift/error_rate_detectors.h"
#include "engine/analysis.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vigil {

class ConceptDriftStream
{
  public:
    ConceptDriftStream(PredictionKind kind, double threshold, std::int64_t windowMs);

    // The rows of `table` (a batch whose timestamps all come after the previous batch's).
    void add(const LogTable& table);
    // The events, ordered by timestamp.
    std::vector<ConceptDriftEvent> finish() const;

  private:
    bool m_regression = false;
    bool m_score = false;
    double m_threshold = 0.5;
    std::int64_t m_gap = 0;
    std::string m_stream;
    Adwin m_adwin;
    Ddm m_ddm;
    std::vector<StreamDetector*> m_detectors;
    std::vector<std::size_t> m_open; // index of each detector's last event
    std::vector<ConceptDriftEvent> m_events;
};

} // namespace vigil
