#pragma once
// Runs Prometheus API requests for the GUI (Resources → Query Prometheus…, --prometheus):
// a query_range over the charts' visible range with a step from the chart width, and
// the metric names for the dialog's completer. The client's I/O thread decodes the
// answer and converts the matrix to ResourceFrames; only the finished, immutable frames
// (or Prometheus's one-line error) come back to the UI thread, queued.
#include "metrics/resource_frames.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>

namespace vigil {

class PromQueryClient;

struct PromQuerySpec
{
    QString url; // server base URL, e.g. http://localhost:9090
    QString promql;
    QString tokenEnv; // name of the environment variable with a bearer token (never the token)
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    int widthPx = 800;
};

class PromQuerySource : public QObject
{
    Q_OBJECT
  public:
    explicit PromQuerySource(QObject* parent = nullptr);
    ~PromQuerySource() override; // joins the client's I/O thread before `this` goes

    // A newer run() supersedes an older one still in flight (its answer is dropped).
    void run(const PromQuerySpec& spec);
    void fetchMetricNames(const QString& url, const QString& tokenEnv);

    QString lastError() const { return m_lastError; }
    bool busy() const { return m_busy; }

  signals:
    void finished(std::shared_ptr<const ResourceFrames> frames, const QString& text);
    void failed(const QString& message);
    void metricNames(const QStringList& names);

  private:
    PromQueryClient& client(const QString& url, const QString& tokenEnv);
    void deliver(std::uint64_t generation, std::shared_ptr<const ResourceFrames> frames, QString text,
                 QString error);

    std::unique_ptr<PromQueryClient> m_client;
    QString m_clientUrl;
    QString m_clientTokenEnv;
    std::uint64_t m_generation = 0;
    QString m_lastError;
    bool m_busy = false;
};

} // namespace vigil
