// joinLabelSourceSpilled (engine/bounded_pipeline.h): late labels joined to a log that did not
// fit its memory budget, in memory bounded by that budget (docs/MEMORY.md, "Late labels").
//
// The join's state grows with the request ids (the predictions' ids, timestamps and labels, the
// label records, the join's hash indexes: ~200 bytes a labelled row), so the ids are split into
// P partitions by a hash of the id, P chosen so that the partitions joined at once (two, one a
// core, when there is more than one) fit the budget; they are written back one after the other.
// Every record of one request id (its predictions, its labels) falls in one partition, in the
// order of the files, so each partition's join decides exactly what the whole join would; the
// counts add up, and the label delays of all partitions are pooled for the quantiles.
#include "engine/bounded_pipeline.h"

#include "engine/label_join.h"
#include "engine/label_source.h"
#include "ingest/labels.h"
#include "ingest/spill_store.h"
#include "stats/quantile.h"
#include "util/simd_state.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <functional>
#include <string_view>
#include <thread>

namespace vigil {

namespace {

using ingest::SpillStore;

// The partition of an id: the hash's high half, since the join's own index places ids by its
// low bits (partitioning by those would crowd each partition's index into a fraction of it).
std::size_t partitionOf(std::string_view id, std::size_t partitions)
{
    return static_cast<std::size_t>((std::hash<std::string_view>{}(id) >> 32) % partitions);
}

// The predictions' request ids: the last three arrays of a chunk (bytes, ends, valid).
std::size_t idArray(const SpillStore& store)
{
    return store.chunks().front().arrays.size() - 3;
}

// A label table holding only what the join reads, for the records of one partition.
LogTable labelLayout(const LogTable& labels)
{
    LogTable t;
    t.label.name = labels.label.name;
    return t;
}

void appendLabelRecords(const LogTable& all, std::size_t partition, std::size_t partitions, LogTable& out)
{
    for (std::size_t r = 0; r < all.rows(); ++r) {
        if (!all.requestId.valid[r] || partitionOf(all.requestId.at(r), partitions) != partition)
            continue; // loadLabelSource lets no record without an id through
        out.tsMs.push_back(all.tsMs[r]);
        out.requestId.push(all.requestId.at(r));
        if (r < all.label.size() && all.label.valid[r])
            out.label.push(all.label.values[r]);
        else
            out.label.pushNull();
    }
}

// The label records of one partition, in file order, from memory or from the label spill.
Result<LogTable> labelRecords(const LoadedLog& labels, std::size_t partition, std::size_t partitions)
{
    LogTable out = labelLayout(labels.table);
    if (!labels.spill) {
        appendLabelRecords(labels.table, partition, partitions, out);
        return out;
    }
    LogTable chunk = labels.table; // the layout; read() replaces its columns
    for (std::size_t c = 0; c < labels.spill->chunks().size(); ++c) {
        if (auto e = labels.spill->read(c, chunk))
            return *e;
        appendLabelRecords(chunk, partition, partitions, out);
    }
    return out;
}

struct Partition
{
    LoadedLog slim;                     // the partition's predictions: ts, label, request id
    std::vector<std::uint64_t> logRows; // each one's row in the whole log, ascending
};

// The predictions of one partition (rows without an id go to partition 0: counted once).
std::optional<Error> readPredictions(const LoadedLog& log, std::size_t partition, std::size_t partitions,
                                     Partition& out)
{
    const SpillStore& store = *log.spill;
    out.slim.schema = log.schema;
    LogTable& t = out.slim.table;
    t.label.name = log.table.label.name;
    std::vector<std::int64_t> ts;
    std::vector<double> values;
    std::vector<std::uint8_t> valid;
    StringColumn ids;
    for (std::size_t c = 0; c < store.chunks().size(); ++c) {
        if (auto e = store.readArray(c, ingest::kSpillTs, ts))
            return e;
        if (auto e = store.readArray(c, ingest::kSpillLabel, values))
            return e;
        if (auto e = store.readArray(c, ingest::kSpillLabelValid, valid))
            return e;
        ids = StringColumn{};
        if (auto e = store.appendStrings(c, ids))
            return e;
        if (ids.size() != ts.size())
            return Error{"cannot join labels: the log has no request id field (set mapping.request_id in the "
                         "config)"};
        const std::uint64_t firstRow = store.chunks()[c].firstRow;
        for (std::size_t r = 0; r < ts.size(); ++r) {
            const bool hasId = ids.valid[r] != 0;
            if ((hasId ? partitionOf(ids.at(r), partitions) : 0) != partition)
                continue;
            t.tsMs.push_back(ts[r]);
            if (r < valid.size() && valid[r])
                t.label.push(values[r]);
            else
                t.label.pushNull();
            if (hasId)
                t.requestId.push(ids.at(r));
            else
                t.requestId.pushNull();
            out.logRows.push_back(firstRow + r);
        }
    }
    return std::nullopt;
}

// Writes the partition's joined labels back into the chunks they belong to.
std::optional<Error> writeBack(LoadedLog& log, const Partition& part,
                               const std::vector<std::uint8_t>& changed)
{
    SpillStore& store = *log.spill;
    const LogTable& t = part.slim.table;
    std::size_t k = 0; // part.logRows is ascending, like the chunks
    for (std::size_t c = 0; c < store.chunks().size() && k < part.logRows.size(); ++c) {
        const std::uint64_t begin = store.chunks()[c].firstRow;
        const std::uint64_t end = begin + store.chunks()[c].rows;
        const std::size_t first = k;
        bool any = false;
        for (; k < part.logRows.size() && part.logRows[k] < end; ++k)
            any = any || changed[k] != 0;
        if (!any)
            continue;
        NumericColumn label;
        if (auto e = store.readArray(c, ingest::kSpillLabel, label.values))
            return e;
        if (auto e = store.readArray(c, ingest::kSpillLabelValid, label.valid))
            return e;
        label.values.resize(store.chunks()[c].rows, 0.0); // a log without a label field
        label.valid.resize(store.chunks()[c].rows, 0);
        for (std::size_t i = first; i < k; ++i) {
            if (!changed[i])
                continue;
            label.values[part.logRows[i] - begin] = t.label.values[i];
            label.valid[part.logRows[i] - begin] = t.label.valid[i];
        }
        if (auto e = store.replaceLabel(c, label))
            return e;
    }
    return std::nullopt;
}

// One partition's join, up to the write-back (which the caller does in partition order).
struct PartitionJoin
{
    Partition part;
    std::vector<std::uint8_t> changed; // per row of part: its label changed
    LabelSummary counts;
    std::vector<double> delays;
    std::uint64_t negativeDelays = 0;
    std::optional<Error> error;

