#pragma once
#include "stream_detector.h"

#include <cstdint>
#include <deque>
#include <random>

namespace vigil {

// KSWIN (Raab et al. 2020), river/drift/kswin.py. River defaults: alpha = 0.005,
// window_size = 100, stat_size = 30. Once the window is full, stat_size positions are
// drawn without replacement from its first window_size - stat_size values and compared
// with the last stat_size values by the two-sample KS test (method 'auto', ksTwoSample);
// drift iff p <= alpha and D > 0.1. After a drift the next update resets the detector
// (empty window, RNG re-seeded), as River's reset-on-next-update does.
//
// River draws with Python's random.Random(seed).sample; this uses std::mt19937_64 with
// a partial Fisher-Yates shuffle, seeded with `seed` (default 42) so runs are repeatable.
// Detection indices therefore cannot match River's bit for bit.
class Kswin final : public StreamDetector
{
  public:
    struct Params
    {
        double alpha = 0.005;
        int windowSize = 100;
        int statSize = 30;
        std::uint64_t seed = 42;
    };
    Kswin() : Kswin(Params{}) {}
    explicit Kswin(Params params) : m_params(params) { reset(); }
    DetectorSignal update(double x) override;
    void reset() override;
    std::string_view name() const override { return "KSWIN"; }

    double lastPValue() const { return m_pValue; }

  private:
    Params m_params;
    std::deque<double> m_window;
    std::mt19937_64 m_rng;
    double m_pValue = 1.0;
    bool m_drift = false;
};

} // namespace vigil
