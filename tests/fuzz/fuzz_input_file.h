#pragma once
// Writes the fuzzer's input to a per-process temp file and loads it through the
// real loader, with small blocks so that block boundaries are hit.
#include "ingest/load_detail.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace vigil::fuzz {

inline void loadBytes(const std::uint8_t* data, std::size_t size, LogFormat format)
{
    static const std::string path =
        "/tmp/vigil_fuzz_" + std::to_string(::getpid()) + (format == LogFormat::Csv ? ".csv" : ".jsonl");
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr)
        std::abort();
    if (size > 0 && std::fwrite(data, 1, size, f) != size)
        std::abort();
    std::fclose(f);
    // The first byte picks the block size (16..4111 bytes) and thread count.
    const std::size_t block = size > 0 ? 16 + (data[0] % 64) * 64 : 64;
    LoadOptions options;
    options.threads = size > 1 ? 1 + data[1] % 3 : 1;
    options.format = format;
    options.sampleRows = 50;
    const auto result = ingest::loadLogsWithBlockSize({path}, options, block);
    if (result.ok()) {
        const LogTable& t = result->table;
        // Every column has one entry per row, and every code is in its dictionary.
        const std::size_t rows = t.rows();
        if (t.status.size() != rows || t.model.codes.size() != rows || t.latencyMs.size() != rows ||
            t.prediction.size() != rows || t.label.size() != rows)
            std::abort();
        for (const auto& c : t.categoricalFeatures) {
            if (c.codes.size() != rows)
                std::abort();
            for (std::uint32_t code : c.codes) {
                if (code != CategoricalColumn::kNull && code >= c.dictionary.size())
                    std::abort();
            }
        }
        if (result->lines < rows || result->malformed + rows != result->lines)
            std::abort();
    }
    (void)inferSchema(std::string_view(reinterpret_cast<const char*>(data), size), format);
}

} // namespace vigil::fuzz
