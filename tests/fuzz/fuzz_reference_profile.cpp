// libFuzzer target for the reference profile reader: a profile is a file users pass
// around (--reference-profile), so any bytes must give a profile or a clear error.
#include "engine/reference_profile.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    const auto profile = vigil::parseReferenceProfile(json);
    if (!profile.ok() && profile.error().message.empty())
        std::abort();
    return 0;
}
