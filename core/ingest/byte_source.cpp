#include "ingest/byte_source.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <vector>

namespace vigil::ingest {

namespace {

struct FileCloser
{
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

constexpr std::size_t kInputBytes = 256u << 10;

// Standard input ("-") for every reader in the process: the loader opens a log several
// times (format sniff, schema sample, the read itself), and a pipe can be read only once,
// so its first kReplayBytes are kept and handed out again; past them it is streamed to
// the one reader that gets there, in order.
class StdinReplay
{
  public:
    static constexpr std::size_t kReplayBytes = (16u << 20) + (64u << 10);

    static StdinReplay& instance()
    {
        static StdinReplay replay;
        return replay;
    }

    // Bytes [pos, pos + size) of standard input; fewer only at its end or on an error.
    std::size_t read(std::uint64_t pos, char* dst, std::size_t size, bool& ioError)
    {
        const std::lock_guard lock(m_mutex);
        while (!m_eof && m_kept.size() < kReplayBytes && pos + size > m_kept.size() &&
               m_consumed == m_kept.size())
            keepMore();
        std::size_t n = 0;
        if (pos < m_kept.size()) {
            n = static_cast<std::size_t>(std::min<std::uint64_t>(size, m_kept.size() - pos));
            std::memcpy(dst, m_kept.data() + pos, n);
        }
        const std::uint64_t at = pos + n;
        if (n == size || (m_eof && at >= m_consumed))
            return n;
        if (at != m_consumed) {
            // Behind the stream head and no longer kept: only one reader can go past the replay.
            ioError = true;
            errno = ESPIPE;
            return n;
        }
        const std::size_t got = std::fread(dst + n, 1, size - n, stdin);
        m_consumed += got;
        if (got < size - n) {
            m_eof = true;
            ioError = std::ferror(stdin) != 0;
        }
        return n + got;
    }

  private:
    void keepMore()
    {
        const std::size_t old = m_kept.size();
        const std::size_t want = std::min<std::size_t>(kReplayBytes - old, 1u << 20);
        m_kept.resize(old + want);
        const std::size_t got = std::fread(m_kept.data() + old, 1, want, stdin);
        m_kept.resize(old + got);
        m_consumed += got;
        if (got < want)
            m_eof = true;
    }

    std::mutex m_mutex;
    std::string m_kept;
    std::uint64_t m_consumed = 0;
    bool m_eof = false;
};

// The file (or standard input), with the magic bytes already read to detect the
// compression handed back first (no seek, so that pipes work too).
class RawFile
{
  public:
    RawFile(FilePtr file, std::string prefix) : m_file(std::move(file)), m_prefix(std::move(prefix)) {}
    // Standard input, from byte `pos` on.
    explicit RawFile(std::uint64_t pos) : m_stdin(true), m_stdinPos(pos) {}

    std::size_t read(char* dst, std::size_t size, bool& ioError)
    {
        std::size_t n = std::min(size, m_prefix.size() - m_prefixPos);
        std::memcpy(dst, m_prefix.data() + m_prefixPos, n);
        m_prefixPos += n;
        if (n < size && !m_eof) {
            const std::size_t want = size - n;
            std::size_t got = 0;
            if (m_stdin) {
                got = StdinReplay::instance().read(m_stdinPos, dst + n, want, ioError);
                m_stdinPos += got;
            } else {
                got = std::fread(dst + n, 1, want, m_file.get());
            }
            n += got;
            if (got < want) {
                m_eof = true;
                ioError = ioError || (!m_stdin && std::ferror(m_file.get()) != 0);
            }
        }
        return n;
    }
    bool eof() const { return m_eof && m_prefixPos == m_prefix.size(); }

  private:
    FilePtr m_file;
    std::string m_prefix;
    std::size_t m_prefixPos = 0;
    bool m_eof = false;
    bool m_stdin = false;
    std::uint64_t m_stdinPos = 0;
};

class PlainSource final : public ByteSource
{
  public:
    explicit PlainSource(RawFile file) : m_file(std::move(file)) {}
    std::size_t read(char* dst, std::size_t size) override
    {
        const std::size_t n = m_file.read(dst, size, m_ioError);
        m_diskBytes += n;
        return n;
    }
    Compression compression() const override { return Compression::None; }

  private:
    RawFile m_file;
};

class GzipSource final : public ByteSource
{
  public:
    explicit GzipSource(RawFile file) : m_file(std::move(file)), m_in(kInputBytes)
    {
        // 16 + 15: gzip wrapper, largest window.
        if (inflateInit2(&m_z, 16 + MAX_WBITS) != Z_OK)
            m_corruption = "cannot start the gzip decoder";
    }
    ~GzipSource() override { inflateEnd(&m_z); }
    GzipSource(const GzipSource&) = delete;
    GzipSource& operator=(const GzipSource&) = delete;

