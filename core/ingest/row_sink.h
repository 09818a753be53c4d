#pragma once
// Where each mapped field of a row goes, and the per-block column builder that
// turns one row's raw values into typed columns. Both readers (JSONL, CSV) fill
// the same slots, so conversion rules live here once.
#include "ingest/log_table.h"
#include "ingest/schema.h"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigil::ingest {

enum class DestKind : std::uint8_t
{
    Skip, // mapped but not stored
    Timestamp,
    RequestId,
    Model,
    Version,
    Latency,
    Status,
    Prediction,
    Label,
    NumericFeature,
    CategoricalFeature,
    Kpi,
};

struct Dest
{
    DestKind kind = DestKind::Skip;
    std::uint32_t index = 0; // feature / kpi index
    std::string path;
};

// One raw value as read from the line; text views live until the row is committed.
struct Scalar
{
    enum class Type : std::uint8_t
    {
        Unset,
        Null,
        Number,
        Int,
        String,
        Bool,
        Other
    };
    Type type = Type::Unset;
    bool boolean = false;
    double number = 0.0;
    std::int64_t integer = 0;
    std::string_view text;
};

struct RowPlan
{
    FieldMapping mapping; // with prediction kind resolved
    std::vector<Dest> dests;
    // Per dest: an earlier dest reading the same field (a field can be both the
    // model and a categorical feature), or -1. Readers fill only the first.
    std::vector<int> aliasOf;
    double latencyScale = 1.0; // 1000 when the latency field is in seconds
    bool statusIsErrorFlag = false;
    bool statusIsSuccessFlag = false; // "success": 1 / 0
    double avgRecordBytes = 0.0;      // from the sample; sizes per-block columns up front
    // A row without a request id is malformed (label sources: an id is what joins them).
    bool requireRequestId = false;

    // false: the request-id field is parsed as before (an odd id is still not descended into)
    // but not stored; the table has no ids.
    bool keepRequestIds = true;

    static RowPlan build(const InferredSchema& schema);
    int destForPath(std::string_view path) const;
};

// Whether a latency field name says seconds ("latency_s", "duration_seconds").
bool latencyNameIsSeconds(std::string_view path);
// Whether a status field name says that true / non-zero means failure ("error", "failed").
bool statusNameIsErrorFlag(std::string_view path);
// Whether a status field name says that 1 / non-zero means success ("success", "ok").
bool statusNameIsSuccessFlag(std::string_view path);
// Display name of a feature: "features.amount" -> "amount"; KPIs: last component.
std::string featureDisplayName(std::string_view path);
std::string kpiDisplayName(std::string_view path);

// An empty table with the column names the plan gives (features, KPIs).
LogTable makeEmptyTable(const RowPlan& plan);

// Block-local dictionary; codes are remapped into the global one on merge.
class DictionaryBuilder
{
  public:
    std::uint32_t intern(std::string_view text);
    std::vector<std::string> take();

  private:
    // Categories are short ("web", "ES", "1.4.0") and few: a text of up to 16 bytes is packed
    // into two words plus its length and found in a small open-addressing table with two
    // integer compares, without hashing the text or calling memcmp (a row interns several).
    struct ShortKey
    {
        std::uint64_t head = 0;
        std::uint64_t tail = 0;
        std::uint32_t length = 0;
        std::uint32_t code = CategoricalColumn::kNull; // kNull: empty slot
    };
    static constexpr std::size_t kShortSlots = 256; // a power of two; filled to half at most
    std::uint32_t internSlow(std::string_view text);

    std::deque<std::string> m_storage; // stable addresses for the map's keys
    std::unordered_map<std::string_view, std::uint32_t> m_codes;
    std::vector<ShortKey> m_short;
    std::size_t m_shortUsed = 0;
    std::string_view m_lastText;
    std::uint32_t m_lastCode = CategoricalColumn::kNull;
};

struct BlockProblem
{
    std::uint64_t line = 0; // relative to the block's first physical line (0-based)
    std::string error;
};

struct BlockResult
{
    LogTable table; // categorical codes index the block's own dictionaries
    std::vector<BlockProblem> problems;
    std::uint64_t lines = 0;
    std::uint64_t malformed = 0;
    std::uint64_t physicalLines = 0;
    std::vector<std::uint64_t> nonNumeric; // per dest: non-numeric text read as null
};

class RowSink
{
  public:
    RowSink(const RowPlan& plan, std::size_t maxProblems);

    std::vector<Scalar>& slots() { return m_slots; }
    // Reserves columns for the rows expected in `bytes` of input.
    void reserveFor(std::size_t bytes);
    void beginRow();
    // Converts the slots into one row; returns false (and records the problem) when
    // the row must be skipped (bad timestamp).
    bool commitRow(std::uint64_t relLine);
    void addProblem(std::uint64_t relLine, std::string error);
    BlockResult finish(std::uint64_t physicalLines);

    BlockResult& result() { return m_result; }

  private:
    double numeric(std::size_t dest, const Scalar& value, bool& valid);
    std::uint32_t categorical(DictionaryBuilder& dict, const Scalar& value);
    RowStatus status(const Scalar& value) const;
    bool matchesPositive(const Scalar& value) const;
    bool pushRequestId(std::uint64_t relLine);
    void pushNumeric(NumericColumn& column, std::size_t dest);
    void pushClassOrNumeric(NumericColumn& column, std::size_t dest, bool asClass);

    const RowPlan& m_plan;
    std::size_t m_maxProblems;
    std::vector<Scalar> m_slots;
    BlockResult m_result;
    DictionaryBuilder m_model;
    DictionaryBuilder m_version;
    std::vector<DictionaryBuilder> m_catFeatures;
    // Slot indices by role, -1 when the role is not mapped.
    int m_requestId = -1;
    int m_ts = -1, m_modelSlot = -1, m_versionSlot = -1, m_latency = -1, m_status = -1, m_prediction = -1,
        m_label = -1;
    std::vector<int> m_numSlots, m_catSlots, m_kpiSlots;
};

} // namespace vigil::ingest
