#include "kolmogorov.h"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace vigil {
namespace {

constexpr int kScaleExp = 128;
const double kScaleUp = std::ldexp(1.0, kScaleExp);
const double kScaleDown = std::ldexp(1.0, -kScaleExp);

double clip01(double p)
{
    return std::clamp(p, 0.0, 1.0);
}

// log(n! / n^n) by Stirling's series with n*log(n) removed up front, as SciPy does,
// so that the Ruben-Gambino closed form stays accurate for large n.
double logFactorialOverPower(double n)
{
    // Bernoulli-number coefficients B_2j / (2j (2j-1)), j = 8..1, highest first.
    static constexpr std::array<double, 8> kStirling = {-2.955065359477124183e-2,  6.4102564102564102564e-3,
                                                        -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                                        -5.952380952380952381e-4,  7.9365079365079365079e-4,
                                                        -2.7777777777777777778e-3, 8.3333333333333333333e-2};
    const double rn = 1.0 / n;
    const double z = rn / n;
    double poly = 0.0;
    for (double c : kStirling)
        poly = poly * z + c;
    return std::log(n) / 2 - n + std::log(2 * std::numbers::pi) / 2 + rn * poly;
}

// Durbin's matrix method in the Marsaglia-Tsang-Wang formulation: Pr(D_n <= d) is
// (n!/n^n) times the (k,k) entry of H^n, with explicit exponent bookkeeping so the
// matrix power neither overflows nor underflows.
double durbinCdf(std::int64_t n, double d)
{
    if (d >= 1.0)
        return 1.0;
    const double nd = static_cast<double>(n) * d;
    if (nd <= 0.5)
        return 0.0;
    const int k = static_cast<int>(std::ceil(nd));
    const double h = k - nd;
    const int m = 2 * k - 1;

    std::vector<double> v(m), w(m);
    double fac = 1.0;
    for (int j = 1; j <= m; ++j) {
        w[j - 1] = fac;
        fac /= j;
        v[j - 1] = (1.0 - std::pow(h, j)) * fac;
    }
    const double tt = std::pow(std::max(2 * h - 1.0, 0.0), m) - 2 * std::pow(h, m);
    v[m - 1] = (1.0 + tt) * fac;

    Eigen::MatrixXd hm = Eigen::MatrixXd::Zero(m, m);
    for (int i = 1; i < m; ++i)
        for (int r = i - 1; r < m; ++r)
            hm(r, i) = w[r - (i - 1)];
    for (int r = 0; r < m; ++r)
        hm(r, 0) = v[r];
    for (int c = 0; c < m; ++c)
        hm(m - 1, c) = v[m - 1 - c];

    Eigen::MatrixXd power = Eigen::MatrixXd::Identity(m, m);
    std::int64_t nn = n;
    long expnt = 0;
    long hExpnt = 0;
    while (nn > 0) {
        if (nn % 2) {
            power = (power * hm).eval();
            expnt += hExpnt;
        }
        hm = (hm * hm).eval();
        hExpnt *= 2;
        if (std::abs(hm(k - 1, k - 1)) > kScaleUp) {
            hm *= kScaleDown;
            hExpnt += kScaleExp;
        }
        nn /= 2;
    }

    long double p = power(k - 1, k - 1);
    for (std::int64_t i = 1; i <= n; ++i) {
        p = static_cast<long double>(i) * p / static_cast<long double>(n);
        if (std::abs(p) < static_cast<long double>(kScaleDown)) {
            p *= static_cast<long double>(kScaleUp);
            expnt -= kScaleExp;
        }
    }
    if (expnt != 0)
        p = std::ldexp(p, static_cast<int>(expnt));
    return clip01(static_cast<double>(p));
}

// Pomeranz (1974): the CDF is n! times the last entry of a chain of 2n+1 convolutions
// with (almost) Poisson weights; only a narrow band of each row is non-zero.
struct PomeranzBand
{
    int first;
    int last;
};

PomeranzBand pomeranzBand(int i, int n, int ll, int ceilf, int roundf)
{
    int j1 = 0;
    int j2 = 0;
    if (i == 0) {
        j1 = -ll - ceilf - 1;
        j2 = ll + ceilf - 1;
    } else {
        const int half = (i + 1) / 2;
        if ((i + 1) % 2 == 0) {
            if (half == n + 1) {
                j1 = n - ll - ceilf - 1;
                j2 = n + ll + ceilf - 1;
            } else {
                j1 = half - 1 - ll - roundf - 1;
                j2 = half + ll - 1 + ceilf - 1;
            }
        } else {
            j1 = half - 1 - ll - 1;
            j2 = half + ll + roundf - 1;
        }
    }
    return {std::max(j1 + 2, 0), std::min(j2, n)};
}

double pomeranzCdf(int n, double x)
{
    const double t = n * x;
    const int ll = static_cast<int>(std::floor(t));
    const double f = t - ll;
    const double g = std::min(f, 1.0 - f);
    const int ceilf = f > 0 ? 1 : 0;
    const int roundf = f > 0.5 ? 1 : 0;
    const int npwrs = 2 * (ll + 1);

    std::vector<double> gpower(npwrs), twoGpower(npwrs), oneMinus2gPower(npwrs);
    gpower[0] = twoGpower[0] = oneMinus2gPower[0] = 1.0;
    const double gOverN = g / n;
    const double twoGOverN = 2 * g / n;
    const double oneMinusTwoGOverN = (1 - 2 * g) / n;
    for (int m = 1; m < npwrs; ++m) {
        gpower[m] = gpower[m - 1] * gOverN / m;
        twoGpower[m] = twoGpower[m - 1] * twoGOverN / m;
        oneMinus2gPower[m] = oneMinus2gPower[m - 1] * oneMinusTwoGOverN / m;
    }

    std::vector<double> row0(npwrs, 0.0), row1(npwrs, 0.0), conv;
    row1[0] = 1.0;
    int start0 = 0;
    int start1 = 0;
    long expnt = 0;
    auto band = pomeranzBand(0, n, ll, ceilf, roundf);
    for (int i = 1; i < 2 * n + 2; ++i) {
        const int k1 = band.first;
        std::swap(row0, row1);
        std::swap(start0, start1);
        std::fill(row1.begin(), row1.end(), 0.0);
        band = pomeranzBand(i, n, ll, ceilf, roundf);
        const std::vector<double>& pwrs =
            (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 ? twoGpower : oneMinus2gPower);
        const int len = band.last - k1 + 1;
        if (len <= 0)
            continue;
        // Full convolution of row0[k1 - start0, +len) with pwrs[0, len); entries
        // outside the stored row are zero.
        const int offset = k1 - start0;
        conv.assign(2 * len - 1, 0.0);
        for (int a = 0; a < len; ++a) {
            const int idx = offset + a;
            if (idx < 0 || idx >= npwrs)
                continue;
            const double va = row0[idx];
            if (va == 0.0)
                continue;
            for (int b = 0; b < len && b < npwrs; ++b)
                conv[a + b] += va * pwrs[b];
        }
        const int convStart = band.first - k1;
        const int convLen = band.last - band.first + 1;
        double maxVal = 0.0;
        for (int c = 0; c < convLen && c < npwrs; ++c) {
            const int src = convStart + c;
            row1[c] = (src >= 0 && src < static_cast<int>(conv.size())) ? conv[src] : 0.0;
            maxVal = std::max(maxVal, row1[c]);
        }
        if (maxVal > 0 && maxVal < kScaleDown) {
            for (double& r : row1)
                r *= kScaleUp;
            expnt -= kScaleExp;
        }
        start1 = start0 + band.first - k1;
    }

    const int last = n - start1;
    double ans = (last >= 0 && last < npwrs) ? row1[last] : 0.0;
    for (int m = 1; m <= n; ++m) {
        if (std::abs(ans) > kScaleUp) {
            ans *= kScaleDown;
            expnt += kScaleExp;
        }
        ans *= m;
    }
    if (expnt != 0)
        ans = std::ldexp(ans, static_cast<int>(expnt));
    return clip01(ans);
}

// Pelz & Good (1976): the Li-Chien/Korolyuk expansion K0 + K1/sqrt(n) + K2/n + K3/n^1.5
// rewritten with Jacobi theta identities so it converges for small z = x*sqrt(n).
double pelzGoodCdf(std::int64_t nInt, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    constexpr double pi = std::numbers::pi;
    const double pi2 = pi * pi;
    const double pi4 = pi2 * pi2;
    const double pi6 = pi4 * pi2;
    const double n = static_cast<double>(nInt);
    const double z = std::sqrt(n) * x;
    const double z2 = z * z;
    const double z3 = z2 * z;
    const double z4 = z2 * z2;
    const double z6 = z4 * z2;

    const double qlog = -pi2 / 8 / z2;
    if (qlog < -708)
        return 0.0;
    double q = std::exp(qlog);

    const double k1a = -z2;
    const double k1b = pi2 / 4;
    const double k2a = 6 * z6 + 2 * z4;
    const double k2b = (2 * z4 - 5 * z2) * pi2 / 4;
    const double k2c = pi4 * (1 - 2 * z2) / 16;
    const double k3d = pi6 * (5 - 30 * z2) / 64;
    const double k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
    const double k3b = pi2 * (135 * z4 - 96 * z6) / 4;
    const double k3a = -30 * z6 - 90 * std::pow(z, 8);

    std::array<double, 4> k = {0, 0, 0, 0};
    const int maxk = static_cast<int>(std::ceil(16 * z / pi));
    for (int kk = maxk; kk > 0; --kk) {
        const double m = 2.0 * kk - 1;
        const double m2 = m * m;
        const double m4 = m2 * m2;
        const double m6 = m4 * m2;
        const double qpower = std::pow(q, 8 * kk);
        const std::array<double, 4> coeffs = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                                              k3a + k3b * m2 + k3c * m4 + k3d * m6};
        for (int i = 0; i < 4; ++i)
            k[i] = k[i] * qpower + coeffs[i];
    }
    const double sqrt2pi = std::sqrt(2 * pi);
    const std::array<double, 4> denom = {z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
    for (int i = 0; i < 4; ++i)
        k[i] = k[i] * q * sqrt2pi / denom[i];

    q = std::exp(-pi2 / 2 / z2);
    double k2extra = 0.0;
    double k3extra = 0.0;
    const double sqrt3z = std::sqrt(3.0) * z;
    for (int kk = maxk; kk > 0; --kk) {
        const double ks2 = static_cast<double>(kk) * kk;
        const double qp = std::pow(q, ks2);
        const double kspi = pi * kk;
        k2extra += ks2 * qp;
        k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
    }
    k[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
    k[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
    double sum = 0.0;
    for (int i = 0; i < 4; ++i)
        sum += k[i] / std::pow(n, i / 2.0);
    return sum;
}

} // namespace

double smirnovSf(std::int64_t nInt, double x)
{
    if (!(nInt > 0 && x >= 0.0 && x <= 1.0))
        return std::numeric_limits<double>::quiet_NaN();
    if (nInt == 1)
        return 1.0 - x;
    if (x == 0.0)
        return 1.0;
    if (x == 1.0)
        return 0.0;
    const double n = static_cast<double>(nInt);

    // floor(n*x) and its remainder, exactly: the product's rounding error comes from fma.
    const double nxHi = n * x;
    const double nxLo = std::fma(n, x, -nxHi);
    double nxFloor = std::floor(nxHi);
    if (nxHi == nxFloor && nxLo < 0)
        nxFloor -= 1;
    double alpha = (nxHi - nxFloor) + nxLo;
    if (alpha >= 1.0) {
        nxFloor += 1;
        alpha -= 1.0;
    }
    const auto nxfl = static_cast<std::int64_t>(nxFloor);

    if (nxfl == 0 || (nxfl == 1 && alpha == 0))
        return 1.0 - x * std::pow(1.0 + x, n - 1);
    constexpr double kMinLog = -7.08396418532264106224e2; // cephes MINLOG
    if (-2 * n * x * x < kMinLog)
        return 0.0;
    if (nxfl >= nInt - 1)
        return std::pow(1.0 - x, n);
    if (nInt > 1000000) {
        // SciPy's approximation for very large n: p ~ exp(-(6nx+1)^2 / 18n).
        const double logp = -std::pow(6.0 * n * x + 1, 2) / 18.0 / n;
        return logp < -std::numbers::ln2 ? std::exp(logp) : 1.0 + std::expm1(logp);
    }

    // Birnbaum-Tingey lower sum: x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v).
    // Every term is positive, so long double logs keep the relative error near 1e-15
    // without SciPy's double-double arithmetic. x + v/n and 1 - x - v/n are formed from
    // the exact integer part of n*x to avoid cancellation.
    const std::int64_t nTerms = nInt - nxfl;
    const long double ln = std::log(static_cast<long double>(n));
    long double logBinom = 0.0L;
    long double sum = 0.0L;
    for (std::int64_t v = 0; v < nTerms; ++v) {
        const long double up = static_cast<long double>(nxfl + v) + alpha;
        const long double down = static_cast<long double>(nInt - v - nxfl) - alpha;
        long double term = 0.0L;
        if (down > 0) {
            const long double logTerm = logBinom + static_cast<long double>(v - 1) * (std::log(up) - ln) +
                                        static_cast<long double>(nInt - v) * (std::log(down) - ln);
            term = std::exp(logTerm);
            sum += term;
        }
        if (term != 0.0L) {
            if (4.0L * static_cast<long double>(nTerms - v) * term < DBL_EPSILON * sum && v != nTerms - 1)
                break;
        } else if (v > nInt / 2) {
            break;
        }
        logBinom += std::log(static_cast<long double>(nInt - v) / static_cast<long double>(v + 1));
    }
    return clip01(static_cast<double>(static_cast<long double>(x) * sum));
}

double kolmogorovSf(std::int64_t n, double x)
{
    if (std::isnan(x) || n <= 0)
        return std::numeric_limits<double>::quiet_NaN();
    if (x >= 1.0)
        return 0.0;
    if (x <= 0.0)
        return 1.0;
    const double nd = static_cast<double>(n);
    const double t = nd * x;
    if (t <= 1.0) {
        // Ruben-Gambino: for 1/2n <= x <= 1/n the CDF is n!/n^n (2t-1)^n.
        if (t <= 0.5)
            return 1.0;
        double prob = 1.0;
        if (n <= 140) {
            for (std::int64_t i = 1; i <= n; ++i)
                prob *= static_cast<double>(i) * (1.0 / nd) * (2 * t - 1);
        } else {
            prob = std::exp(logFactorialOverPower(nd) + nd * std::log(2 * t - 1));
        }
        return clip01(1.0 - prob);
    }
    if (t >= nd - 1)
        return clip01(2 * std::pow(1.0 - x, nd));
    if (x >= 0.5)
        return clip01(2 * smirnovSf(n, x));

    const double nxSquared = t * x;
    if (n <= 140) {
        if (nxSquared <= 0.754693)
            return clip01(1.0 - durbinCdf(n, x));
        if (nxSquared <= 4)
            return clip01(1.0 - pomeranzCdf(static_cast<int>(n), x));
        return clip01(2 * smirnovSf(n, x));
    }
    if (nxSquared >= 370.0)
        return 0.0;
    if (nxSquared >= 2.2)
        return clip01(2 * smirnovSf(n, x));
    double cdf = 0.0;
    if (n <= 100000 && nd * std::pow(x, 1.5) <= 1.4)
        cdf = durbinCdf(n, x);
    else
        cdf = pelzGoodCdf(n, x);
    return clip01(1.0 - clip01(cdf));
}

} // namespace vigil