    std::size_t read(char* dst, std::size_t size) override
    {
        std::size_t out = 0;
        while (out < size && !m_done && m_corruption.empty() && !m_ioError) {
            if (m_z.avail_in == 0 && !m_file.eof())
                fill();
            const bool noInput = m_z.avail_in == 0;
            if (!m_inMember) {
                // Another member follows (`cat a.gz b.gz`); zero padding after the
                // last member is ignored like gzip(1) does.
                if (noInput || *m_z.next_in == 0) {
                    m_done = true;
                    break;
                }
                inflateReset(&m_z);
                m_inMember = true;
            }
            m_z.next_out = reinterpret_cast<Bytef*>(dst + out);
            m_z.avail_out = static_cast<uInt>(std::min<std::size_t>(size - out, 1u << 30));
            const uInt before = m_z.avail_out;
            const int rc = inflate(&m_z, Z_NO_FLUSH);
            const std::size_t produced = before - m_z.avail_out;
            out += produced;
            if (rc == Z_STREAM_END) {
                m_inMember = false;
            } else if (rc == Z_OK || rc == Z_BUF_ERROR) {
                // No input left and nothing more comes out: the member was cut short.
                if (noInput && produced == 0 && m_file.eof())
                    m_corruption = "unexpected end of file";
                else if (rc == Z_BUF_ERROR && !noInput)
                    m_corruption = "decoder made no progress";
            } else {
                m_corruption = m_z.msg != nullptr ? m_z.msg : zError(rc);
            }
        }
        return out;
    }
    Compression compression() const override { return Compression::Gzip; }

  private:
    void fill()
    {
        const std::size_t n = m_file.read(m_in.data(), m_in.size(), m_ioError);
        m_diskBytes += n;
        m_z.next_in = reinterpret_cast<Bytef*>(m_in.data());
        m_z.avail_in = static_cast<uInt>(n);
    }

    RawFile m_file;
    std::vector<char> m_in;
    z_stream m_z{};
    bool m_inMember = true;
    bool m_done = false;
};

class ZstdSource final : public ByteSource
{
  public:
    explicit ZstdSource(RawFile file)
        : m_file(std::move(file)), m_in(kInputBytes), m_stream(ZSTD_createDStream())
    {
        if (m_stream == nullptr)
            m_corruption = "cannot start the zstd decoder";
    }
    ~ZstdSource() override { ZSTD_freeDStream(m_stream); }
    ZstdSource(const ZstdSource&) = delete;
    ZstdSource& operator=(const ZstdSource&) = delete;

    std::size_t read(char* dst, std::size_t size) override
    {
        std::size_t out = 0;
        while (out < size && !m_done && m_corruption.empty() && !m_ioError) {
            if (m_buf.pos == m_buf.size && !m_file.eof())
                fill();
            const bool noInput = m_buf.pos == m_buf.size;
            ZSTD_outBuffer o{dst + out, size - out, 0};
            // Called even without input: the decoder may still hold decoded bytes.
            const std::size_t rc = ZSTD_decompressStream(m_stream, &o, &m_buf);
            out += o.pos;
            if (ZSTD_isError(rc)) {
                m_corruption = ZSTD_getErrorName(rc);
            } else if (noInput && o.pos == 0 && m_file.eof()) {
                // The call before returned 0 when it finished the last frame
                // (several frames decode in a row); this one asks for a next header.
                if (!m_frameDone)
                    m_corruption = "unexpected end of file";
                m_done = true;
            } else {
                m_frameDone = rc == 0;
            }
        }
        return out;
    }
    Compression compression() const override { return Compression::Zstd; }

  private:
    void fill()
    {
        const std::size_t n = m_file.read(m_in.data(), m_in.size(), m_ioError);
        m_diskBytes += n;
        m_buf = ZSTD_inBuffer{m_in.data(), n, 0};
    }

    RawFile m_file;
    std::vector<char> m_in;
    ZSTD_DStream* m_stream;
    ZSTD_inBuffer m_buf{nullptr, 0, 0};
    bool m_frameDone = false;
    bool m_done = false;
};

} // namespace

std::unique_ptr<ByteSource> openByteSource(const std::string& path)
{
    std::string magic(4, '\0');
    FilePtr f;
    if (path == kStdinPath) {
        bool ioError = false;
        magic.resize(StdinReplay::instance().read(0, magic.data(), magic.size(), ioError));
    } else {
        f.reset(std::fopen(path.c_str(), "rb"));
        if (!f)
            return nullptr;
        magic.resize(std::fread(magic.data(), 1, magic.size(), f.get()));
    }
    const bool gzip = magic.size() >= 2 && magic.compare(0, 2, "\x1f\x8b") == 0;
    const bool zstd = magic.size() >= 4 && magic == std::string("\x28\xb5\x2f\xfd", 4);
    RawFile raw = f ? RawFile(std::move(f), std::move(magic)) : RawFile(0);
    if (gzip)
        return std::make_unique<GzipSource>(std::move(raw));
    if (zstd)
        return std::make_unique<ZstdSource>(std::move(raw));
    return std::make_unique<PlainSource>(std::move(raw));
}

const char* compressionName(Compression c)
{
    switch (c) {
    case Compression::Gzip:
        return "gzip";
    case Compression::Zstd:
        return "zstd";
    case Compression::None:
        break;
    }
    return "";
}

} // namespace vigil::ingest
