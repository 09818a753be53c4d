#pragma once
// KPI ratio expressions ("sum(converted) / rows"), parsed once per analysis and
// evaluated per window. Private to the engine.
#include "config/config.h"
#include "engine/analysis.h"
#include "util/result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::detail {

struct RatioTerm
{
    enum class Kind
    {
        Rows,
        Labeled,
        Sum,
        Mean,
        Count
    };
    Kind kind = Kind::Rows;
    std::size_t kpi = 0; // index into LogTable::kpis for Sum/Mean/Count
};

struct ParsedRatio
{
    std::string name;
    RatioTerm numerator;
    RatioTerm denominator;
};

// kpiNames: LogTable::kpis names in order. The error names the ratio and says
// what is wrong with it.
Result<ParsedRatio> parseRatio(const KpiRatio& ratio, const std::vector<std::string>& kpiNames);

// nullopt when a term is undefined (mean of no finite value) or the denominator is 0.
std::optional<double> evaluateRatio(const ParsedRatio& ratio, const WindowStats& window);

} // namespace vigil::detail
