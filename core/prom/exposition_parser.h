#pragma once
// Internal: the line-by-line parser behind parseExposition(). Errors are thrown as
// ParseFailure and turned into an Error at the public boundary, so the many "reject
// this line" paths stay one statement each.
#include "prom/exposition.h"

#include <string>
#include <unordered_map>
#include <unordered_set>

namespace vigil::prom {

struct ParseFailure
{
    std::uint32_t line;
    std::string reason;
};

class ExpositionParser
{
  public:
    ExpositionParser(ParsedScrape& out, std::vector<std::string>& warnings);
    // `body` must already live in out's arena.
    void parse(std::string_view body);

  private:
    struct RawSample
    {
        std::string_view name;
        double value = 0.0;
        bool hasTimestamp = false;
        std::int64_t timestampMs = 0;
        bool hasExemplar = false;
        Exemplar exemplar;
    };
    // Metadata lines seen per family, including empty OpenMetrics HELP/UNIT lines that
    // count for "only one of each" but carry no value.
    struct FamilyState
    {
        bool sawHelp = false;
        bool sawType = false;
        bool sawUnit = false;
    };

    [[noreturn]] void fail(std::string reason) const;

    void parseText004(std::string_view body);
    void parseOpenMetrics(std::string_view body);
    void textComment(std::string_view line);
    void omComment(std::string_view line);

    // sample_line.cpp: tokenising one sample line into m_raw and the label vectors.
    void textSampleLine(std::string_view line);
    void textLabels(std::string_view line, std::size_t& pos, std::string_view& name);
    void omSampleLine(std::string_view line);
    void omLabels(std::string_view line, std::size_t& pos, std::vector<Label>& into);
    void omExemplar(std::string_view line, std::size_t pos);
    std::string_view quoted(std::string_view line, std::size_t& pos);
    void finishLabels(std::vector<Label>& labels, std::size_t begin, std::string_view what) const;

    // Family bookkeeping (exposition_parser.cpp).
    std::uint32_t familyFor(std::string_view name, SampleKind& kind);
    std::uint32_t textFamilyFor(std::string_view name, SampleKind& kind);
    std::uint32_t newFamily(std::string_view name);
    bool matchSuffix(const MetricFamily& fam, std::string_view name, SampleKind& kind) const;
    void addSample(std::uint32_t labelBegin);
    void checkOmSample(const MetricFamily& fam, Sample& s);
    void checkOmOrdering(const Sample& s);
    void dropEmptyFamilies();

    ParsedScrape& m_out;
    std::vector<std::string>& m_warnings;
    bool m_om = false;
    std::uint32_t m_line = 0;
    RawSample m_raw;
    std::vector<FamilyState> m_state;
    std::unordered_map<std::string_view, std::uint32_t> m_byName;
    std::uint32_t m_current = UINT32_MAX; // OpenMetrics: the family being read
    // Text 0.0.4: the family and kind of the previous sample name.
    std::string_view m_lastName;
    std::uint32_t m_lastFamily = 0;
    SampleKind m_lastKind = SampleKind::Value;
    // OpenMetrics ordering: metrics (label sets without le/quantile) already finished
    // in the current family, and the timestamp state of the metric being read.
    std::unordered_set<std::uint64_t> m_doneMetrics;
    std::uint64_t m_metricKey = 0;
    bool m_metricOpen = false;
    int m_metricHasTs = -1; // -1 unknown, 0 without, 1 with
    std::int64_t m_metricLastTs = 0;
};

// Hash of a label set ignoring "le", "quantile" and `alsoIgnore` (a stateset's state
// label): identifies a metric within a family.
std::uint64_t metricKey(std::span<const Label> labels, std::string_view alsoIgnore = {});

// Family-level rules (histogram buckets, sum/count pairing). Throws ParseFailure for
// OpenMetrics violations; for 0.0.4 appends warnings instead (exporters differ).
void validateFamilies(const ParsedScrape& scrape, std::vector<std::string>& warnings);

} // namespace vigil::prom
