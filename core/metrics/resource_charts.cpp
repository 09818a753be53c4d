#include "metrics/resource_charts.h"

#include "metrics/series_math.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <set>

namespace vigil {

namespace {

using Points = std::vector<PromPoint>;
using SeriesList = std::vector<const FrameSeries*>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// dcgm-exporter passes DCGM's "blank" sentinels (values near 2^63) through: not a reading.
constexpr double kDcgmSentinel = 9.0e18;

std::string labelValue(const FrameSeries& s, std::string_view name)
{
    for (const auto& [k, v] : s.labels)
        if (k == name)
            return v;
    return {};
}

struct RawLine
{
    std::string name;
    Points points;
};

// Everything one chart's derivation needs: the frames indexed by name, and where the
// non-finite raw samples it read are counted.
class ChartBuilder
{
  public:
    explicit ChartBuilder(const ResourceFrames& frames)
    {
        for (const FrameSeries& s : frames.series)
            m_byName[s.name].push_back(&s);
    }

    // Series of one metric pattern on one instance. A wildcard keeps only the first
    // matching family, so http_requests_total and model_requests_total are not added.
    SeriesList find(std::string_view pattern, const std::string& instance) const
    {
        SeriesList out;
        if (!pattern.empty() && pattern.front() == '*') {
            for (const auto& [name, list] : m_byName) {
                if (!matchesMetric(pattern, name))
                    continue;
                for (const FrameSeries* s : list)
                    if (s->instance == instance)
                        out.push_back(s);
                if (!out.empty())
                    return out;
            }
            return out;
        }
        if (auto it = m_byName.find(std::string(pattern)); it != m_byName.end())
            for (const FrameSeries* s : it->second)
                if (s->instance == instance)
                    out.push_back(s);
        return out;
    }

    SeriesList findAny(const std::vector<std::string_view>& patterns, const std::string& instance) const
    {
        SeriesList out;
        for (const auto pattern : patterns) {
            SeriesList part = find(pattern, instance);
            out.insert(out.end(), part.begin(), part.end());
        }
        return out;
    }

    std::set<std::string> instancesOf(const PresetChart& chart) const
    {
        std::set<std::string> out;
        for (const PresetSource& src : chart.sources)
            for (const auto pattern : src.metrics)
                for (const auto& [name, list] : m_byName)
                    if (matchesMetric(pattern, name))
                        for (const FrameSeries* s : list)
                            out.insert(s->instance);
        return out;
    }

    // The points of a raw series with non-finite samples noted for the chart's marker.
    const Points& read(const FrameSeries* s)
    {
        for (const PromPoint& p : s->points)
            if (!std::isfinite(p.value))
                ++m_marks[p.timestampMs];
        return s->points;
    }

    std::map<std::int64_t, std::size_t> takeMarks() { return std::exchange(m_marks, {}); }

