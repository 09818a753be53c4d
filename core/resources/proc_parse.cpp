#include "resources/proc_parse.h"

#include <charconv>
#include <optional>

namespace vigil {
namespace {

std::vector<std::string_view> tokens(std::string_view line)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t')
            ++i;
        if (i > start)
            out.push_back(line.substr(start, i - start));
    }
    return out;
}

template <typename F> void forEachLine(std::string_view text, F&& f)
{
    std::size_t line = 1;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        f(text.substr(0, nl), line++);
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
}

bool toU64(std::string_view s, std::uint64_t& out)
{
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

bool toDouble(std::string_view s, double& out)
{
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

Error lineError(std::string_view file, std::size_t line, std::string_view what)
{
    return Error{std::string(file) + " line " + std::to_string(line) + ": " + std::string(what)};
}

} // namespace

Result<std::vector<CpuTimes>> parseProcStat(std::string_view text)
{
    std::vector<CpuTimes> out;
    std::optional<Error> err;
    forEachLine(text, [&](std::string_view line, std::size_t n) {
        if (err || line.substr(0, 3) != "cpu")
            return;
        const auto tok = tokens(line);
        // Kernels before 2.6.11 lack steal; missing trailing modes stay 0.
        if (tok.size() < 5) {
            err = lineError("/proc/stat", n, "too few fields in a cpu line");
            return;
        }
        CpuTimes t;
        t.cpu = std::string(tok[0].substr(3));
        for (std::size_t i = 0; i < 8 && i + 1 < tok.size(); ++i) {
            if (!toU64(tok[i + 1], t.ticks[i])) {
                err = lineError("/proc/stat", n, "not a number: " + std::string(tok[i + 1]));
                return;
            }
        }
        out.push_back(std::move(t));
    });
    if (err)
        return *err;
    if (out.empty() || !out.front().cpu.empty())
        return Error{"/proc/stat: no aggregate \"cpu\" line"};
    return out;
}

Result<std::map<std::string, double>> parseMeminfo(std::string_view text)
{
    std::map<std::string, double> out;
    std::optional<Error> err;
    forEachLine(text, [&](std::string_view line, std::size_t n) {
        if (err || line.empty())
            return;
        const std::size_t colon = line.find(':');
        const auto tok =
            tokens(colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1));
        double v = 0.0;
        if (tok.empty() || !toDouble(tok[0], v)) {
            err = lineError("/proc/meminfo", n, "expected \"Name: value [kB]\"");
            return;
        }
        if (tok.size() > 1 && tok[1] == "kB")
            v *= 1024.0;
        out[std::string(line.substr(0, colon))] = v;
    });
    if (err)
        return *err;
    if (!out.contains("MemTotal"))
        return Error{"/proc/meminfo: no MemTotal line"};
    return out;
}

Result<LoadAvg> parseLoadavg(std::string_view text)
{
    const auto tok = tokens(text.substr(0, text.find('\n')));
    LoadAvg l;
    if (tok.size() < 3 || !toDouble(tok[0], l.load1) || !toDouble(tok[1], l.load5) ||
        !toDouble(tok[2], l.load15))
        return Error{"/proc/loadavg: expected three load averages"};
    return l;
}

Result<PidStat> parsePidStat(std::string_view text)
{
    // comm is in parentheses and may itself contain spaces and ')': the last ')' ends it.
    const std::size_t open = text.find('(');
    const std::size_t close = text.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        return Error{"/proc/<pid>/stat: no (comm) field"};
    PidStat s;
    std::uint64_t pid = 0;
    const auto head = tokens(text.substr(0, open));
    if (head.size() != 1 || !toU64(head[0], pid))
        return Error{"/proc/<pid>/stat: no pid field"};
    s.pid = static_cast<int>(pid);
    s.comm = std::string(text.substr(open + 1, close - open - 1));
    // After comm: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
    // cmajflt utime(14) stime(15); index 0 here is field 3.
    const auto rest = tokens(text.substr(close + 1, text.find('\n', close) - close - 1));
    if (rest.size() < 13 || !toU64(rest[11], s.utimeTicks) || !toU64(rest[12], s.stimeTicks))
        return Error{"/proc/<pid>/stat: no utime/stime fields"};
    return s;
}

Result<double> parseVmRss(std::string_view text)
{
    std::optional<double> rss;
    forEachLine(text, [&](std::string_view line, std::size_t) {
        if (line.substr(0, 6) != "VmRSS:")
            return;
        const auto tok = tokens(line.substr(6));
        double v = 0.0;
        if (!tok.empty() && toDouble(tok[0], v))
            rss = tok.size() > 1 && tok[1] == "kB" ? v * 1024.0 : v;
    });
    if (!rss)
        return Error{"/proc/<pid>/status: no VmRSS line"};
    return *rss;
}

Result<std::vector<DiskCounters>> parseDiskstats(std::string_view text)
{
    std::vector<DiskCounters> out;
    std::optional<Error> err;
    forEachLine(text, [&](std::string_view line, std::size_t n) {
        const auto tok = tokens(line);
        if (err || tok.empty())
            return;
        // major minor name reads merged sectors_read ms writes merged sectors_written ...
        DiskCounters d;
        if (tok.size() < 10 || !toU64(tok[5], d.sectorsRead) || !toU64(tok[9], d.sectorsWritten)) {
            err = lineError("/proc/diskstats", n, "expected at least 10 numeric fields");
            return;
        }
        d.device = std::string(tok[2]);
        out.push_back(std::move(d));
    });
    if (err)
        return *err;
    return out;
}

Result<std::vector<NetCounters>> parseNetDev(std::string_view text)
{
    std::vector<NetCounters> out;
    std::optional<Error> err;
    forEachLine(text, [&](std::string_view line, std::size_t n) {
        // Two header lines, both with '|'; device lines are "name: rx... tx..." where the
        // colon may touch the first number ("eth0:123").
        const std::size_t colon = line.find(':');
        if (err || colon == std::string_view::npos || line.find('|') != std::string_view::npos)
            return;
        const auto name = tokens(line.substr(0, colon));
        const auto tok = tokens(line.substr(colon + 1));
        NetCounters c;
        if (name.size() != 1 || tok.size() < 9 || !toU64(tok[0], c.receiveBytes) ||
            !toU64(tok[8], c.transmitBytes)) {
            err = lineError("/proc/net/dev", n, "expected \"device: 16 counters\"");
            return;
        }
        c.device = std::string(name[0]);
        out.push_back(std::move(c));
    });
    if (err)
        return *err;
    return out;
}

} // namespace vigil
