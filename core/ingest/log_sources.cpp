#include "ingest/log_sources.h"

#include "ingest/text_util.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <tuple>

namespace vigil::ingest {

namespace {

namespace fs = std::filesystem;

std::string stripCompression(const std::string& name)
{
    const std::string lower = toLower(name);
    for (const char* ext : {".gz", ".zst"}) {
        const std::size_t n = std::char_traits<char>::length(ext);
        if (lower.size() > n && lower.compare(lower.size() - n, n, ext) == 0)
            return name.substr(0, name.size() - n);
    }
    return name;
}

// Where a file stands in its rotated set.
struct RotationKey
{
    std::string base;
    int kind = 2;         // 0 numbered (`.3`), 1 dated, 2 the live file
    long long number = 0; // rotation number: higher is older
    std::string date;     // YYYYMMDD
};

RotationKey rotationKey(const std::string& name)
{
    RotationKey key;
    std::string s = stripCompression(name);
    const std::size_t dot = s.find_last_of('.');
    if (dot != std::string::npos && dot > 0 && dot + 1 < s.size() && s.size() - dot - 1 <= 6 &&
        std::all_of(s.begin() + static_cast<std::ptrdiff_t>(dot) + 1, s.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
        key.base = s.substr(0, dot);
        key.kind = 0;
        key.number = std::stoll(s.substr(dot + 1));
        return key;
    }
    // A date as 2026-01-03, 2026_01_03 or 20260103, not inside a longer number.
    static const std::regex date(R"((^|[^0-9])([0-9]{4})([-_.]?)([0-9]{2})\3([0-9]{2})(?![0-9]))");
    std::smatch m;
    if (std::regex_search(s, m, date)) {
        const int month = std::stoi(m[4].str());
        const int day = std::stoi(m[5].str());
        if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
            // The separator before the date goes too: `app-2026-01-03.jsonl` -> `app.jsonl`.
            std::size_t from = static_cast<std::size_t>(m.position(2));
            if (from > 0 && (s[from - 1] == '-' || s[from - 1] == '_' || s[from - 1] == '.'))
                --from;
            const std::size_t to = static_cast<std::size_t>(m.position(5) + m.length(5));
            key.base = s.substr(0, from) + s.substr(to);
            key.kind = 1;
            key.date = m[2].str() + m[4].str() + m[5].str();
            return key;
        }
    }
    key.base = s;
    return key;
}

std::string parentOf(const std::string& path)
{
    return fs::path(path).parent_path().string();
}

std::string nameOf(const std::string& path)
{
    return fs::path(path).filename().string();
}

} // namespace

std::string logBaseName(const std::string& name)
{
    return rotationKey(name).base;
}

bool looksLikeLogName(const std::string& name)
{
    const std::string ext = toLower(fs::path(logBaseName(name)).extension().string());
    return ext == ".jsonl" || ext == ".json" || ext == ".ndjson" || ext == ".csv" || ext == ".log";
}

void sortRotated(std::vector<std::string>& paths)
{
    struct Entry
    {
        std::string dir;
        RotationKey key;
        std::string path;
    };
    std::vector<Entry> entries;
    entries.reserve(paths.size());
    for (std::string& p : paths)
        entries.push_back(Entry{parentOf(p), rotationKey(nameOf(p)), std::move(p)});
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.dir, a.key.base, a.key.kind, b.key.number, a.key.date, a.path) <
               std::tie(b.dir, b.key.base, b.key.kind, a.key.number, b.key.date, b.path);
    });
    paths.clear();
    for (Entry& e : entries)
        paths.push_back(std::move(e.path));
}

Result<std::vector<std::string>> expandLogSources(const std::vector<std::string>& paths)
{
    std::vector<std::string> out;
    for (const std::string& path : paths) {
        std::error_code ec;
        const auto status = fs::status(path, ec);
        if (!ec && fs::is_directory(status)) {
            std::vector<std::string> found;
            fs::directory_iterator it(path, ec);
            for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
                const std::string name = it->path().filename().string();
                std::error_code typeError;
                if (name.empty() || name[0] == '.' || !it->is_regular_file(typeError) ||
                    !looksLikeLogName(name))
                    continue;
                found.push_back(it->path().string());
            }
            if (ec)
                return Error{path + ": cannot list the folder: " + ec.message()};
            if (found.empty())
                return Error{path + ": no log files in the folder"};
            sortRotated(found);
            out.insert(out.end(), found.begin(), found.end());
            continue;
        }
        const bool pattern = path.find_first_of("*?[") != std::string::npos;
        if (!pattern || (!ec && fs::exists(status))) {
            out.push_back(path); // missing files are reported when opened
            continue;
        }
        glob_t g{};
        const int rc = ::glob(path.c_str(), 0, nullptr, &g);
        std::vector<std::string> found;
        if (rc == 0) {
            for (std::size_t i = 0; i < g.gl_pathc; ++i) {
                std::error_code typeError;
                if (!fs::is_directory(g.gl_pathv[i], typeError))
                    found.emplace_back(g.gl_pathv[i]);
            }
        }
        globfree(&g);
        if (rc != 0 && rc != GLOB_NOMATCH)
            return Error{path + ": cannot expand the pattern"};
        if (found.empty())
            return Error{path + ": no file matches"};
        sortRotated(found);
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

} // namespace vigil::ingest
