// libFuzzer target for the late-label source reader (JSONL or CSV records of
// request_id, label, ts): malformed records must be counted, never crash the join.
#include "ingest/labels.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // The first byte picks the format, so one corpus covers both readers.
    const bool csv = size > 0 && (data[0] & 1) != 0;
    const std::string path =
        "/tmp/vigil_fuzz_labels_" + std::to_string(::getpid()) + (csv ? ".csv" : ".jsonl");
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr)
        std::abort();
    if (size > 1 && std::fwrite(data + 1, 1, size - 1, f) != size - 1)
        std::abort();
    std::fclose(f);
    vigil::LabelSourceConfig source;
    source.path = path;
    const auto labels = vigil::loadLabelSource(source, vigil::FieldMapping{});
    if (!labels.ok() && labels.error().message.empty())
        std::abort();
    if (labels.ok() && labels->malformed > labels->lines)
        std::abort();
    return 0;
}
