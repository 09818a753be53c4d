#pragma once
// Phase timeline on stderr for performance work: with VIGIL_TIMINGS=1 in the environment,
// each mark prints the wall time since the process's first mark, the phase's wall and CPU
// time (process CPU, all threads) and their ratio: how many cores the phase kept busy.
// Without the variable a mark costs one cached flag test.
#include <string_view>

namespace vigil {

bool phaseTimingsEnabled();

// Ends the phase that began at the previous mark (or at the first call) and names it.
void phaseMark(std::string_view phase);

} // namespace vigil
