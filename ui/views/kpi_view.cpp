#include "views/kpi_view.h"

#include "views/series_builder.h"

#include <algorithm>

namespace vigil {

namespace {

const KpiValue* findKpi(const WindowStats& w, const std::string& name)
{
    for (const KpiValue& k : w.kpis)
        if (k.name == name)
            return &k;
    return nullptr;
}

const RatioValue* findRatio(const WindowStats& w, const std::string& name)
{
    for (const RatioValue& r : w.ratios)
        if (r.name == name)
            return &r;
    return nullptr;
}

template <typename T, typename Member>
std::vector<std::string> namesInOrder(const std::vector<WindowStats>& windows, Member member)
{
    std::vector<std::string> names;
    for (const WindowStats& w : windows)
        for (const T& item : w.*member)
            if (std::find(names.begin(), names.end(), item.name) == names.end())
                names.push_back(item.name);
    return names;
}

} // namespace

KpiView::KpiView(QWidget* parent) : ChartGridView(parent) {}

void KpiView::rebuild(const AnalysisResult& result)
{
    const AnalysisSnapshot& snap = result.snapshot;
    const auto kpis = namesInOrder<KpiValue>(snap.windows, &WindowStats::kpis);
    const auto ratios = namesInOrder<RatioValue>(snap.windows, &WindowStats::ratios);
    if (kpis.empty() && ratios.empty()) {
        showEmptyState(tr("No business KPIs in this log.\n\nMap a field to the KPI role "
                          "(Analysis ▸ Edit mapping…) or list KPIs and ratios in a config file."));
        return;
    }
    const auto windowMs = static_cast<double>(snap.windowMs);

    for (const std::string& name : kpis) {
        const QString label = QString::fromStdString(name);
        const auto notes = nonFiniteNotes(
            snap.windows,
            [name](const WindowStats& w) {
                const KpiValue* k = findKpi(w, name);
                return k ? k->nonFinite : std::uint64_t{0};
            },
            label + QStringLiteral(" values"));
        chartFor(QStringLiteral("kpi_sum:") + label, tr("%1 — sum per window").arg(label))
            ->setData(seriesPerVersion(snap,
                                       [name](const WindowStats& w) -> std::optional<double> {
                                           const KpiValue* k = findKpi(w, name);
                                           return k ? std::optional<double>(k->sum) : std::nullopt;
                                       }),
                      notes, windowMs);
        chartFor(QStringLiteral("kpi_mean:") + label, tr("%1 — mean per row").arg(label))
            ->setData(seriesPerVersion(snap,
                                       [name](const WindowStats& w) -> std::optional<double> {
                                           const KpiValue* k = findKpi(w, name);
                                           return k ? k->mean : std::nullopt;
                                       }),
                      notes, windowMs);
    }
    for (const std::string& name : ratios) {
        const QString label = QString::fromStdString(name);
        chartFor(QStringLiteral("ratio:") + label, tr("%1 (ratio)").arg(label))
            ->setData(seriesPerVersion(snap,
                                       [name](const WindowStats& w) -> std::optional<double> {
                                           const RatioValue* r = findRatio(w, name);
                                           return r ? r->value : std::nullopt;
                                       }),
                      {}, windowMs);
    }
}

} // namespace vigil
