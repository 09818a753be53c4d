#include "ingest/csv_split.h"

#include <cstring>

namespace vigil::ingest {

CsvRecordEnd findCsvRecordEnd(const char* data, std::size_t pos, std::size_t size)
{
    CsvRecordEnd out;
    const char* start = data + pos;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', size - pos));
    const std::size_t lineEnd = nl ? static_cast<std::size_t>(nl - data) : size;
    if (std::memchr(start, '"', lineEnd - pos) == nullptr) {
        out.end = lineEnd;
        out.complete = nl != nullptr;
        return out;
    }
    bool inQuotes = false;
    for (std::size_t i = pos; i < size; ++i) {
        const char c = data[i];
        if (c == '"') {
            inQuotes = !inQuotes;
        } else if (c == '\n') {
            if (!inQuotes) {
                out.end = i;
                out.complete = true;
                return out;
            }
            ++out.newlines;
        }
    }
    out.end = size;
    return out;
}

std::size_t lastCsvBoundary(const char* data, std::size_t size)
{
    if (std::memchr(data, '"', size) == nullptr) {
        for (std::size_t i = size; i > 0; --i) {
            if (data[i - 1] == '\n')
                return i;
        }
        return 0;
    }
    bool inQuotes = false;
    std::size_t last = 0;
    for (std::size_t i = 0; i < size; ++i) {
        const char c = data[i];
        if (c == '"')
            inQuotes = !inQuotes;
        else if (c == '\n' && !inQuotes)
            last = i + 1;
    }
    return last;
}

bool splitCsvRecord(std::string_view record, std::vector<std::string_view>& fields, std::string& scratch)
{
    fields.clear();
    if (!record.empty() && record.back() == '\r')
        record.remove_suffix(1);
    if (record.find('"') == std::string_view::npos) {
        std::size_t start = 0;
        while (true) {
            const auto comma = record.find(',', start);
            if (comma == std::string_view::npos) {
                fields.push_back(record.substr(start));
                return true;
            }
            fields.push_back(record.substr(start, comma - start));
            start = comma + 1;
        }
    }
    scratch.clear();
    scratch.reserve(record.size());
    std::size_t i = 0;
    const std::size_t n = record.size();
    while (true) {
        if (i < n && record[i] == '"') {
            const std::size_t begin = scratch.size();
            ++i;
            bool closed = false;
            while (i < n) {
                if (record[i] == '"') {
                    if (i + 1 < n && record[i + 1] == '"') {
                        scratch.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                scratch.push_back(record[i++]);
            }
            if (!closed)
                return false;
            fields.push_back(std::string_view(scratch).substr(begin, scratch.size() - begin));
            if (i == n)
                return true;
            if (record[i] != ',')
                return false;
            ++i;
        } else {
            // An unquoted field; a stray quote inside it is taken literally.
            const auto comma = record.find(',', i);
            if (comma == std::string_view::npos) {
                fields.push_back(record.substr(i));
                return true;
            }
            fields.push_back(record.substr(i, comma - i));
            i = comma + 1;
        }
    }
}

} // namespace vigil::ingest
