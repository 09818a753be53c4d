#include "net/http_client.h"

#include "net/gzip.h"
#include "net/url.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <openssl/ssl.h>
#include <optional>
#include <thread>

namespace vigil {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

std::string redactSecret(std::string text, const std::string& secret)
{
    if (secret.empty())
        return text;
    for (std::size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
        text.replace(pos, secret.size(), "***");
    return text;
}

namespace {

using Clock = std::chrono::steady_clock;

// Not a Result: g++ 12 reports a false -Wmaybe-uninitialized when a Result<HttpResponse>
// (a std::variant) is moved through these handlers.
struct Outcome
{
    HttpResponse response;
    std::optional<Error> error;
    bool retryable = false; // connect failures and 5xx
};

Outcome failure(std::string message, bool retryable)
{
    Outcome o;
    o.error = Error{std::move(message)};
    o.retryable = retryable;
    return o;
}

struct Request
{
    HttpUrl url;
    HttpRequestOptions options;
    http::request<http::empty_body> message;
};

std::string describe(const beast::error_code& ec)
{
    if (ec == asio::error::connection_refused)
        return "connection refused";
    if (ec == http::error::body_limit)
        return "";
    if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again)
        return "host not found";
    const std::string msg = ec.message();
    if (msg.find("certificate verify failed") != std::string::npos)
        return "certificate verify failed";
    if (ec.category() == asio::error::get_ssl_category() || ec == ssl::error::stream_truncated)
        return "TLS error: " + msg;
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset)
        return "connection closed by the server";
    return msg;
}

// One attempt of one request. Everything runs on the client's io_context thread; one
// steady timer enforces the total timeout by cancelling whatever is in flight, so a
// server that trickles its body stops counts the same as one that never answers.
template <class Stream> class Session : public std::enable_shared_from_this<Session<Stream>>
{
  public:
    using Done = std::function<void(Outcome)>;

    Session(asio::io_context& io, std::shared_ptr<const Request> req, Stream stream, Done done)
        : m_resolver(io), m_timer(io), m_stream(std::move(stream)), m_req(std::move(req)),
          m_done(std::move(done))
    {
    }

    void start()
    {
        m_start = Clock::now();
        m_parser.emplace();
        m_parser->body_limit(m_req->options.maxBodyBytes);
        m_timer.expires_after(std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(m_req->options.timeoutSeconds)));
        m_timer.async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (ec || self->m_finished)
                return;
            self->m_timedOut = true;
            self->m_resolver.cancel();
            beast::get_lowest_layer(self->m_stream).cancel();
        });
        m_resolver.async_resolve(
            m_req->url.host, m_req->url.port,
            [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
                self->onResolve(ec, r);
            });
    }

  private:
    void onResolve(beast::error_code ec, const tcp::resolver::results_type& results)
    {
        if (ec)
            return fail(ec, true, "cannot resolve " + m_req->url.host + ": ");
        beast::get_lowest_layer(m_stream).async_connect(
            results, [self = this->shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                self->onConnect(ec);
            });
    }

    void onConnect(beast::error_code ec)
    {
        if (ec)
            return fail(ec, true);
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            m_stream.async_handshake(ssl::stream_base::client,
                                     [self = this->shared_from_this()](beast::error_code ec) {
                                         if (ec)
                                             return self->fail(ec, false);
                                         self->write();
                                     });
        } else {
            write();
        }
    }

    void write()
    {
        http::async_write(
            m_stream, m_req->message, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec)
                    return self->fail(ec, false);
                http::async_read(self->m_stream, self->m_buffer, *self->m_parser,
                                 [self](beast::error_code ec, std::size_t) { self->onRead(ec); });
            });
    }

    void onRead(beast::error_code ec)
    {
        if (ec)
            return fail(ec, false);
        auto& res = m_parser->get();
        HttpResponse out;
        out.status = static_cast<int>(res.result_int());
        out.reason = std::string(res.reason());
        out.contentType = std::string(res[http::field::content_type]);
        out.body = std::move(res.body());
        const std::string encoding(res[http::field::content_encoding]);
        if (encoding == "gzip" || encoding == "x-gzip") {
            auto decoded = gunzip(out.body, m_req->options.maxBodyBytes);
            if (!decoded)
                return finish(failure(decoded.error().message, false));
            out.body = std::move(decoded.value());
        } else if (!encoding.empty() && encoding != "identity") {
            return finish(failure("unsupported Content-Encoding: " + encoding, false));
        }
        out.durationSeconds = std::chrono::duration<double>(Clock::now() - m_start).count();
        beast::error_code ignored;
        beast::get_lowest_layer(m_stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
        if ((out.status < 200 || out.status > 299) && !m_req->options.acceptErrorStatus) {
            const std::string reason =
                out.reason.empty() ? std::string(http::obsolete_reason(res.result())) : out.reason;
            return finish(failure(fmt::format("HTTP {} {}", out.status, reason), out.status >= 500));
        }
        Outcome ok;
        ok.response = std::move(out);
        finish(std::move(ok));
    }

    void fail(beast::error_code ec, bool retryable, const std::string& prefix = {})
    {
        if (m_timedOut)
            return finish(
                failure(fmt::format("timed out after {:.1f} s", m_req->options.timeoutSeconds), retryable));
        if (ec == http::error::body_limit)
            return finish(
                failure("response larger than " + formatByteSize(m_req->options.maxBodyBytes), false));
        finish(failure(prefix + describe(ec), retryable));
    }

    void finish(Outcome outcome)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_timer.cancel();
        beast::error_code ignored;
        beast::get_lowest_layer(m_stream).socket().close(ignored);
        m_done(std::move(outcome));
    }

    tcp::resolver m_resolver;
    asio::steady_timer m_timer;
    Stream m_stream;
    std::shared_ptr<const Request> m_req;
    Done m_done;
    beast::flat_buffer m_buffer;
    std::optional<http::response_parser<http::string_body>> m_parser;
    Clock::time_point m_start;
    bool m_timedOut = false;
    bool m_finished = false;
};

