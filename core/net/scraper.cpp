#include "net/scraper.h"

#include <atomic>
#include <condition_variable>
#include <latch>
#include <utility>

namespace vigil {
namespace {

std::int64_t wallClockMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string seriesKey(std::string_view name, std::span<const Label> labels)
{
    std::string key(name);
    key += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i)
            key += ',';
        key.append(labels[i].name).append("=\"").append(labels[i].value).append("\"");
    }
    key += '}';
    return key;
}

struct RoundResult
{
    std::int64_t startMs = 0;
    std::optional<HttpResponse> response;
    std::string error;
};

void apply(EndpointState& ep, RoundResult& r)
{
    ++ep.scrapes;
    ep.lastScrapeMs = r.startMs;
    auto failed = [&](std::string message) {
        ep.up = false;
        ep.lastError = std::move(message);
        ++ep.failures;
        ++ep.consecutiveFailures;
    };
    if (!r.response)
        return failed(r.error);
    ep.lastDurationSeconds = r.response->durationSeconds;
    auto parsed =
        parseExposition(r.response->body, formatFromContentType(r.response->contentType), r.startMs);
    if (!parsed)
        return failed(describeParseError(parsed.error().message));
    const ParsedScrape& scrape = parsed.value();
    for (const Sample& s : scrape.samples) {
        const auto labels = scrape.labelsOf(s);
        auto [it, fresh] = ep.series.try_emplace(seriesKey(s.name, labels));
        ScrapedSeries& series = it->second;
        if (fresh) {
            series.name = std::string(s.name);
            for (const Label& l : labels)
                series.labels.emplace_back(std::string(l.name), std::string(l.value));
            const MetricFamily& fam = scrape.families[s.family];
            series.family = std::string(fam.name);
            series.type = fam.type;
            series.kind = s.kind;
            series.bound = s.bound;
        }
        series.points.append({s.timestampMs, s.value});
    }
    ep.up = true;
    ep.lastError.clear();
    ep.consecutiveFailures = 0;
    ep.lastWarnings = parsed.warnings;
    ep.goodScrapesMs.push_back(r.startMs);
}

// Brings `dst`, a snapshot of an earlier round, up to `src` without reallocating what
// did not change: a series under the same key has the same name, labels and type for
// ever, and its points only grow, so only the points appended since are copied. A
// changed series set falls back to a full copy.
void refreshEndpoint(EndpointState& dst, const EndpointState& src)
{
    dst.url = src.url;
    dst.up = src.up;
    dst.lastError = src.lastError;
    dst.lastDurationSeconds = src.lastDurationSeconds;
    dst.consecutiveFailures = src.consecutiveFailures;
    dst.scrapes = src.scrapes;
    dst.failures = src.failures;
    dst.lastScrapeMs = src.lastScrapeMs;
    dst.lastWarnings = src.lastWarnings;
    dst.goodScrapesMs = src.goodScrapesMs;
    if (dst.series.size() == src.series.size()) {
        auto d = dst.series.begin();
        auto s = src.series.begin();
        for (; s != src.series.end() && d->first == s->first; ++s, ++d)
            d->second.points.catchUpWith(s->second.points);
        if (s == src.series.end())
            return;
    }
    dst.series = src.series;
}

void refresh(ScrapeSnapshot& dst, const ScrapeSnapshot& src)
{
    if (dst.endpoints.size() != src.endpoints.size()) {
        dst = src;
        return;
    }
    for (std::size_t i = 0; i < src.endpoints.size(); ++i)
        refreshEndpoint(dst.endpoints[i], src.endpoints[i]);
}

} // namespace

std::string describeParseError(const std::string& parserMessage)
{
    // "<format> parse error, line N: reason" -> "line N: reason"
    const std::size_t at = parserMessage.find("line ");
    return "not a metrics exposition: " +
           (at == std::string::npos ? parserMessage : parserMessage.substr(at));
}

Scraper::Scraper(std::vector<ScrapeTarget> targets) : m_targets(std::move(targets))
{
    for (auto& t : m_targets) {
        if (t.options.accept.empty())
            t.options.accept = std::string(kPrometheusAcceptHeader);
        m_state.endpoints.push_back({});
        m_state.endpoints.back().url = t.url;
    }
    m_snapshot = std::make_shared<ScrapeSnapshot>(m_state);
}

Scraper::~Scraper() = default;

void Scraper::scrapeOnce()
{
    std::vector<RoundResult> results(m_targets.size());
    std::latch done(static_cast<std::ptrdiff_t>(m_targets.size()));
    for (std::size_t i = 0; i < m_targets.size(); ++i) {
        results[i].startMs = wallClockMs();
        // Each callback writes only its own slot; the latch publishes them to this thread.
        m_client.get(m_targets[i].url, m_targets[i].options, [&results, &done, i](Result<HttpResponse> r) {
            if (r.ok())
                results[i].response = std::move(r.value());
            else
                results[i].error = r.error().message;
            done.count_down();
        });
    }
    done.wait();

    if (m_publishEachRound) {
        // snapshot() never reads m_state in this mode (nothing is stale), so the round
        // is applied and copied outside the lock and readers wait for a pointer swap only.
        for (std::size_t i = 0; i < results.size(); ++i)
            apply(m_state.endpoints[i], results[i]);
        std::shared_ptr<ScrapeSnapshot> next;
        // Only m_spare holds it: no reader can reach it again (snapshot() hands out the
        // current one only), and the fence orders their last reads before our writes.
        if (m_spare && m_spare.use_count() == 1) {
            std::atomic_thread_fence(std::memory_order_acquire);
            refresh(*m_spare, m_state);
            next = std::move(m_spare);
        } else {
            next = std::make_shared<ScrapeSnapshot>(m_state);
        }
        std::shared_ptr<const ScrapeSnapshot> previous;
        {
            std::lock_guard lock(m_mutex);
            previous = std::exchange(m_snapshot, std::move(next));
        }
        // Every published snapshot was made non-const (make_shared<ScrapeSnapshot>).
        m_spare = std::const_pointer_cast<ScrapeSnapshot>(std::move(previous));
        return;
    }
    std::lock_guard lock(m_mutex);
    for (std::size_t i = 0; i < results.size(); ++i)
        apply(m_state.endpoints[i], results[i]);
    m_stale = true;
}

void Scraper::run(std::stop_token stop, std::chrono::milliseconds interval,
                  std::chrono::milliseconds duration,
                  const std::function<void(const ScrapeSnapshot&)>& afterRound)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    std::mutex waitMutex;
    std::condition_variable_any wake;
    for (auto next = start;;) {
        scrapeOnce();
        if (afterRound)
            afterRound(*snapshot());
        next += interval;
        if (next - start >= duration || stop.stop_requested())
            return;
        std::unique_lock lock(waitMutex);
        if (wake.wait_until(lock, stop, next, [] { return false; }) || stop.stop_requested())
            return;
    }
}

std::shared_ptr<const ScrapeSnapshot> Scraper::snapshot() const
{
    std::lock_guard lock(m_mutex);
    if (m_stale) {
        m_snapshot = std::make_shared<ScrapeSnapshot>(m_state);
        m_stale = false;
    }
    return m_snapshot;
}

} // namespace vigil
