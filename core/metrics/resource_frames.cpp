#include "metrics/resource_frames.h"

#include "net/scraper.h"
#include "resources/sampler.h"

#include <algorithm>

namespace vigil {

namespace {

bool endsWith(const std::string& s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool hasLabel(const PromLabelSet& labels, std::string_view name)
{
    return std::any_of(labels.begin(), labels.end(), [&](const auto& l) { return l.first == name; });
}

FrameKind kindOf(const ScrapedSeries& s)
{
    switch (s.kind) {
    case SampleKind::Bucket:
        return FrameKind::Bucket;
    case SampleKind::Total:
    case SampleKind::Sum:
    case SampleKind::Count:
        return FrameKind::Counter;
    case SampleKind::Value:
        if (s.type == MetricType::Counter)
            return FrameKind::Counter;
        if (s.type == MetricType::Untyped)
            return kindFromName(s.name, s.labels);
        return FrameKind::Gauge;
    default:
        return FrameKind::Gauge;
    }
}

} // namespace

std::string seriesKey(const FrameSeries& series)
{
    std::string key = series.name;
    key += '{';
    bool first = true;
    for (const auto& [k, v] : series.labels) {
        if (!first)
            key += ',';
        first = false;
        key += k;
        key += "=\"";
        key += v;
        key += '"';
    }
    key += '}';
    if (!series.instance.empty()) {
        key += " @";
        key += series.instance;
    }
    return key;
}

FrameKind kindFromName(const std::string& name, const PromLabelSet& labels)
{
    if (endsWith(name, "_bucket") && hasLabel(labels, "le"))
        return FrameKind::Bucket;
    if (endsWith(name, "_total") || endsWith(name, "_count") || endsWith(name, "_sum"))
        return FrameKind::Counter;
    return FrameKind::Gauge;
}

std::string instanceFromUrl(const std::string& url)
{
    std::string_view rest = url;
    if (const auto scheme = rest.find("://"); scheme != std::string_view::npos)
        rest.remove_prefix(scheme + 3);
    if (const auto at = rest.find('@'); at != std::string_view::npos && at < rest.find('/'))
        rest.remove_prefix(at + 1); // user:password@ never becomes a label
    return std::string(rest.substr(0, rest.find('/')));
}

ResourceFrames framesFromScrape(const ScrapeSnapshot& snapshot)
{
    ResourceFrames out;
    for (const EndpointState& ep : snapshot.endpoints) {
        out.endpoints.push_back({ep.url, ep.up, ep.lastError, ep.lastDurationSeconds, ep.scrapes, ep.failures,
                                 ep.consecutiveFailures, ep.lastScrapeMs});
        const std::string instance = instanceFromUrl(ep.url);
        for (const auto& [key, s] : ep.series) {
            if (s.kind == SampleKind::Created || s.kind == SampleKind::Info)
                continue; // timestamps and constant 1s, not something to chart
            FrameSeries f;
            f.name = s.name;
            f.instance = instance;
            for (const auto& label : s.labels)
                if (label.first != "instance")
                    f.labels.push_back(label);
            f.kind = kindOf(s);
            f.points = s.points.toVector();
            out.series.push_back(std::move(f));
        }
    }
    return out;
}

ResourceFrames framesFromQuery(const QueryResponse& response, const std::string& fallbackName)
{
    ResourceFrames out;
    out.series.reserve(response.series.size());
    for (const QuerySeries& q : response.series) {
        FrameSeries f;
        f.name = fallbackName;
        for (const auto& [k, v] : q.metric) {
            if (k == "__name__")
                f.name = v;
            else if (k == "instance")
                f.instance = v;
            else
                f.labels.emplace_back(k, v);
        }
        // A query that already applied rate() has dropped __name__: its values are gauges.
        f.kind = f.name == fallbackName ? FrameKind::Gauge : kindFromName(f.name, f.labels);
        f.points = q.values;
        out.series.push_back(std::move(f));
    }
    for (const auto& w : response.warnings)
        out.notes.push_back("query warning: " + w);
    return out;
}

void appendFrames(ResourceFrames& into, ResourceFrames from)
{
    into.series.insert(into.series.end(), std::make_move_iterator(from.series.begin()),
                       std::make_move_iterator(from.series.end()));
    into.endpoints.insert(into.endpoints.end(), from.endpoints.begin(), from.endpoints.end());
    into.notes.insert(into.notes.end(), from.notes.begin(), from.notes.end());
}

void LocalHistory::add(const ResourceSnapshot& snapshot)
{
    ++m_samples;
    m_gpuStatus = snapshot.gpuStatus;
    for (const ResourceSample& s : snapshot.samples) {
        FrameSeries probe;
        probe.name = s.name;
        probe.labels = s.labels;
        probe.instance = "local";
        const std::string key = seriesKey(probe);
        auto [it, inserted] = m_series.try_emplace(key);
        FrameSeries& f = it->second;
        if (inserted) {
            probe.kind = kindFromName(s.name, s.labels);
            f = std::move(probe);
        }
        f.points.push_back({snapshot.timestampMs, s.value});
        // Drop a tenth at once so trimming stays amortised O(1) per sample.
        if (f.points.size() > m_maxPoints)
            f.points.erase(f.points.begin(),
                           f.points.begin() +
                               static_cast<std::ptrdiff_t>(std::max<std::size_t>(1, m_maxPoints / 10)));
    }
}

ResourceFrames LocalHistory::frames() const
{
    ResourceFrames out;
    out.series.reserve(m_series.size());
    for (const auto& [key, f] : m_series)
        out.series.push_back(f);
    if (!m_gpuStatus.empty())
        out.notes.push_back("local GPUs: " + m_gpuStatus);
    return out;
}

} // namespace vigil
