#include "views/series_builder.h"

#include "charts/palette.h"
#include "format.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil {

ChartSeries buildSeries(const QString& name, const QColor& colour, const std::vector<WindowStats>& windows,
                        const WindowValue& value)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    ChartSeries series;
    series.name = name;
    series.color = colour;
    series.xMs.reserve(windows.size());
    series.y.reserve(windows.size());
    series.rows.reserve(windows.size());
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const WindowStats& w = windows[i];
        if (i > 0 && w.startMs > windows[i - 1].endMs) {
            series.xMs.push_back(static_cast<double>(windows[i - 1].endMs));
            series.y.push_back(nan);
            series.rows.push_back(0);
        }
        const std::optional<double> v = value(w);
        series.xMs.push_back(static_cast<double>(w.startMs));
        series.y.push_back(v ? *v : nan);
        series.rows.push_back(w.rows);
    }
    return series;
}

std::vector<ChartSeries> seriesPerVersion(const AnalysisSnapshot& snapshot, const WindowValue& value)
{
    std::vector<ChartSeries> out;
    ChartSeries all = buildSeries(QStringLiteral("all"), palette::aggregate(), snapshot.windows, value);
    if (snapshot.byVersion.size() > 1) {
        all.width = 2.5;
        all.style = Qt::DashLine; // the aggregate sits under the versions; dashes keep them visible
    }
    out.push_back(std::move(all));
    if (snapshot.byVersion.size() > 1) {
        for (std::size_t i = 0; i < snapshot.byVersion.size(); ++i) {
            const VersionSegment& v = snapshot.byVersion[i];
            QString name = QString::fromStdString(v.version);
            if (name.isEmpty())
                name = QStringLiteral("(no version)");
            out.push_back(buildSeries(name, palette::version(static_cast<int>(i)), v.windows, value));
        }
    }
    return out;
}

bool anyValue(const std::vector<WindowStats>& windows, const WindowValue& value)
{
    return std::any_of(windows.begin(), windows.end(),
                       [&](const WindowStats& w) { return value(w).has_value(); });
}

std::vector<ChartNote> nonFiniteNotes(const std::vector<WindowStats>& windows, const WindowCount& count,
                                      const QString& what)
{
    std::vector<ChartNote> notes;
    for (const WindowStats& w : windows) {
        const std::uint64_t n = count(w);
        if (n > 0)
            notes.push_back({static_cast<double>(w.startMs), n,
                             QStringLiteral("%1 NaN/Inf %2 in this window").arg(formatCount(n), what)});
    }
    return notes;
}

std::vector<ChartNote> mergeNotes(std::vector<ChartNote> a, const std::vector<ChartNote>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    std::stable_sort(a.begin(), a.end(),
                     [](const ChartNote& l, const ChartNote& r) { return l.xMs < r.xMs; });
    return a;
}

} // namespace vigil
