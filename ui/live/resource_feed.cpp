#include "live/resource_feed.h"

#include "net/scraper.h"
#include "resources/sampler.h"

#include <QThread>
#include <QTimer>

#include <condition_variable>
#include <future>
#include <mutex>

namespace vigil {

// Everything the worker and the GUI share; the worker holds it by shared_ptr so a
// late wake-up never touches a destroyed QObject.
struct ResourceFeed::Shared
{
    std::mutex mutex;
    std::condition_variable_any wake;
    // GUI -> worker
    std::vector<ScrapeTarget> newTargets;
    std::chrono::milliseconds scrapeInterval{5000};
    std::chrono::milliseconds localInterval{1000};
    bool local = false;
    ResourceViewOptions options;
    bool optionsChanged = false;
    // worker -> GUI
    std::shared_ptr<const ResourceViewData> latest;
    std::string error;
    bool dirty = false;
    std::uint64_t published = 0;
};

ResourceFeed::ResourceFeed(QObject* parent) : QObject(parent), m_shared(std::make_shared<Shared>())
{
    m_drain = new QTimer(this);
    m_drain->setInterval(kDrainIntervalMs);
    connect(m_drain, &QTimer::timeout, this, &ResourceFeed::drain);
}

ResourceFeed::~ResourceFeed()
{
    stop();
}

void ResourceFeed::stop()
{
    m_stopped = true;
    m_drain->stop();
    if (m_worker.joinable()) {
        m_worker.request_stop();
        m_shared->wake.notify_all();
        m_worker.join();
    }
}

void ResourceFeed::addEndpoint(const QString& url, const HttpRequestOptions& options)
{
    if (m_urls.contains(url))
        return;
    m_urls << url;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->newTargets.push_back({url.toStdString(), options});
    }
    ensureRunning();
}

void ResourceFeed::setScrapeInterval(std::chrono::milliseconds interval)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->scrapeInterval = std::max(interval, std::chrono::milliseconds(100));
}

void ResourceFeed::setLocalInterval(std::chrono::milliseconds interval)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->localInterval = std::max(interval, std::chrono::milliseconds(100));
}

void ResourceFeed::setLocalSampling(bool on)
{
    if (m_local == on)
        return;
    m_local = on;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->local = on;
        m_shared->optionsChanged = true;
    }
    if (on)
        ensureRunning();
    m_shared->wake.notify_all();
}

void ResourceFeed::setChartWidth(int px)
{
    {
        std::lock_guard lock(m_shared->mutex);
        if (m_shared->options.widthPx == px)
            return;
        m_shared->options.widthPx = px;
        m_shared->optionsChanged = true;
    }
    m_shared->wake.notify_all();
}

void ResourceFeed::setBrowseKey(const QString& key)
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->options.browseKey = key.toStdString();
        m_shared->optionsChanged = true;
    }
    m_shared->wake.notify_all();
}

void ResourceFeed::setQuery(std::shared_ptr<const ResourceFrames> frames, const QString& text)
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->options.query = std::move(frames);
        m_shared->options.queryText = text.toStdString();
        m_shared->optionsChanged = true;
    }
    ensureRunning();
    m_shared->wake.notify_all();
}

QString ResourceFeed::describeSources() const
{
    QStringList parts;
    if (m_local)
        parts << tr("this machine (local sampler)");
    if (!m_urls.isEmpty())
        parts << tr("%n endpoint(s)", nullptr, static_cast<int>(m_urls.size()));
    return parts.join(QStringLiteral(" + "));
}

std::uint64_t ResourceFeed::published() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->published;
}

void ResourceFeed::ensureRunning()
{
    if (m_stopped)
        return;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->optionsChanged = true;
    }
    m_shared->wake.notify_all();
    if (!m_worker.joinable())
        m_worker = std::jthread(&ResourceFeed::work, m_shared);
    if (!m_drain->isActive())
        m_drain->start();
}

void ResourceFeed::drain()
{
    Q_ASSERT(QThread::currentThread() == thread());
    std::shared_ptr<const ResourceViewData> data;
    QString error;
    {
        std::lock_guard lock(m_shared->mutex);
        if (!m_shared->dirty)
            return;
        m_shared->dirty = false;
        data = m_shared->latest;
        error = QString::fromStdString(std::exchange(m_shared->error, {}));
    }
    if (!error.isEmpty())
        emit failed(error);
    if (data) {
        ++m_delivered;
        emit updated(std::move(data));
    }
}

void ResourceFeed::work(std::stop_token stop, std::shared_ptr<Shared> shared)
{
    using Clock = std::chrono::steady_clock;
    std::vector<std::unique_ptr<Scraper>> scrapers;
    std::unique_ptr<ResourceSampler> sampler;
    LocalHistory history;
    auto nextScrape = Clock::now();
    auto nextLocal = Clock::now();
    while (!stop.stop_requested()) {
        std::vector<ScrapeTarget> added;
        ResourceViewOptions options;
        bool local = false;
        std::chrono::milliseconds scrapeInterval;
        std::chrono::milliseconds localInterval;
        {
            std::lock_guard lock(shared->mutex);
            added = std::exchange(shared->newTargets, {});
            options = shared->options;
            local = shared->local;
            scrapeInterval = shared->scrapeInterval;
            localInterval = shared->localInterval;
            shared->optionsChanged = false;
        }
        for (ScrapeTarget& t : added) {
            // A scrape must end before the next is due, or rounds would pile up.
            if (t.options.timeoutSeconds > 0.8 * static_cast<double>(scrapeInterval.count()) / 1000.0)
                t.options.timeoutSeconds =
                    std::max(0.5, 0.8 * static_cast<double>(scrapeInterval.count()) / 1000.0);
            scrapers.push_back(std::make_unique<Scraper>(std::vector<ScrapeTarget>{std::move(t)}));
            nextScrape = Clock::now();
        }

        const auto now = Clock::now();
        if (!scrapers.empty() && now >= nextScrape) {
            // Endpoints in parallel: one slow endpoint must not delay the others.
            std::vector<std::future<void>> rounds;
            for (auto& s : scrapers)
                rounds.push_back(std::async(std::launch::async, [&s] { s->scrapeOnce(); }));
            for (auto& r : rounds)
                r.wait();
            nextScrape = now + scrapeInterval;
        }
        if (local && now >= nextLocal) {
            if (!sampler)
                sampler = std::make_unique<ResourceSampler>();
            const auto wallMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
            auto sample = sampler->sample(wallMs);
            if (sample)
                history.add(sample.value());
            nextLocal = now + localInterval;
        }

        ResourceFrames frames;
        for (const auto& s : scrapers)
            appendFrames(frames, framesFromScrape(*s->snapshot()));
        if (history.samples() > 0)
            appendFrames(frames, history.frames());
        auto result = buildResourceView(frames, options, stop);
        {
            std::lock_guard lock(shared->mutex);
            if (result) {
                shared->latest = std::make_shared<const ResourceViewData>(std::move(result).value());
                ++shared->published;
            } else if (!stop.stop_requested()) {
                shared->error = result.error().message;
            }
            shared->dirty = true;
        }

        // Nothing due (no sources yet): sleep until a setter wakes us.
        auto due = Clock::now() + std::chrono::hours(1);
        if (!scrapers.empty())
            due = std::min(due, nextScrape);
        if (local)
            due = std::min(due, nextLocal);
        std::unique_lock lock(shared->mutex);
        shared->wake.wait_until(lock, stop, due,
                                [&] { return shared->optionsChanged || !shared->newTargets.empty(); });
    }
}

} // namespace vigil
