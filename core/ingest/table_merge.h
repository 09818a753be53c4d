#pragma once
// Appends block tables, in order, to the final table; categorical codes are
// remapped from each block's dictionary into one global dictionary per column.
#include "ingest/log_table.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::ingest {

class TableMerger
{
  public:
    explicit TableMerger(LogTable& target);
    void reserve(std::size_t rows);
    void append(LogTable&& block);

  private:
    using Codes = std::unordered_map<std::string, std::uint32_t>;
    void appendCategorical(CategoricalColumn& dst, Codes& codes, CategoricalColumn& src);

    LogTable& m_target;
    Codes m_model, m_version;
    std::vector<Codes> m_features;
    std::vector<std::uint32_t> m_remap;
};

} // namespace vigil::ingest
