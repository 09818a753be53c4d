#include "ingest/jsonl_block.h"

#include "ingest/text_util.h"

#include <algorithm>
#include <cstring>
#include <simdjson.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace od = simdjson::ondemand;

namespace vigil::ingest {

std::size_t jsonPadding()
{
    return simdjson::SIMDJSON_PADDING;
}

namespace {

// Unknown keys are remembered too (as "skip") so that the order hint keeps working
// on logs with extra fields; the cap stops random keys from growing the tree forever.
constexpr std::size_t kMaxChildren = 512;

constexpr std::size_t kNoChild = static_cast<std::size_t>(-1);

// A key and its closing quote as 16 bytes and a mask: checking the expected key is then
// two loads and compares instead of a memcmp call (a row has dozens of keys). Keys of 16
// bytes or more use simdjson's compare.
struct QuotedKey
{
    std::uint64_t word[2] = {0, 0};
    std::uint64_t mask[2] = {0, 0};
    bool small = false;

    QuotedKey() = default;
    explicit QuotedKey(std::string_view key) : small(key.size() < 16)
    {
        if (!small)
            return;
        unsigned char bytes[16] = {};
        unsigned char ones[16] = {};
        std::memcpy(bytes, key.data(), key.size());
        bytes[key.size()] = '"';
        std::memset(ones, 0xff, key.size() + 1);
        std::memcpy(word, bytes, sizeof word);
        std::memcpy(mask, ones, sizeof mask);
    }
};

struct KeyNode
{
    static KeyNode named(std::string_view name)
    {
        KeyNode node;
        node.key = std::string(name);
        node.quoted = QuotedKey(name);
        return node;
    }

    // The same test as raw.unsafe_is_equal(key): the raw bytes are the key, then a quote.
    // `readable` bytes from the raw key on may be read (the line and its padding).
    bool matches(simdjson::ondemand::raw_json_string raw, std::size_t readable) const
    {
        if (quoted.small && readable >= 16) {
            std::uint64_t a = 0;
            std::uint64_t b = 0;
            std::memcpy(&a, raw.raw(), 8);
            std::memcpy(&b, raw.raw() + 8, 8);
            return ((a & quoted.mask[0]) == quoted.word[0]) & ((b & quoted.mask[1]) == quoted.word[1]);
        }
        return raw.unsafe_is_equal(key);
    }

    std::string key;
    QuotedKey quoted;
    int dest = -1; // slot index, -1 = not stored
    std::vector<KeyNode> children;
    // The order hint: the child that came first in the last object, and per child the
    // sibling that followed it. Rows usually repeat the previous row's key order, whatever
    // that order is, so the expected key is nearly always the next one.
    std::size_t first = 0;
    std::size_t next = kNoChild; // (as a child) index of the sibling that followed this one

    std::size_t find(std::string_view name, bool learn)
    {
        const std::size_t n = children.size();
        for (std::size_t i = 0; i < n; ++i) {
            if (children[i].key == name)
                return i;
        }
        if (!learn || n >= kMaxChildren)
            return kNoChild;
        children.push_back(named(name));
        return n;
    }

    KeyNode& ensure(std::string_view name)
    {
        for (KeyNode& c : children) {
            if (c.key == name)
                return c;
        }
        children.push_back(named(name));
        return children.back();
    }
};

// The end of the line that starts at `p` (its '\n', or `end`), and whether a NUL byte lies
// before it: one pass for both, where a memchr for the newline and another for NUL over the
// whole block read every byte twice (about 4 % of a report's CPU). `p` may be read up to 15
// bytes past `end`, up to `readableEnd` (the block is padded for simdjson).
const char* lineEnd(const char* p, const char* end, const char* readableEnd, bool& nul)
{
#if defined(__SSE2__)
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i zero = _mm_setzero_si128();
    while (p < end && readableEnd - p >= 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        auto mask = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(bytes, newline), _mm_cmpeq_epi8(bytes, zero))));
        const auto left = static_cast<std::size_t>(end - p);
        if (left < 16)
            mask &= (1u << left) - 1;
        while (mask != 0) {
            const char* hit = p + __builtin_ctz(mask);
            if (*hit == '\n')
                return hit;
            nul = true;
            mask &= mask - 1;
        }
        p += 16;
    }
    if (p >= end)
        return end;
