#include "ingest/spill_store.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <limits>
#include <unistd.h>

namespace vigil::ingest {

namespace {

std::string errnoText()
{
    return std::strerror(errno);
}

// O_TMPFILE: a file without a name from the start. Where the file system lacks it, a
// named file unlinked at once (the window in between is a few microseconds).
int openUnlinked(const std::string& dir, std::string& error)
{
#ifdef O_TMPFILE
    const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    std::string path = (std::filesystem::path(dir) / "vigil-spill-XXXXXX").string();
    const int named = ::mkstemp(path.data());
    if (named < 0) {
        error = "cannot create a spill file in " + dir + ": " + errnoText();
        return -1;
    }
    ::unlink(path.c_str());
    ::fcntl(named, F_SETFD, FD_CLOEXEC);
    return named;
}

} // namespace

std::uint64_t tableBytes(const LogTable& t)
{
    std::uint64_t bytes = 0;
    forEachColumn(
        t, [&](const auto& v) { bytes += v.size() * sizeof(v[0]); },
        [&](const StringColumn& s) {
            bytes += s.bytes.size() + s.ends.size() * sizeof(std::uint64_t) + s.valid.size();
        });
    return bytes;
}

Result<std::unique_ptr<SpillStore>> SpillStore::create(const std::string& dir)
{
    std::string where = dir;
    if (where.empty()) {
        std::error_code ec;
        where = std::filesystem::temp_directory_path(ec).string();
        if (ec)
            where = "/tmp";
    }
    std::string error;
    const int fd = openUnlinked(where, error);
    if (fd < 0)
        return Error{error};
    return std::unique_ptr<SpillStore>(new SpillStore(fd));
}

SpillStore::~SpillStore()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

std::optional<Error> SpillStore::writeAt(const void* data, std::uint64_t bytes, std::uint64_t offset)
{
    const char* p = static_cast<const char*>(data);
    while (bytes > 0) {
        const ssize_t n =
            ::pwrite(m_fd, p, std::min<std::uint64_t>(bytes, 1u << 30), static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return Error{"writing the spill file failed (" + errnoText() +
                         "): free disk space in $TMPDIR or raise --memory-budget"};
        p += n;
        bytes -= static_cast<std::uint64_t>(n);
        offset += static_cast<std::uint64_t>(n);
        m_end = std::max(m_end, offset);
    }
    return std::nullopt;
}

std::optional<Error> SpillStore::writeBytes(const void* data, std::uint64_t bytes, SpillExtent& extent)
{
    extent.offset = m_end;
    extent.bytes = bytes;
    extent.stored = bytes;
    return writeAt(data, bytes, m_end);
}

namespace {

// Values encoded and written (or read and decoded) at a time: their stored bytes stay in cache
// between the codec and the kernel's copy.
constexpr std::size_t kStreamValues = 8192;

} // namespace

template <typename T>
std::optional<Error> SpillStore::readRun(const SpillExtent& e, std::size_t first, std::size_t count,
                                         T* out) const
{
    if (e.layout.codec == SpillCodec::Raw)
        return readAt(out, count * sizeof(T), e.offset + first * sizeof(T));
    const std::size_t width = e.layout.width;
    alignas(64) char buffer[kStreamValues * sizeof(std::uint32_t)];
    for (std::size_t done = 0; done < count;) {
        const std::size_t n = std::min(kStreamValues, count - done);
        if (auto error = readAt(buffer, n * width, e.offset + (first + done) * width))
            return error;
        decodeSpillBlock(e.layout, buffer, first + done, n, out + done);
        done += n;
    }
    return std::nullopt;
}

template std::optional<Error> SpillStore::readRun(const SpillExtent&, std::size_t, std::size_t,
                                                  double*) const;
template std::optional<Error> SpillStore::readRun(const SpillExtent&, std::size_t, std::size_t,
                                                  std::int64_t*) const;
template std::optional<Error> SpillStore::readRun(const SpillExtent&, std::size_t, std::size_t,
                                                  std::uint64_t*) const;
template std::optional<Error> SpillStore::readRun(const SpillExtent&, std::size_t, std::size_t,
                                                  std::uint32_t*) const;
template std::optional<Error> SpillStore::readRun(const SpillExtent&, std::size_t, std::size_t,
                                                  std::uint8_t*) const;
template std::optional<Error> SpillStore::readRun(const SpillExtent&, std::size_t, std::size_t,
                                                  RowStatus*) const;

std::optional<Error> SpillStore::writeDecimalStream(std::span<const double> values, int exponent,
                                                    SpillExtent& extent)
{
    SpillLayout layout;
    layout.codec = SpillCodec::Decimal;
    layout.width = 4;
    layout.exponent = static_cast<std::uint8_t>(exponent);
    const std::uint64_t offset = m_end;
    const std::size_t limit = spillExceptionLimit(values.size());
    m_encoded.resize(kStreamValues * sizeof(std::int32_t));
    auto* codes = reinterpret_cast<std::int32_t*>(m_encoded.data());
    std::int32_t kMin = std::numeric_limits<std::int32_t>::max();
    std::int32_t kMax = std::numeric_limits<std::int32_t>::min();
    bool encoded = true;
    for (std::size_t done = 0; done < values.size();) {
        const auto block = values.subspan(done, std::min(kStreamValues, values.size() - done));
        if (encodeSpillDecimal32(block, exponent, codes, kMin, kMax) > 0 &&
            !addSpillExceptions(block, codes, done, limit, layout.exceptions)) {
            encoded = false; // too many exceptions: the array goes raw, over what was written
            break;
        }
        if (auto error =
                writeAt(codes, block.size() * sizeof(std::int32_t), offset + done * sizeof(std::int32_t)))
            return error;
        done += block.size();
    }
    extent = SpillExtent{};
    extent.offset = offset;
    extent.bytes = values.size() * sizeof(double);
    if (!encoded || kMin > kMax) {
        extent.stored = extent.bytes;
        return writeAt(values.data(), extent.bytes, offset);
    }
    extent.stored = values.size() * sizeof(std::int32_t);
    extent.layout = std::move(layout);
    return std::nullopt;
}

template <typename T>
std::optional<Error> SpillStore::writeArray(std::span<const T> values, SpillExtent& extent, bool inPlace)
{
    if constexpr (std::is_same_v<T, double>) {
        // An array of decimals too varied for a narrow width is encoded and written a block at
        // a time, its stored bytes still in cache when the kernel copies them.
        bool narrow = false;
        const int exponent = chooseSpillExponent(values, narrow);
        if (exponent >= 0 && !narrow && !inPlace)
            return writeDecimalStream(values, exponent, extent);
    }
    SpillLayout layout = encodeSpillArray(values, m_encoded);
    const bool raw = layout.codec == SpillCodec::Raw;
    const void* data = raw ? static_cast<const void*>(values.data()) : m_encoded.data();
    const std::uint64_t stored = values.size() * storedWidth<T>(layout);
    const bool over = inPlace && !extent.repeated && extent.stored >= stored && extent.bytes > 0;
    const std::uint64_t offset = over ? extent.offset : m_end;
    extent = SpillExtent{};
    extent.offset = offset;
    extent.bytes = values.size() * sizeof(T);
    extent.stored = stored;
    extent.layout = std::move(layout);
    return writeAt(data, stored, offset);
}

std::optional<Error> SpillStore::readAt(void* data, std::uint64_t bytes, std::uint64_t offset) const
{
    char* p = static_cast<char*>(data);
    while (bytes > 0) {
        const ssize_t n =
            ::pread(m_fd, p, std::min<std::uint64_t>(bytes, 1u << 30), static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return Error{"reading the spill file failed: " +
                         (n == 0 ? std::string("short read") : errnoText())};
        p += n;
        bytes -= static_cast<std::uint64_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
    return std::nullopt;
}

std::optional<Error> SpillStore::append(const LogTable& table)
{
    SpillChunk chunk;
    chunk.firstRow = m_rows;
    chunk.rows = table.rows();
    for (const std::int64_t ts : table.tsMs) {
        chunk.tsMin = std::min(chunk.tsMin, ts);
        chunk.tsMax = std::max(chunk.tsMax, ts);
    }
    std::optional<Error> error;
    const auto write = [&](const void* data, std::uint64_t bytes) {
        SpillExtent& e = chunk.arrays.emplace_back();
        m_bytes += bytes;
        if (!error)
            error = writeBytes(data, bytes, e);
    };
    forEachColumn(
        table,
        [&](const auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            static_assert(sizeof(T) <= sizeof(std::uint64_t));
            // Compared as bytes (a NaN repeats too, and -0.0 is not 0.0): every value equals
            // the one before it, one memcmp of the array against itself shifted by a value
            // (a column that varies differs within its first bytes, so it stops early).
            const bool repeated =
                v.size() > 1 && std::memcmp(v.data() + 1, v.data(), (v.size() - 1) * sizeof(T)) == 0;
            if (!repeated) {
                SpillExtent& e = chunk.arrays.emplace_back();
                m_bytes += v.size() * sizeof(T);
                if (!error)
                    error = writeArray(std::span<const T>(v), e, false);
                return;
            }
            SpillExtent& e = chunk.arrays.emplace_back();
            e.offset = m_end;
            e.bytes = v.size() * sizeof(T);
            e.repeated = true;
            std::memcpy(&e.value, &v.front(), sizeof(T));
            m_bytes += e.bytes;
        },
        [&](const StringColumn& s) {
            write(s.bytes.data(), s.bytes.size());
            write(s.ends.data(), s.ends.size() * sizeof(std::uint64_t));
            write(s.valid.data(), s.valid.size());
        });
    if (error)
        return error;
    m_rows += chunk.rows;
    m_chunks.push_back(std::move(chunk));
    return std::nullopt;
}

namespace {

// One array of a chunk mapped read-only from the spill file (its pages are in the page cache
// after the write): a gather copies the rows it wants straight from it, with no buffer to
// allocate and fault in and no pread copy of the whole array. Mapped only while it is read,
// so the resident size grows by one array at a time.
class MappedExtent
{
  public:
    MappedExtent(int fd, std::uint64_t offset, std::uint64_t bytes)
    {
        static const std::uint64_t page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
        const std::uint64_t start = offset / page * page;
        m_skip = offset - start;
        m_length = m_skip + bytes;
        void* p =
            ::mmap(nullptr, m_length, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, static_cast<off_t>(start));
        m_base = p == MAP_FAILED ? nullptr : p;
    }
    ~MappedExtent()
    {
        if (m_base)
            ::munmap(m_base, m_length);
    }
    MappedExtent(const MappedExtent&) = delete;
    MappedExtent& operator=(const MappedExtent&) = delete;

    explicit operator bool() const { return m_base != nullptr; }
    const char* data() const { return static_cast<const char*>(m_base) + m_skip; }

  private:
    void* m_base = nullptr;
    std::uint64_t m_skip = 0;
    std::uint64_t m_length = 0;
};

} // namespace

std::optional<Error> SpillStore::gather(std::size_t chunk, std::span<const std::uint32_t> rows, LogTable& dst,
                                        const std::vector<bool>* arrays) const
{
    const auto wanted = [&](std::size_t i) { return !arrays || (*arrays)[i]; };
    // Rows of a time-ordered log are a run of consecutive rows of the chunk: each array's
    // run is read straight into the table, one copy with no mapping and no per-row loop.
    const bool run = !rows.empty() && rows.back() - rows.front() + 1 == rows.size();
    std::optional<Error> error;
    std::size_t index = 0;
    forEachColumn(
        dst,
        [&](auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            const std::size_t i = index++;
            if (error || m_chunks[chunk].arrays[i].bytes == 0 || !wanted(i))
                return;
            const SpillExtent& e = m_chunks[chunk].arrays[i];
            if (e.repeated) {
                v.resize(v.size() + rows.size(), repeatedValue<T>(e));
                return;
            }
            const bool raw = e.layout.codec == SpillCodec::Raw;
            if (run) {
                const std::size_t first = v.size();
                v.resize(first + rows.size());
                error = readRun(e, rows.front(), rows.size(), v.data() + first);
                return;
            }
            const MappedExtent mapped(m_fd, e.offset, e.stored);
            if (!mapped) {
                error = Error{"reading the spill file failed: " + errnoText()};
                return;
            }
            // Arrays lie back to back in the file, so an array of doubles may start at any
            // byte: each value is copied out, not read through a (misaligned) T pointer.
            const char* all = mapped.data();
            const std::size_t first = v.size();
            v.resize(first + rows.size());
            if (raw) {
                for (std::size_t k = 0; k < rows.size(); ++k)
                    std::memcpy(&v[first + k], all + static_cast<std::size_t>(rows[k]) * sizeof(T),
                                sizeof(T));
                return;
            }
            for (std::size_t k = 0; k < rows.size(); ++k)
                v[first + k] = decodeSpillValue<T>(e.layout, all, rows[k]);
            patchSpillExceptions(e.layout, rows, v.data() + first);
        },
        [&](StringColumn& s) {
            if (!error && wanted(index))
                error = gatherStrings(chunk, &rows, s);
        });
    return error;
}

std::optional<Error> SpillStore::gatherStrings(std::size_t chunk, std::span<const std::uint32_t>* rows,
                                               StringColumn& dst) const
{
    const auto& arrays = m_chunks[chunk].arrays;
    const std::size_t i = arrays.size() - 3; // bytes, ends, valid: the last three
    if (arrays[i + 1].bytes == 0)
        return std::nullopt;
    std::string bytes(arrays[i].bytes, '\0');
    std::vector<std::uint64_t> ends;
    std::vector<std::uint8_t> valid;
    if (auto e = readAt(bytes.data(), bytes.size(), arrays[i].offset))
        return e;
    if (auto e = readArray(chunk, i + 1, ends))
        return e;
    if (auto e = readArray(chunk, i + 2, valid))
        return e;
    const auto add = [&](std::size_t r) {
        const std::uint64_t begin = r == 0 ? 0 : ends[r - 1];
        dst.bytes.append(bytes, begin, ends[r] - begin);
        dst.ends.push_back(dst.bytes.size());
        dst.valid.push_back(valid[r]);
    };
    if (rows) {
        for (const std::uint32_t r : *rows)
            add(r);
    } else {
        for (std::size_t r = 0; r < ends.size(); ++r)
            add(r);
    }
    return std::nullopt;
}

std::optional<Error> SpillStore::appendStrings(std::size_t chunk, StringColumn& dst) const
{
    return gatherStrings(chunk, nullptr, dst);
}

std::optional<Error> SpillStore::read(std::size_t chunk, LogTable& dst) const
{
    std::optional<Error> error;
    std::size_t index = 0;
    forEachColumn(
        dst,
        [&](auto& v) {
            const std::size_t i = index++;
            if (!error)
                error = readArray(chunk, i, v);
        },
        [&](StringColumn& s) {
            const std::size_t i = index;
            index += 3;
            if (error)
                return;
            s.bytes.resize(m_chunks[chunk].arrays[i].bytes);
            if ((error = readAt(s.bytes.data(), s.bytes.size(), m_chunks[chunk].arrays[i].offset)))
                return;
            if (!(error = readArray(chunk, i + 1, s.ends)))
                error = readArray(chunk, i + 2, s.valid);
        });
    return error;
}

std::optional<Error> SpillStore::replaceLabel(std::size_t chunk, const NumericColumn& label)
{
    // Over the old arrays where the new ones fit there: a join in several passes rewrites a
    // chunk's labels each time.
    auto& arrays = m_chunks[chunk].arrays;
    m_bytes = m_bytes - arrays[kSpillLabel].bytes - arrays[kSpillLabelValid].bytes +
              label.values.size() * sizeof(double) + label.valid.size();
    if (auto e = writeArray(std::span<const double>(label.values), arrays[kSpillLabel], true))
        return e;
    return writeArray(std::span<const std::uint8_t>(label.valid), arrays[kSpillLabelValid], true);
}

} // namespace vigil::ingest
