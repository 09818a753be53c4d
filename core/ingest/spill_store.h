#pragma once
// Rows of a LogTable written to a temporary file, chunk by chunk, column by column, so that
// a report over a log larger than its memory budget can read back only what it needs
// (docs/MEMORY.md). The file is unlinked from the start: nothing is left behind, even on a
// crash. Arrays are written in the narrowest layout that gives every value back bit for bit
// (spill_codec.h); categorical codes stay global, the dictionaries with the caller.
#include "ingest/log_table.h"
#include "ingest/spill_codec.h"
#include "util/result.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace vigil::ingest {

// Every array of a table in one fixed order; `array(vec)` for each column vector, then
// `strings(col)` for the request ids (stored as three arrays: bytes, ends, valid).
template <typename Table, typename ArrayFn, typename StringFn>
void forEachColumn(Table& t, ArrayFn&& array, StringFn&& strings)
{
    array(t.tsMs);
    array(t.model.codes);
    array(t.version.codes);
    array(t.latencyMs.values);
    array(t.latencyMs.valid);
    array(t.status);
    array(t.prediction.values);
    array(t.prediction.valid);
    array(t.label.values);
    array(t.label.valid);
    for (auto& c : t.numericFeatures) {
        array(c.values);
        array(c.valid);
    }
    for (auto& c : t.categoricalFeatures)
        array(c.codes);
    for (auto& c : t.kpis) {
        array(c.values);
        array(c.valid);
    }
    strings(t.requestId);
}

// Positions of the fixed arrays in forEachColumn's order.
enum SpillArray : std::size_t
{
    kSpillTs = 0,
    kSpillVersion = 2,
    kSpillPrediction = 6,
    kSpillPredictionValid = 7,
    kSpillLabel = 8,
    kSpillLabelValid = 9,
    kSpillModel = 1,
    kSpillLatency = 3,
    kSpillLatencyValid = 4,
    kSpillStatus = 5,
    kSpillFixedArrays = 10, // then the features', the KPIs' and the request ids' arrays
};

// Bytes the table's columns hold (not their capacity), dictionaries excluded.
std::uint64_t tableBytes(const LogTable& t);

struct SpillExtent
{
    std::uint64_t offset = 0;
    std::uint64_t bytes = 0;  // the array's bytes in a table (0: the column is absent)
    std::uint64_t stored = 0; // the bytes it takes in the file from `offset`
    // An array whose values are all one value (an all-valid validity array, a log's only model
    // or version) is not written: `value` holds that value's bytes, and readers repeat it.
    bool repeated = false;
    std::uint64_t value = 0;
    SpillLayout layout; // how the written values are stored (ingest/spill_codec.h)
};

struct SpillChunk
{
    std::uint64_t firstRow = 0; // of the whole log
    std::uint64_t rows = 0;
    std::int64_t tsMin = std::numeric_limits<std::int64_t>::max();
    std::int64_t tsMax = std::numeric_limits<std::int64_t>::min();
    std::vector<SpillExtent> arrays; // forEachColumn's order
};

class SpillStore
{
  public:
    // In `dir`, or std::filesystem::temp_directory_path() ($TMPDIR) when empty.
    static Result<std::unique_ptr<SpillStore>> create(const std::string& dir = {});
    ~SpillStore();
    SpillStore(const SpillStore&) = delete;
    SpillStore& operator=(const SpillStore&) = delete;

    // Writes the table's rows as one chunk.
    std::optional<Error> append(const LogTable& table);

    const std::vector<SpillChunk>& chunks() const { return m_chunks; }
    std::uint64_t rows() const { return m_rows; }
    // The spilled table's bytes, and the bytes the file holds (repeated arrays are not written,
    // a replaced array of another size is written again at the end).
    std::uint64_t bytes() const { return m_bytes; }
    std::uint64_t fileBytes() const { return m_end; }

    template <typename T> static T repeatedValue(const SpillExtent& e)
    {
        T v;
        std::memcpy(&v, &e.value, sizeof(T));
        return v;
    }

    // One array of a chunk, whole.
    template <typename T>
    std::optional<Error> readArray(std::size_t chunk, std::size_t array, std::vector<T>& out) const
    {
        static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(std::uint64_t));
        const SpillExtent& e = m_chunks[chunk].arrays[array];
        if (e.repeated) {
            out.assign(e.bytes / sizeof(T), repeatedValue<T>(e));
            return std::nullopt;
        }
        out.resize(e.bytes / sizeof(T));
        return readRun(e, 0, out.size(), out.data());
    }

    // Appends the chunk's rows `rows` (ascending chunk-local indices) to `dst`, which has the
    // layout of the spilled table (same columns); arrays absent in the chunk stay untouched.
    // Reads one array at a time, so that at most one array of the chunk is in memory.
    // With `arrays`, only the arrays marked true (forEachColumn's order; the request ids'
    // three arrays by the first of them) are read; the others stay empty (absent).
    std::optional<Error> gather(std::size_t chunk, std::span<const std::uint32_t> rows, LogTable& dst,
                                const std::vector<bool>* arrays = nullptr) const;

    // Appends every row of the chunk's request ids to `dst` (nothing when the log has none).
    std::optional<Error> appendStrings(std::size_t chunk, StringColumn& dst) const;

    // Reads the whole chunk into `dst` (its columns replaced).
    std::optional<Error> read(std::size_t chunk, LogTable& dst) const;

    // Writes a new label column for the chunk (e.g. after a late-label join): over the old
    // arrays where they were written with the same size, else at the end of the file.
    std::optional<Error> replaceLabel(std::size_t chunk, const NumericColumn& label);

  private:
    std::optional<Error> gatherStrings(std::size_t chunk, std::span<const std::uint32_t>* rows,
                                       StringColumn& dst) const;
    explicit SpillStore(int fd) : m_fd(fd) {}
    std::optional<Error> writeAt(const void* data, std::uint64_t bytes, std::uint64_t offset);
    std::optional<Error> writeBytes(const void* data, std::uint64_t bytes, SpillExtent& extent);
    // Writes `values` encoded (spill_codec.h) at the end of the file into `extent`, or over the
    // extent's old bytes when `inPlace` and they fit there.
    template <typename T>
    std::optional<Error> writeArray(std::span<const T> values, SpillExtent& extent, bool inPlace);
    std::optional<Error> writeDecimalStream(std::span<const double> values, int exponent,
                                            SpillExtent& extent);
    std::optional<Error> readAt(void* data, std::uint64_t bytes, std::uint64_t offset) const;
    // Rows [first, first + count) of a written array, decoded (a block at a time through a
    // buffer in cache, when the array is encoded).
    template <typename T>
    std::optional<Error> readRun(const SpillExtent& e, std::size_t first, std::size_t count, T* out) const;

    int m_fd = -1;
    std::uint64_t m_end = 0; // file size
    std::uint64_t m_rows = 0;
    std::uint64_t m_bytes = 0;
    std::vector<SpillChunk> m_chunks;
    std::vector<char> m_encoded; // an array's stored bytes while it is written
};

} // namespace vigil::ingest
