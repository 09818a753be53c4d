#pragma once
// Immutable copies of a growing log for publishing, without copying the whole table
// each time. Results are immutable (`shared_ptr<const LoadedLog>`) and the views may
// still read the previous one while following goes on, so a published log cannot be
// the live one. Copying the table per publish cost O(rows) (1M rows: ~100 MB, tens of
// ms, every 250 ms); here a few copies are kept and recycled: a copy nobody holds any
// more is brought up to date by appending only the rows (and dictionary entries) added
// since it was last published, and handed out again. While a copy is held it is never
// written to, so every snapshot stays as it was published.
//
// The live table must only grow (rows appended, dictionaries appended), except for
// labels joined in place, which labelsChanged() announces. Whoever changes other rows
// already published calls invalidate(): the next publish then copies in full.
#include "ingest/label_summary.h"
#include "ingest/load.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace vigil {

class LogSnapshots
{
  public:
    // At most this many copies are kept for recycling; more may be alive while held.
    static constexpr std::size_t kKeep = 3;

    LogSnapshots();
    ~LogSnapshots();
    LogSnapshots(const LogSnapshots&) = delete;
    LogSnapshots& operator=(const LogSnapshots&) = delete;

    // An immutable copy of `live` as it is now; `labels`, when given, replaces
    // live.labels in the copy. Not thread-safe: one publishing thread; the copies may be
    // read and released on any thread.
    std::shared_ptr<const LoadedLog> publish(const LoadedLog& live,
                                             std::shared_ptr<const LabelSummary> labels = nullptr);
    void invalidate() { ++m_generation; }
    // Labels of rows already read were joined in place (late labels): the label column
    // is copied whole into each recycled copy, the other columns still only grow.
    void labelsChanged() { ++m_labelGeneration; }

    // Rows written into the copy by the last publish: the new rows when a copy was
    // recycled, all of them when one was made from scratch.
    std::size_t lastCopiedRows() const { return m_lastCopiedRows; }
    std::size_t fullCopies() const { return m_fullCopies; }

  private:
    struct Slot;
    std::vector<std::shared_ptr<Slot>> m_slots;
    std::uint64_t m_generation = 0;
    std::uint64_t m_labelGeneration = 0;
    std::size_t m_lastCopiedRows = 0;
    std::size_t m_fullCopies = 0;
};

// Appends to `copy` what `live` has beyond it, column by column; false (copy untouched
// or partly updated, to be discarded) when `copy` is not a prefix-sized image of `live`
// (fewer rows, other columns). Exposed for tests.
bool catchUp(LogTable& copy, const LogTable& live);

} // namespace vigil
