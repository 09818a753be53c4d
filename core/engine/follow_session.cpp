#include "engine/follow_session.h"

#include "engine/drift_analysis.h"

#include <chrono>

namespace vigil {

LoadOptions loadOptionsFrom(const VigilConfig& config)
{
    LoadOptions options;
    if (config.format)
        options.format = *config.format;
    options.overrides = config.mapping;
    return options;
}

FollowSession::FollowSession(std::vector<std::string> paths, LoadOptions load, AnalysisOptions options,
                             ingest::TailOptions tail)
    : m_live(std::move(paths), std::move(load), tail), m_analyzer(options), m_options(std::move(options)),
      m_tail(tail)
{
}

void FollowSession::followLabels(LabelSourceConfig source, std::vector<std::string> paths)
{
    m_labels = std::make_unique<FollowLabels>(std::move(source), std::move(paths), m_tail);
}

std::uint64_t FollowSession::linesRead() const
{
    return m_live.log().lines + (m_labels ? m_labels->lines() : 0);
}

Result<std::size_t> FollowSession::poll(bool final, std::stop_token stop)
{
    m_final = m_final || final;
    const std::size_t before = m_live.log().table.rows();
    auto polled = m_live.poll(final, stop);
    if (!polled || !m_labels || !m_live.ready())
        return polled;
    try {
        // New predictions first, so that labels read in this poll find them; rows
        // they label are new rows, which the analyzer computes anyway.
        LogTable& table = m_live.tableForJoin();
        m_labels->addPredictions(table, before);
        auto changed = m_labels->poll(table, m_live.log().schema.mapping, final, std::move(stop));
        if (!changed)
            return changed.error();
        m_labelChangedRows += changed->size();
        m_labelWindowsMarked += m_analyzer.invalidateRows(table, changed.value());
        if (!changed->empty())
            m_snapshots.labelsChanged(); // the published copies hold the old labels

        return polled;
    } catch (const std::bad_alloc&) {
        return Error{"out of memory while joining labels"};
    } catch (const std::exception& e) {
        return Error{std::string("joining labels failed: ") + e.what()};
    }
}

FollowInfo FollowSession::info() const
{
    const ingest::TailCounters c = m_live.counters();
    FollowInfo info;
    info.lines = m_live.log().lines;
    info.renameRotations = c.renameRotations;
    info.truncateRotations = c.truncateRotations;
    info.unrecoveredTruncations = c.unrecoveredTruncations;
    info.partialLinePending = m_live.partialLinePending();
    info.final = m_final;
    info.lastTsMs = m_live.lastTsMs();
    if (m_labels) {
        const ingest::TailCounters lc = m_labels->counters();
        LabelFollowInfo& l = info.labels.emplace();
        l.lines = m_labels->lines();
        l.renameRotations = lc.renameRotations;
        l.truncateRotations = lc.truncateRotations;
        l.partialLinePending = m_labels->partialLinePending();
        l.pending = m_labels->pending();
        l.joinBytes = m_labels->memoryBytes();
        l.changedRows = m_labelChangedRows;
        l.recomputedWindows = m_labelWindowsMarked;
    }
    return info;
}

Result<std::shared_ptr<const AnalysisResult>> FollowSession::analyze(std::stop_token stop)
{
    if (!m_live.ready())
        return Error{"no whole line has been written to the log yet"};
    const auto start = std::chrono::steady_clock::now();
    try {
        std::shared_ptr<const LoadedLog> log = m_snapshots.publish(
            m_live.log(),
            m_labels ? std::make_shared<const LabelSummary>(m_labels->summary(m_live.log().table)) : nullptr);
        const auto published = std::chrono::steady_clock::now();
        auto snapshot = m_analyzer.update(log->table, log->schema, stop);
        if (!snapshot)
            return snapshot.error();
        if (m_options.drift.enabled && log->table.rows() > 0) {
            auto drift = computeDrift(log->table, snapshot.value(), m_options.drift, stop);
            if (!drift)
                return drift.error();
            snapshot.value().drift = std::move(drift.value());
        }
        auto result = std::make_shared<AnalysisResult>();
        result->log = std::move(log);
        result->snapshot = std::move(snapshot.value());
        result->options = m_options;
        result->warnings = m_live.warnings();
        if (m_labels) {
            const auto labelWarnings = m_labels->warnings();
            result->warnings.insert(result->warnings.end(), labelWarnings.begin(), labelWarnings.end());
        }
        result->warnings.insert(result->warnings.end(), snapshot.warnings.begin(), snapshot.warnings.end());
        result->follow = info();
        result->follow->recomputedWindows = m_analyzer.lastRecomputedWindows();
        result->follow->publishSeconds = std::chrono::duration<double>(published - start).count();
        m_labelChangedRows = 0;
        m_labelWindowsMarked = 0;
        result->analyzeSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::shared_ptr<const AnalysisResult>(std::move(result));
    } catch (const std::bad_alloc&) {
        return Error{"out of memory while analysing the followed log"};
    } catch (const std::exception& e) {
        return Error{std::string("analysis failed: ") + e.what()};
    }
}

} // namespace vigil
