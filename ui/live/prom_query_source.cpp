#include "live/prom_query_source.h"

#include "net/prom_query_client.h"
#include "prom/query_api.h"

#include <QMetaObject>
#include <QThread>

namespace vigil {

PromQuerySource::PromQuerySource(QObject* parent) : QObject(parent) {}

PromQuerySource::~PromQuerySource()
{
    // The callbacks capture `this`: the I/O thread must be gone before we are.
    m_client.reset();
}

PromQueryClient& PromQuerySource::client(const QString& url, const QString& tokenEnv)
{
    if (!m_client || url != m_clientUrl || tokenEnv != m_clientTokenEnv) {
        HttpRequestOptions options;
        options.acceptErrorStatus = true; // Prometheus explains its 4xx/5xx in the body
        if (!tokenEnv.isEmpty()) {
            options.auth.kind = HttpAuth::Kind::Bearer;
            options.auth.secretEnv = tokenEnv.toStdString();
        }
        m_client.reset(); // joins the old client's thread; its stale answers are dropped
        m_client = std::make_unique<PromQueryClient>(url.trimmed().toStdString(), options);
        m_clientUrl = url;
        m_clientTokenEnv = tokenEnv;
    }
    return *m_client;
}

void PromQuerySource::run(const PromQuerySpec& spec)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const std::uint64_t generation = ++m_generation;
    m_busy = true;
    const std::int64_t step = chooseStep(spec.startMs, spec.endMs, spec.widthPx);
    const std::string promql = spec.promql.trimmed().toStdString();
    const QString text = spec.promql.trimmed();
    client(spec.url, spec.tokenEnv)
        .queryRange(promql, spec.startMs, spec.endMs, step,
                    [this, generation, promql, text](Result<QueryResponse> answer) {
                        // On the client's I/O thread (or at once for a range refused
                        // client-side): convert here, never on the UI thread.
                        std::shared_ptr<const ResourceFrames> frames;
                        QString error;
                        if (!answer)
                            error = QString::fromStdString(answer.error().message);
                        else
                            frames = std::make_shared<const ResourceFrames>(
                                framesFromQuery(answer.value(), promql));
                        QMetaObject::invokeMethod(
                            this,
                            [this, generation, frames = std::move(frames), text, error] {
                                deliver(generation, frames, text, error);
                            },
                            Qt::QueuedConnection);
                    });
}

void PromQuerySource::deliver(std::uint64_t generation, std::shared_ptr<const ResourceFrames> frames,
                              QString text, QString error)
{
    if (generation != m_generation)
        return;
    m_busy = false;
    m_lastError = error;
    if (!error.isEmpty())
        emit failed(error);
    else
        emit finished(std::move(frames), text);
}

void PromQuerySource::fetchMetricNames(const QString& url, const QString& tokenEnv)
{
    client(url, tokenEnv)
        .send(PromQueryClient::labelValues("__name__"), [this](Result<QueryResponse> answer) {
            QStringList names;
            if (answer && answer.value().success) {
                names.reserve(static_cast<qsizetype>(answer.value().strings.size()));
                for (const std::string& name : answer.value().strings)
                    names << QString::fromStdString(name);
            }
            QMetaObject::invokeMethod(
                this, [this, names = std::move(names)] { emit metricNames(names); }, Qt::QueuedConnection);
        });
}

} // namespace vigil