    void run(const LoadedLog& log, const LoadedLog& labels, std::size_t partition, std::size_t partitions)
    {
        clearUpperSimdState(); // see util/simd_state.h
        try {
            if ((error = readPredictions(log, partition, partitions, part)))
                return;
            auto records = labelRecords(labels, partition, partitions);
            if (!records) {
                error = records.error();
                return;
            }
            LabelJoin join;
            changed.assign(part.logRows.size(), 0);
            for (const std::uint32_t r : join.addPredictions(part.slim.table, 0))
                changed[r] = 1;
            for (const std::uint32_t r : join.addLabels(part.slim.table, records.value()))
                changed[r] = 1;
            counts = join.counts();
            delays = join.delays(part.slim.table, negativeDelays);
        } catch (const std::exception& e) { // e.g. bad_alloc on a worker: reported, not terminate()
            error = Error{std::string("joining labels failed: ") + e.what()};
        }
    }
};

void addCounts(LabelSummary& total, const LabelSummary& part)
{
    total.labelsRead += part.labelsRead;
    total.matched += part.matched;
    total.predictionsLabelled += part.predictionsLabelled;
    total.unmatchedLabels += part.unmatchedLabels;
    total.duplicateLabels += part.duplicateLabels;
    total.nullLabels += part.nullLabels;
    total.inlineLabelsReplaced += part.inlineLabelsReplaced;
    total.duplicatePredictionIds += part.duplicatePredictionIds;
    total.predictionsWithoutId += part.predictionsWithoutId;
}

// Bytes a partition's join holds per prediction and per label record beyond its id's text:
// the slim table (ts, label, id ends and flag, log row) and the join's index (16-byte slots,
// filled a quarter to a half) and label entries (value, ts, first row, id end).
constexpr double kPredictionBytes = 8 + 9 + 9 + 8 + 64 + 4;
constexpr double kLabelBytes = 8 + 9 + 9 + 64 + 8 + 8 + 4 + 8;

} // namespace

Result<std::shared_ptr<const LabelSummary>>
joinLabelSourceSpilled(LoadedLog& log, const LabelSourceConfig& source, std::stop_token stop)
{
    if (!log.spill || log.spill->chunks().empty())
        return joinLabelSource(log, source, stop);
    try {
        const SpillStore& store = *log.spill;
        const std::size_t ids = idArray(store);
        if (log.schema.mapping.requestId.empty() || store.chunks().front().arrays[ids + 1].bytes == 0)
            return Error{"cannot join labels: the log has no request id field (set mapping.request_id in the "
                         "config)"};
        // A label file larger than a quarter of the budget is spilled like the log.
        const std::uint64_t budget = std::max<std::uint64_t>(1, log.memoryBudgetBytes);
        auto labels = loadLabelSource(source, log.schema.mapping, stop, {},
                                      std::max<std::uint64_t>(1, budget / 4), log.spillDir);
        if (!labels)
            return labels.error();
        double idBytes = 0.0;
        for (const auto& c : store.chunks())
            idBytes += static_cast<double>(c.arrays[ids].bytes);
        const LoadedLog& l = labels.value();
        const auto labelRows = static_cast<double>(l.rowCount());
        const double labelIdBytes = l.spill ? static_cast<double>(l.spill->bytes()) * 0.5
                                            : static_cast<double>(l.table.requestId.bytes.size());
        const double state = static_cast<double>(store.rows()) * kPredictionBytes + idBytes +
                             labelRows * kLabelBytes + 2.0 * labelIdBytes;
        const double inMemory = l.spill ? 0.0 : static_cast<double>(ingest::tableBytes(l.table));
        const double room = std::max(static_cast<double>(budget) / 4, static_cast<double>(budget) - inMemory);
        // Two partitions at a time (one a core, each with half the room) when the join needs
        // more than one: the join is serial and the spill reads are page-cache copies.
        const std::size_t workers = state > room && std::thread::hardware_concurrency() > 1 ? 2 : 1;
        const auto partitions =
            static_cast<std::size_t>(std::max(1.0, std::ceil(state / (room / static_cast<double>(workers)))));

        auto summary = std::make_shared<LabelSummary>();
        std::vector<double> delays;
        for (std::size_t p = 0; p < partitions; p += workers) {
            if (stop.stop_requested())
                return Error{"cancelled"};
            std::vector<PartitionJoin> jobs(std::min(workers, partitions - p));
            {
                std::vector<std::jthread> others;
                for (std::size_t j = 1; j < jobs.size(); ++j)
                    others.emplace_back([&, j] { jobs[j].run(log, l, p + j, partitions); });
                jobs[0].run(log, l, p, partitions);
            } // joins the others
            // In partition order, on this thread: the spill file's chunk index changes.
            for (PartitionJoin& job : jobs) {
                if (job.error)
                    return *job.error;
                addCounts(*summary, job.counts);
                summary->negativeDelays += job.negativeDelays;
                delays.insert(delays.end(), job.delays.begin(), job.delays.end());
                if (auto e = writeBack(log, job.part, job.changed))
                    return *e;
            }
        }
        static constexpr std::array<double, 2> kQs = {0.5, 0.95};
        const auto q = stats::quantilesInPlace(delays, kQs);
        summary->delayP50Ms = q[0];
        summary->delayP95Ms = q[1];
        auto result = labelJoinResult(std::move(summary), labels, source);
        log.labels = result.value();
        return result;
    } catch (const std::exception& e) {
        return Error{std::string("joining labels failed: ") + e.what()};
    }
}

} // namespace vigil
