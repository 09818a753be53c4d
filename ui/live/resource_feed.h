#pragma once
// The live resource source: one worker thread scrapes the endpoints, samples this
// machine, derives and decimates the charts (core/metrics) and publishes an immutable
// ResourceViewData under a short lock. A GUI timer drains at most four a second, so
// a burst of samples becomes one update and the UI never sees a per-sample signal.
#include "metrics/resource_charts.h"
#include "net/http_client.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>
#include <thread>

class QTimer;

namespace vigil {

class ResourceFeed : public QObject
{
    Q_OBJECT
  public:
    static constexpr int kDrainIntervalMs = 250; // at most 4 UI updates per second

    explicit ResourceFeed(QObject* parent = nullptr);
    ~ResourceFeed() override; // stops and joins the worker

    // Each setter wakes the worker, which applies it on its next pass.
    void addEndpoint(const QString& url, const HttpRequestOptions& options = {});
    void setScrapeInterval(std::chrono::milliseconds interval);
    void setLocalSampling(bool on);
    void setLocalInterval(std::chrono::milliseconds interval);
    void setChartWidth(int px);
    void setBrowseKey(const QString& key);
    void setQuery(std::shared_ptr<const ResourceFrames> frames, const QString& text);

    // Stops the worker and the drain timer for good (the destructor does it too).
    void stop();

    bool localSampling() const { return m_local; }
    QStringList endpointUrls() const { return m_urls; }
    QString describeSources() const;
    std::uint64_t published() const;                        // snapshots the worker produced
    std::uint64_t delivered() const { return m_delivered; } // updated() signals emitted

  signals:
    void updated(std::shared_ptr<const ResourceViewData> data);
    void failed(const QString& message);

  private:
    struct Shared;
    void ensureRunning();
    void drain();
    static void work(std::stop_token stop, std::shared_ptr<Shared> shared);

    std::shared_ptr<Shared> m_shared;
    std::jthread m_worker;
    QTimer* m_drain = nullptr;
    QStringList m_urls;
    bool m_local = false;
    bool m_stopped = false;
    std::uint64_t m_delivered = 0;
};

} // namespace vigil
