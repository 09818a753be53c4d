#pragma once
// A realistic synthetic production log for `vigil demo`: a churn model's week of
// traffic with a version rollout, a latency regression, an error burst, feature
// drift and concept drift. Deterministic for a given seed and time range.
#include "util/result.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace vigil {

struct DemoScenario
{
    std::uint64_t seed = 7;
    std::int64_t startMs = 0;     // the week starts here (history)
    double rowsPerMinute = 12.0;  // mean traffic; follows a daily cycle
    double labelDelayHours = 6.0; // rows younger than this (at generation) have no label yet
    double labelShare = 0.9;      // share of older rows whose label has arrived
    // Labels go to a separate label file (request_id, label, ts) instead of the log,
    // each arriving ~labelDelayHours (log-normal) after its prediction.
    bool separateLabels = false;
};

// Offsets of the scripted incidents from startMs, so tests and docs can name them.
struct DemoTimeline
{
    static constexpr std::int64_t kHour = 3'600'000;
    static constexpr std::int64_t kDay = 24 * kHour;
    static constexpr std::int64_t kRolloutStart = 3 * kDay + 12 * kHour; // 1.4.0 canary at 10%
    static constexpr std::int64_t kRolloutEnd = 4 * kDay + 12 * kHour;   // 1.4.0 at 100%
    static constexpr std::int64_t kErrorBurstStart = 5 * kDay;
    static constexpr std::int64_t kErrorBurstEnd = 5 * kDay + 90 * 60'000;
    static constexpr std::int64_t kFeatureDriftStart = 5 * kDay + 12 * kHour;
    static constexpr std::int64_t kConceptDriftStart = 6 * kDay;
};

class DemoLogGenerator
{
  public:
    explicit DemoLogGenerator(DemoScenario scenario);

    // Appends JSONL rows with timestamps in [fromMs, toMs) to `out`; `nowMs` decides
    // which labels have "arrived". Successive calls continue the same random stream.
    void generate(std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs, std::string& out);

    std::uint64_t rowsWritten() const { return m_rows; }

    // With separateLabels: appends the label records that have arrived by nowMs, in
    // arrival order, to `out`. Labels of later arrival stay pending.
    void takeArrivedLabels(std::int64_t nowMs, std::string& out);

  private:
    struct PendingLabel
    {
        std::int64_t arrivalMs;
        std::uint64_t row;
        int label;
        bool operator>(const PendingLabel& o) const { return arrivalMs > o.arrivalMs; }
    };

    void appendRow(std::int64_t tsMs, std::int64_t nowMs, std::string& out);
    double uniform();
    double normal();

    DemoScenario m_scenario;
    std::mt19937_64 m_rng;
    std::uint64_t m_rows = 0;
    std::vector<PendingLabel> m_pending; // min-heap by arrival
};

inline constexpr std::int64_t kDemoHistoryMs = 7 * DemoTimeline::kDay;

// Generates [fromMs, toMs) an hour at a time into `path` (appending, or replacing the
// file when append is false); labels arrive as of toMs. Returns the rows written.
// With scenario.separateLabels, the labels that arrived go to labelsPath.
Result<std::uint64_t> writeDemoRange(DemoLogGenerator& generator, const std::string& path,
                                     std::int64_t fromMs, std::int64_t toMs, bool append,
                                     const std::string& labelsPath = {});

} // namespace vigil
