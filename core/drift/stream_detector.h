#pragma once
// Streaming change detectors fed one value at a time (typically a model's error stream).
// Each follows River's current implementation (online-ml/river, river/drift/...) and its
// reset rule: after update() reports drift, the next update() first resets the detector to
// its initial state. NaN inputs are ignored (no state change, no signal): a NaN error is
// reported by the missing/NaN counts, not by poisoning a running mean.
#include <string_view>

namespace vigil {

struct DetectorSignal
{
    bool warning = false;
    bool drift = false;
};

class StreamDetector
{
  public:
    virtual ~StreamDetector() = default;
    virtual DetectorSignal update(double x) = 0;
    virtual void reset() = 0;
    virtual std::string_view name() const = 0;
};

} // namespace vigil
