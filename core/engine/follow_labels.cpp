#include "engine/follow_labels.h"

#include "ingest/labels.h"

namespace vigil {

std::string labelSourceName(const std::vector<std::string>& paths)
{
    std::string name;
    for (const std::string& p : paths)
        name += (name.empty() ? "" : ", ") + p;
    return name;
}

FollowLabels::FollowLabels(LabelSourceConfig source, std::vector<std::string> paths, ingest::TailOptions tail)
    : m_source(std::move(source)), m_paths(std::move(paths)), m_tail(tail)
{
    if (m_paths.empty())
        m_paths.push_back(m_source.path);
}

std::vector<std::uint32_t> FollowLabels::addPredictions(LogTable& predictions, std::size_t firstRow)
{
    return m_join.addPredictions(predictions, firstRow);
}

Result<std::vector<std::uint32_t>> FollowLabels::poll(LogTable& predictions, const FieldMapping& logMapping,
                                                      bool final, std::stop_token stop)
{
    if (!m_live)
        m_live = std::make_unique<ingest::LiveLog>(m_paths, labelLoadOptions(m_source, logMapping), m_tail);
    auto polled = m_live->poll(final, std::move(stop));
    if (!polled)
        return Error{"label source: " + polled.error().message};
    if (!m_live->ready())
        return std::vector<std::uint32_t>{};
    if (!m_checked) {
        if (auto missing = missingLabelField(m_live->log().schema, labelSourceName(m_paths)))
            return *missing;
        m_checked = true;
    }
    if (m_live->log().table.rows() == 0)
        return std::vector<std::uint32_t>{};
    auto changed = m_join.addLabels(predictions, m_live->log().table);
    // Joined records live on in the join (one entry per request id); the rows are not
    // needed again.
    m_live->discardRows();
    return changed;
}

LabelSummary FollowLabels::summary(const LogTable& predictions) const
{
    LabelSummary s = m_join.summary(predictions);
    s.source = labelSourceName(m_paths);
    if (m_live) {
        const LoadedLog& log = m_live->log();
        s.lines = log.lines;
        s.malformed = log.malformed;
        s.problems = log.problems;
    }
    return s;
}

std::vector<std::string> FollowLabels::warnings() const
{
    std::vector<std::string> out;
    if (m_live) {
        for (const std::string& w : m_live->warnings())
            out.push_back("label source: " + w);
    }
    if (const std::uint64_t n = pending(); n > 0)
        out.push_back(std::to_string(n) + " labels matched no prediction (request ids not in the log)");
    return out;
}

std::uint64_t FollowLabels::lines() const
{
    return m_live ? m_live->log().lines : 0;
}

ingest::TailCounters FollowLabels::counters() const
{
    return m_live ? m_live->counters() : ingest::TailCounters{};
}

bool FollowLabels::partialLinePending() const
{
    return m_live && m_live->partialLinePending();
}

} // namespace vigil
