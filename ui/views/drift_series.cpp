#include "views/drift_series.h"

#include "charts/palette.h"
#include "format.h"
#include "views/series_builder.h"

#include <algorithm>
#include <cmath>

namespace vigil {

namespace {

// Index of a window inside the snapshot's vector (buildSeries walks that same vector).
std::size_t indexOf(const AnalysisSnapshot& snapshot, const WindowStats& w)
{
    return static_cast<std::size_t>(&w - snapshot.windows.data());
}

QColor driftRed()
{
    return palette::alarm();
}

} // namespace

std::vector<ChartSeries> multivariateSeries(const AnalysisSnapshot& snapshot)
{
    std::vector<ChartSeries> out;
    if (!snapshot.drift)
        return out;
    const auto& dw = snapshot.drift->windows;
    const auto at = [&](const WindowStats& w) -> const MultivariateDrift* {
        const std::size_t i = indexOf(snapshot, w);
        return i < dw.size() ? &dw[i].multivariate : nullptr;
    };
    const WindowValue error = [at](const WindowStats& w) -> std::optional<double> {
        const auto* m = at(w);
        return m ? m->reconstructionError : std::nullopt;
    };
    if (!anyValue(snapshot.windows, error))
        return out;
    out.push_back(
        buildSeries(QStringLiteral("reconstruction error"), palette::aggregate(), snapshot.windows, error));
    for (const auto& [name, field] : {std::pair(QStringLiteral("band upper"), &MultivariateDrift::upper),
                                      std::pair(QStringLiteral("band lower"), &MultivariateDrift::lower)}) {
        ChartSeries band = buildSeries(name, QColor(0x77, 0x77, 0x77), snapshot.windows,
                                       [at, field](const WindowStats& w) -> std::optional<double> {
                                           const auto* m = at(w);
                                           return m ? m->*field : std::nullopt;
                                       });
        band.style = Qt::DashLine;
        band.width = 1.2;
        out.push_back(std::move(band));
    }
    ChartSeries drifted = buildSeries(QStringLiteral("drifted"), driftRed(), snapshot.windows,
                                      [at](const WindowStats& w) -> std::optional<double> {
                                          const auto* m = at(w);
                                          return m && m->drifted ? m->reconstructionError : std::nullopt;
                                      });
    drifted.width = 3.5;
    out.push_back(std::move(drifted));
    return out;
}

std::vector<ChartSeries> featureStatisticSeries(const AnalysisSnapshot& snapshot,
                                                const FeatureDrilldown& drilldown, DriftStatistic statistic)
{
    const auto& points = drilldown.series;
    const auto at = [&](const WindowStats& w) -> const FeatureDrift* {
        const std::size_t i = indexOf(snapshot, w);
        return i < points.size() ? &points[i].drift : nullptr;
    };
    const QString label = QString::fromUtf8(driftStatisticLabel(statistic).data());
    std::vector<ChartSeries> out;
    out.push_back(buildSeries(label, palette::version(0), snapshot.windows,
                              [at, statistic](const WindowStats& w) -> std::optional<double> {
                                  const auto* f = at(w);
                                  return f ? statisticValue(*f, statistic) : std::nullopt;
                              }));
    ChartSeries drifted =
        buildSeries(QStringLiteral("drifted"), driftRed(), snapshot.windows,
                    [at, statistic](const WindowStats& w) -> std::optional<double> {
                        const auto* f = at(w);
                        return f && f->drifted ? statisticValue(*f, statistic) : std::nullopt;
                    });
    drifted.width = 3.5;
    out.push_back(std::move(drifted));
    return out;
}

std::optional<ChartSeries> estimatedSeries(const AnalysisSnapshot& snapshot,
                                           std::optional<double> EstimatedPerformance::*field)
{
    if (!snapshot.drift)
        return std::nullopt;
    const auto& dw = snapshot.drift->windows;
    const WindowValue value = [&snapshot, &dw, field](const WindowStats& w) -> std::optional<double> {
        const std::size_t i = indexOf(snapshot, w);
        return i < dw.size() ? dw[i].estimated.*field : std::nullopt;
    };
    if (!anyValue(snapshot.windows, value))
        return std::nullopt;
    ChartSeries s = buildSeries(QStringLiteral("estimated (CBPE, no labels needed)"),
                                QColor(0x00, 0x9E, 0x73), snapshot.windows, value);
    s.style = Qt::DashLine;
    s.width = 2.5;
    return s;
}

std::vector<ChartEvent> conceptDriftEvents(const DriftSnapshot& drift, std::int64_t windowMs)
{
    std::vector<ChartEvent> out;
    const auto colourOf = [](const std::string& detector) {
        return detector == "ADWIN" ? QColor(0xCC, 0x79, 0xA7) : QColor(0x56, 0x3C, 0x9C);
    };
    // Per detector, runs of events no more than one window apart.
    std::vector<std::string> detectors;
    for (const ConceptDriftEvent& e : drift.conceptDrift)
        if (std::find(detectors.begin(), detectors.end(), e.detector) == detectors.end())
            detectors.push_back(e.detector);
    const auto gap = static_cast<double>(std::max<std::int64_t>(windowMs, 1)) * 2.0;
    for (const std::string& d : detectors) {
        std::vector<const ConceptDriftEvent*> run;
        const auto flush = [&] {
            if (run.empty())
                return;
            const QString name = QString::fromStdString(d);
            QString detail =
                run.size() == 1
                    ? QStringLiteral("%1 concept drift at %2").arg(name, formatUtc(run.front()->tsMs))
                    : QStringLiteral("%1 concept drift ×%2, %3 → %4")
                          .arg(name)
                          .arg(run.size())
                          .arg(formatUtc(run.front()->tsMs), formatUtc(run.back()->tsMs));
            detail += QStringLiteral(" (%1 stream)").arg(QString::fromStdString(run.front()->stream));
            out.push_back({static_cast<double>(run.front()->tsMs), name + QStringLiteral(" concept drift"),
                           detail, colourOf(d)});
            run.clear();
        };
        for (const ConceptDriftEvent& e : drift.conceptDrift) {
            if (e.detector != d)
                continue;
            if (!run.empty() && static_cast<double>(e.tsMs - run.back()->tsMs) > gap)
                flush();
            run.push_back(&e);
        }
        flush();
    }
    std::sort(out.begin(), out.end(), [](const ChartEvent& a, const ChartEvent& b) { return a.xMs < b.xMs; });
    return out;
}

} // namespace vigil