  private:
    std::map<std::string, SeriesList> m_byName;
    std::map<std::int64_t, std::size_t> m_marks;
};

std::string lineKey(const FrameSeries& s, const PresetSource& src)
{
    std::string key;
    for (const auto label : src.lineLabels) {
        const std::string v = labelValue(s, label);
        if (v.empty())
            continue;
        if (!key.empty())
            key += ' ';
        key += v;
    }
    if (!src.alias.empty()) {
        if (!key.empty())
            key += ' ';
        key += src.alias;
    }
    return key;
}

std::map<std::string, SeriesList> groupByLine(const SeriesList& series, const PresetSource& src)
{
    std::map<std::string, SeriesList> out;
    for (const FrameSeries* s : series) {
        bool skip = false;
        for (const auto label : src.lineLabels)
            for (const auto prefix : src.skipPrefixes)
                skip = skip || labelValue(*s, label).starts_with(prefix);
        if (!skip)
            out[lineKey(*s, src)].push_back(s);
    }
    return out;
}

Points scaled(Points p, double scale)
{
    for (PromPoint& x : p)
        x.value = x.value >= kDcgmSentinel ? kNaN : x.value * scale;
    return p;
}

Points summedRate(ChartBuilder& b, const SeriesList& series)
{
    std::vector<Points> rates;
    rates.reserve(series.size());
    for (const FrameSeries* s : series)
        rates.push_back(perIntervalRate(b.read(s)));
    std::vector<const Points*> ptrs;
    for (const Points& r : rates)
        ptrs.push_back(&r);
    return sumByTime(ptrs);
}

Points summedValues(ChartBuilder& b, const SeriesList& series)
{
    std::vector<const Points*> ptrs;
    for (const FrameSeries* s : series)
        ptrs.push_back(&b.read(s));
    return sumByTime(ptrs);
}

bool isErrorSeries(const FrameSeries& s)
{
    if (s.name.find("failure") != std::string::npos || s.name.find("_failed") != std::string::npos ||
        s.name.find("_errors") != std::string::npos)
        return true;
    return std::any_of(s.labels.begin(), s.labels.end(),
                       [](const auto& l) { return isErrorLabel(l.first, l.second); });
}

bool canClassifyErrors(const SeriesList& series)
{
    static constexpr std::string_view statusLabels[] = {"code", "status", "status_code", "http_response_code",
                                                        "response_code"};
    for (const FrameSeries* s : series) {
        if (isErrorSeries(*s))
            return true;
        for (const auto& l : s->labels)
            for (const auto name : statusLabels)
                if (l.first == name)
                    return true;
    }
    return false;
}

// histogram_quantile(q, sum by (le) (rate(bucket[interval]))) at each scrape.
std::vector<RawLine> latencyQuantiles(ChartBuilder& b, const SeriesList& buckets, double scale)
{
    std::map<double, std::vector<Points>> increasesByLe;
    for (const FrameSeries* s : buckets) {
        const std::string le = labelValue(*s, "le");
        const double bound =
            le == "+Inf" ? std::numeric_limits<double>::infinity() : std::strtod(le.c_str(), nullptr);
        increasesByLe[bound].push_back(perIntervalIncrease(b.read(s)));
    }
    std::map<std::int64_t, std::vector<QuantileBucket>> perTime;
    for (const auto& [bound, list] : increasesByLe) {
        std::vector<const Points*> ptrs;
        for (const Points& p : list)
            ptrs.push_back(&p);
        for (const PromPoint& p : sumByTime(ptrs))
            perTime[p.timestampMs].push_back({bound, p.value});
    }
    static constexpr std::pair<double, const char*> qs[] = {{0.5, "p50"}, {0.95, "p95"}, {0.99, "p99"}};
    std::vector<RawLine> out;
    for (const auto& [q, name] : qs) {
        RawLine line{name, {}};
        for (const auto& [t, bs] : perTime) {
            double total = 0.0;
            for (const auto& bucket : bs)
                if (std::isinf(bucket.upperBound))
                    total = bucket.count;
            // No requests in the interval: no latency to report (a gap, not a NaN alarm).
            const double v = total > 0.0 ? histogramQuantileOf(q, bs) * scale : kNaN;
            line.points.push_back({t, v});
        }
        out.push_back(std::move(line));
    }
    return out;
}

std::vector<RawLine> deriveSource(ChartBuilder& b, const PresetChart& chart, const PresetSource& src,
                                  const std::string& instance)
{
    std::vector<RawLine> out;
    const SeriesList first = b.find(src.metrics.front(), instance);
    switch (chart.derivation) {
    case Derivation::Gauge:
        for (const auto& [key, list] : groupByLine(first, src)) {
            int n = 0;
            for (const FrameSeries* s : list) {
                std::string name = key;
                if (++n > 1)
                    name += " #" + std::to_string(n);
                out.push_back({name, scaled(b.read(s), src.scale)});
            }
        }
        break;
    case Derivation::Rate:
        for (const auto& [key, list] : groupByLine(first, src))
            out.push_back({key, scaled(summedRate(b, list), src.scale)});
        break;
    case Derivation::CpuModePercent: {
        std::map<std::string, Points> byMode;
        for (const auto& [mode, list] : groupByLine(first, src))
            byMode[mode] = summedRate(b, list);
        std::vector<const Points*> all;
        for (const auto& [mode, p] : byMode)
            all.push_back(&p);
        const Points total = sumByTime(all);
        for (const auto& [mode, p] : byMode) {
            if (mode == "idle")
                continue;
            Points share =
                combineByTime(p, total, [](double m, double t) { return t > 0.0 ? 100.0 * m / t : kNaN; });
            // Modes that never reach 0.5 % (irq, steal on most machines) only crowd the legend.
            const bool matters =
                std::any_of(share.begin(), share.end(), [](const PromPoint& x) { return !(x.value < 0.5); });
            if (matters)
                out.push_back({mode, std::move(share)});
        }
        break;
    }
    case Derivation::UsedOfTotal:
    case Derivation::UsedPercent:
    case Derivation::SharePercent: {
        const auto a = groupByLine(first, src);
        const auto bGroups = groupByLine(b.find(src.metrics.at(1), instance), src);
        for (const auto& [key, list] : a) {
            const auto other = bGroups.find(key);
            if (other == bGroups.end())
                continue;
            const Points x = summedValues(b, list);
            const Points y = summedValues(b, other->second);
            const double scale = src.scale;
            Points v;
            if (chart.derivation == Derivation::UsedOfTotal)
                v = combineByTime(x, y,
                                  [scale](double total, double avail) { return (total - avail) * scale; });
            else if (chart.derivation == Derivation::UsedPercent)
                v = combineByTime(x, y, [](double avail, double size) {
                    return size > 0.0 ? 100.0 * (1.0 - avail / size) : kNaN;
                });
            else
                v = combineByTime(x, y, [](double used, double free) {
                    return used >= kDcgmSentinel || free >= kDcgmSentinel || used + free <= 0.0
                               ? kNaN
                               : 100.0 * used / (used + free);
                });
            out.push_back({key.empty() ? std::string("used") : key, std::move(v)});
        }
        break;
    }
    case Derivation::RequestRate: {
        const SeriesList all = b.findAny(src.metrics, instance);
        if (!all.empty())
            out.push_back({"requests", scaled(summedRate(b, all), src.scale)});
        break;
    }
    case Derivation::ErrorPercent: {
        const SeriesList all = b.findAny(src.metrics, instance);
        if (all.empty() || !canClassifyErrors(all))
            break;
        SeriesList errors;
        for (const FrameSeries* s : all)
            if (isErrorSeries(*s))
                errors.push_back(s);
        const Points total = summedRate(b, all);
        Points err = summedRate(b, errors);
        if (errors.empty())
            for (const PromPoint& p : total)
                err.push_back({p.timestampMs, 0.0});
        out.push_back({"errors", combineByTime(err, total, [](double e, double t) {
                           return t > 0.0 ? 100.0 * e / t : kNaN;
                       })});
        break;
    }
    case Derivation::LatencyQuantile:
        if (src.meanOfCounters) {
            const Points sum = summedRate(b, first);
            const Points count = summedRate(b, b.find(src.metrics.at(1), instance));
            const double scale = src.scale;
            out.push_back({std::string(src.alias), combineByTime(sum, count, [scale](double s, double c) {
                               return c > 0.0 ? s / c * scale : kNaN;
                           })});
        } else {
            out = latencyQuantiles(b, b.findAny(src.metrics, instance), src.scale);
        }
        break;
    }
    return out;
}

double peakOf(const ChartLine& line)
{
    double peak = -std::numeric_limits<double>::infinity();
    for (const double y : line.y)
        if (std::isfinite(y))
            peak = std::max(peak, y);
    return peak;
}

double typicalStep(const std::vector<ChartLine>& lines)
{
    for (const ChartLine& l : lines) {
        if (l.xMs.size() < 2)
            continue;
        std::vector<double> d;
        for (std::size_t i = 1; i < l.xMs.size(); ++i)
            d.push_back(l.xMs[i] - l.xMs[i - 1]);
        std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2), d.end());
        return d[d.size() / 2];
    }
    return 0.0;
}

