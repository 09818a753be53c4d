// Live late labels: a writer thread appends RATE predictions/s (ts = wall clock, a
// request id each) to one file and, DELAY seconds after each prediction, its label to
// another (90 % of the ids, 1 % of them twice, plus 1 % ids no prediction has), for
// SECONDS; the main thread follows both with a FollowSession like `vigil report
// --follow --labels` (poll every 100 ms, a new result every second) and prints, per
// result that joined labels, the CPU time of analyze() (this thread's CPU clock: the
// machine is shared) and the windows the labels made it recompute; then the final
// counts, checked against what was written.
//   build/dev/bench/bench_follow_labels [RATE=5000] [SECONDS=60] [DELAY=30] [WINDOW_S=10]
#include "engine/follow_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace vigil;
using Clock = std::chrono::steady_clock;

namespace {

double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

std::int64_t wallMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void writeAll(int fd, const std::string& text)
{
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            std::perror("write");
            std::exit(1);
        }
        done += static_cast<std::size_t>(n);
    }
}

struct Written
{
    std::uint64_t predictions = 0, labels = 0, labelledIds = 0, duplicates = 0, unknown = 0;
};

double quantile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto i = static_cast<std::size_t>(pos);
    return i + 1 < v.size() ? v[i] + (v[i + 1] - v[i]) * (pos - static_cast<double>(i)) : v[i];
}

} // namespace

