#pragma once
// Narrower, lossless layouts for the arrays of a spill chunk (docs/MEMORY.md). On the machines
// we measure, the kernel's copy of a spill into the page cache costs about a nanosecond a byte,
// more than encoding a value costs, so an array is stored in fewer bytes wherever every value
// comes back bit for bit:
// - integers (timestamps, category codes, string offsets): as the distance from the array's
//   minimum, in 1, 2 or 4 bytes;
// - doubles that were decimals with few digits, as JSON and CSV logs print them (0.158, 33.701,
//   a 0/1 label): as an integer k with value = k / 10^e, the idea of ALP (Afroozeh, Kuffo,
//   Boncz, "ALP: Adaptive Lossless floating-Point Compression", SIGMOD 2024). Decoding is one
//   correctly rounded division, so k / 10^e is exactly the double that parsing the decimal
//   gave; encoding checks every value bit for bit, and the few that do not come back (more
//   digits, -0.0, +/-Inf, a NaN with a payload) are kept aside as exceptions. One bit pattern
//   of NaN, the quiet NaN, has a code of its own. An array with too many exceptions, or whose
//   integers span more than 32 bits, is stored as it is.
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

namespace vigil::ingest {

enum class SpillCodec : std::uint8_t
{
    Raw,     // the values' own bytes
    Narrow,  // integers: value = base + stored (unsigned, `width` bytes)
    Decimal, // doubles: value = k / 10^exponent, k = base + stored (width 1, 2) or stored as int32 (width 4)
};

struct SpillException
{
    std::uint32_t row;  // chunk-local
    std::uint64_t bits; // the value's bytes
};

struct SpillLayout
{
    SpillCodec codec = SpillCodec::Raw;
    std::uint8_t width = 0;    // bytes a stored value (Narrow, Decimal)
    std::uint8_t exponent = 0; // Decimal
    std::int64_t base = 0;
    // Decimal: rows whose value is not k / 10^e, in row order. Kept in memory (at most one
    // value in 64 of the array: 12 bytes each), so that readers patch them without a read.
    std::vector<SpillException> exceptions;
};

// Chooses a layout for `values` and, unless it is Raw, writes the stored bytes into `stored`
// (resized). Integers of 2 bytes or more may be Narrow, doubles Decimal; anything else is Raw.
template <typename T> SpillLayout encodeSpillArray(std::span<const T> values, std::vector<char>& stored);

// Bytes of one stored value (sizeof(T) when Raw).
template <typename T> std::size_t storedWidth(const SpillLayout& layout)
{
    return layout.codec == SpillCodec::Raw ? sizeof(T) : layout.width;
}

// For a writer that encodes a large array of doubles a block at a time, so that each block's
// stored bytes go to the file while they are still in cache (encodeSpillArray needs the whole
// array's range first, to choose the width):
// - the exponent under which a sample of the values are decimals (-1: store them raw), and
//   whether that sample's k span so few values that a width under 4 bytes is likely (then
//   encodeSpillArray is the better choice);
int chooseSpillExponent(std::span<const double> values, bool& narrow);
// - k = value * 10^exponent as int32 for each value, the NaN code where a value is not one;
//   kMin/kMax are widened by the others. Returns how many values got the code.
std::size_t encodeSpillDecimal32(std::span<const double> values, int exponent, std::int32_t* out,
                                 std::int32_t& kMin, std::int32_t& kMax);
// - after that, the exceptions among them (a NaN code that is not the quiet NaN), appended
//   with rows counted from `firstRow`; false once there are more than spillExceptionLimit.
bool addSpillExceptions(std::span<const double> values, const std::int32_t* codes, std::size_t firstRow,
                        std::size_t limit, std::vector<SpillException>& out);
std::size_t spillExceptionLimit(std::size_t values);

// Decodes `count` stored values of rows [first, first + count) of a non-Raw array from `in`
// into `out` (not overlapping), exceptions included.
template <typename T>
void decodeSpillBlock(const SpillLayout& layout, const char* in, std::size_t first, std::size_t count,
                      T* out);

// The value of chunk-local row `row`, `stored` pointing at the array's first stored value
// (exceptions not applied: see patchSpillExceptions).
template <typename T> T decodeSpillValue(const SpillLayout& layout, const char* stored, std::size_t row);

// The codec's loops run on AVX2 where the CPU has it. Tests switch that off to check the
// portable loops give the same bytes; returns the previous setting.
bool useSpillSimd(bool enable);

// Puts the exceptions back: out[k] is the value of row rows[k] (`rows` ascending).
template <typename T>
void patchSpillExceptions(const SpillLayout& layout, std::span<const std::uint32_t> rows, T* out);

} // namespace vigil::ingest
