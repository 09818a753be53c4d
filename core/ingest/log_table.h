#pragma once
// The parsed prediction log, column by column. Nulls (missing field, JSON null,
// empty CSV cell) are kept apart from NaN/Inf, which are data and stay in the values.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

struct NumericColumn
{
    std::string name;
    std::vector<double> values;      // meaningless where !valid
    std::vector<std::uint8_t> valid; // 0 = null

    void push(double v)
    {
        values.push_back(v);
        valid.push_back(1);
    }
    void pushNull()
    {
        values.push_back(0.0);
        valid.push_back(0);
    }
    std::size_t size() const { return values.size(); }
};

struct CategoricalColumn
{
    static constexpr std::uint32_t kNull = std::numeric_limits<std::uint32_t>::max();
    std::string name;
    std::vector<std::uint32_t> codes; // index into dictionary, or kNull
    std::vector<std::string> dictionary;
    std::size_t size() const { return codes.size(); }
};

// Text values stored back to back: 8 bytes of offset and 1 of null flag per row
// plus the text itself, no allocation per row (1M ids like "r1234567" take ~17 MB).
struct StringColumn
{
    std::string name;
    std::string bytes;               // all values, concatenated
    std::vector<std::uint64_t> ends; // end of row i in bytes; it begins at ends[i - 1] (0 for row 0)
    std::vector<std::uint8_t> valid; // 0 = null

    void push(std::string_view v)
    {
        bytes.append(v);
        ends.push_back(bytes.size());
        valid.push_back(1);
    }
    void pushNull()
    {
        ends.push_back(bytes.size());
        valid.push_back(0);
    }
    std::string_view at(std::size_t row) const
    {
        const std::uint64_t begin = row == 0 ? 0 : ends[row - 1];
        return std::string_view(bytes).substr(begin, ends[row] - begin);
    }
    std::size_t size() const { return ends.size(); }
};

// Outcome of the status/error field of one row.
enum class RowStatus : std::uint8_t
{
    Ok = 0,
    Error = 1,
    Unknown = 2
};

struct LogTable
{
    std::vector<std::int64_t> tsMs; // UTC epoch milliseconds, one per row
    CategoricalColumn model{"model", {}, {}};
    CategoricalColumn version{"version", {}, {}};
    NumericColumn latencyMs{"latency_ms", {}, {}};
    std::vector<RowStatus> status;
    // Prediction and label in numeric form. For classification they are the score
    // (or 0/1 for class labels, 1 = positive class); for regression, the values.
    NumericColumn prediction{"prediction", {}, {}};
    NumericColumn label{"label", {}, {}};
    std::vector<NumericColumn> numericFeatures;
    std::vector<CategoricalColumn> categoricalFeatures;
    std::vector<NumericColumn> kpis; // name is the key inside `kpi` (e.g. "revenue")
    // Empty when the log maps no request id field; otherwise one entry per row.
    // Appended last so that existing aggregate initialisers stay valid.
    StringColumn requestId{"request_id", {}, {}, {}};

    std::size_t rows() const { return tsMs.size(); }
};

} // namespace vigil
