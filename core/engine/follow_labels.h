#pragma once
// Late labels while following: the label files are tailed like the log (LiveLog, so
// rotation, partial lines and malformed lines behave alike) and each new record is
// joined to the predictions read so far, or held until its prediction arrives
// (LabelJoin, either order). The caller recomputes the windows of the rows whose
// label changed. Held labels cost ~40 bytes plus their id each; they are counted
// (pending) and reported, and a label still held at the end is unmatched.
#include "config/config.h"
#include "engine/label_join.h"
#include "ingest/label_summary.h"
#include "ingest/live_log.h"

#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace vigil {

class FollowLabels
{
  public:
    // `paths` empty: source.path alone.
    FollowLabels(LabelSourceConfig source, std::vector<std::string> paths, ingest::TailOptions tail = {});

    // Prediction rows [firstRow, rows()) are new: they get the labels held for them.
    // Returns the rows whose label changed.
    std::vector<std::uint32_t> addPredictions(LogTable& predictions, std::size_t firstRow);

    // Reads what is new in the label files and joins it into predictions.label.
    // `logMapping`: the log's (label values follow its prediction kind and positive
    // class). Returns the prediction rows whose label changed, ascending.
    Result<std::vector<std::uint32_t>> poll(LogTable& predictions, const FieldMapping& logMapping,
                                            bool final = false, std::stop_token stop = {});

    // The report's labels section: the join's counts, the delay quantiles, and the
    // label files' lines, malformed lines and problems.
    LabelSummary summary(const LogTable& predictions) const;
    std::vector<std::string> warnings() const;

    const std::vector<std::string>& paths() const { return m_paths; }
    std::uint64_t lines() const;
    std::uint64_t pending() const { return m_join.counts().unmatchedLabels; }
    std::size_t memoryBytes() const { return m_join.memoryBytes(); }
    ingest::TailCounters counters() const;
    bool partialLinePending() const;

  private:
    LabelSourceConfig m_source;
    std::vector<std::string> m_paths;
    ingest::TailOptions m_tail;
    std::unique_ptr<ingest::LiveLog> m_live; // made once the log's mapping is known
    bool m_checked = false;
    LabelJoin m_join;
};

// The label files joined with ", " (the report's labels.source).
std::string labelSourceName(const std::vector<std::string>& paths);

} // namespace vigil
