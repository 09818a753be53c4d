#pragma once
#include "stream_detector.h"

#include <vector>

namespace vigil {

// ADWIN (Bifet & Gavalda 2007), following River's Rust port (rust_src/adwin.rs, which
// tests every cut point of a bucket row like MOA). River defaults: delta = 0.002,
// clock = 32, max_buckets = 5, min_window_length = 5, grace_period = 10. No warning zone.
class Adwin final : public StreamDetector
{
  public:
    struct Params
    {
        double delta = 0.002;
        int clock = 32;
        int maxBuckets = 5;
        int minWindowLength = 5;
        int gracePeriod = 10;
    };

    Adwin() : Adwin(Params{}) {}
    explicit Adwin(Params params);

    DetectorSignal update(double x) override;
    void reset() override;
    std::string_view name() const override { return "ADWIN"; }

    double width() const { return m_width; }
    double total() const { return m_total; }
    // Sum of squared deviations from the window mean (River's `variance`).
    double variance() const { return m_variance; }
    double estimation() const { return m_width > 0 ? m_total / m_width : 0.0; }
    int detections() const { return m_detections; }

  private:
    // Row i holds up to maxBuckets + 1 buckets of 2^i values each, oldest first.
    struct Row
    {
        std::vector<double> totals;
        std::vector<double> variances;
    };

    void insert(double value);
    void compress();
    void deleteOldest();
    bool detectChange();
    bool cutExceedsBound(double n0, double n1, double deltaMean, double deltaPrime) const;

    Params m_params;
    std::vector<Row> m_rows;
    double m_total = 0.0;
    double m_variance = 0.0;
    double m_width = 0.0;
    int m_tick = 0;
    int m_detections = 0;
    bool m_lastDrift = false;
};

} // namespace vigil
