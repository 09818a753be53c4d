#include "ingest/infer_sample.h"

#include "ingest/csv_split.h"
#include "ingest/text_util.h"

#include <simdjson.h>

namespace vigil::ingest {

namespace {

void addCsvCell(Sample& sample, const std::string& path, std::string_view cell)
{
    if (cell.empty()) {
        sample.field(path);
        return;
    }
    if (iequals(trimSpaces(cell), "true") || iequals(trimSpaces(cell), "false")) {
        sample.addBool(path, iequals(trimSpaces(cell), "true"));
        return;
    }
    if (isNonFiniteText(trimSpaces(cell))) {
        sample.addString(path, cell);
        return;
    }
    if (auto n = parseNumberText(cell)) {
        sample.addNumber(path, *n);
        return;
    }
    sample.addString(path, cell);
}

void sampleJsonValue(Sample& sample, const std::string& path, simdjson::dom::element value)
{
    using simdjson::dom::element_type;
    switch (value.type()) {
    case element_type::OBJECT: {
        simdjson::dom::object object;
        if (value.get_object().get(object))
            break;
        std::size_t members = 0;
        for (simdjson::dom::key_value_pair member : object) {
            ++members;
            sampleJsonValue(sample,
                            path.empty() ? std::string(member.key) : path + "." + std::string(member.key),
                            member.value);
        }
        if (!path.empty() && members == 0)
            ++sample.field(path).objects;
        break;
    }
    case element_type::ARRAY: {
        FieldStats& f = sample.field(path);
        ++f.arrays;
        ++f.seen;
        break;
    }
    case element_type::INT64:
        sample.addNumber(path, static_cast<double>(value.get_int64().value_unsafe()));
        break;
    case element_type::UINT64:
        sample.addNumber(path, static_cast<double>(value.get_uint64().value_unsafe()));
        break;
    case element_type::DOUBLE:
        sample.addNumber(path, value.get_double().value_unsafe());
        break;
    case element_type::STRING:
        sample.addString(path, value.get_string().value_unsafe());
        break;
    case element_type::BOOL:
        sample.addBool(path, value.get_bool().value_unsafe());
        break;
    case element_type::NULL_VALUE:
        sample.field(path);
        break;
    }
}

} // namespace

void sampleCsv(std::string_view text, Sample& sample)
{
    std::vector<std::string_view> fields;
    std::string scratch;
    std::vector<std::string> header;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const CsvRecordEnd end = findCsvRecordEnd(text.data(), pos, text.size());
        const std::string_view record = text.substr(pos, end.end - pos);
        pos = end.end + 1;
        if (trimSpaces(record).empty())
            continue;
        if (!splitCsvRecord(record, fields, scratch) || (!header.empty() && fields.size() != header.size()) ||
            record.find('\0') != std::string_view::npos) {
            ++sample.malformed;
            continue;
        }
        if (header.empty()) {
            for (std::string_view f : fields)
                header.emplace_back(trimSpaces(f));
            for (const std::string& h : header)
                sample.field(h);
            continue;
        }
        ++sample.rows;
        for (std::size_t c = 0; c < fields.size(); ++c)
            addCsvCell(sample, header[c], fields[c]);
    }
}

void sampleJsonl(std::string_view text, Sample& sample)
{
    simdjson::dom::parser parser;
    std::string fixed;
    std::size_t pos = 0;
    std::size_t lineNo = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++lineNo;
        if (trimSpaces(line).empty())
            continue;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        simdjson::dom::element root;
        auto err = line.size() > kMaxLineBytes || line.find('\0') != std::string_view::npos
                       ? simdjson::CAPACITY
                       : parser.parse(line.data(), line.size()).get(root);
        if (err && err != simdjson::CAPACITY && quoteNonFiniteTokens(line, fixed)) {
            if (!parser.parse(fixed.data(), fixed.size()).get(root))
                err = simdjson::SUCCESS;
        }
        if (err || !root.is_object()) {
            if (sample.firstProblem.empty())
                sample.firstProblem = "line " + std::to_string(lineNo) + ": " +
                                      (err ? std::string("invalid JSON") : std::string("not a JSON object"));
            ++sample.malformed;
            continue;
        }
        ++sample.rows;
        sampleJsonValue(sample, "", root);
    }
}

} // namespace vigil::ingest
