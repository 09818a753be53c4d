#pragma once
// Just enough URL handling for metrics endpoints: http(s)://host[:port][/path][?query].
#include "util/result.h"

#include <string>

namespace vigil {

struct HttpUrl
{
    bool tls = false;
    std::string host; // without brackets for IPv6 literals
    std::string port; // "80"/"443" when not given
    std::string target = "/";
};

// Credentials in the URL ("user:pass@") are refused rather than sent or logged:
// secrets come from environment variables only.
Result<HttpUrl> parseHttpUrl(const std::string& url);

// "Basic dXNlcjpwYXNz"-style encoding for Authorization headers.
std::string base64Encode(const std::string& in);

} // namespace vigil
