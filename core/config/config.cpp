#include "config/config.h"

#include "engine/window.h"

#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <simdjson.h>
#include <sstream>

namespace vigil {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::optional<TimestampUnit> unitFromText(std::string_view text)
{
    for (auto u : {TimestampUnit::Seconds, TimestampUnit::Millis, TimestampUnit::Micros, TimestampUnit::Nanos,
                   TimestampUnit::Iso8601, TimestampUnit::Auto}) {
        if (text == toString(u))
            return u;
    }
    return std::nullopt;
}

std::optional<PredictionKind> kindFromText(std::string_view text)
{
    for (auto k : {PredictionKind::Score, PredictionKind::ClassLabel, PredictionKind::Regression,
                   PredictionKind::Auto}) {
        if (text == toString(k))
            return k;
    }
    return std::nullopt;
}

struct ParseError
{
    std::string message;
};

std::string getString(element value, const std::string& key)
{
    std::string_view text;
    if (value.get_string().get(text))
        throw ParseError{"'" + key + "' must be a string"};
    return std::string(text);
}

std::vector<std::string> getStringList(element value, const std::string& key)
{
    simdjson::dom::array array;
    if (value.get_array().get(array))
        throw ParseError{"'" + key + "' must be a list of strings"};
    std::vector<std::string> out;
    for (element item : array) {
        std::string_view text;
        if (item.get_string().get(text))
            throw ParseError{"'" + key + "' must be a list of strings"};
        out.emplace_back(text);
    }
    return out;
}

void parseMapping(element value, MappingOverrides& m)
{
    simdjson::dom::object object;
    if (value.get_object().get(object))
        throw ParseError{"'mapping' must be an object"};
    for (auto [keyView, item] : object) {
        const std::string key(keyView);
        const std::string name = "mapping." + key;
        if (key == "timestamp")
            m.timestamp = getString(item, name);
        else if (key == "timestamp_unit") {
            m.timestampUnit = unitFromText(getString(item, name));
            if (!m.timestampUnit)
                throw ParseError{"'" + name + "' must be one of s, ms, us, ns, iso8601, auto"};
        } else if (key == "request_id")
            m.requestId = getString(item, name);
        else if (key == "model")
            m.model = getString(item, name);
        else if (key == "version")
            m.version = getString(item, name);
        else if (key == "latency")
            m.latency = getString(item, name);
        else if (key == "status")
            m.status = getString(item, name);
        else if (key == "ok_status")
            m.okStatusValues = getStringList(item, name);
        else if (key == "prediction")
            m.prediction = getString(item, name);
        else if (key == "prediction_kind") {
            m.predictionKind = kindFromText(getString(item, name));
            if (!m.predictionKind)
                throw ParseError{"'" + name + "' must be one of score, class, regression, auto"};
        } else if (key == "label")
            m.label = getString(item, name);
        else if (key == "positive_class") {
            // Class labels are often written as numbers or booleans; keep their text.
            if (item.is_string())
                m.positiveClass = getString(item, name);
            else if (item.is_bool())
                m.positiveClass = item.get_bool().value_unsafe() ? "true" : "false";
            else if (item.is_int64())
                m.positiveClass = std::to_string(item.get_int64().value_unsafe());
            else
                throw ParseError{"'" + name + "' must be a string"};
        } else if (key == "numeric_features")
            m.numericFeatures = getStringList(item, name);
        else if (key == "categorical_features")
            m.categoricalFeatures = getStringList(item, name);
        else if (key == "kpis")
            m.kpis = getStringList(item, name);
        else
            throw ParseError{"unknown key '" + name + "'"};
    }
}

std::optional<LogFormat> formatFromText(std::string_view text)
{
    if (text == "jsonl")
        return LogFormat::Jsonl;
    if (text == "csv")
        return LogFormat::Csv;
    if (text == "auto")
        return LogFormat::Auto;
    return std::nullopt;
}

void parseLabels(element value, LabelSourceConfig& l)
{
    simdjson::dom::object object;
    if (value.get_object().get(object))
        throw ParseError{"'labels' must be an object"};
    for (auto [keyView, item] : object) {
        const std::string key(keyView);
        const std::string name = "labels." + key;
        if (key == "path")
            l.path = getString(item, name);
        else if (key == "format") {
            const std::string text = getString(item, name);
            l.format = formatFromText(text);
            if (!l.format)
                throw ParseError{"'" + name + "' must be \"jsonl\", \"csv\" or \"auto\", not \"" + text +
                                 "\""};
        } else if (key == "request_id")
            l.requestId = getString(item, name);
        else if (key == "label")
            l.label = getString(item, name);
        else if (key == "ts" || key == "timestamp")
            l.timestamp = getString(item, name);
        else if (key == "timestamp_unit") {
            l.timestampUnit = unitFromText(getString(item, name));
            if (!l.timestampUnit)
                throw ParseError{"'" + name + "' must be one of s, ms, us, ns, iso8601, auto"};
        } else
            throw ParseError{"unknown key '" + name + "'"};
    }
}

void parseRatios(element value, std::vector<KpiRatio>& out)
{
    simdjson::dom::array array;
    if (value.get_array().get(array))
        throw ParseError{"'kpi_ratios' must be a list of {\"name\", \"expr\"} objects"};
    for (element item : array) {
        simdjson::dom::object object;
        if (item.get_object().get(object))
            throw ParseError{"'kpi_ratios' must be a list of {\"name\", \"expr\"} objects"};
        KpiRatio ratio;
        for (auto [keyView, field] : object) {
            const std::string key(keyView);
            if (key == "name")
                ratio.name = getString(field, "kpi_ratios.name");
            else if (key == "expr")
                ratio.expression = getString(field, "kpi_ratios.expr");
            else
                throw ParseError{"unknown key 'kpi_ratios." + key + "'"};
        }
        if (ratio.name.empty() || ratio.expression.empty())
            throw ParseError{"each of 'kpi_ratios' needs a non-empty \"name\" and \"expr\""};
        out.push_back(std::move(ratio));
    }
}

double getNumber(element value, const std::string& key, double lo, double hi)
{
    double v = 0;
    if (value.get_double().get(v) || !std::isfinite(v) || v < lo || v > hi)
        throw ParseError{"'" + key + "' must be a number in [" + fmt::format("{}", lo) + ", " +
                         fmt::format("{}", hi) + "]"};
    return v + 0.0;
}

// A row count: a whole number in [0, 1e9].
std::size_t getCount(element value, const std::string& key)
{
    double v = 0;
    if (value.get_double().get(v) || !(v >= 0.0 && v <= 1e9) || v != std::floor(v))
        throw ParseError{"'" + key + "' must be a whole number in [0, 1000000000]"};
    return static_cast<std::size_t>(v);
}

void parseDrift(element value, DriftConfig& d)
{
    simdjson::dom::object object;
    if (value.get_object().get(object))
        throw ParseError{"'drift' must be an object"};
    for (auto [keyView, item] : object) {
        const std::string key(keyView);
        const std::string name = "drift." + key;
        if (key == "alpha")
            d.alpha = getNumber(item, name, 0.0, 1.0);
        else if (key == "min_effect")
            d.minEffect = getNumber(item, name, 0.0, 1.0);
        else if (key == "threshold_sigmas")
            d.thresholdSigmas = getNumber(item, name, 0.0, 1e6);
        else if (key == "feature_alpha")
            d.featureAlpha = getNumber(item, name, 0.0, 1.0);
        else if (key == "pair_below_rows")
            d.pairBelowRows = getCount(item, name);
        else if (key == "pair_own_alpha")
            d.pairOwnAlpha = getNumber(item, name, 0.0, 1.0);
        else if (key == "pair_threshold_sigmas")
            d.pairThresholdSigmas = getNumber(item, name, 0.0, 1e6);
        else if (key == "features") {
            simdjson::dom::object features;
            if (item.get_object().get(features))
                throw ParseError{"'drift.features' must be an object of feature name -> settings"};
            for (auto [featureView, settings] : features) {
                const std::string feature(featureView);
                simdjson::dom::object fields;
                if (settings.get_object().get(fields))
                    throw ParseError{"'drift.features." + feature + "' must be an object"};
                FeatureDriftConfig f;
                for (auto [fieldView, field] : fields) {
                    const std::string fieldKey(fieldView);
                    const std::string fieldName = "drift.features." + feature + "." + fieldKey;
                    if (fieldKey == "min_effect")
                        f.minEffect = getNumber(field, fieldName, 0.0, 1.0);
                    else if (fieldKey == "threshold_sigmas")
                        f.thresholdSigmas = getNumber(field, fieldName, 0.0, 1e6);
                    else if (fieldKey == "feature_alpha")
                        f.featureAlpha = getNumber(field, fieldName, 0.0, 1.0);
                    else if (fieldKey == "pair_below_rows")
                        f.pairBelowRows = getCount(field, fieldName);
                    else if (fieldKey == "pair_own_alpha")
                        f.pairOwnAlpha = getNumber(field, fieldName, 0.0, 1.0);
                    else if (fieldKey == "pair_threshold_sigmas")
                        f.pairThresholdSigmas = getNumber(field, fieldName, 0.0, 1e6);
                    else if (fieldKey == "ignore") {
                        bool b = false;
                        if (field.get_bool().get(b))
                            throw ParseError{"'" + fieldName + "' must be true or false"};
                        f.ignore = b;
                    } else
                        throw ParseError{"unknown key '" + fieldName + "'"};
                }
                d.features[feature] = f;
            }
        } else
            throw ParseError{"unknown key '" + name + "'"};
    }
}

void appendJsonString(std::string& out, std::string_view text)
{
    out.push_back('"');
    for (char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static constexpr char kHex[] = "0123456789abcdef";
                out += "\\u00";
                out.push_back(kHex[(c >> 4) & 15]);
                out.push_back(kHex[c & 15]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

} // namespace

Result<VigilConfig> parseConfig(std::string_view json)
{
    try {
        simdjson::dom::parser parser;
        element root;
        if (auto err = parser.parse(json.data(), json.size()).get(root))
            return Error{std::string("config is not valid JSON: ") + simdjson::error_message(err)};
        simdjson::dom::object object;
        if (root.get_object().get(object))
            return Error{"config must be a JSON object"};
        VigilConfig config;
        for (auto [keyView, value] : object) {
            const std::string key(keyView);
            if (key == "format") {
                const std::string text = getString(value, key);
                if (text == "jsonl")
                    config.format = LogFormat::Jsonl;
                else if (text == "csv")
                    config.format = LogFormat::Csv;
                else if (text == "auto")
                    config.format = LogFormat::Auto;
                else
                    throw ParseError{"'format' must be \"jsonl\", \"csv\" or \"auto\", not \"" + text + "\""};
            } else if (key == "window") {
                const std::string text = getString(value, key);
                config.windowMs = parseWindowSize(text);
                if (!config.windowMs)
                    throw ParseError{"'window' must look like 90s, 15m, 1h or 1d, not \"" + text + "\""};
            } else if (key == "threshold") {
                double t = 0;
                if (value.get_double().get(t) || !std::isfinite(t) || t < 0.0 || t > 1.0)
                    throw ParseError{"'threshold' must be a number in [0, 1]"};
                config.threshold = t + 0.0; // -0 would not survive a round trip through text
            } else if (key == "mapping") {
                parseMapping(value, config.mapping);
            } else if (key == "kpi_ratios") {
                parseRatios(value, config.kpiRatios);
            } else if (key == "drift") {
                parseDrift(value, config.drift);
            } else if (key == "labels") {
                parseLabels(value, config.labels.emplace());
            } else {
                throw ParseError{"unknown key '" + key + "'"};
            }
        }
        return config;
    } catch (const ParseError& e) {
        return Error{"config: " + e.message};
    } catch (const std::exception& e) {
        return Error{std::string("config: ") + e.what()};
    }
}

Result<VigilConfig> loadConfigFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{path + ": cannot open config file"};
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return Error{path + ": cannot read config file"};
    auto result = parseConfig(text.str());
    if (!result)
        return Error{path + ": " + result.error().message};
    return result;
}

std::string configToJson(const VigilConfig& config)
{
    std::string out = "{\n";
    bool first = true;
    auto key = [&](std::string_view name, int indent) {
        if (!first)
            out += ",\n";
        first = false;
        out.append(static_cast<std::size_t>(indent), ' ');
        appendJsonString(out, name);
        out += ": ";
    };
    auto list = [&](const std::vector<std::string>& items) {
        out += "[";
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i > 0)
                out += ", ";
            appendJsonString(out, items[i]);
        }
        out += "]";
    };
    if (config.format) {
        key("format", 2);
        appendJsonString(out, toString(*config.format));
    }
    if (config.windowMs) {
        key("window", 2);
        appendJsonString(out, formatWindowSize(*config.windowMs));
    }
    if (config.threshold) {
        key("threshold", 2);
        char buffer[64];
        const auto r = std::to_chars(buffer, buffer + sizeof buffer, *config.threshold);
        out.append(buffer, r.ptr);
    }
    const MappingOverrides& m = config.mapping;
    if (!m.empty()) {
        key("mapping", 2);
        out += "{\n";
        first = true;
        auto str = [&](std::string_view name, const std::optional<std::string>& v) {
            if (v) {
                key(name, 4);
                appendJsonString(out, *v);
            }
        };
        auto strList = [&](std::string_view name, const std::optional<std::vector<std::string>>& v) {
            if (v) {
                key(name, 4);
                list(*v);
            }
        };
        str("timestamp", m.timestamp);
        if (m.timestampUnit) {
            key("timestamp_unit", 4);
            appendJsonString(out, toString(*m.timestampUnit));
        }
        str("request_id", m.requestId);
        str("model", m.model);
        str("version", m.version);
        str("latency", m.latency);
        str("status", m.status);
        strList("ok_status", m.okStatusValues);
        str("prediction", m.prediction);
        if (m.predictionKind) {
            key("prediction_kind", 4);
            appendJsonString(out, toString(*m.predictionKind));
        }
        str("label", m.label);
        str("positive_class", m.positiveClass);
        strList("numeric_features", m.numericFeatures);
        strList("categorical_features", m.categoricalFeatures);
        strList("kpis", m.kpis);
        out += "\n  }";
        first = false;
    }
    if (!config.kpiRatios.empty()) {
        key("kpi_ratios", 2);
        out += "[";
        for (std::size_t i = 0; i < config.kpiRatios.size(); ++i) {
            out += i > 0 ? ", " : "";
            out += "{\"name\": ";
            appendJsonString(out, config.kpiRatios[i].name);
            out += ", \"expr\": ";
            appendJsonString(out, config.kpiRatios[i].expression);
            out += "}";
        }
        out += "]";
    }
    const DriftConfig& d = config.drift;
    if (!d.empty()) {
        key("drift", 2);
        out += "{";
        std::string sep;
        const auto number = [&](std::string_view name, const std::optional<double>& v) {
            if (!v)
                return;
            out += sep;
            sep = ", ";
            appendJsonString(out, name);
            out += ": " + fmt::format("{}", *v);
        };
        number("alpha", d.alpha);
        number("min_effect", d.minEffect);
        number("threshold_sigmas", d.thresholdSigmas);
        number("feature_alpha", d.featureAlpha);
        if (d.pairBelowRows)
            number("pair_below_rows", static_cast<double>(*d.pairBelowRows));
        number("pair_own_alpha", d.pairOwnAlpha);
        number("pair_threshold_sigmas", d.pairThresholdSigmas);
        if (!d.features.empty()) {
            out += sep + "\"features\": {";
            sep = ", ";
            std::string featureSep;
            for (const auto& [name, f] : d.features) {
                out += featureSep;
                featureSep = ", ";
                appendJsonString(out, name);
                out += ": {";
                std::string inner;
                const auto field = [&](std::string_view fieldName, const std::string& text) {
                    out += inner;
                    inner = ", ";
                    appendJsonString(out, fieldName);
                    out += ": " + text;
                };
                if (f.minEffect)
                    field("min_effect", fmt::format("{}", *f.minEffect));
                if (f.thresholdSigmas)
                    field("threshold_sigmas", fmt::format("{}", *f.thresholdSigmas));
                if (f.featureAlpha)
                    field("feature_alpha", fmt::format("{}", *f.featureAlpha));
                if (f.pairBelowRows)
                    field("pair_below_rows", fmt::format("{}", *f.pairBelowRows));
                if (f.pairOwnAlpha)
                    field("pair_own_alpha", fmt::format("{}", *f.pairOwnAlpha));
                if (f.pairThresholdSigmas)
                    field("pair_threshold_sigmas", fmt::format("{}", *f.pairThresholdSigmas));
                if (f.ignore)
                    field("ignore", "true");
                out += "}";
            }
            out += "}";
        }
        out += "}";
    }
    if (config.labels) {
        const LabelSourceConfig& l = *config.labels;
        key("labels", 2);
        out += "{\n";
        first = true;
        auto str = [&](std::string_view name, const std::optional<std::string>& v) {
            if (v) {
                key(name, 4);
                appendJsonString(out, *v);
            }
        };
        str("path", l.path);
        if (l.format) {
            key("format", 4);
            appendJsonString(out, toString(*l.format));
        }
        str("request_id", l.requestId);
        str("label", l.label);
        str("ts", l.timestamp);
        if (l.timestampUnit) {
            key("timestamp_unit", 4);
            appendJsonString(out, toString(*l.timestampUnit));
        }
        out += "\n  }";
        first = false;
    }
    out += "\n}\n";
    return out;
}

} // namespace vigil
