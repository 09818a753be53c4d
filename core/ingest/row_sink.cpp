#include "ingest/row_sink.h"

#include "ingest/text_util.h"
#include "ingest/timestamp.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>

namespace vigil::ingest {

bool latencyNameIsSeconds(std::string_view path)
{
    const std::string name =
        toLower(path.substr(path.rfind('.') == std::string_view::npos ? 0 : path.rfind('.') + 1));
    auto endsWith = [&](std::string_view suffix) {
        return name.size() >= suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return endsWith("_s") || endsWith("_sec") || endsWith("_secs") || endsWith("seconds") ||
           endsWith("_second");
}

bool statusNameIsErrorFlag(std::string_view path)
{
    const std::string name = toLower(path);
    if (name.find("status") != std::string::npos)
        return false;
    return name.find("error") != std::string::npos || name.find("fail") != std::string::npos;
}

bool statusNameIsSuccessFlag(std::string_view path)
{
    const std::string name = toLower(path);
    return name.find("success") != std::string::npos || name == "ok" || name == "is_ok";
}

std::string featureDisplayName(std::string_view path)
{
    for (std::string_view prefix : {std::string_view("features."), std::string_view("inputs.")}) {
        if (path.size() > prefix.size() && iequals(path.substr(0, prefix.size()), prefix))
            return std::string(path.substr(prefix.size()));
    }
    return std::string(path);
}

std::string kpiDisplayName(std::string_view path)
{
    const auto dot = path.rfind('.');
    return std::string(dot == std::string_view::npos ? path : path.substr(dot + 1));
}

RowPlan RowPlan::build(const InferredSchema& schema)
{
    RowPlan plan;
    plan.mapping = schema.mapping;
    auto add = [&](const std::string& path, DestKind kind, std::uint32_t index = 0) {
        if (!path.empty())
            plan.dests.push_back(Dest{kind, index, path});
    };
    const FieldMapping& m = plan.mapping;
    add(m.timestamp, DestKind::Timestamp);
    add(m.requestId, DestKind::RequestId);
    add(m.model, DestKind::Model);
    add(m.version, DestKind::Version);
    add(m.latency, DestKind::Latency);
    add(m.status, DestKind::Status);
    add(m.prediction, DestKind::Prediction);
    add(m.label, DestKind::Label);
    for (std::uint32_t i = 0; i < m.numericFeatures.size(); ++i)
        add(m.numericFeatures[i], DestKind::NumericFeature, i);
    for (std::uint32_t i = 0; i < m.categoricalFeatures.size(); ++i)
        add(m.categoricalFeatures[i], DestKind::CategoricalFeature, i);
    for (std::uint32_t i = 0; i < m.kpis.size(); ++i)
        add(m.kpis[i], DestKind::Kpi, i);
    plan.aliasOf.assign(plan.dests.size(), -1);
    for (std::size_t s = 0; s < plan.dests.size(); ++s) {
        for (std::size_t e = 0; e < s && plan.aliasOf[s] < 0; ++e) {
            if (plan.dests[e].path == plan.dests[s].path)
                plan.aliasOf[s] = static_cast<int>(e);
        }
    }
    plan.latencyScale = latencyNameIsSeconds(m.latency) ? 1000.0 : 1.0;
    plan.statusIsErrorFlag = statusNameIsErrorFlag(m.status);
    plan.statusIsSuccessFlag = statusNameIsSuccessFlag(m.status);
    if (plan.mapping.predictionKind == PredictionKind::Auto)
        plan.mapping.predictionKind = PredictionKind::Score;
    return plan;
}

int RowPlan::destForPath(std::string_view path) const
{
    // The first destination wins when a field was mapped twice (e.g. model and feature).
    for (std::size_t i = 0; i < dests.size(); ++i) {
        if (dests[i].path == path)
            return static_cast<int>(i);
    }
    return -1;
}

namespace {

// The bytes of a text of up to 16 bytes as two words, read without going past its end:
// overlapping loads from both ends (with the length, they identify the text).
std::pair<std::uint64_t, std::uint64_t> packShort(std::string_view text)
{
    const char* p = text.data();
    const std::size_t n = text.size();
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    if (n >= 8) {
        std::memcpy(&head, p, 8);
        std::memcpy(&tail, p + n - 8, 8);
    } else if (n >= 4) {
        std::uint32_t a = 0;
        std::uint32_t b = 0;
        std::memcpy(&a, p, 4);
        std::memcpy(&b, p + n - 4, 4);
        head = a;
        tail = b;
    } else {
        for (std::size_t i = 0; i < n; ++i)
            head |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    }
    return {head, tail};
}

std::size_t shortSlot(std::uint64_t head, std::uint64_t tail, std::size_t length)
{
    std::uint64_t h = (head ^ (tail * 0x9E3779B97F4A7C15ull) ^ length) * 0xBF58476D1CE4E5B9ull;
    return static_cast<std::size_t>(h >> 56);
}

} // namespace

std::uint32_t DictionaryBuilder::intern(std::string_view text)
{
    if (text.size() > 16)
        return internSlow(text);
    if (m_short.empty())
        m_short.resize(kShortSlots);
    const auto [head, tail] = packShort(text);
    const auto length = static_cast<std::uint32_t>(text.size());
    for (std::size_t slot = shortSlot(head, tail, length);; slot = (slot + 1) & (kShortSlots - 1)) {
        ShortKey& k = m_short[slot];
        if (k.code == CategoricalColumn::kNull) {
            const std::uint32_t code = internSlow(text);
            if (2 * (m_shortUsed + 1) <= kShortSlots) { // past half full, new texts take the map
                k = {head, tail, length, code};
                ++m_shortUsed;
            }
            return code;
        }
        if (k.head == head && k.tail == tail && k.length == length)
            return k.code;
    }
}

std::uint32_t DictionaryBuilder::internSlow(std::string_view text)
{
    // Model/version repeat row after row: one compare saves the hash most of the time.
    if (m_lastCode != CategoricalColumn::kNull && text == m_lastText)
        return m_lastCode;
    auto it = m_codes.find(text);
    std::uint32_t code = 0;
    if (it == m_codes.end()) {
        code = static_cast<std::uint32_t>(m_storage.size());
        const std::string& stored = m_storage.emplace_back(text);
        it = m_codes.emplace(std::string_view(stored), code).first;
    } else {
        code = it->second;
    }
    m_lastText = it->first;
    m_lastCode = code;
    return code;
}

std::vector<std::string> DictionaryBuilder::take()
{
    std::vector<std::string> out(std::make_move_iterator(m_storage.begin()),
                                 std::make_move_iterator(m_storage.end()));
    m_storage.clear();
    m_codes.clear();
    m_short.clear();
    m_shortUsed = 0;
    m_lastCode = CategoricalColumn::kNull;
    return out;
}

LogTable makeEmptyTable(const RowPlan& plan)
{
    const FieldMapping& m = plan.mapping;
    LogTable t;
    t.numericFeatures.resize(m.numericFeatures.size());
    for (std::size_t i = 0; i < m.numericFeatures.size(); ++i)
        t.numericFeatures[i].name = featureDisplayName(m.numericFeatures[i]);
    t.categoricalFeatures.resize(m.categoricalFeatures.size());
    for (std::size_t i = 0; i < m.categoricalFeatures.size(); ++i)
        t.categoricalFeatures[i].name = featureDisplayName(m.categoricalFeatures[i]);
    t.kpis.resize(m.kpis.size());
    for (std::size_t i = 0; i < m.kpis.size(); ++i)
        t.kpis[i].name = kpiDisplayName(m.kpis[i]);
    return t;
}

RowSink::RowSink(const RowPlan& plan, std::size_t maxProblems)
    : m_plan(plan), m_maxProblems(maxProblems), m_slots(plan.dests.size())
{
    const FieldMapping& m = plan.mapping;
    m_result.table = makeEmptyTable(plan);
    m_numSlots.assign(m.numericFeatures.size(), -1);
    m_catSlots.assign(m.categoricalFeatures.size(), -1);
    m_catFeatures.resize(m.categoricalFeatures.size());
    m_kpiSlots.assign(m.kpis.size(), -1);
    m_result.nonNumeric.assign(plan.dests.size(), 0);

    for (std::size_t s = 0; s < plan.dests.size(); ++s) {
        const Dest& d = plan.dests[s];
        const int slot = static_cast<int>(s);
        switch (d.kind) {
        case DestKind::Skip:
            break;
        case DestKind::Timestamp:
            m_ts = slot;
            break;
        case DestKind::RequestId:
            m_requestId = slot;
            break;
        case DestKind::Model:
            m_modelSlot = slot;
            break;
        case DestKind::Version:
            m_versionSlot = slot;
            break;
        case DestKind::Latency:
            m_latency = slot;
            break;
        case DestKind::Status:
            m_status = slot;
            break;
        case DestKind::Prediction:
            m_prediction = slot;
            break;
        case DestKind::Label:
            m_label = slot;
            break;
        case DestKind::NumericFeature:
            m_numSlots[d.index] = slot;
            break;
        case DestKind::CategoricalFeature:
            m_catSlots[d.index] = slot;
            break;
        case DestKind::Kpi:
            m_kpiSlots[d.index] = slot;
            break;
        }
    }
}

void RowSink::reserveFor(std::size_t bytes)
{
    if (m_plan.avgRecordBytes <= 0.0)
        return;
    const auto rows = static_cast<std::size_t>(static_cast<double>(bytes) / m_plan.avgRecordBytes * 1.1) + 16;
    LogTable& t = m_result.table;
    auto numeric = [rows](NumericColumn& c) {
        c.values.reserve(rows);
        c.valid.reserve(rows);
    };
    t.tsMs.reserve(rows);
    t.model.codes.reserve(rows);
    t.version.codes.reserve(rows);
    numeric(t.latencyMs);
    t.status.reserve(rows);
    numeric(t.prediction);
    numeric(t.label);
    for (auto& c : t.numericFeatures)
        numeric(c);
    for (auto& c : t.categoricalFeatures)
        c.codes.reserve(rows);
    for (auto& c : t.kpis)
        numeric(c);
    if (m_requestId >= 0 && m_plan.keepRequestIds) {
        t.requestId.ends.reserve(rows);
        t.requestId.valid.reserve(rows);
    }
}

void RowSink::beginRow()
{
    for (Scalar& s : m_slots)
        s.type = Scalar::Type::Unset;
}

void RowSink::addProblem(std::uint64_t relLine, std::string error)
{
    ++m_result.malformed;
    if (m_result.problems.size() < m_maxProblems)
        m_result.problems.push_back(BlockProblem{relLine, std::move(error)});
}

double RowSink::numeric(std::size_t dest, const Scalar& value, bool& valid)
{
    valid = true;
    switch (value.type) {
    case Scalar::Type::Number:
        return value.number;
    case Scalar::Type::Int:
        return static_cast<double>(value.integer);
    case Scalar::Type::Bool:
        return value.boolean ? 1.0 : 0.0;
    case Scalar::Type::String:
        if (auto parsed = parseNumberText(value.text))
            return *parsed;
        ++m_result.nonNumeric[dest];
        break;
    case Scalar::Type::Other:
        ++m_result.nonNumeric[dest];
        break;
    default:
        break;
    }
    valid = false;
    return 0.0;
}

std::uint32_t RowSink::categorical(DictionaryBuilder& dict, const Scalar& value)
{
    char buffer[64];
    switch (value.type) {
    case Scalar::Type::String:
        return dict.intern(value.text);
    case Scalar::Type::Bool:
        return dict.intern(value.boolean ? "true" : "false");
    case Scalar::Type::Int: {
        const auto r = std::to_chars(buffer, buffer + sizeof buffer, value.integer);
        return dict.intern(std::string_view(buffer, static_cast<std::size_t>(r.ptr - buffer)));
    }
    case Scalar::Type::Number:
        return dict.intern(numberText(value.number));
    default:
        return CategoricalColumn::kNull;
    }
}

RowStatus RowSink::status(const Scalar& value) const
{
    const FieldMapping& m = m_plan.mapping;
    const bool errorFlag = m_plan.statusIsErrorFlag;
    auto inOkList = [&](std::string_view text) {
        for (const std::string& ok : m.okStatusValues) {
            if (iequals(text, ok))
                return true;
        }
        return false;
    };
    auto fromNumber = [&](double v) {
        if (errorFlag)
            return v == 0.0 ? RowStatus::Ok : RowStatus::Error;
        if (m_plan.statusIsSuccessFlag)
            return v != 0.0 ? RowStatus::Ok : RowStatus::Error;
        if (v == std::floor(v) && v >= 100 && v < 600)
            return v < 400 ? RowStatus::Ok : RowStatus::Error;
        return RowStatus::Error;
    };
    switch (value.type) {
    case Scalar::Type::Bool:
        return value.boolean != errorFlag ? RowStatus::Ok : RowStatus::Error;
    case Scalar::Type::Int:
    case Scalar::Type::Number: {
        const double v = value.type == Scalar::Type::Int ? static_cast<double>(value.integer) : value.number;
        if (inOkList(numberText(v)))
            return RowStatus::Ok;
        return fromNumber(v);
    }
    case Scalar::Type::String: {
        const std::string_view text = trimSpaces(value.text);
        if (errorFlag) {
            if (text.empty() || iequals(text, "false") || iequals(text, "no"))
                return RowStatus::Ok;
            if (iequals(text, "true") || iequals(text, "yes"))
                return RowStatus::Error;
        }
        if (inOkList(text))
            return RowStatus::Ok;
        if (auto number = parseNumberText(text))
            return fromNumber(*number);
        return RowStatus::Error;
    }
    case Scalar::Type::Other:
        return RowStatus::Error;
    default:
        return errorFlag ? RowStatus::Ok : RowStatus::Unknown; // "error": null means no error
    }
}

bool RowSink::matchesPositive(const Scalar& value) const
{
    const std::string& positive = m_plan.mapping.positiveClass;
    switch (value.type) {
    case Scalar::Type::Bool:
        if (value.boolean)
            return iequals(positive, "true") || positive == "1";
        return iequals(positive, "false") || positive == "0";
    case Scalar::Type::Int:
    case Scalar::Type::Number: {
        const double v = value.type == Scalar::Type::Int ? static_cast<double>(value.integer) : value.number;
        const auto p = parseNumberText(positive);
        return p && *p == v;
    }
    case Scalar::Type::String: {
        const std::string_view text = trimSpaces(value.text);
        if (iequals(text, positive))
            return true;
        const auto a = parseNumberText(text);
        const auto b = parseNumberText(positive);
        return a && b && *a == *b;
    }
    default:
        return false;
    }
}

void RowSink::pushNumeric(NumericColumn& column, std::size_t dest)
{
    bool valid = false;
    const double v = numeric(dest, m_slots[dest], valid);
    if (valid)
        column.push(v);
    else
        column.pushNull();
}

void RowSink::pushClassOrNumeric(NumericColumn& column, std::size_t dest, bool asClass)
{
    const Scalar& value = m_slots[dest];
    if (value.type == Scalar::Type::Unset || value.type == Scalar::Type::Null) {
        column.pushNull();
        return;
    }
    // A score model's label given as text ("yes"/"no") is still a class.
    const bool textLabel = value.type == Scalar::Type::String && !parseNumberText(value.text);
    if (asClass || (textLabel && m_plan.mapping.predictionKind == PredictionKind::Score)) {
        column.push(matchesPositive(value) ? 1.0 : 0.0);
        return;
    }
    pushNumeric(column, dest);
}

// Ids are text; a numeric id is kept as its decimal text so that 123 in the log
// and "123" in a label file are the same request.
bool RowSink::pushRequestId(std::uint64_t relLine)
{
    const Scalar& v = m_slots[static_cast<std::size_t>(m_requestId)];
    StringColumn& column = m_result.table.requestId;
    char buffer[64];
    switch (v.type) {
    case Scalar::Type::String:
        column.push(v.text);
        return true;
    case Scalar::Type::Int: {
        const auto r = std::to_chars(buffer, buffer + sizeof buffer, v.integer);
        column.push(std::string_view(buffer, static_cast<std::size_t>(r.ptr - buffer)));
        return true;
    }
    case Scalar::Type::Number:
        column.push(numberText(v.number));
        return true;
    case Scalar::Type::Bool:
        column.push(v.boolean ? "true" : "false");
        return true;
    default:
        break;
    }
    if (m_plan.requireRequestId) {
        const std::string& field = m_plan.dests[static_cast<std::size_t>(m_requestId)].path;
        addProblem(relLine, v.type == Scalar::Type::Other ? "request id field '" + field + "' is not a value"
                                                          : "missing request id field '" + field + "'");
        return false;
    }
    column.pushNull();
    return true;
}

bool RowSink::commitRow(std::uint64_t relLine)
{
    ++m_result.lines;
    for (std::size_t s = 0; s < m_slots.size(); ++s) {
        if (m_plan.aliasOf[s] >= 0)
            m_slots[s] = m_slots[static_cast<std::size_t>(m_plan.aliasOf[s])];
    }
    LogTable& t = m_result.table;
    const Scalar& ts = m_slots[static_cast<std::size_t>(m_ts)];
    const std::string& tsField = m_plan.dests[static_cast<std::size_t>(m_ts)].path;
    std::optional<std::int64_t> ms;
    const TimestampUnit unit = m_plan.mapping.timestampUnit;
    switch (ts.type) {
    case Scalar::Type::Unset:
        addProblem(relLine, "missing timestamp field '" + tsField + "'");
        return false;
    case Scalar::Type::Null:
        addProblem(relLine, "null timestamp in field '" + tsField + "'");
        return false;
    case Scalar::Type::Int:
        ms = epochToMs(ts.integer, unit);
        break;
    case Scalar::Type::Number:
        ms = epochToMs(ts.number, unit);
        break;
    case Scalar::Type::String:
        ms = textTimestampToMs(ts.text, unit);
        break;
    default:
        break;
    }
    if (!ms) {
        std::string shown = ts.type == Scalar::Type::String   ? std::string(ts.text)
                            : ts.type == Scalar::Type::Number ? numberText(ts.number)
                            : ts.type == Scalar::Type::Bool   ? (ts.boolean ? "true" : "false")
                                                              : "(object)";
        addProblem(relLine, "bad timestamp '" + quoteForMessage(shown) + "' in field '" + tsField + "'");
        return false;
    }
    if (m_requestId >= 0 && m_plan.keepRequestIds && !pushRequestId(relLine))
        return false;
    t.tsMs.push_back(*ms);

    const Scalar nullValue{};
    auto slot = [&](int s) -> const Scalar& {
        return s < 0 ? nullValue : m_slots[static_cast<std::size_t>(s)];
    };
    t.model.codes.push_back(categorical(m_model, slot(m_modelSlot)));
    t.version.codes.push_back(categorical(m_version, slot(m_versionSlot)));
    if (m_latency >= 0) {
        bool valid = false;
        const double v = numeric(static_cast<std::size_t>(m_latency), slot(m_latency), valid);
        if (valid)
            t.latencyMs.push(v * m_plan.latencyScale);
        else
            t.latencyMs.pushNull();
    } else {
        t.latencyMs.pushNull();
    }
    t.status.push_back(status(slot(m_status)));
    const bool asClass = m_plan.mapping.predictionKind == PredictionKind::ClassLabel;
    if (m_prediction >= 0)
        pushClassOrNumeric(t.prediction, static_cast<std::size_t>(m_prediction), asClass);
    else
        t.prediction.pushNull();
    if (m_label >= 0)
        pushClassOrNumeric(t.label, static_cast<std::size_t>(m_label), asClass);
    else
        t.label.pushNull();
    for (std::size_t i = 0; i < m_numSlots.size(); ++i) {
        const int s = m_numSlots[i];
        // A plain number is nearly every value: pushed here, without pushNumeric's call.
        if (s >= 0 && m_slots[static_cast<std::size_t>(s)].type == Scalar::Type::Number)
            t.numericFeatures[i].push(m_slots[static_cast<std::size_t>(s)].number);
        else if (s >= 0)
            pushNumeric(t.numericFeatures[i], static_cast<std::size_t>(s));
        else
            t.numericFeatures[i].pushNull();
    }
    for (std::size_t i = 0; i < m_catSlots.size(); ++i)
        t.categoricalFeatures[i].codes.push_back(categorical(m_catFeatures[i], slot(m_catSlots[i])));
    for (std::size_t i = 0; i < m_kpiSlots.size(); ++i) {
        if (m_kpiSlots[i] >= 0)
            pushNumeric(t.kpis[i], static_cast<std::size_t>(m_kpiSlots[i]));
        else
            t.kpis[i].pushNull();
    }
    return true;
}

BlockResult RowSink::finish(std::uint64_t physicalLines)
{
    m_result.physicalLines = physicalLines;
    LogTable& t = m_result.table;
    t.model.dictionary = m_model.take();
    t.version.dictionary = m_version.take();
    for (std::size_t i = 0; i < m_catFeatures.size(); ++i)
        t.categoricalFeatures[i].dictionary = m_catFeatures[i].take();
    BlockResult out = std::move(m_result);
    m_result = BlockResult{};
    return out;
}

} // namespace vigil::ingest
