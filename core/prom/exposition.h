#pragma once
// Prometheus text format 0.0.4 and OpenMetrics 1.0 parsing. The parsed scrape owns
// one copy of the body; names, label names and label values are views into it (or
// into the scrape's arena when an escape had to be resolved), so parsing a scrape
// costs a handful of allocations, not one per sample.
#include "prom/arena.h"
#include "util/result.h"

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

namespace vigil {

enum class ExpositionFormat
{
    Auto, // OpenMetrics when the body ends with "# EOF", else Text004
    Text004,
    OpenMetrics,
};

enum class MetricType
{
    Untyped, // "untyped" in 0.0.4, "unknown" in OpenMetrics
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
};

std::string_view metricTypeName(MetricType type);

// What a sample is within its family, derived from its name's suffix and the family type.
enum class SampleKind : std::uint8_t
{
    Value,      // gauge, untyped, stateset, counter in 0.0.4 (name == family name)
    Total,      // OpenMetrics counter "_total"
    Created,    // "_created" of a counter, histogram or summary
    Bucket,     // "_bucket" with an "le" label
    Sum,        // "_sum" (histogram, summary)
    Count,      // "_count" (histogram, summary)
    GaugeSum,   // "_gsum" (OpenMetrics gauge histogram)
    GaugeCount, // "_gcount"
    Quantile,   // summary sample with a "quantile" label
    Info,       // "_info"
};

struct Label
{
    std::string_view name;
    std::string_view value;
};

struct Exemplar
{
    std::uint32_t labelBegin = 0; // into ParsedScrape::exemplarLabels
    std::uint32_t labelCount = 0;
    double value = 0.0;
    bool hasTimestamp = false;
    std::int64_t timestampMs = 0;
};

struct Sample
{
    std::string_view name;        // full sample name, e.g. "http_request_duration_seconds_bucket"
    std::uint32_t labelBegin = 0; // into ParsedScrape::labels; sorted by name, "le"/"quantile" included
    std::uint32_t labelCount = 0;
    std::uint32_t family = 0; // index into ParsedScrape::families
    std::uint32_t line = 0;   // 1-based line in the body
    std::int32_t exemplar = -1;
    SampleKind kind = SampleKind::Value;
    bool hasTimestamp = false;
    double value = 0.0;
    // The sample's own timestamp, or the scrape time when the exposition gave none.
    std::int64_t timestampMs = 0;
    // Numeric "le" (Bucket) or "quantile" (Quantile), NaN otherwise. Label values are
    // kept as written ("1", "1.0", "1e0" are the same bucket); compare this instead.
    double bound = std::numeric_limits<double>::quiet_NaN();
};

struct MetricFamily
{
    std::string_view name;
    MetricType type = MetricType::Untyped;
    std::string_view help; // escapes resolved
    std::string_view unit;
    bool hasHelp = false;
    bool hasType = false;
    bool hasUnit = false;
    std::vector<std::uint32_t> samples; // indices into ParsedScrape::samples, in body order
};

class ParsedScrape
{
  public:
    ParsedScrape() = default;
    ParsedScrape(ParsedScrape&&) noexcept = default;
    ParsedScrape& operator=(ParsedScrape&&) noexcept = default;
    // Views point into m_arena, which a copy would not carry along.
    ParsedScrape(const ParsedScrape&) = delete;
    ParsedScrape& operator=(const ParsedScrape&) = delete;

    ExpositionFormat format = ExpositionFormat::Text004; // never Auto after parsing
    std::int64_t scrapeTimeMs = 0;
    std::vector<MetricFamily> families;
    std::vector<Sample> samples;
    std::vector<Label> labels;
    std::vector<Exemplar> exemplars;
    std::vector<Label> exemplarLabels;

    std::span<const Label> labelsOf(const Sample& s) const
    {
        return {labels.data() + s.labelBegin, s.labelCount};
    }
    std::span<const Label> labelsOf(const Exemplar& e) const
    {
        return {exemplarLabels.data() + e.labelBegin, e.labelCount};
    }
    // The value of a label or an empty view; `found` distinguishes "" from absent.
    std::string_view labelValue(const Sample& s, std::string_view name, bool* found = nullptr) const;
    const MetricFamily* findFamily(std::string_view name) const;

    StringArena& arena() { return m_arena; }

  private:
    StringArena m_arena;
};

// Parses one scrape. Strict where the format's spec declares a document invalid (the
// Error names the line and the reason), tolerant where real 0.0.4 exporters differ.
// `scrapeTimeMs` stands in for missing sample timestamps. Warnings report problems a
// client can live with (e.g. a 0.0.4 histogram without an +Inf bucket).
Result<ParsedScrape> parseExposition(std::string_view body, ExpositionFormat fmt, std::int64_t scrapeTimeMs);

// Maps a response Content-Type to a parser. "application/openmetrics-text" ->
// OpenMetrics; "text/plain" (with or without version=0.0.4) -> Text004; anything
// else, including an empty header, -> `fallback` (Prometheus 3 fails such scrapes
// unless fallback_scrape_protocol is set; a desktop client keeps going).
ExpositionFormat formatFromContentType(std::string_view contentType,
                                       ExpositionFormat fallback = ExpositionFormat::Text004);

// The Accept header Prometheus 3 sends for its default scrape protocols (OpenMetrics
// 1.0.0 and 0.0.1, text 1.0.0 and 0.0.4; protobuf is not in the default list).
inline constexpr std::string_view kPrometheusAcceptHeader =
    "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,"
    "application/openmetrics-text;version=0.0.1;q=0.5,"
    "text/plain;version=1.0.0;escaping=underscores;q=0.4,"
    "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

} // namespace vigil
