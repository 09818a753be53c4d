#pragma once
// The PCA reconstruction error's one heavy step, squared row norms of X W (rows x features
// times features x discarded components), as a register-blocked AVX2/FMA (or AVX-512) kernel. At 1,000
// features and 200,000 rows it is about 10^11 multiply-adds: Eigen, built for plain x86-64
// (SSE2, no FMA), runs them at a third of what the AVX2 units do. The kernel is chosen at
// run time, so the program still runs on a CPU without AVX2 (callers then use Eigen).
#include <cstddef>
#include <vector>

namespace vigil::pcakernel {

// Whether this CPU has the kernel's instructions (AVX2 and FMA).
bool available();

// W (d x c, column-major) in the kernel's layout: panels of 4 columns, each stored row by
// row (p = 0..d-1, 4 values a row), the last panel padded with zero columns.
std::vector<double> packColumns(const double* w, std::size_t d, std::size_t c);

// out[r] = sum over the c columns of (sum_p x[r + p * ld] * W(p, col))^2, for r < rows:
// x is rows x d, column-major with leading dimension ld >= rows; `packed` is
// packColumns(W, d, c). Only call when available(). Each product is summed over p in
// order with fused multiply-adds, so the result does not depend on the blocking.
// Uses AVX-512 when the CPU has it.
void squaredProjections(const double* x, std::size_t rows, std::size_t ld, std::size_t d,
                        const std::vector<double>& packed, std::size_t c, double* out);

// The same with a given instruction set (tests run both); the CPU must have it.
enum class Isa
{
    Avx2,
    Avx512
};
bool hasAvx512();
void squaredProjectionsWith(Isa isa, const double* x, std::size_t rows, std::size_t ld, std::size_t d,
                            const std::vector<double>& packed, std::size_t c, double* out);

} // namespace vigil::pcakernel
