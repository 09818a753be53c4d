#pragma once
// Scrapes N metrics endpoints every interval through one HttpClient, parses each body
// with parseExposition and keeps, per endpoint, its health and every series' samples.
// Readers get immutable snapshots; the scraper publishes a new one after each round.
#include "net/http_client.h"
#include "net/point_history.h"
#include "prom/exposition.h"
#include "prom/rate.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

namespace vigil {

struct ScrapeTarget
{
    std::string url;
    HttpRequestOptions options; // an empty accept is replaced by kPrometheusAcceptHeader
};

struct ScrapedSeries
{
    std::string name;
    std::vector<std::pair<std::string, std::string>> labels; // sorted by name, "le" included
    std::string family;
    MetricType type = MetricType::Untyped;
    SampleKind kind = SampleKind::Value;
    double bound = 0.0;  // numeric "le" / "quantile" when kind is Bucket / Quantile
    PointHistory points; // one per successful scrape that had the series
};

struct EndpointState
{
    std::string url;
    bool up = false;       // the last scrape succeeded
    std::string lastError; // one line, no URL, secrets redacted; empty when up
    double lastDurationSeconds = 0.0;
    int consecutiveFailures = 0;
    int scrapes = 0;
    int failures = 0;
    std::int64_t lastScrapeMs = 0;
    std::vector<std::string> lastWarnings; // parser warnings of the last good scrape
    std::vector<std::int64_t> goodScrapesMs;
    std::map<std::string, ScrapedSeries> series; // key: name{label="value",...}
};

struct ScrapeSnapshot
{
    std::vector<EndpointState> endpoints; // in target order
};

class Scraper
{
  public:
    explicit Scraper(std::vector<ScrapeTarget> targets);
    ~Scraper();

    // One round: all endpoints in parallel; returns when every one answered or failed.
    void scrapeOnce();
    // Rounds every `interval` until `duration` has passed (at least one round) or stop
    // is requested; `afterRound` (may be empty) runs on the calling thread after each.
    void run(std::stop_token stop, std::chrono::milliseconds interval, std::chrono::milliseconds duration,
             const std::function<void(const ScrapeSnapshot&)>& afterRound = {});

    // The state after the last round, immutable. Cheap (a pointer copy) when rounds
    // publish (the default); otherwise the first call after a round copies the state.
    std::shared_ptr<const ScrapeSnapshot> snapshot() const;

    // Whether each round publishes a snapshot. Publishing is cheap while readers let go
    // of old snapshots (the one from two rounds back is then refreshed in place); held
    // ones force a full copy (hold a shared_ptr, not a weak_ptr, to keep one). Readers
    // that look only at the end, such as `vigil scrape`, turn it off. Set before the
    // first round.
    void setPublishEachRound(bool publish) { m_publishEachRound = publish; }

  private:
    std::vector<ScrapeTarget> m_targets;
    HttpClient m_client;
    bool m_publishEachRound = true;
    mutable std::mutex m_mutex;
    ScrapeSnapshot m_state; // written by rounds; under m_mutex unless rounds publish
    mutable std::shared_ptr<const ScrapeSnapshot> m_snapshot;
    mutable bool m_stale = false; // m_state has rounds m_snapshot lacks
    // The snapshot published before the current one; reused for the next round once no
    // reader holds it, so publishing copies points, not every series' names and labels.
    std::shared_ptr<ScrapeSnapshot> m_spare;
};

// "not a metrics exposition: line 1: ..." from a parseExposition error.
std::string describeParseError(const std::string& parserMessage);

} // namespace vigil
