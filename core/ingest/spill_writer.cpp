#include "ingest/spill_writer.h"

#include "ingest/spill_store.h"

#include <type_traits>

namespace vigil::ingest {

namespace {

void swapNumeric(NumericColumn& a, NumericColumn& b)
{
    a.values.swap(b.values);
    a.valid.swap(b.valid);
}

// The layout's columns without names, dictionaries or rows.
LogTable emptyLike(const LogTable& layout)
{
    LogTable t;
    t.numericFeatures.resize(layout.numericFeatures.size());
    t.categoricalFeatures.resize(layout.categoricalFeatures.size());
    t.kpis.resize(layout.kpis.size());
    return t;
}

} // namespace

void swapColumns(LogTable& a, LogTable& b)
{
    a.tsMs.swap(b.tsMs);
    a.model.codes.swap(b.model.codes);
    a.version.codes.swap(b.version.codes);
    swapNumeric(a.latencyMs, b.latencyMs);
    a.status.swap(b.status);
    swapNumeric(a.prediction, b.prediction);
    swapNumeric(a.label, b.label);
    for (std::size_t i = 0; i < a.numericFeatures.size(); ++i)
        swapNumeric(a.numericFeatures[i], b.numericFeatures[i]);
    for (std::size_t i = 0; i < a.categoricalFeatures.size(); ++i)
        a.categoricalFeatures[i].codes.swap(b.categoricalFeatures[i].codes);
    for (std::size_t i = 0; i < a.kpis.size(); ++i)
        swapNumeric(a.kpis[i], b.kpis[i]);
    a.requestId.bytes.swap(b.requestId.bytes);
    a.requestId.ends.swap(b.requestId.ends);
    a.requestId.valid.swap(b.requestId.valid);
}

SpillWriter::SpillWriter(std::shared_ptr<SpillStore> store, const LogTable& layout)
    : m_store(std::move(store)), m_buffer(emptyLike(layout)),
      m_thread([this](std::stop_token stop) { run(std::move(stop)); })
{
}

SpillWriter::~SpillWriter()
{
    m_thread.request_stop();
    m_changed.notify_all();
    // jthread joins: the chunk being written is finished (a pwrite cannot be abandoned).
}

void SpillWriter::run(std::stop_token stop)
{
    std::unique_lock lock(m_mutex);
    while (true) {
        if (!m_changed.wait(lock, stop, [this] { return m_pending; }))
            return;
        lock.unlock();
        // m_buffer is the writer's alone while m_pending is set: the caller waits for it.
        std::optional<Error> error = m_store->append(m_buffer);
        forEachColumn(
            m_buffer, [](auto& v) { v.clear(); },
            [](StringColumn& s) {
                s.bytes.clear();
                s.ends.clear();
                s.valid.clear();
            });
        lock.lock();
        if (error && !m_error)
            m_error = std::move(error);
        m_pending = false;
        m_changed.notify_all();
    }
}

std::optional<Error> SpillWriter::waitIdle(std::unique_lock<std::mutex>& lock)
{
    m_changed.wait(lock, [this] { return !m_pending; });
    return m_error;
}

std::optional<Error> SpillWriter::write(LogTable& table)
{
    std::unique_lock lock(m_mutex);
    if (auto error = waitIdle(lock))
        return error;
    swapColumns(table, m_buffer);
    m_pending = true;
    m_changed.notify_all();
    return std::nullopt;
}

std::optional<Error> SpillWriter::finish()
{
    std::unique_lock lock(m_mutex);
    return waitIdle(lock);
}

void SpillWriter::releaseBuffer()
{
    std::unique_lock lock(m_mutex);
    waitIdle(lock);
    m_buffer = emptyLike(m_buffer);
}

} // namespace vigil::ingest
