#pragma once
// analyze() for a table that only grows: rows appended since the last update are
// sorted into their windows, and only the windows that received rows are computed
// again (out-of-order rows may touch earlier windows); the others are reused. The
// snapshot equals analyze() on the whole table, number for number. Anything that
// changes every window (the automatic window size, the resolved prediction kind,
// the columns present) makes the next update a full one.
#include "engine/analysis.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <vector>

namespace vigil {

class IncrementalAnalyzer
{
  public:
    explicit IncrementalAnalyzer(AnalysisOptions options);
    ~IncrementalAnalyzer();
    IncrementalAnalyzer(const IncrementalAnalyzer&) = delete;
    IncrementalAnalyzer& operator=(const IncrementalAnalyzer&) = delete;

    // `table` holds the rows of the previous update unchanged, plus new ones at the
    // end. Drift is not computed here (it compares every window with a reference).
    Result<AnalysisSnapshot> update(const LogTable& table, const InferredSchema& schema,
                                    std::stop_token stop = {});

    // The labels of rows an earlier update saw were changed in place (late labels
    // joined): the next update computes their windows again. Rows the analyzer has
    // not seen yet are left to that update. Returns the windows newly marked.
    std::size_t invalidateRows(const LogTable& table, std::span<const std::uint32_t> rows);

    std::size_t lastRecomputedWindows() const { return m_lastRecomputed; }
    std::size_t lastFullUpdates() const { return m_fullUpdates; }
    const AnalysisOptions& options() const { return m_options; }

  private:
    struct State;
    void reset();

    AnalysisOptions m_options;
    std::unique_ptr<State> m_state;
    std::size_t m_lastRecomputed = 0;
    std::size_t m_fullUpdates = 0;
};

} // namespace vigil
