#pragma once
#include "util/result.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil {

// Decodes a gzip (Content-Encoding: gzip) body. Stops with an error as soon as the
// decoded size passes `maxBytes`, so a small compressed bomb cannot fill memory.
Result<std::string> gunzip(std::string_view compressed, std::size_t maxBytes);

// "64 MiB" / "512 KiB" / "100 bytes": how a size cap is quoted in messages.
std::string formatByteSize(std::size_t bytes);

} // namespace vigil
