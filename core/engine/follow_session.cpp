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
    : m_live(std::move(paths), std::move(load), tail), m_analyzer(options), m_options(std::move(options))
{
}

Result<std::size_t> FollowSession::poll(bool final, std::stop_token stop)
{
    m_final = m_final || final;
    return m_live.poll(final, std::move(stop));
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
    return info;
}

Result<std::shared_ptr<const AnalysisResult>> FollowSession::analyze(std::stop_token stop)
{
    if (!m_live.ready())
        return Error{"no whole line has been written to the log yet"};
    const auto start = std::chrono::steady_clock::now();
    try {
        std::shared_ptr<const LoadedLog> log = m_snapshots.publish(m_live.log());
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
        result->warnings.insert(result->warnings.end(), snapshot.warnings.begin(), snapshot.warnings.end());
        result->follow = info();
        result->follow->recomputedWindows = m_analyzer.lastRecomputedWindows();
        result->follow->publishSeconds = std::chrono::duration<double>(published - start).count();
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
