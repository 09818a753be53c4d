#include "net/prom_query_client.h"

#include <array>
#include <cstdlib>
#include <fmt/format.h>

namespace vigil {
namespace {

void addTimeParam(PromApiRequest& r, const char* name, std::optional<std::int64_t> ms)
{
    if (ms)
        r.params.emplace_back(name, formatApiTime(*ms));
}

void addMatchers(PromApiRequest& r, const std::vector<std::string>& matchers)
{
    for (const auto& m : matchers)
        r.params.emplace_back("match[]", m);
}

// The start of a body for an error line: one line, whitespace runs collapsed, control
// bytes shown as '?', at most maxBytes of text and then " ...".
std::string bodySnippet(std::string_view body, std::size_t maxBytes)
{
    std::string out;
    bool space = false;
    for (const char c : body) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (out.size() >= maxBytes)
            return out + " ...";
        if (space)
            out += ' ';
        space = false;
        out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    }
    return out;
}

constexpr std::array<std::string_view, 8> kErrorTypes = {
    "bad_data", "execution", "canceled", "timeout", "internal", "not_found", "not_acceptable", "unavailable",
};

} // namespace

std::string formatApiTime(std::int64_t ms)
{
    const char* sign = ms < 0 ? "-" : "";
    const std::uint64_t abs = ms < 0 ? 0 - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
    return fmt::format("{}{}.{:03}", sign, abs / 1000, abs % 1000);
}

