#pragma once
// "5s", "500ms", "2m", "1h", "1.5" (seconds) -> milliseconds, for --interval / --duration.
#include <QString>

#include <chrono>
#include <optional>

namespace vigil::cli {

std::optional<std::chrono::milliseconds> parseDurationArg(const QString& text);

} // namespace vigil::cli