#endif
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* stop = nl ? nl : end;
    nul = nul || std::memchr(p, '\0', static_cast<std::size_t>(stop - p)) != nullptr;
    return stop;
}

bool isNumericDest(DestKind kind)
{
    return kind == DestKind::Latency || kind == DestKind::NumericFeature || kind == DestKind::Kpi;
}

} // namespace

struct JsonlBlockParser::Impl
{
    const RowPlan& plan;
    od::parser parser;
    KeyNode root;
    std::vector<bool> numericSlot;
    std::string fixed;
    const char* limit = nullptr; // end of readable bytes of the current line

    explicit Impl(const RowPlan& p) : plan(p)
    {
        numericSlot.resize(plan.dests.size());
        for (std::size_t s = 0; s < plan.dests.size(); ++s) {
            const Dest& d = plan.dests[s];
            numericSlot[s] = isNumericDest(d.kind);
            // Nested path a.b.c, and the literal dotted key for logs written flat.
            KeyNode* node = &root;
            std::string_view rest = d.path;
            while (true) {
                const auto dot = rest.find('.');
                node = &node->ensure(rest.substr(0, dot));
                if (dot == std::string_view::npos)
                    break;
                rest.remove_prefix(dot + 1);
            }
            if (node->dest < 0 && node->children.empty())
                node->dest = static_cast<int>(s);
            if (d.path.find('.') != std::string::npos) {
                KeyNode& flat = root.ensure(d.path);
                if (flat.dest < 0)
                    flat.dest = static_cast<int>(s);
            }
        }
    }

    simdjson::error_code readScalar(od::value& value, Scalar& out, bool numericHint)
    {
        if (numericHint) {
            double d = 0;
            const auto err = value.get_double().get(d);
            if (!err) {
                out.type = Scalar::Type::Number;
                out.number = d;
                return simdjson::SUCCESS;
            }
            if (err != simdjson::INCORRECT_TYPE)
                return err;
        }
        od::json_type type{};
        if (auto err = value.type().get(type))
            return err;
        switch (type) {
        case od::json_type::number: {
            od::number number;
            if (auto err = value.get_number().get(number))
                return err;
            if (number.is_int64()) {
                out.type = Scalar::Type::Int;
                out.integer = number.get_int64();
            } else {
                out.type = Scalar::Type::Number;
                out.number = number.as_double();
            }
            return simdjson::SUCCESS;
        }
        case od::json_type::string: {
            std::string_view text;
            if (auto err = value.get_string().get(text))
                return err;
            out.type = Scalar::Type::String;
            out.text = text;
            return simdjson::SUCCESS;
        }
        case od::json_type::boolean: {
            bool b = false;
            if (auto err = value.get_bool().get(b))
                return err;
            out.type = Scalar::Type::Bool;
            out.boolean = b;
            return simdjson::SUCCESS;
        }
        case od::json_type::null: {
            bool isNull = false;
            if (auto err = value.is_null().get(isNull))
                return err;
            if (!isNull)
                return simdjson::N_ATOM_ERROR;
            out.type = Scalar::Type::Null;
            return simdjson::SUCCESS;
        }
        default:
            out.type = Scalar::Type::Other; // an object or array where a value was expected
            return simdjson::SUCCESS;
        }
    }

    simdjson::error_code dispatch(od::field& field, KeyNode& child, std::vector<Scalar>& slots)
    {
        if (child.dest >= 0) {
            const auto slot = static_cast<std::size_t>(child.dest);
            return readScalar(field.value(), slots[slot], numericSlot[slot]);
        }
        if (child.children.empty())
            return simdjson::SUCCESS;
        od::json_type type{};
        if (auto err = field.value().type().get(type))
            return err;
        if (type != od::json_type::object)
            return simdjson::SUCCESS;
        od::object inner;
        if (auto err = field.value().get_object().get(inner))
            return err;
        return readObject(inner, child, slots);
    }