// Keeps the maxLines lines with the highest peaks (in their original order), then
// decimates each to the chart's width.
void finishChart(ResourceChart& chart, std::vector<ChartLine> lines, const ResourceViewOptions& options)
{
    lines.erase(std::remove_if(lines.begin(), lines.end(), [](const ChartLine& l) { return l.xMs.empty(); }),
                lines.end());
    chart.totalLines = lines.size();
    chart.stepMs = typicalStep(lines);
    if (lines.size() > options.maxLines) {
        std::vector<std::pair<double, std::size_t>> peaks;
        for (std::size_t i = 0; i < lines.size(); ++i)
            peaks.emplace_back(peakOf(lines[i]), i);
        std::stable_sort(peaks.begin(), peaks.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        std::vector<bool> keep(lines.size(), false);
        for (std::size_t i = 0; i < options.maxLines; ++i)
            keep[peaks[i].second] = true;
        std::vector<ChartLine> kept;
        for (std::size_t i = 0; i < lines.size(); ++i)
            if (keep[i])
                kept.push_back(std::move(lines[i]));
        lines = std::move(kept);
    }
    // A bucket per two pixels: the envelope is what a pixel column shows anyway.
    for (ChartLine& l : lines)
        decimateEnvelope(l.xMs, l.y, std::max(50, options.widthPx / 2));
    chart.lines = std::move(lines);
}

ChartLine toLine(std::string name, const Points& points)
{
    ChartLine line{std::move(name), {}, {}};
    line.xMs.reserve(points.size());
    line.y.reserve(points.size());
    for (const PromPoint& p : points) {
        line.xMs.push_back(static_cast<double>(p.timestampMs));
        line.y.push_back(p.value);
    }
    return line;
}

std::vector<NonFiniteMark> toMarks(const std::map<std::int64_t, std::size_t>& marks)
{
    std::vector<NonFiniteMark> out;
    for (const auto& [t, n] : marks)
        out.push_back({t, n});
    return out;
}

std::optional<ResourceChart> presetChart(ChartBuilder& b, const PresetChart& preset,
                                         const ResourceViewOptions& options)
{
    const std::set<std::string> instances = b.instancesOf(preset);
    if (instances.empty())
        return std::nullopt;
    std::vector<ChartLine> lines;
    for (const std::string& instance : instances) {
        for (const PresetSource& src : preset.sources) {
            std::vector<RawLine> raw = deriveSource(b, preset, src, instance);
            const bool any =
                std::any_of(raw.begin(), raw.end(), [](const RawLine& l) { return !l.points.empty(); });
            for (RawLine& l : raw) {
                std::string name = l.name;
                if (instances.size() > 1)
                    name = name.empty() ? instance : instance + " " + name;
                if (name.empty())
                    name = instance;
                lines.push_back(toLine(std::move(name), l.points));
            }
            if (any && preset.alternatives)
                break;
        }
    }
    ResourceChart chart;
    chart.id = std::string(preset.id);
    chart.title = std::string(preset.title);
    chart.unit = std::string(preset.unit);
    chart.source = std::string(preset.exporter);
    chart.group = preset.group;
    chart.nonFinite = toMarks(b.takeMarks());
    finishChart(chart, std::move(lines), options);
    if (chart.lines.empty())
        return std::nullopt;
    return chart;
}

std::string lineNameOf(const FrameSeries& s, bool withName)
{
    std::string key = seriesKey(s);
    if (!withName)
        key.erase(0, s.name.size());
    return key;
}

} // namespace

