#pragma once
// Joining late labels to predictions by request id, in whichever order they arrive
// (docs/LOG_FORMAT.md, "Late labels"). The join writes into the prediction table's
// label column and says which rows changed, so that only their windows are recomputed.
//
// Rules: a source label overrides the log's own label. Among records of one request id
// the latest ts wins (equal ts: the later record). A null label is counted and never
// joined. A label applies to every prediction row with its request id. Labels that match
// nothing are kept, so a prediction arriving later still gets them.
//
// Memory: the prediction index costs 16-32 bytes per distinct prediction id (open
// addressing, load at most 1/2); each distinct label id ~40 bytes plus its text.
#include "ingest/label_summary.h"
#include "ingest/log_table.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigil {

namespace detail {

// Open-addressing map from a 64-bit hash to a 32-bit reference; the caller compares
// the keys behind equal hashes, so colliding ids stay apart.
class IdHashIndex
{
  public:
    static constexpr std::uint32_t kNone = 0xffffffffu;
    struct Slot
    {
        std::uint64_t hash = 0;
        std::uint32_t ref = kNone;
        std::uint32_t extra = kNone; // caller's data (the label entry of a prediction)
    };

    // The slot holding a key equal to the probe (`equal(ref)`), or nullptr.
    template <typename Equal> Slot* find(std::uint64_t hash, Equal&& equal)
    {
        if (m_slots.empty())
            return nullptr;
        for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            Slot& s = m_slots[i];
            if (s.ref == kNone)
                return nullptr;
            if (s.hash == hash && equal(s.ref))
                return &s;
        }
    }
    Slot& insert(std::uint64_t hash, std::uint32_t ref); // the key must not be present
    std::size_t size() const { return m_size; }
    std::size_t bytes() const { return m_slots.capacity() * sizeof(Slot); }

  private:
    void grow();
    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_size = 0;
};

} // namespace detail

class LabelJoin
{
  public:
    // Rows [firstRow, predictions.rows()) are new: joins them with the labels seen so
    // far. Returns the rows whose label changed, ascending.
    std::vector<std::uint32_t> addPredictions(LogTable& predictions, std::size_t firstRow = 0);

    // Label records: labels.tsMs, labels.requestId and labels.label, one per row (as
    // loadLabelSource returns them). Returns the prediction rows whose label changed, ascending.
    std::vector<std::uint32_t> addLabels(LogTable& predictions, const LogTable& labels);

    // The counts, with the label delay over every joined pair (reads predictions.tsMs).
    LabelSummary summary(const LogTable& predictions) const;
    // The delay (label ts - prediction ts) of every joined pair, and how many are negative:
    // what summary() takes its quantiles from (a join in parts pools them).
    std::vector<double> delays(const LogTable& predictions, std::uint64_t& negative) const;

    std::size_t memoryBytes() const;
    // The counts so far, without the delay quantiles (cheap; summary() computes those).
    const LabelSummary& counts() const { return m_counts; }

  private:
    std::string_view labelId(std::uint32_t entry) const;
    void apply(LogTable& predictions, std::uint32_t row, std::uint32_t entry, bool first,
               std::vector<std::uint32_t>& changed);
    template <typename Fn> void forEachRow(std::uint32_t firstRow, Fn&& fn) const;

    detail::IdHashIndex m_predictions; // ref = first row with the id, extra = label entry
    detail::IdHashIndex m_labelIndex;  // ref = label entry
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> m_moreRows; // first row -> later rows

    // Label entries, one per distinct request id.
    std::string m_idBytes;
    std::vector<std::uint64_t> m_idEnds;
    std::vector<double> m_value;
    std::vector<std::int64_t> m_ts;
    std::vector<std::uint32_t> m_firstRow; // IdHashIndex::kNone while unmatched

    LabelSummary m_counts; // delay fields are filled by summary()
};

// The start of each window of size windowMs holding one of `rows`, ascending, unique.
std::vector<std::int64_t> windowsOfRows(const LogTable& table, std::span<const std::uint32_t> rows,
                                        std::int64_t windowMs);

} // namespace vigil
