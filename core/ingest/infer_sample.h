#pragma once
// The rows sampled for schema inference, summarised per field: value kinds, null
// counts, an example, and the first values (for timestamps and class labels).
#include "ingest/text_util.h"

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace vigil::ingest {

struct FieldStats
{
    std::string path;
    std::size_t numbers = 0, strings = 0, bools = 0, objects = 0, arrays = 0;
    std::size_t nonFiniteStrings = 0; // "NaN", "Infinity": numbers written as text
    std::size_t seen = 0;
    std::string example;
    bool allInUnit = true; // every number in [0, 1]
    bool anyNonInteger = false;
    bool allZeroOne = true;
    std::vector<double> numberValues;
    std::vector<std::string> stringValues; // first values, for timestamps and classes
    std::unordered_set<std::string> distinct;
    bool topLevel = true;

    bool numericLike() const
    {
        return numbers > 0 && strings == nonFiniteStrings && objects == 0 && arrays == 0;
    }
};

struct Sample
{
    std::vector<FieldStats> fields;
    std::unordered_map<std::string, std::size_t> index;
    std::size_t rows = 0;
    std::size_t malformed = 0;
    std::string firstProblem;

    FieldStats& field(const std::string& path)
    {
        auto it = index.find(path);
        if (it != index.end())
            return fields[it->second];
        index.emplace(path, fields.size());
        fields.push_back(FieldStats{});
        fields.back().path = path;
        fields.back().topLevel = path.find('.') == std::string::npos;
        return fields.back();
    }

    void addNumber(const std::string& path, double v)
    {
        FieldStats& f = field(path);
        ++f.numbers;
        ++f.seen;
        if (f.example.empty())
            f.example = numberText(v);
        // NaN/Inf are data, but say nothing about the kind of values a field holds.
        if (std::isfinite(v)) {
            if (!(v >= 0.0 && v <= 1.0))
                f.allInUnit = false;
            if (v != std::floor(v))
                f.anyNonInteger = true;
            if (v != 0.0 && v != 1.0)
                f.allZeroOne = false;
        }
        if (f.numberValues.size() < 64)
            f.numberValues.push_back(v);
    }

    void addString(const std::string& path, std::string_view text)
    {
        if (auto n = parseNumberText(text); n && isNonFiniteText(trimSpaces(text))) {
            FieldStats& f = field(path);
            ++f.nonFiniteStrings;
            ++f.strings;
            ++f.seen;
            ++f.numbers;
            if (f.example.empty())
                f.example = std::string(text);
            return;
        }
        FieldStats& f = field(path);
        ++f.strings;
        ++f.seen;
        if (f.example.empty())
            f.example = std::string(text);
        if (f.distinct.size() < 10000)
            f.distinct.emplace(text);
        if (f.stringValues.size() < 64)
            f.stringValues.emplace_back(text);
    }

    void addBool(const std::string& path, bool b)
    {
        FieldStats& f = field(path);
        ++f.bools;
        ++f.seen;
        if (f.example.empty())
            f.example = b ? "true" : "false";
        f.distinct.emplace(b ? "true" : "false");
    }
};

// Fills `sample` from whole lines of CSV (header first) or JSONL text; malformed
// lines are counted and the first one described.
void sampleCsv(std::string_view text, Sample& sample);
void sampleJsonl(std::string_view text, Sample& sample);

} // namespace vigil::ingest
