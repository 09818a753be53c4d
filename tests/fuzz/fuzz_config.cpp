// parseConfig must never crash, and whatever it accepts must survive a round trip
// through configToJson unchanged.
#include "config/config.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto result = vigil::parseConfig(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!result.ok())
        return 0;
    const std::string text = vigil::configToJson(result.value());
    const auto again = vigil::parseConfig(text);
    if (!again.ok() || vigil::configToJson(again.value()) != text)
        std::abort();
    return 0;
}