struct Job
{
    std::shared_ptr<Request> request;
    std::shared_ptr<ssl::context> tls; // null for http://
    HttpClient::Callback done;
    std::string secret;
    int attempt = 0;
    Clock::time_point start = Clock::now();
};

} // namespace

struct HttpClient::Impl
{
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    std::thread thread{[this] { io.run(); }};

    void startAttempt(const std::shared_ptr<Job>& job)
    {
        auto onDone = [this, job](Outcome o) {
            if (o.error && o.retryable && job->attempt < job->request->options.retries) {
                const double delay = job->request->options.backoffSeconds * std::pow(2.0, job->attempt);
                ++job->attempt;
                auto timer = std::make_shared<asio::steady_timer>(io);
                timer->expires_after(
                    std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(delay)));
                timer->async_wait([this, job, timer](beast::error_code ec) {
                    if (!ec)
                        startAttempt(job);
                });
                return;
            }
            complete(job, std::move(o));
        };
        if (job->tls) {
            beast::ssl_stream<beast::tcp_stream> stream(io, *job->tls);
            const std::string& host = job->request->url.host;
            beast::error_code ec;
            asio::ip::make_address(host, ec);
            // SNI carries host names only (RFC 6066); IP literals are verified against the SAN.
            if (ec)
                SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
            if (job->request->options.verifyTls) {
                stream.set_verify_mode(ssl::verify_peer);
                stream.set_verify_callback(ssl::host_name_verification(host));
            } else {
                stream.set_verify_mode(ssl::verify_none);
            }
            std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
                io, job->request, std::move(stream), std::move(onDone))
                ->start();
        } else {
            std::make_shared<Session<beast::tcp_stream>>(io, job->request, beast::tcp_stream(io),
                                                         std::move(onDone))
                ->start();
        }
    }

    static void complete(const std::shared_ptr<Job>& job, Outcome o)
    {
        if (!o.error) {
            o.response.attempts = job->attempt + 1;
            return job->done(std::move(o.response));
        }
        std::string msg = redactSecret(o.error->message, job->secret);
        if (job->attempt > 0)
            msg += fmt::format(" ({} attempts)", job->attempt + 1);
        job->done(Error{std::move(msg)});
    }

    ~Impl()
    {
        work.reset();
        io.stop();
        thread.join();
    }
};

HttpClient::HttpClient() : m_impl(std::make_unique<Impl>()) {}

HttpClient::~HttpClient() = default;

void HttpClient::get(const std::string& url, const HttpRequestOptions& options, Callback done)
{
    auto job = std::make_shared<Job>();
    job->done = std::move(done);
    auto fail = [&](std::string message) {
        asio::post(m_impl->io, [job, message = std::move(message)] { job->done(Error{message}); });
    };
    auto parsed = parseHttpUrl(url);
    if (!parsed)
        return fail(parsed.error().message);
    auto req = std::make_shared<Request>();
    req->url = parsed.value();
    req->options = options;
    auto& m = req->message;
    m.method(http::verb::get);
    m.target(req->url.target);
    m.version(11);
    const bool defaultPort = req->url.port == (req->url.tls ? "443" : "80");
    const std::string hostHeader =
        req->url.host.find(':') != std::string::npos ? "[" + req->url.host + "]" : req->url.host;
    m.set(http::field::host, defaultPort ? hostHeader : hostHeader + ":" + req->url.port);
    m.set(http::field::user_agent, "vigil/0.1");
    if (!options.accept.empty())
        m.set(http::field::accept, options.accept);
    m.set(http::field::accept_encoding, options.gzip ? "gzip" : "identity");
    m.set("X-Prometheus-Scrape-Timeout-Seconds", fmt::format("{:g}", options.timeoutSeconds));
    if (options.auth.kind != HttpAuth::Kind::None) {
        const char* value = std::getenv(options.auth.secretEnv.c_str());
        if (!value || !*value)
            return fail("environment variable " + options.auth.secretEnv +
                        " is not set (it should hold the " +
                        (options.auth.kind == HttpAuth::Kind::Bearer ? "bearer token)" : "password)"));
        job->secret = value;
        if (options.auth.kind == HttpAuth::Kind::Bearer)
            m.set(http::field::authorization, "Bearer " + job->secret);
        else
            m.set(http::field::authorization, "Basic " + base64Encode(options.auth.user + ":" + job->secret));
    }
    if (req->url.tls) {
        try {
            job->tls = std::make_shared<ssl::context>(ssl::context::tls_client);
            job->tls->set_default_verify_paths();
            if (!options.caFile.empty())
                job->tls->load_verify_file(options.caFile);
        } catch (const std::exception& e) {
            return fail("cannot load CA file " + options.caFile + ": " + e.what());
        }
    }
    job->request = std::move(req);
    asio::post(m_impl->io, [this, job] { m_impl->startAttempt(job); });
}

std::future<Result<HttpResponse>> HttpClient::get(const std::string& url, const HttpRequestOptions& options)
{
    auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
    auto future = promise->get_future();
    get(url, options, [promise](Result<HttpResponse> r) { promise->set_value(std::move(r)); });
    return future;
}

} // namespace vigil
