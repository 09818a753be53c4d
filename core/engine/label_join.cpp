#include "engine/label_join.h"

#include "engine/window.h"
#include "stats/quantile.h"

#include <algorithm>
#include <array>
#include <functional>

namespace vigil {

namespace detail {

IdHashIndex::Slot& IdHashIndex::insert(std::uint64_t hash, std::uint32_t ref)
{
    if ((m_size + 1) * 2 > m_slots.size())
        grow();
    std::size_t i = hash & m_mask;
    while (m_slots[i].ref != kNone)
        i = (i + 1) & m_mask;
    m_slots[i] = Slot{hash, ref, kNone};
    ++m_size;
    return m_slots[i];
}

void IdHashIndex::grow()
{
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(std::max<std::size_t>(16, old.size() * 2), Slot{});
    m_mask = m_slots.size() - 1;
    for (const Slot& s : old) {
        if (s.ref == kNone)
            continue;
        std::size_t i = s.hash & m_mask;
        while (m_slots[i].ref != kNone)
            i = (i + 1) & m_mask;
        m_slots[i] = s;
    }
}

} // namespace detail

namespace {

using detail::IdHashIndex;

std::uint64_t hashId(std::string_view id)
{
    return std::hash<std::string_view>{}(id);
}

bool hasId(const StringColumn& ids, std::size_t row)
{
    return row < ids.size() && ids.valid[row] != 0;
}

// A log without a label field still gets one entry per row, null until joined.
void ensureLabelColumn(LogTable& t)
{
    if (t.label.values.size() < t.rows()) {
        t.label.values.resize(t.rows(), 0.0);
        t.label.valid.resize(t.rows(), 0);
    }
}

void sortUnique(std::vector<std::uint32_t>& rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
}

} // namespace

std::string_view LabelJoin::labelId(std::uint32_t entry) const
{
    const std::uint64_t begin = entry == 0 ? 0 : m_idEnds[entry - 1];
    return std::string_view(m_idBytes).substr(begin, m_idEnds[entry] - begin);
}

template <typename Fn> void LabelJoin::forEachRow(std::uint32_t firstRow, Fn&& fn) const
{
    fn(firstRow);
    if (const auto it = m_moreRows.find(firstRow); it != m_moreRows.end()) {
        for (const std::uint32_t row : it->second)
            fn(row);
    }
}

void LabelJoin::apply(LogTable& predictions, std::uint32_t row, std::uint32_t entry, bool first,
                      std::vector<std::uint32_t>& changed)
{
    NumericColumn& label = predictions.label;
    if (first) {
        ++m_counts.predictionsLabelled;
        m_counts.inlineLabelsReplaced += label.valid[row] != 0;
    }
    label.values[row] = m_value[entry];
    label.valid[row] = 1;
    changed.push_back(row);
}

std::vector<std::uint32_t> LabelJoin::addPredictions(LogTable& predictions, std::size_t firstRow)
{
    ensureLabelColumn(predictions);
    const StringColumn& ids = predictions.requestId;
    std::vector<std::uint32_t> changed;
    for (std::size_t r = firstRow; r < predictions.rows(); ++r) {
        if (!hasId(ids, r)) {
            ++m_counts.predictionsWithoutId;
            continue;
        }
        const auto row = static_cast<std::uint32_t>(r);
        const std::string_view id = ids.at(r);
        const std::uint64_t hash = hashId(id);
        auto samePrediction = [&](std::uint32_t other) { return ids.at(other) == id; };
        if (IdHashIndex::Slot* seen = m_predictions.find(hash, samePrediction)) {
            ++m_counts.duplicatePredictionIds;
            m_moreRows[seen->ref].push_back(row);
            if (seen->extra != IdHashIndex::kNone)
                apply(predictions, row, seen->extra, true, changed);
            continue;
        }
        IdHashIndex::Slot& slot = m_predictions.insert(hash, row);
        auto sameLabel = [&](std::uint32_t entry) { return labelId(entry) == id; };
        if (const IdHashIndex::Slot* label = m_labelIndex.find(hash, sameLabel)) {
            const std::uint32_t entry = label->ref;
            slot.extra = entry;
            m_firstRow[entry] = row;
            ++m_counts.matched;
            --m_counts.unmatchedLabels;
            apply(predictions, row, entry, true, changed);
        }
    }
    sortUnique(changed);
    return changed;
}

std::vector<std::uint32_t> LabelJoin::addLabels(LogTable& predictions, const LogTable& labels)
{
    ensureLabelColumn(predictions);
    const StringColumn& predictionIds = predictions.requestId;
    const StringColumn& ids = labels.requestId;
    const NumericColumn& value = labels.label;
    std::vector<std::uint32_t> changed;
    for (std::size_t i = 0; i < labels.rows(); ++i) {
        if (!hasId(ids, i)) {
            ++m_counts.malformed; // loadLabelSource never lets these through
            continue;
        }
        ++m_counts.labelsRead;
        if (i >= value.size() || !value.valid[i]) {
            ++m_counts.nullLabels;
            continue;
        }
        const std::string_view id = ids.at(i);
        const std::uint64_t hash = hashId(id);
        const std::int64_t ts = labels.tsMs[i];
        auto sameLabel = [&](std::uint32_t entry) { return labelId(entry) == id; };
        if (const IdHashIndex::Slot* known = m_labelIndex.find(hash, sameLabel)) {
            ++m_counts.duplicateLabels;
            const std::uint32_t entry = known->ref;
            if (ts < m_ts[entry])
                continue; // an older verdict than the one already applied
            m_value[entry] = value.values[i];
            m_ts[entry] = ts;
            if (m_firstRow[entry] != IdHashIndex::kNone)
                forEachRow(m_firstRow[entry],
                           [&](std::uint32_t row) { apply(predictions, row, entry, false, changed); });
            continue;
        }
        const auto entry = static_cast<std::uint32_t>(m_value.size());
        m_idBytes.append(id);
        m_idEnds.push_back(m_idBytes.size());
        m_value.push_back(value.values[i]);
        m_ts.push_back(ts);
        m_firstRow.push_back(IdHashIndex::kNone);
        m_labelIndex.insert(hash, entry);
        auto samePrediction = [&](std::uint32_t row) { return predictionIds.at(row) == id; };
        if (IdHashIndex::Slot* prediction = m_predictions.find(hash, samePrediction)) {
            prediction->extra = entry;
            m_firstRow[entry] = prediction->ref;
            ++m_counts.matched;
            forEachRow(prediction->ref,
                       [&](std::uint32_t row) { apply(predictions, row, entry, true, changed); });
        } else {
            ++m_counts.unmatchedLabels;
        }
    }
    sortUnique(changed);
    return changed;
}

std::vector<double> LabelJoin::delays(const LogTable& predictions, std::uint64_t& negative) const
{
    std::vector<double> delays;
    delays.reserve(m_counts.predictionsLabelled);
    for (std::uint32_t entry = 0; entry < m_firstRow.size(); ++entry) {
        if (m_firstRow[entry] == IdHashIndex::kNone)
            continue;
        forEachRow(m_firstRow[entry], [&](std::uint32_t row) {
            const std::int64_t delay = m_ts[entry] - predictions.tsMs[row];
            negative += delay < 0;
            delays.push_back(static_cast<double>(delay));
        });
    }
    return delays;
}

LabelSummary LabelJoin::summary(const LogTable& predictions) const
{
    LabelSummary s = m_counts;
    std::vector<double> pairs = delays(predictions, s.negativeDelays);
    static constexpr std::array<double, 2> kQs = {0.5, 0.95};
    const auto q = stats::quantilesInPlace(pairs, kQs);
    s.delayP50Ms = q[0];
    s.delayP95Ms = q[1];
    return s;
}

std::size_t LabelJoin::memoryBytes() const
{
    std::size_t bytes = m_predictions.bytes() + m_labelIndex.bytes() + m_idBytes.capacity() +
                        m_idEnds.capacity() * sizeof(std::uint64_t) + m_value.capacity() * sizeof(double) +
                        m_ts.capacity() * sizeof(std::int64_t) +
                        m_firstRow.capacity() * sizeof(std::uint32_t);
    for (const auto& [first, rows] : m_moreRows)
        bytes += rows.capacity() * sizeof(std::uint32_t) + 48;
    return bytes;
}

std::vector<std::int64_t> windowsOfRows(const LogTable& table, std::span<const std::uint32_t> rows,
                                        std::int64_t windowMs)
{
    std::vector<std::int64_t> starts;
    starts.reserve(rows.size());
    for (const std::uint32_t row : rows)
        starts.push_back(alignWindowStart(table.tsMs[row], windowMs));
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    return starts;
}

} // namespace vigil
