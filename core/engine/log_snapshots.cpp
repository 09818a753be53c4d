#include "engine/log_snapshots.h"

#include <atomic>

namespace vigil {

namespace {

template <typename T> bool appendTail(std::vector<T>& copy, const std::vector<T>& live)
{
    if (copy.size() > live.size())
        return false;
    copy.insert(copy.end(), live.begin() + static_cast<std::ptrdiff_t>(copy.size()), live.end());
    return true;
}

bool appendTail(std::string& copy, const std::string& live)
{
    if (copy.size() > live.size())
        return false;
    copy.append(live, copy.size());
    return true;
}

bool catchUpColumn(NumericColumn& copy, const NumericColumn& live)
{
    copy.name = live.name;
    return appendTail(copy.values, live.values) && appendTail(copy.valid, live.valid);
}

bool catchUpColumn(CategoricalColumn& copy, const CategoricalColumn& live)
{
    copy.name = live.name;
    return appendTail(copy.codes, live.codes) && appendTail(copy.dictionary, live.dictionary);
}

bool catchUpColumn(StringColumn& copy, const StringColumn& live)
{
    copy.name = live.name;
    return appendTail(copy.bytes, live.bytes) && appendTail(copy.ends, live.ends) &&
           appendTail(copy.valid, live.valid);
}

template <typename Column> bool catchUpColumns(std::vector<Column>& copy, const std::vector<Column>& live)
{
    if (copy.size() != live.size())
        return false;
    for (std::size_t i = 0; i < copy.size(); ++i)
        if (!catchUpColumn(copy[i], live[i]))
            return false;
    return true;
}

} // namespace

bool catchUp(LogTable& copy, const LogTable& live)
{
    if (copy.rows() > live.rows())
        return false;
    return appendTail(copy.tsMs, live.tsMs) && catchUpColumn(copy.model, live.model) &&
           catchUpColumn(copy.version, live.version) && catchUpColumn(copy.latencyMs, live.latencyMs) &&
           appendTail(copy.status, live.status) && catchUpColumn(copy.prediction, live.prediction) &&
           catchUpColumn(copy.label, live.label) &&
           catchUpColumns(copy.numericFeatures, live.numericFeatures) &&
           catchUpColumns(copy.categoricalFeatures, live.categoricalFeatures) &&
           catchUpColumns(copy.kpis, live.kpis) && catchUpColumn(copy.requestId, live.requestId);
}

// A copy and whether a published snapshot of it is still held somewhere. The flag is
// cleared (release) by the last holder's deleter and read (acquire) before the copy is
// written again, so the holder's reads happen before the next write.
struct LogSnapshots::Slot
{
    LoadedLog log;
    std::atomic<bool> held{false};
    std::uint64_t generation = 0;
    std::uint64_t labelGeneration = 0;
};

LogSnapshots::LogSnapshots() = default;
LogSnapshots::~LogSnapshots() = default;

std::shared_ptr<const LoadedLog> LogSnapshots::publish(const LoadedLog& live,
                                                       std::shared_ptr<const LabelSummary> labels)
{
    std::shared_ptr<Slot> slot;
    for (const auto& s : m_slots) {
        if (!s->held.load(std::memory_order_acquire) && s->generation == m_generation) {
            slot = s;
            break;
        }
    }
    const std::size_t rowsBefore = slot ? slot->log.table.rows() : 0;
    if (slot && slot->labelGeneration != m_labelGeneration && slot->log.table.rows() <= live.table.rows()) {
        slot->log.table.label = live.table.label; // one column, O(rows): labels joined in place
        slot->labelGeneration = m_labelGeneration;
    }
    if (slot && !catchUp(slot->log.table, live.table)) {
        std::erase(m_slots, slot);
        slot.reset();
    }
    if (slot) {
        m_lastCopiedRows = live.table.rows() - rowsBefore;
        LoadedLog& log = slot->log;
        log.schema = live.schema;
        log.paths = live.paths;
        log.lines = live.lines;
        log.malformed = live.malformed;
        if (log.problems.size() != live.problems.size())
            log.problems = live.problems;
        log.bytes = live.bytes;
        log.seconds = live.seconds;
        log.labels = labels ? std::move(labels) : live.labels;
    } else {
        // None free (all held, or the live log changed under them): a full copy. Copies
        // still held beyond kKeep are let go here and freed by their last holder.
        std::erase_if(m_slots,
                      [this](const std::shared_ptr<Slot>& s) { return s->generation != m_generation; });
        if (m_slots.size() >= kKeep)
            m_slots.erase(m_slots.begin());
        slot = std::make_shared<Slot>();
        slot->log = live;
        if (labels)
            slot->log.labels = std::move(labels);
        slot->generation = m_generation;
        slot->labelGeneration = m_labelGeneration;
        m_slots.push_back(slot);
        m_lastCopiedRows = live.table.rows();
        ++m_fullCopies;
    }
    slot->held.store(true, std::memory_order_relaxed);
    // The deleter owns a reference to the slot: a snapshot outlives this object if need be.
    std::shared_ptr<Slot> lease(slot.get(),
                                [keep = slot](Slot* s) { s->held.store(false, std::memory_order_release); });
    return std::shared_ptr<const LoadedLog>(lease, &lease->log);
}

} // namespace vigil
