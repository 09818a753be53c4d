#pragma once
#include <functional>
#include <stop_token>
#include <string_view>

namespace vigil {

// fraction in [0,1]; stage is a short human-readable label ("parsing", "windows").
// Called from worker threads; implementations must be thread-safe and cheap.
using ProgressFn = std::function<void(double fraction, std::string_view stage)>;

// The one place a work function asks whether it should give up.
inline bool stopRequested(const std::stop_token& token)
{
    return token.stop_possible() && token.stop_requested();
}

} // namespace vigil