std::string percentEncode(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

PromQueryClient::PromQueryClient(std::string baseUrl, HttpRequestOptions options)
    : m_baseUrl(std::move(baseUrl)), m_options(std::move(options))
{
    while (!m_baseUrl.empty() && m_baseUrl.back() == '/')
        m_baseUrl.pop_back();
    m_options.acceptErrorStatus = true;
    if (m_options.accept.empty())
        m_options.accept = "application/json";
}

PromApiRequest PromQueryClient::instantQuery(const std::string& promql, std::optional<std::int64_t> timeMs)
{
    PromApiRequest r{"/api/v1/query", {{"query", promql}}};
    addTimeParam(r, "time", timeMs);
    return r;
}

Result<PromApiRequest> PromQueryClient::rangeQuery(const std::string& promql, std::int64_t startMs,
                                                   std::int64_t endMs, std::int64_t stepMs)
{
    // The same checks, in the same order and words, as Prometheus's queryRange handler,
    // so a refusal here reads exactly like the server's.
    if (endMs < startMs)
        return Error{"bad_data: end timestamp must not be before start time"};
    if (stepMs <= 0)
        return Error{"bad_data: zero or negative query resolution step widths are not accepted. Try a "
                     "positive integer"};
    if ((endMs - startMs) / stepMs > kMaxPointsPerSeries)
        return Error{"bad_data: exceeded maximum resolution of 11,000 points per timeseries. Try decreasing "
                     "the query resolution (?step=XX)"};
    PromApiRequest r{"/api/v1/query_range", {{"query", promql}}};
    r.params.emplace_back("start", formatApiTime(startMs));
    r.params.emplace_back("end", formatApiTime(endMs));
    r.params.emplace_back("step", formatApiTime(stepMs));
    return r;
}

PromApiRequest PromQueryClient::labelNames(const std::vector<std::string>& matchers,
                                           std::optional<std::int64_t> startMs,
                                           std::optional<std::int64_t> endMs)
{
    PromApiRequest r{"/api/v1/labels", {}};
    addMatchers(r, matchers);
    addTimeParam(r, "start", startMs);
    addTimeParam(r, "end", endMs);
    return r;
}

PromApiRequest PromQueryClient::labelValues(const std::string& label,
                                            const std::vector<std::string>& matchers,
                                            std::optional<std::int64_t> startMs,
                                            std::optional<std::int64_t> endMs)
{
    PromApiRequest r{std::string("/api/v1/label/") + percentEncode(label) + "/values", {}};
    addMatchers(r, matchers);
    addTimeParam(r, "start", startMs);
    addTimeParam(r, "end", endMs);
    return r;
}

PromApiRequest PromQueryClient::series(const std::vector<std::string>& matchers,
                                       std::optional<std::int64_t> startMs, std::optional<std::int64_t> endMs)
{
    PromApiRequest r{"/api/v1/series", {}};
    addMatchers(r, matchers);
    addTimeParam(r, "start", startMs);
    addTimeParam(r, "end", endMs);
    return r;
}

std::string PromQueryClient::url(const PromApiRequest& request) const
{
    std::string out = m_baseUrl + request.path;
    char sep = '?';
    for (const auto& [key, value] : request.params) {
        out += sep;
        out += percentEncode(key);
        out += '=';
        out += percentEncode(value);
        sep = '&';
    }
    return out;
}

void PromQueryClient::send(const PromApiRequest& request, Callback done)
{
    m_client.get(url(request), m_options, [done = std::move(done)](Result<HttpResponse> r) {
        if (!r)
            return done(r.error());
        done(interpretApiResponse(r.value()));
    });
}

std::future<Result<QueryResponse>> PromQueryClient::send(const PromApiRequest& request)
{
    auto promise = std::make_shared<std::promise<Result<QueryResponse>>>();
    auto future = promise->get_future();
    send(request, [promise](Result<QueryResponse> r) { promise->set_value(std::move(r)); });
    return future;
}

std::future<Result<QueryResponse>> PromQueryClient::query(const std::string& promql,
                                                          std::optional<std::int64_t> timeMs)
{
    return send(instantQuery(promql, timeMs));
}

std::future<Result<QueryResponse>> PromQueryClient::queryRange(const std::string& promql,
                                                               std::int64_t startMs, std::int64_t endMs,
                                                               std::int64_t stepMs)
{
    auto request = rangeQuery(promql, startMs, endMs, stepMs);
    if (!request) {
        std::promise<Result<QueryResponse>> refused;
        refused.set_value(request.error());
        return refused.get_future();
    }
    return send(request.value());
}

void PromQueryClient::queryRange(const std::string& promql, std::int64_t startMs, std::int64_t endMs,
                                 std::int64_t stepMs, Callback done)
{
    auto request = rangeQuery(promql, startMs, endMs, stepMs);
    if (!request)
        return done(request.error());
    send(request.value(), std::move(done));
}

Result<QueryResponse> interpretApiResponse(const HttpResponse& response)
{
    const bool okStatus = response.status >= 200 && response.status <= 299;
    auto decoded = decodeQueryResponse(response.body);
    if (!decoded) {
        const bool json = response.contentType.find("json") != std::string::npos;
        if (okStatus && json)
            return decoded.error();
        if (okStatus) // a landing page, a login form: the URL is not a Prometheus API
            return Error{fmt::format("not a Prometheus API response ({}): {}",
                                     response.contentType.empty() ? "no Content-Type" : response.contentType,
                                     bodySnippet(response.body, 80))};
        // A proxy's or a non-Prometheus server's error page: say what came back.
        std::string msg = fmt::format("HTTP {} {}", response.status, response.reason);
        const std::string snippet = bodySnippet(response.body, 200);
        if (!snippet.empty())
            msg += ": " + snippet;
        return Error{std::move(msg)};
    }
    QueryResponse& q = decoded.value();
    if (!q.success) {
        const std::string type = q.errorType.empty() ? fmt::format("HTTP {}", response.status) : q.errorType;
        Error e{q.error.empty() ? type : type + ": " + q.error};
        Result<QueryResponse> failed(std::move(e));
        failed.warnings = q.warnings;
        return failed;
    }
    Result<QueryResponse> ok(std::move(q));
    ok.warnings = ok.value().warnings;
    return ok;
}

std::string promErrorType(const Error& error)
{
    const std::size_t colon = error.message.find(':');
    if (colon == std::string::npos)
        return {};
    const std::string_view prefix(error.message.data(), colon);
    for (const auto type : kErrorTypes)
        if (prefix == type)
            return std::string(type);
    return {};
}

} // namespace vigil
