#pragma once
// Small text helpers shared by the JSONL and CSV readers and by schema inference.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::ingest {

inline constexpr std::size_t kMaxLineBytes = 1u << 20; // longer lines are malformed

bool iequals(std::string_view a, std::string_view b);
std::string toLower(std::string_view text);
std::string_view trimSpaces(std::string_view text);

// A whole-string number, also "NaN", "nan", "inf", "-inf", "Infinity", "-Infinity"
// (Python writes those; in monitoring a NaN is data, not a parse error).
std::optional<double> parseNumberText(std::string_view text);
bool isNonFiniteText(std::string_view text);

// Python's json module writes bare NaN/Infinity/-Infinity, which simdjson rejects;
// quoting them outside strings turns the line into valid JSON. Returns false when
// no such token was found (so a retry would not help).
bool quoteNonFiniteTokens(std::string_view line, std::string& out);

// Shortest round-trip text of a number, integers without ".0".
std::string numberText(double value);

// Escapes a value for a one-line problem message, cut to a readable length.
std::string quoteForMessage(std::string_view value);

} // namespace vigil::ingest
