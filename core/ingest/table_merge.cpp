#include "ingest/table_merge.h"

#include "ingest/spill_store.h"
#include "ingest/spill_writer.h"

#include <algorithm>

namespace vigil::ingest {

namespace {

void appendNumeric(NumericColumn& dst, const NumericColumn& src)
{
    dst.values.insert(dst.values.end(), src.values.begin(), src.values.end());
    dst.valid.insert(dst.valid.end(), src.valid.begin(), src.valid.end());
}

void appendStrings(StringColumn& dst, const StringColumn& src)
{
    const std::uint64_t base = dst.bytes.size();
    dst.bytes += src.bytes;
    dst.ends.reserve(dst.ends.size() + src.ends.size());
    for (const std::uint64_t end : src.ends)
        dst.ends.push_back(base + end);
    dst.valid.insert(dst.valid.end(), src.valid.begin(), src.valid.end());
}

void reserveNumeric(NumericColumn& c, std::size_t rows)
{
    c.values.reserve(rows);
    c.valid.reserve(rows);
}

} // namespace

TableMerger::TableMerger(LogTable& target) : m_target(target), m_features(target.categoricalFeatures.size())
{
}

TableMerger::~TableMerger() = default;

void TableMerger::reserve(std::size_t rows)
{
    LogTable& t = m_target;
    t.tsMs.reserve(rows);
    t.model.codes.reserve(rows);
    t.version.codes.reserve(rows);
    reserveNumeric(t.latencyMs, rows);
    t.status.reserve(rows);
    reserveNumeric(t.prediction, rows);
    reserveNumeric(t.label, rows);
    for (auto& c : t.numericFeatures)
        reserveNumeric(c, rows);
    for (auto& c : t.categoricalFeatures)
        c.codes.reserve(rows);
    for (auto& c : t.kpis)
        reserveNumeric(c, rows);
    // Untouched reserved pages cost nothing, also when the log has no request id.
    t.requestId.ends.reserve(rows);
    t.requestId.valid.reserve(rows);
}

void TableMerger::appendCategorical(CategoricalColumn& dst, Codes& codes, CategoricalColumn& src)
{
    m_remap.resize(src.dictionary.size());
    for (std::size_t i = 0; i < src.dictionary.size(); ++i) {
        auto [it, inserted] =
            codes.try_emplace(src.dictionary[i], static_cast<std::uint32_t>(dst.dictionary.size()));
        if (inserted)
            dst.dictionary.push_back(std::move(src.dictionary[i]));
        m_remap[i] = it->second;
    }
    const std::size_t base = dst.codes.size();
    dst.codes.resize(base + src.codes.size());
    for (std::size_t i = 0; i < src.codes.size(); ++i) {
        const std::uint32_t c = src.codes[i];
        dst.codes[base + i] = c == CategoricalColumn::kNull ? c : m_remap[c];
    }
}

void TableMerger::append(LogTable&& block)
{
    LogTable& t = m_target;
    t.tsMs.insert(t.tsMs.end(), block.tsMs.begin(), block.tsMs.end());
    appendCategorical(t.model, m_model, block.model);
    appendCategorical(t.version, m_version, block.version);
    appendNumeric(t.latencyMs, block.latencyMs);
    t.status.insert(t.status.end(), block.status.begin(), block.status.end());
    appendNumeric(t.prediction, block.prediction);
    appendNumeric(t.label, block.label);
    for (std::size_t i = 0; i < t.numericFeatures.size(); ++i)
        appendNumeric(t.numericFeatures[i], block.numericFeatures[i]);
    for (std::size_t i = 0; i < t.categoricalFeatures.size(); ++i)
        appendCategorical(t.categoricalFeatures[i], m_features[i], block.categoricalFeatures[i]);
    for (std::size_t i = 0; i < t.kpis.size(); ++i)
        appendNumeric(t.kpis[i], block.kpis[i]);
    appendStrings(t.requestId, block.requestId);
    if (!m_spillEnabled || m_spillError)
        return;
    if (!m_reservedForBudget && t.rows() > 0) {
        // Room for every row up to the spill, so that no column grows by reallocation (a
        // copy that would double its memory) before it: the load's own estimate is short
        // for a compressed file, whose size on disk understates its rows.
        m_reservedForBudget = true;
        const std::uint64_t fixed =
            std::max<std::uint64_t>(1, (tableBytes(t) - t.requestId.bytes.size()) / t.rows());
        // At most 8x that estimate, so that a huge budget reserves no absurd address space.
        const std::uint64_t estimate = std::max<std::uint64_t>(t.tsMs.capacity(), t.rows());
        reserve(static_cast<std::size_t>(
            std::max(estimate, std::min(m_budget / fixed + 2 * t.rows(), 8 * estimate))));
    }
    if (tableBytes(t) > (m_spill ? m_chunkBytes : m_budget))
        spillNow();
}

void TableMerger::spillTo(std::string dir, std::uint64_t budgetBytes)
{
    m_spillEnabled = true;
    m_spillDir = std::move(dir);
    m_budget = budgetBytes;
    // Later chunks are smaller than the first (the whole budget): while one is written the
    // next fills, and the first one's columns stay allocated for reuse, so the rows in
    // memory peak at the budget plus one such chunk.
    m_chunkBytes = std::max<std::uint64_t>(1, budgetBytes / 8);
}

void TableMerger::spillNow()
{
    LogTable& t = m_target;
    if (t.rows() == 0)
        return;
    if (!m_spill) {
        auto store = SpillStore::create(m_spillDir);
        if (!store) {
            m_spillError = store.error();
            return;
        }
        m_spill = std::move(store.value());
        m_writer = std::make_unique<SpillWriter>(m_spill, t);
    }
    const std::size_t rows = t.rows();
    if (auto error = m_writer->write(t)) {
        m_spillError = std::move(error);
        return;
    }
    // `t` now holds the columns of the chunk written before, emptied; at the first spill
    // they have no capacity yet. Reserved room is free until touched, and it spares the
    // columns growing by reallocation (a copy) while the next chunk fills.
    reserve(rows);
}

bool TableMerger::finishSpill()
{
    if (!m_spill || m_spillError)
        return !m_spillError;
    spillNow();
    if (!m_spillError)
        m_spillError = m_writer->finish();
    forEachColumn(
        m_target, [](auto& v) { std::decay_t<decltype(v)>().swap(v); },
        [](StringColumn& s) {
            std::string().swap(s.bytes);
            std::vector<std::uint64_t>().swap(s.ends);
            std::vector<std::uint8_t>().swap(s.valid);
        });
    m_writer->releaseBuffer();
    return !m_spillError;
}

} // namespace vigil::ingest
