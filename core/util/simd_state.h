#pragma once
// Clears the upper halves of the AVX registers (vzeroupper) on x86 CPUs that have AVX; a
// no-op elsewhere.
//
// Why: the shared libraries Vigil calls (glibc's AVX-512 memcpy/memchr, simdjson's AVX-512
// kernels) may leave that state dirty, and a thread inherits it from the one that creates
// it. While it is dirty, every legacy SSE instruction of Vigil's own code (built for plain
// x86-64) carries a false dependency on the upper bits: measured on the 1M-row report, a
// vzeroupper at the start of the per-window work cut 0.17 s of its 2.1 s of user CPU.
// Worker threads call this when they start a piece of work; it costs a few cycles.
namespace vigil {

void clearUpperSimdState();

} // namespace vigil
