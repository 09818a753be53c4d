#pragma once
// RFC 4180 record splitting: quoted fields may hold commas, doubled quotes and
// newlines (a record then spans physical lines). Unquoted records take a fast path.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::ingest {

struct CsvRecordEnd
{
    std::size_t end = 0;        // index of the terminating '\n', or size when incomplete/at EOF
    bool complete = false;      // a terminating '\n' was found
    std::uint32_t newlines = 0; // '\n' inside quotes (extra physical lines)
};

// The record that starts at `pos` in [0, size).
CsvRecordEnd findCsvRecordEnd(const char* data, std::size_t pos, std::size_t size);

// One past the last '\n' that ends a record, scanning from a record start at 0;
// 0 when no record is complete.
std::size_t lastCsvBoundary(const char* data, std::size_t size);

// Splits one record (without its '\n'; a trailing '\r' is dropped). Unescaped
// fields are written into `scratch`, which is reserved up front so views stay valid.
// Returns false for a malformed quoted field (text after a closing quote, or an
// unterminated quote).
bool splitCsvRecord(std::string_view record, std::vector<std::string_view>& fields, std::string& scratch);

} // namespace vigil::ingest
