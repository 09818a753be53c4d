#pragma once
// The neutral series model every resource source is converted into ("resource frames"):
// a scrape's endpoints, the local sampler's readings and a Prometheus query_range matrix
// all become named, labelled, per-instance point lists, so presets and the metric
// browser treat them alike.
#include "prom/query_api.h"
#include "prom/rate.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vigil {

struct ScrapeSnapshot;
struct ResourceSnapshot;

enum class FrameKind
{
    Gauge,
    Counter, // monotonic: charted as a per-second rate
    Bucket,  // a classic histogram's cumulative bucket ("le" among the labels)
};

struct FrameSeries
{
    std::string name;
    PromLabelSet labels;  // sorted by name; no "instance" (it has its own field)
    std::string instance; // "host:port" of a scraped endpoint, "local", or the query's instance label
    FrameKind kind = FrameKind::Gauge;
    std::vector<PromPoint> points; // ascending time
};

struct EndpointHealth
{
    std::string url;
    bool up = false;
    std::string lastError;
    double lastDurationSeconds = 0.0;
    int scrapes = 0;
    int failures = 0;
    int consecutiveFailures = 0;
    std::int64_t lastScrapeMs = 0;
};

struct ResourceFrames
{
    std::vector<FrameSeries> series;
    std::vector<EndpointHealth> endpoints; // scraped endpoints only
    std::vector<std::string> notes;        // e.g. the local sampler's GPU status
};

// "name{a="1",b="2"} @instance": unique within one ResourceFrames.
std::string seriesKey(const FrameSeries& series);
// "_total", "_count", "_sum" names are counters, "_bucket" with "le" a bucket, the rest gauges.
FrameKind kindFromName(const std::string& name, const PromLabelSet& labels);
// "http://10.0.0.5:9100/metrics" -> "10.0.0.5:9100".
std::string instanceFromUrl(const std::string& url);

ResourceFrames framesFromScrape(const ScrapeSnapshot& snapshot);
// A matrix (or vector) result; "__name__" becomes the name (or `fallbackName` when the
// query dropped it, e.g. rate(x[5m])), "instance" the instance.
ResourceFrames framesFromQuery(const QueryResponse& response, const std::string& fallbackName);
void appendFrames(ResourceFrames& into, ResourceFrames from);

// The local sampler's readings over time. Keeps at most maxPoints per series (oldest
// dropped) so a desktop left open for days stays bounded.
class LocalHistory
{
  public:
    explicit LocalHistory(std::size_t maxPoints = 20'000) : m_maxPoints(maxPoints) {}
    void add(const ResourceSnapshot& snapshot);
    ResourceFrames frames() const;
    std::size_t samples() const { return m_samples; }

  private:
    std::size_t m_maxPoints;
    std::size_t m_samples = 0;
    std::string m_gpuStatus;
    std::map<std::string, FrameSeries> m_series;
};

} // namespace vigil
