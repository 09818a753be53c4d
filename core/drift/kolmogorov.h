#pragma once
// Distribution of the Kolmogorov-Smirnov statistic for one sample of size n.
// These follow the algorithms SciPy uses (scipy/stats/_ksstats.py::_kolmogn and
// scipy/special/cephes/kolmogorov.c::smirnov), so that the asymptotic two-sample
// p-value equals scipy.stats.kstwo.sf(D, round(n1*n2/(n1+n2))).
#include <cstdint>

namespace vigil {

// Pr(D_n >= d) for the two-sided statistic (scipy.stats.kstwo.sf(d, n)).
// Simard & L'Ecuyer (2011) choose among Ruben-Gambino closed forms, Durbin's
// matrix method in the Marsaglia-Tsang-Wang form, Pomeranz's recursion, the
// Pelz-Good asymptotic series, and 2 * Smirnov's one-sided tail.
double kolmogorovSf(std::int64_t n, double d);

// Pr(D+_n >= d) for the one-sided statistic (scipy.special.smirnov(n, d)),
// from the Birnbaum-Tingey sum evaluated in log space with extended precision.
double smirnovSf(std::int64_t n, double d);

} // namespace vigil
