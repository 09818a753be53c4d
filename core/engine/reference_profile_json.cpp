// The reference profile file format (docs/DRIFT.md, "Reference profiles").
#include "engine/reference_profile.h"

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <simdjson.h>
#include <sstream>

namespace vigil {

namespace {

constexpr int kVersion = 1;

void appendString(std::string& out, std::string_view text)
{
    out.push_back('"');
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
}

// Shortest round-trip text; JSON has no Inf/NaN, so those are strings.
std::string number(double v)
{
    if (std::isnan(v))
        return "\"nan\"";
    if (std::isinf(v))
        return v > 0 ? "\"inf\"" : "\"-inf\"";
    return fmt::format("{}", v);
}

std::string optionalNumber(const std::optional<double>& v)
{
    return v ? number(*v) : std::string("null");
}

template <typename T> std::string array(const std::vector<T>& values)
{
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out.push_back(',');
        if constexpr (std::is_floating_point_v<T>)
            out += number(values[i]);
        else
            out += fmt::format("{}", values[i]);
    }
    out.push_back(']');
    return out;
}

struct ParseError
{
    std::string message;
};

using simdjson::dom::element;

element field(simdjson::dom::object o, std::string_view key, const std::string& where)
{
    element e;
    if (o[key].get(e))
        throw ParseError{where + " has no '" + std::string(key) + "'"};
    return e;
}

double toNumber(element e, const std::string& where)
{
    double v = 0;
    if (!e.get_double().get(v))
        return v;
    std::int64_t i = 0;
    if (!e.get_int64().get(i))
        return static_cast<double>(i);
    std::string_view s;
    if (!e.get_string().get(s)) {
        if (s == "nan")
            return std::nan("");
        if (s == "inf")
            return INFINITY;
        if (s == "-inf")
            return -INFINITY;
    }
    throw ParseError{where + " must be a number"};
}

std::optional<double> toOptional(element e, const std::string& where)
{
    if (e.is_null())
        return std::nullopt;
    return toNumber(e, where);
}

std::uint64_t toCount(element e, const std::string& where)
{
    std::uint64_t v = 0;
    if (e.get_uint64().get(v))
        throw ParseError{where + " must be a non-negative integer"};
    return v;
}

// Epoch milliseconds are written as integers; a double (e.g. 1.7e29) would not fit
// an int64 and casting it would be undefined behaviour (found by fuzz_reference_profile).
std::int64_t toMillis(element e, const std::string& where)
{
    std::int64_t v = 0;
    if (e.get_int64().get(v))
        throw ParseError{where + " must be an integer (epoch milliseconds)"};
    return v;
}

// Category codes are small integers; anything else (NaN, 2.7e11) is a bad file, and
// casting it would be undefined behaviour (found by fuzz_reference_profile).
std::int32_t toCode(double v, const std::string& where)
{
    if (!(v >= -2147483648.0 && v <= 2147483647.0) || v != std::trunc(v))
        throw ParseError{where + " must hold integer category codes"};
    return static_cast<std::int32_t>(v);
}

std::string toText(element e, const std::string& where)
{
    std::string_view s;
    if (e.get_string().get(s))
        throw ParseError{where + " must be a string"};
    return std::string(s);
}

std::vector<double> toNumbers(element e, const std::string& where)
{
    simdjson::dom::array a;
    if (e.get_array().get(a))
        throw ParseError{where + " must be a list of numbers"};
    std::vector<double> out;
    for (element x : a)
        out.push_back(toNumber(x, where));
    return out;
}

simdjson::dom::object toObject(element e, const std::string& where)
{
    simdjson::dom::object o;
    if (e.get_object().get(o))
        throw ParseError{where + " must be an object"};
    return o;
}

} // namespace

