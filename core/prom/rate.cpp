#include "prom/rate.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace vigil {
namespace {

// Timestamps come from the network; differences of extreme values must not overflow.
double secondsBetween(std::int64_t fromMs, std::int64_t toMs)
{
    return (static_cast<double>(toMs) - static_cast<double>(fromMs)) / 1000.0;
}

std::int64_t saturatingSub(std::int64_t a, std::int64_t b)
{
    std::int64_t out = 0;
    if (__builtin_sub_overflow(a, b, &out))
        return b > 0 ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
    return out;
}

} // namespace

std::span<const PromPoint> selectRange(std::span<const PromPoint> series, std::int64_t evalMs,
                                       std::int64_t rangeMs)
{
    const std::int64_t start = saturatingSub(evalMs, rangeMs);
    const auto first = std::upper_bound(series.begin(), series.end(), start,
                                        [](std::int64_t t, const PromPoint& p) { return t < p.timestampMs; });
    const auto last = std::upper_bound(first, series.end(), evalMs,
                                       [](std::int64_t t, const PromPoint& p) { return t < p.timestampMs; });
    return {first, last};
}

std::optional<double> extrapolatedRate(std::span<const PromPoint> window, std::int64_t rangeStartMs,
                                       std::int64_t rangeEndMs, bool isCounter, bool isRate)
{
    if (window.size() < 2)
        return std::nullopt;
    const PromPoint& first = window.front();
    const PromPoint& last = window.back();
    double result = last.value - first.value;
    if (isCounter) {
        // A decrease means the counter restarted from zero: add what was lost.
        double prev = first.value;
        for (const PromPoint& p : window.subspan(1)) {
            if (p.value < prev)
                result += prev;
            prev = p.value;
        }
    }
    double durationToStart = secondsBetween(rangeStartMs, first.timestampMs);
    double durationToEnd = secondsBetween(last.timestampMs, rangeEndMs);
    const double sampledInterval = secondsBetween(first.timestampMs, last.timestampMs);
    const double averageInterval = sampledInterval / static_cast<double>(window.size() - 1);

    // A sample within 1.1 average intervals of a boundary means the series probably
    // covers it: extrapolate all the way. Otherwise assume the series starts or ends
    // inside the range and extrapolate by half an interval only.
    const double threshold = averageInterval * 1.1;
    if (durationToStart >= threshold)
        durationToStart = averageInterval / 2;
    if (isCounter && result > 0 && first.value >= 0) {
        // Counters cannot go below zero: stop the extrapolation at the zero point.
        const double durationToZero = sampledInterval * (first.value / result);
        if (durationToZero < durationToStart)
            durationToStart = durationToZero;
    }
    if (durationToEnd >= threshold)
        durationToEnd = averageInterval / 2;

    double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (isRate)
        factor /= secondsBetween(rangeStartMs, rangeEndMs);
    return result * factor;
}

std::optional<double> instantValue(std::span<const PromPoint> window, bool isRate)
{
    if (window.size() < 2)
        return std::nullopt;
    const PromPoint& prev = window[window.size() - 2];
    const PromPoint& last = window.back();
    // After a counter reset irate takes the last value as the increase since the reset.
    double result = last.value;
    if (!isRate || !(last.value < prev.value))
        result = last.value - prev.value;
    if (last.timestampMs == prev.timestampMs)
        return std::nullopt;
    if (isRate)
        result /= secondsBetween(prev.timestampMs, last.timestampMs);
    return result;
}

namespace {

std::optional<double> evalAt(std::span<const PromPoint> series, RangeFunction fn, std::int64_t evalMs,
                             std::int64_t rangeMs)
{
    const auto window = selectRange(series, evalMs, rangeMs);
    const std::int64_t start = saturatingSub(evalMs, rangeMs);
    switch (fn) {
    case RangeFunction::Rate:
        return extrapolatedRate(window, start, evalMs, true, true);
    case RangeFunction::Increase:
        return extrapolatedRate(window, start, evalMs, true, false);
    case RangeFunction::Delta:
        return extrapolatedRate(window, start, evalMs, false, false);
    case RangeFunction::IRate:
        return instantValue(window, true);
    case RangeFunction::IDelta:
        return instantValue(window, false);
    }
    return std::nullopt;
}

} // namespace

std::optional<double> promRate(std::span<const PromPoint> series, std::int64_t evalMs, std::int64_t rangeMs)
{
    return evalAt(series, RangeFunction::Rate, evalMs, rangeMs);
}

std::optional<double> promIncrease(std::span<const PromPoint> series, std::int64_t evalMs,
                                   std::int64_t rangeMs)
{
    return evalAt(series, RangeFunction::Increase, evalMs, rangeMs);
}

std::optional<double> promDelta(std::span<const PromPoint> series, std::int64_t evalMs, std::int64_t rangeMs)
{
    return evalAt(series, RangeFunction::Delta, evalMs, rangeMs);
}

std::optional<double> promIrate(std::span<const PromPoint> series, std::int64_t evalMs, std::int64_t rangeMs)
{
    return evalAt(series, RangeFunction::IRate, evalMs, rangeMs);
}

std::optional<double> promIdelta(std::span<const PromPoint> series, std::int64_t evalMs, std::int64_t rangeMs)
{
    return evalAt(series, RangeFunction::IDelta, evalMs, rangeMs);
}

std::vector<PromPoint> evaluateRange(std::span<const PromPoint> series, RangeFunction fn,
                                     std::int64_t startMs, std::int64_t endMs, std::int64_t stepMs,
                                     std::int64_t rangeMs)
{
    std::vector<PromPoint> out;
    if (stepMs <= 0 || endMs < startMs || rangeMs <= 0)
        return out;
    // Unsigned distance: end - t cannot overflow even for extreme timestamps.
    for (std::int64_t t = startMs;;) {
        if (const auto v = evalAt(series, fn, t, rangeMs))
            out.push_back({t, *v});
        if (static_cast<std::uint64_t>(endMs) - static_cast<std::uint64_t>(t) <
            static_cast<std::uint64_t>(stepMs))
            break;
        t += stepMs;
    }
    return out;
}

} // namespace vigil
