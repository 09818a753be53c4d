#pragma once
// Detectors for a 0/1 error stream (1 = error), after River's river/drift/binary/*.
// DDM and HDDM-A average the values as given; EDDM counts x == 1 as an error.
#include "stream_detector.h"

namespace vigil {

// DDM (Gama et al. 2004), river/drift/binary/ddm.py. Defaults: warm_start = 30,
// warning_threshold = 2, drift_threshold = 3. p = running error rate, s = sqrt(p(1-p)/n);
// only when n > warm_start: (p_min, s_min) <- (p, s) if p + s <= p_min + s_min; warning
// if p + s > p_min + 2 s_min, drift if p + s > p_min + 3 s_min (drift clears warning).
class Ddm final : public StreamDetector
{
  public:
    struct Params
    {
        int warmStart = 30;
        double warningThreshold = 2.0;
        double driftThreshold = 3.0;
    };
    Ddm() : Ddm(Params{}) {}
    explicit Ddm(Params params) : m_params(params) { reset(); }
    DetectorSignal update(double x) override;
    void reset() override;
    std::string_view name() const override { return "DDM"; }

  private:
    Params m_params;
    double m_n = 0.0;
    double m_p = 0.0;
    double m_pMin = 0.0;
    double m_sMin = 0.0;
    double m_psMin = 0.0;
    DetectorSignal m_state;
};

// EDDM (Baena-Garcia et al. 2006), river/drift/binary/eddm.py. Defaults: warm_start = 30,
// alpha = 0.95, beta = 0.9. Tracks the distance between consecutive errors (the first one
// measured from index 0, as River), its mean p' and std s' (ddof 1), and the maximum of
// p' + 2s'. When n > warm_start, the value is not a new maximum and more than warm_start
// errors were seen: level = (p' + 2s') / max; drift if level < beta, warning if < alpha.
class Eddm final : public StreamDetector
{
  public:
    struct Params
    {
        int warmStart = 30;
        double alpha = 0.95;
        double beta = 0.9;
    };
    Eddm() : Eddm(Params{}) {}
    explicit Eddm(Params params) : m_params(params) { reset(); }
    DetectorSignal update(double x) override;
    void reset() override;
    std::string_view name() const override { return "EDDM"; }

  private:
    Params m_params;
    long m_n = 0;
    long m_lastError = 0;
    long m_errors = 0;
    double m_distN = 0.0;
    double m_distMean = 0.0;
    double m_distM2 = 0.0;
    double m_p2sMax = -1.0;
    DetectorSignal m_state;
};

// HDDM-A (Frias-Blanco et al. 2014), river/drift/binary/hddm_a.py. Defaults:
// drift_confidence = 0.001, warning_confidence = 0.005, two_sided_test = false.
// Keeps the global mean z and the cut-point means x_min / x_max (copies of z taken when
// the Hoeffding-bounded mean reaches a new low / high); an increase is declared when
// z - x_min >= sqrt(m/2 ln(2/conf)) with m = (n_z - n_x) / (n_x n_z).
class HddmA final : public StreamDetector
{
  public:
    struct Params
    {
        double driftConfidence = 0.001;
        double warningConfidence = 0.005;
        bool twoSidedTest = false;
    };
    HddmA() : HddmA(Params{}) {}
    explicit HddmA(Params params) : m_params(params) { reset(); }
    DetectorSignal update(double x) override;
    void reset() override;
    std::string_view name() const override { return "HDDM-A"; }

  private:
    struct Mean
    {
        double n = 0.0;
        double mean = 0.0;
    };
    double hoeffdingBound(double n) const;
    bool meanIncreased(double confidence) const;
    bool meanDecreased(double confidence) const;

    Params m_params;
    Mean m_z;
    Mean m_xMin;
    Mean m_xMax;
    DetectorSignal m_state;
};

} // namespace vigil
