#pragma once
// The two-window member of the drift decision (docs/DRIFT.md, "drifted"): a small window's
// values pooled with the previous window's, scored against the same reference. At 100 rows a
// window the tests lack power for a 0.5 sd shift; the pool of the onset window and the next
// has 200 rows and, for a step change, the same effect, so the change is still caught within
// one window of its onset. Scorers walk one feature's windows in order.
#include "drift/categorical_drift.h"
#include "engine/drift_analysis.h"
#include "engine/drift_types.h"

#include <cstdint>
#include <vector>

namespace vigil {

class NumericPairScorer
{
  public:
    // belowRows: windows with at least this many values get no pool (0: none does).
    explicit NumericPairScorer(std::size_t belowRows) : m_belowRows(belowRows) {}

    // Call once per window, in order, after scoreNumericWindow sorted `sorted` (the window's
    // non-NaN values; taken over as the next window's previous values, left empty). Sets
    // f.pairEffect / pairP / pairCount when the window is small and both windows have values.
    // Cost: one merge of the two sorted windows and one scoreNumericWindow on the pool.
    void next(const PreparedNumericReference& ref, std::vector<double>& sorted, std::size_t missing,
              FeatureDrift& f);

  private:
    std::size_t m_belowRows;
    std::vector<double> m_previous;
    std::size_t m_previousMissing = 0;
    std::vector<double> m_pooled;
};

class CategoricalPairScorer
{
  public:
    explicit CategoricalPairScorer(std::size_t belowRows) : m_belowRows(belowRows) {}

    // As NumericPairScorer::next for a window's category codes (negative = missing; taken
    // over, left empty) and its FeatureDrift.
    void next(const CategoricalReference& ref, std::vector<std::int32_t>& codes, FeatureDrift& f);

  private:
    std::size_t m_belowRows;
    std::vector<std::int32_t> m_previous;
    std::vector<std::int32_t> m_pooled;
};

} // namespace vigil