    simdjson::error_code readObject(od::object object, KeyNode& node, std::vector<Scalar>& slots)
    {
        std::size_t prev = kNoChild; // index of the previous key's child
        for (auto fieldResult : object) {
            od::field field;
            if (auto err = std::move(fieldResult).get(field))
                return err;
            // Most rows repeat the previous row's key order: one raw compare with the
            // expected key, no search for the key's end.
            const simdjson::ondemand::raw_json_string rawKey = field.key();
            const std::size_t expected = prev == kNoChild ? node.first : node.children[prev].next;
            std::size_t index = kNoChild;
            if (expected < node.children.size() &&
                node.children[expected].matches(rawKey, static_cast<std::size_t>(limit - rawKey.raw()))) {
                index = expected;
            } else {
                // Keys are compared in their raw form; a key with escapes is unescaped first.
                const char* raw = rawKey.raw();
                const char* close =
                    static_cast<const char*>(std::memchr(raw, '"', static_cast<std::size_t>(limit - raw)));
                if (close == nullptr)
                    return simdjson::TAPE_ERROR;
                std::string_view key(raw, static_cast<std::size_t>(close - raw));
                if (std::memchr(raw, '\\', key.size()) != nullptr) {
                    if (auto err = field.unescaped_key().get(key))
                        return err;
                }
                index = node.find(key, true);
                if (index == kNoChild)
                    continue;
                (prev == kNoChild ? node.first : node.children[prev].next) = index;
            }
            prev = index;
            // dispatch may add children to a nested node, never to this one: the reference stays valid.
            if (auto err = dispatch(field, node.children[index], slots))
                return err;
        }
        return simdjson::SUCCESS;
    }

    simdjson::error_code parseLine(const char* data, std::size_t size, std::size_t readable,
                                   std::vector<Scalar>& slots, bool& notObject)
    {
        limit = data + readable;
        od::document doc;
        if (auto err = parser.iterate(data, size, readable).get(doc))
            return err;
        od::object object;
        if (auto err = doc.get_object().get(object)) {
            notObject = err == simdjson::INCORRECT_TYPE;
            return err;
        }
        if (auto err = readObject(object, root, slots))
            return err;
        // Anything but whitespace after the object ("{...} x") makes the line malformed.
        const char* after = nullptr;
        if (!doc.current_location().get(after))
            return simdjson::TRAILING_CONTENT;
        return simdjson::SUCCESS;
    }

    void parseRow(const char* line, std::size_t size, std::size_t readable, RowSink& sink,
                  std::uint64_t relLine)
    {
        sink.beginRow();
        bool notObject = false;
        auto err = parseLine(line, size, readable, sink.slots(), notObject);
        if (err && !notObject && quoteNonFiniteTokens(std::string_view(line, size), fixed)) {
            const std::size_t fixedSize = fixed.size();
            fixed.resize(fixedSize + simdjson::SIMDJSON_PADDING, ' ');
            sink.beginRow();
            bool ignored = false;
            if (!parseLine(fixed.data(), fixedSize, fixed.size(), sink.slots(), ignored))
                err = simdjson::SUCCESS;
        }
        if (err) {
            if (notObject)
                sink.addProblem(relLine, "not a JSON object");
            else
                sink.addProblem(relLine, std::string("invalid JSON: ") + simdjson::error_message(err));
            ++sink.result().lines;
            return;
        }
        sink.commitRow(relLine);
    }
};

JsonlBlockParser::JsonlBlockParser(const RowPlan& plan) : m_impl(std::make_unique<Impl>(plan)) {}
JsonlBlockParser::~JsonlBlockParser() = default;

BlockResult JsonlBlockParser::parse(const char* data, std::size_t size, std::size_t readable,
                                    std::size_t maxProblems)
{
    RowSink sink(m_impl->plan, maxProblems);
    sink.reserveFor(size);
    std::uint64_t line = 0;
    std::size_t pos = 0;
    while (pos < size) {
        const char* start = data + pos;
        bool nul = false;
        const char* stop = lineEnd(start, data + size, data + std::max(readable, size), nul);
        std::size_t len = static_cast<std::size_t>(stop - start);
        const std::size_t next = pos + len + 1;
        std::size_t first = 0;
        while (first < len && (start[first] == ' ' || start[first] == '\t' || start[first] == '\r'))
            ++first;
        if (first < len) {
            if (len > kMaxLineBytes) {
                ++sink.result().lines;
                sink.addProblem(line, "line too long (" + std::to_string(len) + " bytes)");
            } else if (nul) {
                ++sink.result().lines;
                sink.addProblem(line, "binary data (NUL byte) in line");
            } else {
                if (start[len - 1] == '\r')
                    --len;
                m_impl->parseRow(start, len, readable - pos, sink, line);
            }
        }
        ++line;
        pos = next;
    }
    // A final line without newline still counts as a physical line.
    return sink.finish(line);
}

} // namespace vigil::ingest
