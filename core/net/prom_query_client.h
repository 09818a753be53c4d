#pragma once
// A client for the Prometheus HTTP API (/api/v1/query, /query_range, /labels,
// /label/<name>/values, /series) of a Prometheus-compatible server (Prometheus, Thanos,
// Mimir, VictoriaMetrics ...). Requests run on the client's own HttpClient thread;
// answers are decoded there (prom/query_api.h) and handed to the callback.
//
// Failures are one-line Errors. An API error keeps Prometheus's own words, prefixed
// with its errorType: "bad_data: 1:5: parse error: unexpected <EOF>" (promErrorType()
// gives the type back). Transport failures read as HttpClient's ("connection refused").
#include "net/http_client.h"
#include "prom/query_api.h"

#include <cstdint>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil {

// One API call: a path under the base URL and its (unencoded) query parameters.
struct PromApiRequest
{
    std::string path; // "/api/v1/query_range"
    std::vector<std::pair<std::string, std::string>> params;
};

class PromQueryClient
{
  public:
    // baseUrl: "http://host:9090" or with a path prefix ("https://host/prometheus").
    // options.auth names the environment variable with the token/password; the secret
    // is read per request and never kept or written anywhere.
    explicit PromQueryClient(std::string baseUrl, HttpRequestOptions options = {});

    using Callback = std::function<void(Result<QueryResponse>)>;

    // Requests. Times are unix milliseconds; a missing time lets the server pick (now).
    static PromApiRequest instantQuery(const std::string& promql, std::optional<std::int64_t> timeMs = {});
    // Refused client-side (Error) with Prometheus's own wording when the step is not
    // positive, end < start, or (end - start) / step > 11,000.
    static Result<PromApiRequest> rangeQuery(const std::string& promql, std::int64_t startMs,
                                             std::int64_t endMs, std::int64_t stepMs);
    static PromApiRequest labelNames(const std::vector<std::string>& matchers = {},
                                     std::optional<std::int64_t> startMs = {},
                                     std::optional<std::int64_t> endMs = {});
    static PromApiRequest labelValues(const std::string& label, const std::vector<std::string>& matchers = {},
                                      std::optional<std::int64_t> startMs = {},
                                      std::optional<std::int64_t> endMs = {});
    static PromApiRequest series(const std::vector<std::string>& matchers,
                                 std::optional<std::int64_t> startMs = {},
                                 std::optional<std::int64_t> endMs = {});

    // The full URL of a request (no secrets: credentials never travel in URLs).
    std::string url(const PromApiRequest& request) const;

    // The callback runs once, on the client's I/O thread, after the body is decoded.
    void send(const PromApiRequest& request, Callback done);
    std::future<Result<QueryResponse>> send(const PromApiRequest& request);

    // Shorthands for send(instantQuery(...)) etc.
    std::future<Result<QueryResponse>> query(const std::string& promql,
                                             std::optional<std::int64_t> timeMs = {});
    std::future<Result<QueryResponse>> queryRange(const std::string& promql, std::int64_t startMs,
                                                  std::int64_t endMs, std::int64_t stepMs);
    // A range rangeQuery() refuses is answered at once, on the calling thread.
    void queryRange(const std::string& promql, std::int64_t startMs, std::int64_t endMs, std::int64_t stepMs,
                    Callback done);

    const std::string& baseUrl() const { return m_baseUrl; }

  private:
    std::string m_baseUrl; // without a trailing '/'
    HttpRequestOptions m_options;
    HttpClient m_client;
};

// Turns an HTTP answer of the API into a Result: decoded data, or one line with
// Prometheus's error ("bad_data: ...") or, for bodies that are not API JSON, the
// status and what the body looked like. Warnings of the answer go to Result::warnings.
Result<QueryResponse> interpretApiResponse(const HttpResponse& response);

// The errorType an API Error starts with ("bad_data", "execution", "timeout", ...);
// empty for transport and decoding errors.
std::string promErrorType(const Error& error);

// Unix milliseconds as the API's decimal seconds: 1700000000123 -> "1700000000.123".
std::string formatApiTime(std::int64_t ms);
// RFC 3986 percent-encoding of everything but unreserved characters.
std::string percentEncode(std::string_view text);

} // namespace vigil
