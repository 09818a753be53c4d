// The bare limit for ingest: one single-threaded simdjson On-Demand pass over a JSONL
// file that touches every field (numbers parsed, strings unescaped), nothing kept.
// Usage: bench_bare_simdjson FILE.jsonl [repeats]
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

struct Totals
{
    std::size_t documents = 0;
    std::size_t fields = 0;
    double numberSum = 0.0;
    std::size_t stringBytes = 0;
};

void touch(simdjson::ondemand::value value, Totals& totals);

void touchObject(simdjson::ondemand::object object, Totals& totals)
{
    for (auto field : object) {
        std::string_view key = field.unescaped_key().value();
        totals.stringBytes += key.size();
        ++totals.fields;
        touch(field.value().value(), totals);
    }
}

void touch(simdjson::ondemand::value value, Totals& totals)
{
    switch (value.type().value()) {
    case simdjson::ondemand::json_type::object:
        touchObject(value.get_object().value(), totals);
        break;
    case simdjson::ondemand::json_type::array:
        for (auto element : value.get_array().value()) {
            touch(element.value(), totals);
        }
        break;
    case simdjson::ondemand::json_type::number:
        totals.numberSum += value.get_double().value();
        break;
    case simdjson::ondemand::json_type::string:
        totals.stringBytes += value.get_string().value().size();
        break;
    case simdjson::ondemand::json_type::boolean:
        totals.fields += value.get_bool().value() ? 1 : 0;
        break;
    case simdjson::ondemand::json_type::null:
        break;
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE.jsonl [repeats]\n", argv[0]);
        return 2;
    }
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
    double best = 1e300;
    Totals totals;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        simdjson::padded_string json;
        if (auto error = simdjson::padded_string::load(argv[1]).get(json)) {
            std::fprintf(stderr, "cannot read %s: %s\n", argv[1], simdjson::error_message(error));
            return 2;
        }
        simdjson::ondemand::parser parser;
        simdjson::ondemand::document_stream stream;
        if (auto error = parser.iterate_many(json, 1 << 24).get(stream)) {
            std::fprintf(stderr, "iterate_many: %s\n", simdjson::error_message(error));
            return 2;
        }
        totals = {};
        for (auto doc : stream) {
            touchObject(doc.get_object().value(), totals);
            ++totals.documents;
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, seconds);
        std::printf("run %d: %.3f s (%zu documents, %zu fields, %.1f MB/s)\n", r + 1, seconds,
                    totals.documents, totals.fields, static_cast<double>(json.size()) / 1e6 / seconds);
    }
    std::printf("best: %.3f s, checksum %.6g\n", best, totals.numberSum);
    return 0;
}
