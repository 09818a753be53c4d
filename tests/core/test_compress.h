#pragma once
// gzip and zstd files written with the libraries themselves, for tests that read
// compressed logs (link ZLIB::ZLIB and PkgConfig::ZSTD).
#include <QByteArray>
#include <QtGlobal>

#include <zlib.h>
#include <zstd.h>

namespace vigil::test {

inline QByteArray gzipBytes(const QByteArray& text)
{
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2");
    QByteArray out(static_cast<int>(deflateBound(&z, static_cast<uLong>(text.size()))), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.constData()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        qFatal("deflate");
    out.resize(static_cast<int>(z.total_out));
    deflateEnd(&z);
    return out;
}

// With a content checksum, as the zstd tool writes by default.
inline QByteArray zstdBytes(const QByteArray& text)
{
    QByteArray out(static_cast<int>(ZSTD_compressBound(static_cast<std::size_t>(text.size()))), '\0');
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    const std::size_t n = ZSTD_compress2(cctx, out.data(), static_cast<std::size_t>(out.size()),
                                         text.constData(), static_cast<std::size_t>(text.size()));
    ZSTD_freeCCtx(cctx);
    if (ZSTD_isError(n))
        qFatal("ZSTD_compress2");
    out.resize(static_cast<int>(n));
    return out;
}

} // namespace vigil::test
