#include "util/time_format.h"

#include <chrono>
#include <fmt/format.h>

namespace vigil {

std::string formatIsoUtc(std::int64_t epochMs)
{
    using namespace std::chrono;
    const sys_time<milliseconds> tp{milliseconds{epochMs}};
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss<milliseconds> tod{tp - day};
    std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                  tod.hours().count(), tod.minutes().count(), tod.seconds().count());
    if (tod.subseconds().count() != 0) {
        out += fmt::format(".{:03}", tod.subseconds().count());
    }
    out += 'Z';
    return out;
}

} // namespace vigil
