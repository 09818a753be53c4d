#pragma once
// Parses a run of whole CSV records (header already consumed) into a BlockResult.
#include "ingest/row_sink.h"

#include <string>
#include <vector>

namespace vigil::ingest {

struct CsvLayout
{
    std::vector<std::string> header;
    std::vector<int> columnSlot; // per column: slot in the RowPlan, or -1
};

CsvLayout makeCsvLayout(std::vector<std::string> header, const RowPlan& plan);

BlockResult parseCsvBlock(const char* data, std::size_t size, const CsvLayout& layout, const RowPlan& plan,
                          std::size_t maxProblems);

} // namespace vigil::ingest
