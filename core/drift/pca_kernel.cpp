#include "pca_kernel.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#define VIGIL_PCA_KERNEL_X86 1
#include <immintrin.h>
#endif

namespace vigil::pcakernel {

namespace {

constexpr std::size_t kTileRows = 12; // rows a micro-tile: 3 registers of 4 doubles
constexpr std::size_t kPanel = 4;     // columns a panel: 12 x 4 accumulators + 4 loads = 16 registers
// Features a pass: a tile's 12 x 128 values (12 KB) stay in L1 while every panel's
// 128 x 4 slice (500 KB for 500 columns) streams from L2.
constexpr std::size_t kDepth = 128;
// Rows a block: its accumulators (10 tiles x 500 columns, 480 KB) stay in L2 across passes.
constexpr std::size_t kBlockTiles = 10;

#ifdef VIGIL_PCA_KERNEL_X86
// acc (4 columns x 12 rows, column by column) += a (depth x 12) * b (depth x 4). Written out
// by hand so that the 12 accumulators are registers at any optimisation level.
__attribute__((target("avx2,fma"))) void microKernel(const double* a, const double* b, std::size_t depth,
                                                     double* acc)
{
    __m256d c00 = _mm256_loadu_pd(acc + 0);
    __m256d c01 = _mm256_loadu_pd(acc + 4);
    __m256d c02 = _mm256_loadu_pd(acc + 8);
    __m256d c10 = _mm256_loadu_pd(acc + 12);
    __m256d c11 = _mm256_loadu_pd(acc + 16);
    __m256d c12 = _mm256_loadu_pd(acc + 20);
    __m256d c20 = _mm256_loadu_pd(acc + 24);
    __m256d c21 = _mm256_loadu_pd(acc + 28);
    __m256d c22 = _mm256_loadu_pd(acc + 32);
    __m256d c30 = _mm256_loadu_pd(acc + 36);
    __m256d c31 = _mm256_loadu_pd(acc + 40);
    __m256d c32 = _mm256_loadu_pd(acc + 44);
    for (std::size_t p = 0; p < depth; ++p, a += kTileRows, b += kPanel) {
        const __m256d a0 = _mm256_loadu_pd(a);
        const __m256d a1 = _mm256_loadu_pd(a + 4);
        const __m256d a2 = _mm256_loadu_pd(a + 8);
        __m256d w = _mm256_broadcast_sd(b);
        c00 = _mm256_fmadd_pd(a0, w, c00);
        c01 = _mm256_fmadd_pd(a1, w, c01);
        c02 = _mm256_fmadd_pd(a2, w, c02);
        w = _mm256_broadcast_sd(b + 1);
        c10 = _mm256_fmadd_pd(a0, w, c10);
        c11 = _mm256_fmadd_pd(a1, w, c11);
        c12 = _mm256_fmadd_pd(a2, w, c12);
        w = _mm256_broadcast_sd(b + 2);
        c20 = _mm256_fmadd_pd(a0, w, c20);
        c21 = _mm256_fmadd_pd(a1, w, c21);
        c22 = _mm256_fmadd_pd(a2, w, c22);
        w = _mm256_broadcast_sd(b + 3);
        c30 = _mm256_fmadd_pd(a0, w, c30);
        c31 = _mm256_fmadd_pd(a1, w, c31);
        c32 = _mm256_fmadd_pd(a2, w, c32);
    }
    _mm256_storeu_pd(acc + 0, c00);
    _mm256_storeu_pd(acc + 4, c01);
    _mm256_storeu_pd(acc + 8, c02);
    _mm256_storeu_pd(acc + 12, c10);
    _mm256_storeu_pd(acc + 16, c11);
    _mm256_storeu_pd(acc + 20, c12);
    _mm256_storeu_pd(acc + 24, c20);
    _mm256_storeu_pd(acc + 28, c21);
    _mm256_storeu_pd(acc + 32, c22);
    _mm256_storeu_pd(acc + 36, c30);
    _mm256_storeu_pd(acc + 40, c31);
    _mm256_storeu_pd(acc + 44, c32);
}

// The same with 24 rows (3 registers of 8 doubles) for AVX-512: twice the work a load.
__attribute__((target("avx512f"))) void microKernel512(const double* a, const double* b, std::size_t depth,
                                                       double* acc)
{
    constexpr std::size_t kRows = 24;
    __m512d c00 = _mm512_loadu_pd(acc + 0);
    __m512d c01 = _mm512_loadu_pd(acc + 8);
    __m512d c02 = _mm512_loadu_pd(acc + 16);
    __m512d c10 = _mm512_loadu_pd(acc + 24);
    __m512d c11 = _mm512_loadu_pd(acc + 32);
    __m512d c12 = _mm512_loadu_pd(acc + 40);
    __m512d c20 = _mm512_loadu_pd(acc + 48);
    __m512d c21 = _mm512_loadu_pd(acc + 56);
    __m512d c22 = _mm512_loadu_pd(acc + 64);
    __m512d c30 = _mm512_loadu_pd(acc + 72);
    __m512d c31 = _mm512_loadu_pd(acc + 80);
    __m512d c32 = _mm512_loadu_pd(acc + 88);
    for (std::size_t p = 0; p < depth; ++p, a += kRows, b += kPanel) {
        const __m512d a0 = _mm512_loadu_pd(a);
        const __m512d a1 = _mm512_loadu_pd(a + 8);
        const __m512d a2 = _mm512_loadu_pd(a + 16);
        __m512d w = _mm512_set1_pd(b[0]);
        c00 = _mm512_fmadd_pd(a0, w, c00);
        c01 = _mm512_fmadd_pd(a1, w, c01);
        c02 = _mm512_fmadd_pd(a2, w, c02);
        w = _mm512_set1_pd(b[1]);
        c10 = _mm512_fmadd_pd(a0, w, c10);
        c11 = _mm512_fmadd_pd(a1, w, c11);
        c12 = _mm512_fmadd_pd(a2, w, c12);
        w = _mm512_set1_pd(b[2]);
        c20 = _mm512_fmadd_pd(a0, w, c20);
        c21 = _mm512_fmadd_pd(a1, w, c21);
        c22 = _mm512_fmadd_pd(a2, w, c22);
        w = _mm512_set1_pd(b[3]);
        c30 = _mm512_fmadd_pd(a0, w, c30);
        c31 = _mm512_fmadd_pd(a1, w, c31);
        c32 = _mm512_fmadd_pd(a2, w, c32);
    }
    _mm512_storeu_pd(acc + 0, c00);
    _mm512_storeu_pd(acc + 8, c01);
    _mm512_storeu_pd(acc + 16, c02);
    _mm512_storeu_pd(acc + 24, c10);
    _mm512_storeu_pd(acc + 32, c11);
    _mm512_storeu_pd(acc + 40, c12);
    _mm512_storeu_pd(acc + 48, c20);
    _mm512_storeu_pd(acc + 56, c21);
    _mm512_storeu_pd(acc + 64, c22);
    _mm512_storeu_pd(acc + 72, c30);
    _mm512_storeu_pd(acc + 80, c31);
    _mm512_storeu_pd(acc + 88, c32);
}
#else
// Elsewhere available() is false and callers use Eigen; this keeps the function defined
// and correct.
void microKernelPortable(const double* a, const double* b, std::size_t depth, std::size_t rows, double* acc)
{
    for (std::size_t p = 0; p < depth; ++p, a += rows, b += kPanel)
        for (std::size_t j = 0; j < kPanel; ++j)
            for (std::size_t i = 0; i < rows; ++i)
                acc[j * rows + i] += a[i] * b[j];
}
#endif

} // namespace

bool available()
{
#ifdef VIGIL_PCA_KERNEL_X86
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
#else
    return false;
#endif
}

std::vector<double> packColumns(const double* w, std::size_t d, std::size_t c)
{
    const std::size_t panels = (c + kPanel - 1) / kPanel;
    std::vector<double> packed(panels * d * kPanel, 0.0);
    for (std::size_t col = 0; col < c; ++col) {
        double* panel = packed.data() + (col / kPanel) * d * kPanel + col % kPanel;
        for (std::size_t p = 0; p < d; ++p)
            panel[p * kPanel] = w[col * d + p];
    }
    return packed;
}

bool hasAvx512()
{
#ifdef VIGIL_PCA_KERNEL_X86
    static const bool yes = __builtin_cpu_supports("avx512f");
    return yes;
#else
    return false;
#endif
}

void squaredProjections(const double* x, std::size_t rows, std::size_t ld, std::size_t d,
                        const std::vector<double>& packed, std::size_t c, double* out)
{
    squaredProjectionsWith(hasAvx512() ? Isa::Avx512 : Isa::Avx2, x, rows, ld, d, packed, c, out);
}

void squaredProjectionsWith(Isa isa, const double* x, std::size_t rows, std::size_t ld, std::size_t d,
                            const std::vector<double>& packed, std::size_t c, double* out)
{
    const bool wide = isa == Isa::Avx512;
    const std::size_t tileRows = wide ? 2 * kTileRows : kTileRows;
    const std::size_t blockTiles = wide ? kBlockTiles / 2 : kBlockTiles;
    const std::size_t panels = (c + kPanel - 1) / kPanel;
    const std::size_t columns = panels * kPanel;
    const std::size_t accPerTile = columns * tileRows;
    std::vector<double> acc(blockTiles * accPerTile);
    std::vector<double> a(kDepth * tileRows);
    std::vector<double> sums(tileRows);
    for (std::size_t r0 = 0; r0 < rows; r0 += blockTiles * tileRows) {
        const std::size_t blockRows = std::min(blockTiles * tileRows, rows - r0);
        const std::size_t tiles = (blockRows + tileRows - 1) / tileRows;
        std::fill(acc.begin(), acc.begin() + static_cast<std::ptrdiff_t>(tiles * accPerTile), 0.0);
        for (std::size_t p0 = 0; p0 < d; p0 += kDepth) {
            const std::size_t depth = std::min(kDepth, d - p0);
            for (std::size_t t = 0; t < tiles; ++t) {
                // The tile's rows, feature by feature; rows past the end are zero.
                const std::size_t first = r0 + t * tileRows;
                const std::size_t n = std::min(tileRows, rows - first);
                for (std::size_t p = 0; p < depth; ++p) {
                    const double* from = x + (p0 + p) * ld + first;
                    double* to = a.data() + p * tileRows;
                    std::copy(from, from + n, to);
                    std::fill(to + n, to + tileRows, 0.0);
                }
                double* tileAcc = acc.data() + t * accPerTile;
                const double* panel = packed.data() + p0 * kPanel;
                for (std::size_t q = 0; q < panels; ++q, panel += d * kPanel, tileAcc += kPanel * tileRows) {
#ifdef VIGIL_PCA_KERNEL_X86
                    if (wide)
                        microKernel512(a.data(), panel, depth, tileAcc);
                    else
                        microKernel(a.data(), panel, depth, tileAcc);
#else
                    microKernelPortable(a.data(), panel, depth, tileRows, tileAcc);
#endif
                }
            }
        }
        for (std::size_t t = 0; t < tiles; ++t) {
            // Column by column, so that the loop over the tile's rows vectorises.
            const double* tileAcc = acc.data() + t * accPerTile;
            std::fill(sums.begin(), sums.end(), 0.0);
            for (std::size_t col = 0; col < columns; ++col, tileAcc += tileRows)
                for (std::size_t i = 0; i < tileRows; ++i)
                    sums[i] += tileAcc[i] * tileAcc[i];
            const std::size_t first = r0 + t * tileRows;
            std::copy(sums.begin(),
                      sums.begin() + static_cast<std::ptrdiff_t>(std::min(tileRows, rows - first)),
                      out + first);
        }
    }
}

} // namespace vigil::pcakernel
