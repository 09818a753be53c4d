#pragma once
// Regression error metrics with sklearn 1.2's definitions, except that R² is
// nullopt (not sklearn's 0/1 convention) when the labels are constant.
#include <cstdint>
#include <optional>
#include <span>

namespace vigil::stats {

struct RegressionMetrics
{
    std::uint64_t used = 0;
    std::uint64_t excluded = 0; // rows with a non-finite prediction or label
    std::optional<double> mae, rmse, r2;
};

RegressionMetrics regressionMetrics(std::span<const double> predicted, std::span<const double> label);

} // namespace vigil::stats
