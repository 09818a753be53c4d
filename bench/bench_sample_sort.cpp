// The drift statistics' sort (docs/PERFORMANCE.md "Window sort"): ns per value of sortNanFree
// (bucket pass, radix fallback), radixSortNanFree and std::sort on the shapes a report's
// windows have. bench_sample_sort [values per sample] [samples]
#include "drift/sample_prep.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace vigil;

namespace {

std::vector<std::vector<double>> samples(const std::string& shape, std::size_t n, std::size_t count)
{
    std::mt19937_64 rng(42);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<std::vector<double>> out(count);
    for (auto& v : out) {
        v.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double z = normal(rng);
            if (shape == "normal, 3 decimals")
                v.push_back(std::round(z * 3000.0) / 1000.0); // the generated log's features
            else if (shape == "normal")
                v.push_back(z);
            else if (shape == "lognormal s=0.4")
                v.push_back(std::exp(3.0 + 0.4 * z)); // the generated log's latency
            else if (shape == "uniform")
                v.push_back(std::ldexp(static_cast<double>(rng() >> 11), -53) * 50.0);
            else if (shape == "lognormal s=2")
                v.push_back(std::exp(2.0 * z));
        }
    }
    return out;
}

double nsPerValue(const std::vector<std::vector<double>>& data,
                  const std::function<void(std::vector<double>&)>& sort)
{
    double best = 1e9;
    std::size_t values = 0;
    for (int rep = 0; rep < 5; ++rep) {
        auto copy = data;
        values = 0;
        const auto t0 = std::chrono::steady_clock::now();
        for (auto& v : copy) {
            sort(v);
            values += v.size();
        }
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        for (const auto& v : copy)
            if (!std::is_sorted(v.begin(), v.end())) {
                std::fprintf(stderr, "not sorted\n");
                std::exit(1);
            }
    }
    return best * 1e9 / static_cast<double>(values);
}

} // namespace

int main(int argc, char** argv)
{
    const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 5950;
    const std::size_t count = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 400;
    std::printf("%zu samples of %zu values, best of 5, ns per value\n", count, n);
    std::printf("%-20s %12s %12s %12s\n", "shape", "sortNanFree", "radix", "std::sort");
    for (const std::string shape :
         {"normal, 3 decimals", "normal", "lognormal s=0.4", "uniform", "lognormal s=2"}) {
        const auto data = samples(shape, n, count);
        std::printf("%-20s %12.2f %12.2f %12.2f\n", shape.c_str(), nsPerValue(data, sortNanFree),
                    nsPerValue(data, radixSortNanFree),
                    nsPerValue(data, [](std::vector<double>& v) { std::sort(v.begin(), v.end()); }));
    }
}
