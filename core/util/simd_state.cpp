#include "util/simd_state.h"

namespace vigil {

#if defined(__x86_64__) || defined(__i386__)

namespace {

__attribute__((target("avx"))) void vzeroupper()
{
    __builtin_ia32_vzeroupper();
}

} // namespace

void clearUpperSimdState()
{
    static const bool hasAvx = __builtin_cpu_supports("avx");
    if (hasAvx)
        vzeroupper();
}

#else

void clearUpperSimdState() {}

#endif

} // namespace vigil
