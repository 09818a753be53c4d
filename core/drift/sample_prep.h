#pragma once
// Small helpers shared by the drift statistics: NaN is "missing" for distribution
// statistics, so it is dropped (and counted) before anything is sorted or binned.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vigil {

// Sorts NaN-free values ascending (a bucket or radix sort above a few hundred values; -0.0
// before +0.0, which compare equal anyway).
void sortNanFree(std::vector<double>& values);

// The radix sort sortNanFree falls back to for skewed samples (any size; same order).
void radixSortNanFree(std::vector<double>& values);

// Indices of NaN-free values in ascending order of value, equal values (-0.0 and +0.0
// included) in index order: what std::stable_sort by value gives, by a radix sort.
std::vector<std::uint32_t> stableAscendingOrder(std::span<const double> values);

// Ascending copy of the non-NaN values (+/-Inf kept, at the ends).
std::vector<double> sortedWithoutNan(std::span<const double> values);

std::size_t countNan(std::span<const double> values);

// Quantile of a sorted, non-empty, NaN-free sample with numpy's default 'linear'
// method (virtual index (n-1)q, and numpy's two-sided lerp so results are bit-identical).
double quantileSorted(std::span<const double> sorted, double q);

// The finite part of a sorted sample (drops the leading -Inf and trailing +Inf run).
std::span<const double> finitePart(std::span<const double> sorted);

} // namespace vigil
