// libFuzzer target for the exposition parser. The first byte picks the format; the
// rest is the body. Beyond "no crash", it checks invariants a caller relies on.
#include "prom/exposition.h"
#include "prom/histogram_quantile.h"
#include "prom/metric_points.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const auto fmt = static_cast<vigil::ExpositionFormat>(data[0] % 3);
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    auto result = vigil::parseExposition(body, fmt, 1700000000000);
    if (!result.ok()) {
        if (result.error().message.empty())
            std::abort();
        return 0;
    }
    const vigil::ParsedScrape& scrape = result.value();
    if (scrape.format == vigil::ExpositionFormat::Auto)
        std::abort();
    std::size_t samples = 0;
    for (const auto& family : scrape.families) {
        samples += family.samples.size();
        for (const auto idx : family.samples) {
            const auto& s = scrape.samples.at(idx);
            if (&scrape.families.at(s.family) != &family)
                std::abort();
            if (static_cast<std::size_t>(s.labelBegin) + s.labelCount > scrape.labels.size())
                std::abort();
            const auto labels = scrape.labelsOf(s);
            for (std::size_t i = 1; i < labels.size(); ++i)
                if (!(labels[i - 1].name < labels[i].name))
                    std::abort(); // sorted and unique
            if (s.exemplar >= 0 && static_cast<std::size_t>(s.exemplar) >= scrape.exemplars.size())
                std::abort();
        }
        for (const auto& point : vigil::histogramPoints(scrape, family))
            (void)vigil::histogramQuantile(0.9, point);
        (void)vigil::summaryPoints(scrape, family);
    }
    if (samples != scrape.samples.size())
        std::abort();
    return 0;
}
