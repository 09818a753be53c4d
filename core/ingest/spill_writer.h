#pragma once
// Writes spill chunks on a thread of its own (docs/MEMORY.md): the loader keeps merging parsed
// blocks into one table while the previous one goes to the spill file, instead of leaving the
// parse workers idle for the length of the write. Two tables take turns: the caller's, which
// fills, and the writer's, which is written; a hand-over waits until the writer is idle, so
// chunks reach the file in hand-over order and at most two tables' rows are in memory.
#include "ingest/log_table.h"
#include "util/result.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace vigil::ingest {

class SpillStore;

// Exchanges the row data of every column of `a` and `b` (not names or dictionaries); both
// have the same columns.
void swapColumns(LogTable& a, LogTable& b);

class SpillWriter
{
  public:
    // `layout`: the spilled table's columns (its rows are not read).
    SpillWriter(std::shared_ptr<SpillStore> store, const LogTable& layout);
    ~SpillWriter(); // waits for the chunk being written
    SpillWriter(const SpillWriter&) = delete;
    SpillWriter& operator=(const SpillWriter&) = delete;

    // Waits until the previous chunk is written, then takes `table`'s rows as the next chunk:
    // `table` gets back the columns of the chunk written before, emptied (their capacity,
    // already touched, is reused). The error of an earlier write, if any; then nothing more
    // is written.
    std::optional<Error> write(LogTable& table);

    // Waits until every chunk handed over is written; the first write error.
    std::optional<Error> finish();

    // Frees the memory of the writer's table (call after finish()).
    void releaseBuffer();

  private:
    void run(std::stop_token stop);
    std::optional<Error> waitIdle(std::unique_lock<std::mutex>& lock);

    std::shared_ptr<SpillStore> m_store;
    LogTable m_buffer; // the chunk being written, or the last one written (emptied)
    std::mutex m_mutex;
    std::condition_variable_any m_changed;
    bool m_pending = false; // m_buffer holds rows not written yet
    std::optional<Error> m_error;
    std::jthread m_thread; // last: started after the members it uses
};

} // namespace vigil::ingest
