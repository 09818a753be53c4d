#include "engine/kpi_ratio.h"

#include <algorithm>
#include <cctype>

namespace vigil::detail {
namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Returns an error message, or empty on success.
std::string parseTerm(std::string_view text, const std::vector<std::string>& kpiNames, RatioTerm& term)
{
    text = trim(text);
    if (text == "rows") {
        term.kind = RatioTerm::Kind::Rows;
        return {};
    }
    if (text == "labeled") {
        term.kind = RatioTerm::Kind::Labeled;
        return {};
    }
    const auto open = text.find('(');
    if (open == std::string_view::npos || text.back() != ')')
        return "expected 'rows', 'labeled', 'sum(kpi)', 'mean(kpi)' or 'count(kpi)', got '" +
               std::string(text) + "'";
    const std::string_view function = trim(text.substr(0, open));
    if (function == "sum")
        term.kind = RatioTerm::Kind::Sum;
    else if (function == "mean")
        term.kind = RatioTerm::Kind::Mean;
    else if (function == "count")
        term.kind = RatioTerm::Kind::Count;
    else
        return "unknown function '" + std::string(function) + "' (use sum, mean or count)";
    const std::string_view name = trim(text.substr(open + 1, text.size() - open - 2));
    if (name.empty())
        return "missing KPI name in '" + std::string(text) + "'";
    const auto it = std::find(kpiNames.begin(), kpiNames.end(), name);
    if (it == kpiNames.end())
        return "unknown KPI '" + std::string(name) + "'";
    term.kpi = static_cast<std::size_t>(it - kpiNames.begin());
    return {};
}

std::optional<double> termValue(const RatioTerm& term, const WindowStats& w)
{
    switch (term.kind) {
    case RatioTerm::Kind::Rows:
        return static_cast<double>(w.rows);
    case RatioTerm::Kind::Labeled:
        return static_cast<double>(w.labeled);
    case RatioTerm::Kind::Sum:
        return w.kpis[term.kpi].sum;
    case RatioTerm::Kind::Mean:
        return w.kpis[term.kpi].mean;
    case RatioTerm::Kind::Count:
        return static_cast<double>(w.kpis[term.kpi].count);
    }
    return std::nullopt;
}

} // namespace

Result<ParsedRatio> parseRatio(const KpiRatio& ratio, const std::vector<std::string>& kpiNames)
{
    auto fail = [&](const std::string& why) {
        return Error{"KPI ratio '" + ratio.name + "' (\"" + ratio.expression + "\"): " + why};
    };
    const std::string_view expression = ratio.expression;
    const auto slash = expression.find('/');
    if (slash == std::string_view::npos)
        return fail("expected 'TERM / TERM'");
    if (expression.find('/', slash + 1) != std::string_view::npos)
        return fail("only one '/' is allowed");
    ParsedRatio parsed;
    parsed.name = ratio.name;
    if (auto why = parseTerm(expression.substr(0, slash), kpiNames, parsed.numerator); !why.empty())
        return fail(why);
    if (auto why = parseTerm(expression.substr(slash + 1), kpiNames, parsed.denominator); !why.empty())
        return fail(why);
    return parsed;
}

std::optional<double> evaluateRatio(const ParsedRatio& ratio, const WindowStats& window)
{
    const auto numerator = termValue(ratio.numerator, window);
    const auto denominator = termValue(ratio.denominator, window);
    if (!numerator || !denominator || *denominator == 0.0)
        return std::nullopt;
    return *numerator / *denominator;
}

} // namespace vigil::detail
