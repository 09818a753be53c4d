#pragma once
// rate(), increase(), delta(), irate() and idelta() on the samples of one series, as
// Prometheus v3.9.1 computes them (promql/functions.go extrapolatedRate/instantValue):
// counter resets, extrapolation towards the range boundaries, no extrapolation of a
// counter below zero. "No result" (fewer than two samples) is std::nullopt, not NaN.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace vigil {

struct PromPoint
{
    std::int64_t timestampMs = 0;
    double value = 0.0;
};

// The samples of a time-sorted series inside the range (evalMs - rangeMs, evalMs]:
// left-open, right-closed, as in Prometheus 3.
std::span<const PromPoint> selectRange(std::span<const PromPoint> series, std::int64_t evalMs,
                                       std::int64_t rangeMs);

// The core of rate/increase/delta on an already-selected window. The range boundaries
// are the selector's, not the samples'. isCounter enables reset handling and the
// zero-point cut-off; isRate divides by the range length in seconds.
std::optional<double> extrapolatedRate(std::span<const PromPoint> window, std::int64_t rangeStartMs,
                                       std::int64_t rangeEndMs, bool isCounter, bool isRate);
// irate (isRate) / idelta on an already-selected window: the last two samples only.
std::optional<double> instantValue(std::span<const PromPoint> window, bool isRate);

// PromQL functions evaluated at one instant over `series` (sorted by time).
std::optional<double> promRate(std::span<const PromPoint> series, std::int64_t evalMs, std::int64_t rangeMs);
std::optional<double> promIncrease(std::span<const PromPoint> series, std::int64_t evalMs,
                                   std::int64_t rangeMs);
std::optional<double> promDelta(std::span<const PromPoint> series, std::int64_t evalMs, std::int64_t rangeMs);
std::optional<double> promIrate(std::span<const PromPoint> series, std::int64_t evalMs, std::int64_t rangeMs);
std::optional<double> promIdelta(std::span<const PromPoint> series, std::int64_t evalMs,
                                 std::int64_t rangeMs);

enum class RangeFunction
{
    Rate,
    Increase,
    Delta,
    IRate,
    IDelta,
};

// `fn(series[rangeMs])` at start, start+step, ... <= end, like /api/v1/query_range:
// steps without a result are left out, so the output may have gaps.
std::vector<PromPoint> evaluateRange(std::span<const PromPoint> series, RangeFunction fn,
                                     std::int64_t startMs, std::int64_t endMs, std::int64_t stepMs,
                                     std::int64_t rangeMs);

} // namespace vigil