int main(int argc, char** argv)
{
    const int rate = argc > 1 ? std::atoi(argv[1]) : 5000;
    const double seconds = argc > 2 ? std::atof(argv[2]) : 60.0;
    const double delay = argc > 3 ? std::atof(argv[3]) : 30.0;
    const std::int64_t windowMs = (argc > 4 ? std::atoll(argv[4]) : 10) * 1000;
    const auto dir = std::filesystem::temp_directory_path() / fmt::format("vigil-follow-labels-{}", getpid());
    std::filesystem::create_directories(dir);
    const std::string predPath = (dir / "pred.jsonl").string();
    const std::string labelPath = (dir / "labels.jsonl").string();
    const int pf = ::open(predPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const int lf = ::open(labelPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

    Written written;
    const auto start = Clock::now();
    const auto writeEnd = start + std::chrono::duration<double>(seconds + delay);
    std::jthread writer([&] {
        struct Due
        {
            std::uint64_t seq;
            Clock::time_point at;
        };
        std::deque<Due> due;
        std::uint64_t seq = 0;
        auto next = start;
        while (Clock::now() < writeEnd) {
            next += std::chrono::milliseconds(10);
            std::this_thread::sleep_until(next);
            const auto now = Clock::now();
            const std::int64_t ts = wallMs();
            std::string preds;
            const auto target = static_cast<std::uint64_t>(
                std::min(seconds, std::chrono::duration<double>(now - start).count()) * rate);
            for (; seq < target; ++seq) {
                preds += fmt::format("{{\"ts\":{},\"request_id\":\"q{}\",\"model\":\"m\",\"latency_ms\":{},"
                                     "\"prediction\":{:.2f},\"x\":{:.3f}}}\n",
                                     ts, seq, 3 + seq % 40, (seq * 37 % 100) / 100.0, (seq % 1000) / 7.0);
                if (seq % 10 != 0)
                    due.push_back({seq, now + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(delay))});
            }
            written.predictions = seq;
            std::string labels;
            while (!due.empty() && due.front().at <= now) {
                const std::uint64_t s = due.front().seq;
                due.pop_front();
                const int label = (s * 13) % 3 == 0 ? 1 : 0;
                labels += fmt::format("{{\"request_id\":\"q{}\",\"label\":{},\"ts\":{}}}\n", s, label, ts);
                ++written.labels;
                ++written.labelledIds;
                if (s % 100 == 1) {
                    labels +=
                        fmt::format("{{\"request_id\":\"q{}\",\"label\":{},\"ts\":{}}}\n", s, label, ts + 1);
                    ++written.labels;
                    ++written.duplicates;
                }
                if (s % 100 == 2) {
                    labels += fmt::format("{{\"request_id\":\"unknown{}\",\"label\":1,\"ts\":{}}}\n", s, ts);
                    ++written.labels;
                    ++written.unknown;
                }
            }
            if (!preds.empty())
                writeAll(pf, preds);
            if (!labels.empty())
                writeAll(lf, labels);
        }
    });

    AnalysisOptions options;
    options.windowMs = windowMs;
    options.drift.enabled = false;
    FollowSession session({predPath}, {}, options);
    LabelSourceConfig source;
    source.path = labelPath;
    session.followLabels(source);
    std::vector<double> labelCpu, plainCpu, pollCpu;
    std::vector<double> labelWindows;
    std::uint64_t labelRows = 0;
    auto lastResult = Clock::now();
    while (Clock::now() < writeEnd + std::chrono::seconds(1)) {
        const double p0 = threadCpuSeconds();
        if (auto polled = session.poll(); !polled) {
            std::fprintf(stderr, "poll: %s\n", polled.error().message.c_str());
            return 1;
        }
        pollCpu.push_back(threadCpuSeconds() - p0);
        if (session.ready() && Clock::now() - lastResult >= std::chrono::seconds(1)) {
            lastResult = Clock::now();
            const double c0 = threadCpuSeconds();
            auto result = session.analyze();
            const double cpu = threadCpuSeconds() - c0;
            if (!result) {
                std::fprintf(stderr, "analyze: %s\n", result.error().message.c_str());
                return 1;
            }
            const LabelFollowInfo& l = *result.value()->follow->labels;
            if (l.changedRows > 0) {
                labelCpu.push_back(cpu);
                labelWindows.push_back(static_cast<double>(l.recomputedWindows));
                labelRows += l.changedRows;
            } else {
                plainCpu.push_back(cpu);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    writer.join();
    auto drained = session.poll(true);
    auto result = session.analyze();
    if (!drained || !result) {
        std::fprintf(stderr, "final: failed\n");
        return 1;
    }
    const AnalysisResult& r = *result.value();
    const LabelSummary& s = *r.log->labels;
    std::printf("%s", fmt::format("written: {} predictions ({}/s for {} s), {} label records ({} ids, {} "
                                  "duplicates, {} unknown ids), labels {} s after their prediction\n",
                                  written.predictions, rate, seconds, written.labels, written.labelledIds,
                                  written.duplicates, written.unknown, delay)
                          .c_str());
    std::printf(
        "%s",
        fmt::format("final: {} rows, {} windows of {} s; labels read {}, predictions labelled {}, "
                    "unmatched {}, duplicates {}, delay p50 {:.0f} ms p95 {:.0f} ms, join {:.1f} MB\n",
                    r.log->table.rows(), r.snapshot.windows.size(), windowMs / 1000, s.labelsRead,
                    s.predictionsLabelled, s.unmatchedLabels, s.duplicateLabels, s.delayP50Ms.value_or(-1),
                    s.delayP95Ms.value_or(-1), r.follow->labels->joinBytes / 1e6)
            .c_str());
    const bool exact = r.log->table.rows() == written.predictions && s.labelsRead == written.labels &&
                       s.predictionsLabelled == written.labelledIds && s.unmatchedLabels == written.unknown &&
                       s.duplicateLabels == written.duplicates;
    std::printf("counts exact: %s\n", exact ? "yes" : "NO");
    std::printf(
        "%s",
        fmt::format("results with a label batch: {} ({} labelled rows), analyze() CPU p50 {:.1f} ms p95 "
                    "{:.1f} ms max {:.1f} ms, label windows recomputed per result p50 {:.0f} max {:.0f}\n",
                    labelCpu.size(), labelRows, quantile(labelCpu, 0.5) * 1e3, quantile(labelCpu, 0.95) * 1e3,
                    labelCpu.empty() ? 0.0 : *std::max_element(labelCpu.begin(), labelCpu.end()) * 1e3,
                    quantile(labelWindows, 0.5),
                    labelWindows.empty() ? 0.0 : *std::max_element(labelWindows.begin(), labelWindows.end()))
            .c_str());
    std::printf(
        "%s",
        fmt::format("results without labels (first {} s): {}, analyze() CPU p50 {:.1f} ms p95 {:.1f} ms; "
                    "poll (read + join) CPU p50 {:.2f} ms p95 {:.2f} ms\n",
                    delay, plainCpu.size(), quantile(plainCpu, 0.5) * 1e3, quantile(plainCpu, 0.95) * 1e3,
                    quantile(pollCpu, 0.5) * 1e3, quantile(pollCpu, 0.95) * 1e3)
            .c_str());
    ::close(pf);
    ::close(lf);
    std::filesystem::remove_all(dir);
    return exact ? 0 : 1;
}
