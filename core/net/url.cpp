#include "net/url.h"

namespace vigil {

Result<HttpUrl> parseHttpUrl(const std::string& url)
{
    HttpUrl u;
    std::string rest;
    if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else if (url.rfind("https://", 0) == 0) {
        u.tls = true;
        rest = url.substr(8);
    } else {
        return Error{"not an http:// or https:// URL: " + url};
    }
    const std::size_t slash = rest.find_first_of("/?");
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) {
        // Not `"/" + rest.substr(...)`: GCC 12 at -O3 raises a false -Wrestrict on it.
        u.target = rest.substr(slash);
        if (u.target.front() != '/')
            u.target.insert(0, 1, '/');
    }
    if (authority.find('@') != std::string::npos)
        return Error{"credentials in the URL are not accepted; use --bearer-env or --basic-env"};
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string::npos)
            return Error{"bad IPv6 address in URL: " + url};
        u.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':')
            u.port = authority.substr(close + 2);
    } else {
        const std::size_t colon = authority.rfind(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string::npos)
            u.port = authority.substr(colon + 1);
    }
    if (u.host.empty())
        return Error{"no host in URL: " + url};
    if (u.port.empty())
        u.port = u.tls ? "443" : "80";
    if (u.port.find_first_not_of("0123456789") != std::string::npos)
        return Error{"bad port in URL: " + url};
    return u;
}

std::string base64Encode(const std::string& in)
{
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                           (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size())
            v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

} // namespace vigil
