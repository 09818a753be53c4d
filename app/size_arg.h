#pragma once
// "512M", "1G", "1.5G", "768MiB", "65536" (bytes), "0" -> bytes, for --memory-budget.
// K, M, G, T are powers of 1024 (an optional trailing "B" or "iB" changes nothing).
#include <QString>

#include <cstdint>
#include <optional>

namespace vigil::cli {

std::optional<std::uint64_t> parseByteSize(const QString& text);

} // namespace vigil::cli
