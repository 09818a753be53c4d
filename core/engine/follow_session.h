#pragma once
// Live following end to end, shared by `vigil report --follow` and the GUI: a
// LiveLog that tails the files, and an IncrementalAnalyzer that recomputes only
// the windows new rows fell into. The caller decides how often to poll and to
// publish; results are immutable snapshots like runPipeline's.
#include "engine/follow_info.h"
#include "engine/follow_labels.h"
#include "engine/incremental_analysis.h"
#include "engine/log_snapshots.h"
#include "engine/pipeline.h"
#include "ingest/live_log.h"

#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace vigil {

class FollowSession
{
  public:
    FollowSession(std::vector<std::string> paths, LoadOptions load, AnalysisOptions options,
                  ingest::TailOptions tail = {});

    // Also tails label files (source.path, or `paths` when given) and joins their
    // records to the predictions in either order; the windows of rows whose label
    // changed are recomputed by the next analyze(). Call before the first poll().
    void followLabels(LabelSourceConfig source, std::vector<std::string> paths = {});
    bool followsLabels() const { return m_labels != nullptr; }

    // Reads what is new; returns the rows appended. `final`: drain everything and
    // report partial last lines.
    Result<std::size_t> poll(bool final = false, std::stop_token stop = {});
    bool ready() const { return m_live.ready(); }
    std::size_t rows() const { return m_live.log().table.rows(); }
    // Lines read from the log and the label files: grows whenever something new was read.
    std::uint64_t linesRead() const;

    // Everything read so far, analysed; the result holds an immutable copy of the log
    // (recycled copies brought up to date with the new rows: LogSnapshots), so it stays
    // valid (and unchanged) while following goes on.
    Result<std::shared_ptr<const AnalysisResult>> analyze(std::stop_token stop = {});

    FollowInfo info() const;
    // Rows already read were changed in place (not appended): the next result's log is
    // copied in full instead of recycled (LogSnapshots).
    void rowsChangedInPlace() { m_snapshots.invalidate(); }
    const ingest::LiveLog& live() const { return m_live; }

  private:
    ingest::LiveLog m_live;
    IncrementalAnalyzer m_analyzer;
    LogSnapshots m_snapshots;
    AnalysisOptions m_options;
    ingest::TailOptions m_tail;
    std::unique_ptr<FollowLabels> m_labels;
    std::uint64_t m_labelChangedRows = 0;   // since the last analyze()
    std::uint64_t m_labelWindowsMarked = 0; // since the last analyze()
    bool m_final = false;
};

LoadOptions loadOptionsFrom(const VigilConfig& config);

} // namespace vigil
