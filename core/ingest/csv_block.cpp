#include "ingest/csv_block.h"

#include "ingest/csv_split.h"
#include "ingest/text_util.h"

#include <cstring>

namespace vigil::ingest {

CsvLayout makeCsvLayout(std::vector<std::string> header, const RowPlan& plan)
{
    CsvLayout layout;
    layout.header = std::move(header);
    layout.columnSlot.reserve(layout.header.size());
    std::vector<bool> taken(plan.dests.size(), false);
    for (const std::string& name : layout.header) {
        const int slot = plan.destForPath(trimSpaces(name));
        // A repeated column name feeds its role once (the first column).
        if (slot >= 0 && !taken[static_cast<std::size_t>(slot)]) {
            taken[static_cast<std::size_t>(slot)] = true;
            layout.columnSlot.push_back(slot);
        } else {
            layout.columnSlot.push_back(-1);
        }
    }
    return layout;
}

BlockResult parseCsvBlock(const char* data, std::size_t size, const CsvLayout& layout, const RowPlan& plan,
                          std::size_t maxProblems)
{
    RowSink sink(plan, maxProblems);
    sink.reserveFor(size);
    std::vector<std::string_view> fields;
    fields.reserve(layout.header.size() + 1);
    std::string scratch;
    const bool hasNul = std::memchr(data, '\0', size) != nullptr;
    std::uint64_t line = 0;
    std::size_t pos = 0;
    while (pos < size) {
        const CsvRecordEnd end = findCsvRecordEnd(data, pos, size);
        std::string_view record(data + pos, end.end - pos);
        const std::uint64_t recordLine = line;
        line += 1 + end.newlines;
        pos = end.end + 1;
        if (trimSpaces(record).empty())
            continue;
        ++sink.result().lines;
        // A quote still open at the end of the input, or after 1 MiB, is a stray quote:
        // report its line and go on with the next physical line instead of losing the rest.
        if (end.newlines > 0 && (!end.complete || record.size() > kMaxLineBytes)) {
            const std::size_t firstLine = record.find('\n');
            sink.addProblem(recordLine, firstLine > kMaxLineBytes
                                            ? "line too long (" + std::to_string(firstLine) + " bytes)"
                                            : std::string("unterminated quoted field"));
            line = recordLine + 1;
            pos = static_cast<std::size_t>(record.data() - data) + firstLine + 1;
            continue;
        }
        if (record.size() > kMaxLineBytes) {
            sink.addProblem(recordLine, "line too long (" + std::to_string(record.size()) + " bytes)");
            continue;
        }
        if (hasNul && record.find('\0') != std::string_view::npos) {
            sink.addProblem(recordLine, "binary data (NUL byte) in line");
            continue;
        }
        if (!splitCsvRecord(record, fields, scratch)) {
            sink.addProblem(recordLine, "malformed quoted field");
            continue;
        }
        if (fields.size() != layout.header.size()) {
            sink.addProblem(recordLine, "expected " + std::to_string(layout.header.size()) +
                                            " fields, found " + std::to_string(fields.size()));
            continue;
        }
        --sink.result().lines; // commitRow counts the line itself
        sink.beginRow();
        auto& slots = sink.slots();
        for (std::size_t c = 0; c < fields.size(); ++c) {
            const int slot = layout.columnSlot[c];
            if (slot < 0)
                continue;
            Scalar& s = slots[static_cast<std::size_t>(slot)];
            if (fields[c].empty()) {
                s.type = Scalar::Type::Null;
            } else {
                s.type = Scalar::Type::String;
                s.text = fields[c];
            }
        }
        sink.commitRow(recordLine);
    }
    return sink.finish(line);
}

} // namespace vigil::ingest
