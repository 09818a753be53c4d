#pragma once
// An HTTP/1.1 GET client for metrics endpoints on Boost.Beast. All requests share one
// io_context running on the client's own thread; callbacks run on that thread.
#include "util/result.h"

#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <string>

namespace vigil {

struct HttpAuth
{
    enum class Kind
    {
        None,
        Basic,
        Bearer,
    };
    Kind kind = Kind::None;
    std::string user; // Basic only
    // Name of the environment variable holding the password or token. The secret is read
    // when a request starts, never stored in a file and never put into a message.
    std::string secretEnv;
};

struct HttpRequestOptions
{
    double timeoutSeconds = 10.0; // per attempt: connect, TLS, request and whole body
    std::size_t maxBodyBytes = 64u << 20;
    std::string accept; // empty: no Accept header
    bool gzip = true;   // send Accept-Encoding: gzip and decode gzip bodies
    HttpAuth auth;
    bool verifyTls = true;
    std::string caFile;          // extra trusted CA (PEM); the system store is used as well
    int retries = 0;             // extra attempts after a connect failure or a 5xx
    double backoffSeconds = 0.2; // first retry delay, doubled per retry
    // APIs such as Prometheus's answer errors with 4xx/5xx and a JSON body that says
    // what went wrong; with this set such responses complete like a 2xx (status and body
    // kept, no retry) and the caller reads the status.
    bool acceptErrorStatus = false;
};

struct HttpResponse
{
    int status = 0;
    std::string reason;
    std::string contentType;
    std::string body; // already gzip-decoded
    double durationSeconds = 0.0;
    int attempts = 1;
};

class HttpClient
{
  public:
    HttpClient();
    ~HttpClient(); // stops the thread; requests still running are dropped without callback
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Completion: a 2xx response, or an Error whose message is one line: "connection
    // refused", "timed out after 2.0 s", "response larger than 64 MiB", "HTTP 401
    // Unauthorized", "certificate verify failed", ... Non-2xx statuses are errors unless
    // options.acceptErrorStatus is set.
    using Callback = std::function<void(Result<HttpResponse>)>;
    void get(const std::string& url, const HttpRequestOptions& options, Callback done);
    std::future<Result<HttpResponse>> get(const std::string& url, const HttpRequestOptions& options);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Replaces every occurrence of `secret` in `text` by "***" (no-op for an empty secret).
std::string redactSecret(std::string text, const std::string& secret);

} // namespace vigil