std::string referenceProfileToJson(const ReferenceProfile& p)
{
    std::string out =
        fmt::format("{{\n\"vigil_reference_profile\": {},\n\"reference\": {{\"source\": ", kVersion);
    appendString(out, p.reference.source);
    out += fmt::format(", \"start_ms\": {}, \"end_ms\": {}, \"rows\": {}}},\n\"prediction_kind\": ",
                       p.reference.startMs, p.reference.endMs, p.reference.rows);
    appendString(out, p.predictionKind);
    out += fmt::format(",\n\"exact_values_limit\": {},\n\"features\": [", kProfileExactValues);
    for (std::size_t i = 0; i < p.features.size(); ++i) {
        const ProfileFeature& f = p.features[i];
        const std::size_t roleIndex = i + 2 >= p.features.size() ? i + 2 - p.features.size() : 2;
        static constexpr const char* kRoles[] = {"prediction", "label", "feature"};
        out += i > 0 ? ",\n" : "\n";
        out += "{\"name\": ";
        appendString(out, f.name);
        out += fmt::format(", \"role\": \"{}\", \"kind\": \"{}\"", kRoles[roleIndex],
                           f.categorical ? "categorical" : "numeric");
        if (f.categorical) {
            out +=
                fmt::format(", \"rows\": {}, \"missing\": {}, \"categories\": [", f.cat.rows, f.cat.missing);
            for (std::size_t c = 0; c < f.cat.categories.size(); ++c) {
                if (c > 0)
                    out.push_back(',');
                appendString(out, f.cat.categories[c]);
            }
            out += "], \"counts\": " + array(f.cat.counts);
        } else {
            const ProfileNumeric& n = f.numeric;
            out += fmt::format(", \"rows\": {}, \"missing\": {}, \"exact\": {}", n.rows, n.missing, n.exact);
            out += ", \"mean\": " + optionalNumber(n.mean) + ", \"std\": " + optionalNumber(n.stdDev);
            out += ", \"edges\": " + array(n.edges) + ", \"bin_counts\": " + array(n.binCounts);
            out += ",\n \"values\": " + array(n.values);
        }
        out += ", \"reference_effects\": " + array(f.referenceEffects) +
               ", \"reference_counts\": " + array(f.referenceCounts) + "}";
    }
    out += "\n],\n\"pca\": ";
    if (p.pca) {
        const PcaReconstruction::State& s = *p.pca;
        out += "{\"numeric_fill\": " + array(s.numericFill) +
               ", \"categorical_fill\": " + array(s.categoricalFill);
        out += ", \"frequencies\": [";
        for (std::size_t c = 0; c < s.frequencies.size(); ++c) {
            out += c > 0 ? ",[" : "[";
            for (std::size_t k = 0; k < s.frequencies[c].size(); ++k)
                out += fmt::format("{}[{},{}]", k > 0 ? "," : "", s.frequencies[c][k].first,
                                   number(s.frequencies[c][k].second));
            out += "]";
        }
        out += "], \"mean\": " + array(s.mean) + ", \"scale\": " + array(s.scale);
        out += fmt::format(", \"components\": {}, \"basis\": ", s.components) + array(s.basis) + "}";
    } else {
        out += "null";
    }
    out += ",\n\"multivariate_reference_errors\": " + array(p.multivariateReferenceErrors);
    out += ",\n\"calibrator\": ";
    out += p.hasCalibrator ? "{\"x\": " + array(p.calibratorX) + ", \"y\": " + array(p.calibratorY) + "}"
                           : std::string("null");
    out += "\n}\n";
    return out;
}

