#include "duration_arg.h"

#include <charconv>
#include <cmath>
#include <string>

namespace vigil::cli {

std::optional<std::chrono::milliseconds> parseDurationArg(const QString& text)
{
    const std::string s = text.trimmed().toStdString();
    double value = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || value < 0 || !std::isfinite(value))
        return std::nullopt;
    const std::string unit(end, s.data() + s.size());
    double factor = 0.0;
    if (unit.empty() || unit == "s")
        factor = 1000.0;
    else if (unit == "ms")
        factor = 1.0;
    else if (unit == "m")
        factor = 60'000.0;
    else if (unit == "h")
        factor = 3'600'000.0;
    else
        return std::nullopt;
    return std::chrono::milliseconds(std::llround(value * factor));
}

} // namespace vigil::cli
