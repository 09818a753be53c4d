#include "fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    vigil::fuzz::loadBytes(data, size, vigil::LogFormat::Jsonl);
    return 0;
}
