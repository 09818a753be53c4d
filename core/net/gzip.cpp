#include "net/gzip.h"

#include <zlib.h>

namespace vigil {

std::string formatByteSize(std::size_t bytes)
{
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= 1024 && bytes % 1024 == 0)
        return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

Result<std::string> gunzip(std::string_view compressed, std::size_t maxBytes)
{
    z_stream zs{};
    // 16 + MAX_WBITS: expect the gzip wrapper (header and CRC), not raw zlib.
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return Error{"gzip: cannot initialise zlib"};
    std::string out;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    int rc = Z_OK;
    char buf[64 * 1024];
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            const std::string why = zs.msg ? zs.msg : (rc == Z_BUF_ERROR ? "truncated body" : "corrupt data");
            inflateEnd(&zs);
            return Error{"gzip body: " + why};
        }
        out.append(buf, sizeof buf - zs.avail_out);
        if (out.size() > maxBytes) {
            inflateEnd(&zs);
            return Error{"response larger than " + formatByteSize(maxBytes) + " (after gzip decoding)"};
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
            inflateEnd(&zs);
            return Error{"gzip body: truncated body"};
        }
    }
    inflateEnd(&zs);
    return out;
}

} // namespace vigil
