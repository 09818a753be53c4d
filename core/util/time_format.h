#pragma once
#include <cstdint>
#include <string>

namespace vigil {

// "2026-01-01T13:00:00Z" (milliseconds shown only when not zero).
std::string formatIsoUtc(std::int64_t epochMs);

} // namespace vigil