const ResourceChart* ResourceViewData::chart(std::string_view id) const
{
    for (const ResourceChart& c : charts)
        if (c.id == id)
            return &c;
    return nullptr;
}

Result<ResourceViewData> buildResourceView(const ResourceFrames& frames, const ResourceViewOptions& options,
                                           std::stop_token stop, const ProgressFn& progress)
{
    try {
        ResourceViewData out;
        out.endpoints = frames.endpoints;
        out.notes = frames.notes;
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        auto extent = [&](const ResourceFrames& f) {
            for (const FrameSeries& s : f.series) {
                out.pointCount += s.points.size();
                if (!s.points.empty()) {
                    lo = std::min(lo, static_cast<double>(s.points.front().timestampMs));
                    hi = std::max(hi, static_cast<double>(s.points.back().timestampMs));
                }
            }
            out.seriesCount += f.series.size();
        };
        extent(frames);
        if (options.query)
            extent(*options.query);
        if (hi >= lo) {
            out.minMs = lo;
            out.maxMs = hi;
        }

        ChartBuilder builder(frames);
        const auto& presets = resourcePresets();
        for (std::size_t i = 0; i < presets.size(); ++i) {
            if (stopRequested(stop))
                return Error{"cancelled"};
            if (auto chart = presetChart(builder, presets[i], options))
                out.charts.push_back(std::move(*chart));
            if (progress)
                progress(0.5 * static_cast<double>(i + 1) / static_cast<double>(presets.size()), "presets");
        }

        out.catalog.reserve(frames.series.size());
        for (const FrameSeries& s : frames.series)
            out.catalog.push_back({seriesKey(s), s.name, s.instance, s.kind, s.points.size(),
                                   s.points.empty() ? kNaN : s.points.back().value});
        std::sort(out.catalog.begin(), out.catalog.end(),
                  [](const CatalogEntry& a, const CatalogEntry& b) { return a.key < b.key; });

        if (!options.browseKey.empty()) {
            for (const FrameSeries& s : frames.series) {
                if (seriesKey(s) != options.browseKey)
                    continue;
                ResourceChart chart;
                chart.id = "browse";
                chart.source = "metric";
                const bool asRate = s.kind != FrameKind::Gauge;
                chart.title = asRate ? "rate(" + s.name + ") per second" : s.name;
                chart.unit = asRate ? "/s" : "";
                ChartBuilder one(frames);
                const Points& raw = one.read(&s);
                chart.nonFinite = toMarks(one.takeMarks());
                finishChart(chart, {toLine(lineNameOf(s, false), asRate ? perIntervalRate(raw) : raw)},
                            options);
                out.browsed = std::move(chart);
                break;
            }
        }

        if (options.query) {
            // A query can return a thousand long series: rank them on the raw points and
            // copy out only the lines that will be drawn.
            ResourceChart chart;
            chart.id = "query";
            chart.source = "query";
            chart.title = options.queryText.empty() ? std::string("Query") : options.queryText;
            std::vector<std::pair<double, std::size_t>> peaks;
            std::map<std::int64_t, std::size_t> marks;
            const auto& all = options.query->series;
            for (std::size_t i = 0; i < all.size(); ++i) {
                if (i % 64 == 0 && stopRequested(stop))
                    return Error{"cancelled"};
                if (all[i].points.empty())
                    continue;
                double peak = -std::numeric_limits<double>::infinity();
                for (const PromPoint& p : all[i].points) {
                    if (std::isfinite(p.value))
                        peak = std::max(peak, p.value);
                    else
                        ++marks[p.timestampMs];
                }
                peaks.emplace_back(peak, i);
            }
            const std::size_t total = peaks.size();
            std::stable_sort(peaks.begin(), peaks.end(),
                             [](const auto& a, const auto& b) { return a.first > b.first; });
            peaks.resize(std::min(peaks.size(), options.maxQueryLines));
            std::sort(peaks.begin(), peaks.end(),
                      [](const auto& a, const auto& b) { return a.second < b.second; });
            std::vector<ChartLine> lines;
            for (const auto& [peak, i] : peaks)
                lines.push_back(toLine(lineNameOf(all[i], true), all[i].points));
            chart.nonFinite = toMarks(marks);
            finishChart(chart, std::move(lines), options);
            chart.totalLines = total;
            out.query = std::move(chart);
        }
        if (progress)
            progress(1.0, "charts");
        return out;
    } catch (const std::exception& e) {
        return Error{std::string("building resource charts: ") + e.what()};
    }
}

} // namespace vigil
