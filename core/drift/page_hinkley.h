#pragma once
#include "stream_detector.h"

#include <cstdint>

namespace vigil {

// Page-Hinkley, River's current two-sided form (river/drift/page_hinkley.py):
// x_mean is the running mean including x, dev = x - x_mean,
// S+ = alpha S+ + dev - delta, S- = alpha S- + dev + delta, min S+ starts at +inf and
// max S- at -1 (as River). After min_instances values: drift if S+ - min S+ > threshold
// ("up") or max S- - S- > threshold ("down"). River defaults: min_instances = 30,
// delta = 0.005, threshold = 50, alpha = 1 - 1e-4, mode = both. No warning zone.
class PageHinkley final : public StreamDetector
{
  public:
    enum class Mode
    {
        Up,
        Down,
        Both
    };
    struct Params
    {
        int minInstances = 30;
        double delta = 0.005;
        double threshold = 50.0;
        double alpha = 1 - 0.0001;
        Mode mode = Mode::Both;
    };

    PageHinkley() : PageHinkley(Params{}) {}
    explicit PageHinkley(Params params) : m_params(params) { reset(); }

    DetectorSignal update(double x) override;
    void reset() override;
    std::string_view name() const override { return "Page-Hinkley"; }

  private:
    Params m_params;
    double m_n = 0.0;
    double m_mean = 0.0;
    double m_sumIncrease = 0.0;
    double m_sumDecrease = 0.0;
    double m_minIncrease = 0.0;
    double m_maxDecrease = 0.0;
    bool m_drift = false;
};

} // namespace vigil
