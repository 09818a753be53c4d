#pragma once
// Parses a run of whole JSONL lines into a BlockResult. One instance per worker
// thread: it owns a simdjson parser and a key-dispatch tree that learns the key
// order of the log, so a typical row costs one key compare per field.
#include "ingest/row_sink.h"

#include <memory>

namespace vigil::ingest {

class JsonlBlockParser
{
  public:
    explicit JsonlBlockParser(const RowPlan& plan);
    ~JsonlBlockParser();
    JsonlBlockParser(const JsonlBlockParser&) = delete;
    JsonlBlockParser& operator=(const JsonlBlockParser&) = delete;

    // [data, data+size) holds whole lines; `readable` bytes from data on may be read
    // (at least size + SIMDJSON_PADDING).
    BlockResult parse(const char* data, std::size_t size, std::size_t readable, std::size_t maxProblems);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Bytes that must be readable after the last byte handed to JsonlBlockParser::parse.
std::size_t jsonPadding();

} // namespace vigil::ingest
