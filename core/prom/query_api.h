#pragma once
// Decoding Prometheus HTTP API responses (/api/v1/query, /api/v1/query_range,
// /api/v1/labels, /api/v1/label/<name>/values, /api/v1/series) and choosing a
// query_range step. Sample values arrive as JSON strings ("NaN", "+Inf", "1e-07");
// they are parsed with correct rounding, so every value is preserved exactly.
#include "prom/rate.h"
#include "util/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil {

enum class QueryResultType
{
    None, // not a query response (labels, series) or an error response
    Matrix,
    Vector,
    Scalar,
    String,
};

// What `data` held: a query result, a list of strings (label names or values), or a
// list of label sets (/api/v1/series).
enum class QueryDataKind
{
    None,
    QueryResult,
    StringList,
    LabelSets,
};

using PromLabelSet = std::vector<std::pair<std::string, std::string>>; // sorted by name

struct NativeHistogramBucket
{
    int boundaryRule = 0; // 0 open left, 1 open right, 2 open both, 3 closed both
    double lower = 0.0;
    double upper = 0.0;
    double count = 0.0;
};

struct NativeHistogramSample
{
    std::int64_t timestampMs = 0;
    double count = 0.0;
    double sum = 0.0;
    std::vector<NativeHistogramBucket> buckets;
};

struct QuerySeries
{
    PromLabelSet metric;
    std::vector<PromPoint> values; // a vector result has exactly one value or histogram
    std::vector<NativeHistogramSample> histograms;
};

struct QueryResponse
{
    bool success = false;  // "status": "success"
    std::string errorType; // bad_data, execution, timeout, canceled, internal, unavailable, ...
    std::string error;
    std::vector<std::string> warnings;
    std::vector<std::string> infos;

    QueryDataKind dataKind = QueryDataKind::None;
    QueryResultType resultType = QueryResultType::None;
    std::vector<QuerySeries> series; // matrix, vector
    PromPoint scalar;                // scalar
    std::int64_t stringTimeMs = 0;   // string
    std::string stringValue;
    std::vector<std::string> strings;    // label names / label values
    std::vector<PromLabelSet> labelSets; // /api/v1/series
};

// An API error ("status": "error") decodes successfully into success == false with
// errorType and error set. Error is reserved for bodies that are not a valid API
// response (broken JSON, wrong shapes, unparsable sample values), with the JSON path.
Result<QueryResponse> decodeQueryResponse(std::string_view json);

// The HTTP status Prometheus pairs with an errorType (web/api/v1 getDefaultErrorCode);
// 0 for an unknown type.
int httpStatusForErrorType(std::string_view errorType);

// Prometheus rejects query_range requests with more than 11,000 points per series.
inline constexpr std::int64_t kMaxPointsPerSeries = 11000;

// A step (ms) from a list of round values (1s, 5s, 10s, 15s, 30s, 1m, 2m, 5m, 10m,
// 15m, 30m, 1h, 2h, 3h, 6h, 12h, 1d, 2d, 7d, then whole days) such that the range
// [startMs, endMs] yields at most min(widthPx, 11000) points: floor(range/step)+1.
std::int64_t chooseStep(std::int64_t startMs, std::int64_t endMs, int widthPx);

} // namespace vigil
