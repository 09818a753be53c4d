#pragma once
// Appends block tables, in order, to the final table; categorical codes are
// remapped from each block's dictionary into one global dictionary per column.
#include "ingest/log_table.h"
#include "util/result.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::ingest {

class SpillStore;
class SpillWriter;

class TableMerger
{
  public:
    explicit TableMerger(LogTable& target);
    ~TableMerger(); // waits for a spill write in progress
    void reserve(std::size_t rows);
    void append(LogTable&& block);

    // Bounded memory (docs/MEMORY.md): once the merged rows hold more than `budgetBytes`,
    // they go to the spill file as one chunk, written by a thread of its own while merging
    // goes on into a second table; from then on a chunk is written whenever the merged rows
    // exceed an eighth of the budget. Dictionaries stay: codes remain global.
    // The file is created in `dir` (empty = $TMPDIR) at the first spill, not before: a log
    // that fits needs no writable temporary directory.
    void spillTo(std::string dir, std::uint64_t budgetBytes);
    std::shared_ptr<SpillStore> spillStore() const { return m_spill; } // null until a spill
    // After the last block: when anything was spilled, the rest follows and the columns'
    // memory is released, so the table holds only its dictionaries. False on a write error.
    bool finishSpill();
    const std::optional<Error>& spillError() const { return m_spillError; }

  private:
    void spillNow();

    using Codes = std::unordered_map<std::string, std::uint32_t>;
    void appendCategorical(CategoricalColumn& dst, Codes& codes, CategoricalColumn& src);

    LogTable& m_target;
    Codes m_model, m_version;
    std::vector<Codes> m_features;
    std::vector<std::uint32_t> m_remap;
    std::shared_ptr<SpillStore> m_spill;
    std::unique_ptr<SpillWriter> m_writer; // with m_spill
    std::string m_spillDir;
    bool m_spillEnabled = false;
    std::uint64_t m_budget = 0;
    std::uint64_t m_chunkBytes = 0; // after the first spill
    bool m_reservedForBudget = false;
    std::optional<Error> m_spillError;
};

} // namespace vigil::ingest
