#pragma once
// The bytes of one log file as text: plain, or decompressed from gzip (also
// multi-member) or zstd, streamed so that a compressed file is never held whole.
// The compression is found by the magic bytes, not the name.
#include <cstdint>
#include <memory>
#include <string>

namespace vigil::ingest {

enum class Compression
{
    None,
    Gzip,
    Zstd
};

class ByteSource
{
  public:
    virtual ~ByteSource() = default;

    // Fills `dst` like fread: fewer than `size` bytes only at the end of the text,
    // on an I/O error (ioError) or on damaged compressed data (corruption).
    virtual std::size_t read(char* dst, std::size_t size) = 0;

    bool ioError() const { return m_ioError; }
    // Non-empty once the compressed stream turned out damaged or truncated: the
    // decoder's message. Everything returned before it was decoded correctly.
    const std::string& corruption() const { return m_corruption; }
    // Bytes taken from the file on disk so far (compressed bytes).
    std::uint64_t diskBytes() const { return m_diskBytes; }
    virtual Compression compression() const = 0;

  protected:
    bool m_ioError = false;
    std::string m_corruption;
    std::uint64_t m_diskBytes = 0;
};

// The path that means standard input (`zcat app.log.gz | vigil report -`).
inline constexpr const char* kStdinPath = "-";

// nullptr (errno set) when the file cannot be opened. kStdinPath reads standard input:
// any number of sources may read its first 16 MiB (sniffing, sampling); past that, one
// reader streams the rest, once (a second one gets ioError, errno ESPIPE).
std::unique_ptr<ByteSource> openByteSource(const std::string& path);

// "gzip", "zstd" or "" for error messages.
const char* compressionName(Compression c);

} // namespace vigil::ingest
