#pragma once
// Distances between two discrete distributions given on the same bins or categories.
// Inputs are counts or proportions (each side is normalised to sum 1 where the
// definition needs it); both spans have the same length. An all-zero side -> nullopt.
#include <optional>
#include <span>

namespace vigil {

inline constexpr double kPsiFloor = 1e-4;

// PSI = sum (cur - ref) * ln(cur / ref) on proportions clipped below at 1e-4
// (the clipped proportions are not renormalised).
std::optional<double> populationStabilityIndex(std::span<const double> ref, std::span<const double> cur);

// Jensen-Shannon distance with base-2 logarithms, in [0, 1]; the square root of the
// JS divergence, as scipy.spatial.distance.jensenshannon(ref, cur, base=2). A divergence
// that rounds to a tiny negative number is clamped to 0.
std::optional<double> jensenShannonDistance(std::span<const double> ref, std::span<const double> cur);

// Hellinger distance in [0, 1]: H = sqrt(1 - sum sqrt(p q)) for normalised p, q. It is
// evaluated in the algebraically equal form sqrt(sum (sqrt p - sqrt q)^2 / 2), which
// cannot go negative and has no cancellation near 0.
std::optional<double> hellingerDistance(std::span<const double> ref, std::span<const double> cur);

} // namespace vigil