Result<ReferenceProfile> parseReferenceProfile(std::string_view json)
{
    try {
        simdjson::dom::parser parser;
        element root;
        if (auto err = parser.parse(json.data(), json.size()).get(root))
            return Error{std::string("reference profile is not valid JSON: ") + simdjson::error_message(err)};
        const auto top = toObject(root, "reference profile");
        std::int64_t version = 0;
        if (top["vigil_reference_profile"].get_int64().get(version))
            return Error{"not a vigil reference profile (no \"vigil_reference_profile\" version)"};
        if (version != kVersion)
            return Error{fmt::format("reference profile version {} is not supported (this vigil reads {})",
                                     version, kVersion)};
        ReferenceProfile p;
        const auto ref = toObject(field(top, "reference", "profile"), "'reference'");
        p.reference.source = toText(field(ref, "source", "'reference'"), "'reference.source'");
        p.reference.startMs = toMillis(field(ref, "start_ms", "'reference'"), "'reference.start_ms'");
        p.reference.endMs = toMillis(field(ref, "end_ms", "'reference'"), "'reference.end_ms'");
        p.reference.rows = toCount(field(ref, "rows", "'reference'"), "'reference.rows'");
        p.predictionKind = toText(field(top, "prediction_kind", "profile"), "'prediction_kind'");
        simdjson::dom::array features;
        if (field(top, "features", "profile").get_array().get(features))
            throw ParseError{"'features' must be a list"};
        for (element fe : features) {
            const auto o = toObject(fe, "a feature");
            ProfileFeature f;
            f.name = toText(field(o, "name", "a feature"), "feature name");
            const std::string where = "feature '" + f.name + "'";
            const std::string kind = toText(field(o, "kind", where), where + " kind");
            if (kind != "numeric" && kind != "categorical")
                throw ParseError{where + " kind must be numeric or categorical"};
            f.categorical = kind == "categorical";
            if (f.categorical) {
                f.cat.rows = toCount(field(o, "rows", where), where + " rows");
                f.cat.missing = toCount(field(o, "missing", where), where + " missing");
                simdjson::dom::array cats;
                if (field(o, "categories", where).get_array().get(cats))
                    throw ParseError{where + " categories must be a list"};
                for (element c : cats)
                    f.cat.categories.push_back(toText(c, where + " category"));
                f.cat.counts = toNumbers(field(o, "counts", where), where + " counts");
                if (f.cat.counts.size() != f.cat.categories.size())
                    throw ParseError{where + " has " + std::to_string(f.cat.categories.size()) +
                                     " categories but " + std::to_string(f.cat.counts.size()) + " counts"};
            } else {
                ProfileNumeric& n = f.numeric;
                n.rows = toCount(field(o, "rows", where), where + " rows");
                n.missing = toCount(field(o, "missing", where), where + " missing");
                bool exact = true;
                if (field(o, "exact", where).get_bool().get(exact))
                    throw ParseError{where + " exact must be true or false"};
                n.exact = exact;
                n.mean = toOptional(field(o, "mean", where), where + " mean");
                n.stdDev = toOptional(field(o, "std", where), where + " std");
                n.edges = toNumbers(field(o, "edges", where), where + " edges");
                n.binCounts = toNumbers(field(o, "bin_counts", where), where + " bin_counts");
                n.values = toNumbers(field(o, "values", where), where + " values");
                if (n.binCounts.size() != n.edges.size() + 1)
                    throw ParseError{where + " needs one more bin count than edges"};
                if (n.exact && n.values.size() + n.missing != n.rows)
                    throw ParseError{where + ": values + missing != rows"};
            }
            f.referenceEffects =
                toNumbers(field(o, "reference_effects", where), where + " reference_effects");
            // Optional: profiles written before the size-scaled band lack it.
            if (element counts; !o["reference_counts"].get(counts)) {
                f.referenceCounts = toNumbers(counts, where + " reference_counts");
                if (f.referenceCounts.size() != f.referenceEffects.size())
                    throw ParseError{where + " needs one reference count per reference effect"};
            }
            p.features.push_back(std::move(f));
        }
        if (p.features.size() < 2 || p.features[p.features.size() - 2].name != "prediction" ||
            p.features.back().name != "label")
            throw ParseError{"'features' must end with prediction and label"};
        element pca = field(top, "pca", "profile");
        if (!pca.is_null()) {
            const auto o = toObject(pca, "'pca'");
            PcaReconstruction::State s;
            s.numericFill = toNumbers(field(o, "numeric_fill", "'pca'"), "pca numeric_fill");
            for (double v : toNumbers(field(o, "categorical_fill", "'pca'"), "pca categorical_fill"))
                s.categoricalFill.push_back(toCode(v, "pca categorical_fill"));
            simdjson::dom::array freqs;
            if (field(o, "frequencies", "'pca'").get_array().get(freqs))
                throw ParseError{"pca frequencies must be a list"};
            for (element col : freqs) {
                simdjson::dom::array pairs;
                if (col.get_array().get(pairs))
                    throw ParseError{"pca frequencies must be lists of [index, share]"};
                std::vector<std::pair<std::int32_t, double>> v;
                for (element pair : pairs) {
                    const auto xs = toNumbers(pair, "pca frequency");
                    if (xs.size() != 2)
                        throw ParseError{"pca frequencies must be lists of [index, share]"};
                    v.emplace_back(toCode(xs[0], "pca frequencies"), xs[1]);
                }
                s.frequencies.push_back(std::move(v));
            }
            s.mean = toNumbers(field(o, "mean", "'pca'"), "pca mean");
            s.scale = toNumbers(field(o, "scale", "'pca'"), "pca scale");
            const std::uint64_t components = toCount(field(o, "components", "'pca'"), "pca components");
            if (components > 100000)
                throw ParseError{"pca components out of range"};
            s.components = static_cast<int>(components);
            s.basis = toNumbers(field(o, "basis", "'pca'"), "pca basis");
            if (s.basis.size() != s.mean.size() * static_cast<std::size_t>(s.components) ||
                s.scale.size() != s.mean.size() ||
                s.mean.size() != s.numericFill.size() + s.categoricalFill.size() ||
                s.frequencies.size() != s.categoricalFill.size())
                throw ParseError{"'pca' sizes do not agree"};
            p.pca = std::move(s);
        }
        p.multivariateReferenceErrors = toNumbers(field(top, "multivariate_reference_errors", "profile"),
                                                  "multivariate_reference_errors");
        element cal = field(top, "calibrator", "profile");
        if (!cal.is_null()) {
            const auto o = toObject(cal, "'calibrator'");
            p.hasCalibrator = true;
            p.calibratorX = toNumbers(field(o, "x", "'calibrator'"), "calibrator x");
            p.calibratorY = toNumbers(field(o, "y", "'calibrator'"), "calibrator y");
            if (p.calibratorX.size() != p.calibratorY.size())
                throw ParseError{"calibrator x and y differ in length"};
        }
        return p;
    } catch (const ParseError& e) {
        return Error{std::string("reference profile: ") + e.message};
    } catch (const std::exception& e) {
        return Error{std::string("reference profile: ") + e.what()};
    }
}

Result<ReferenceProfile> loadReferenceProfile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{path + ": cannot open reference profile"};
    std::ostringstream text;
    text << in.rdbuf();
    auto result = parseReferenceProfile(text.str());
    if (!result)
        return Error{path + ": " + result.error().message};
    return result;
}

} // namespace vigil
