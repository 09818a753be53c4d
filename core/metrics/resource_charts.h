#pragma once
// Resource frames -> what the Resources view draws: the preset charts that have data,
// the metric browser's catalog and selection, endpoint health. Rates, quantiles and
// decimation to the chart width all happen here, on a worker thread; the UI gets the
// result as one immutable value.
#include "metrics/presets.h"
#include "metrics/resource_frames.h"
#include "util/progress.h"
#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace vigil {

struct ChartLine
{
    std::string name;
    std::vector<double> xMs; // ascending
    std::vector<double> y;   // NaN = no value there (a gap)
};

// Non-finite raw samples (NaN, ±Inf) that went into a chart, per timestamp.
struct NonFiniteMark
{
    std::int64_t timestampMs = 0;
    std::size_t count = 0;
};

struct ResourceChart
{
    std::string id;
    std::string title;
    std::string unit;
    std::string source; // "node_exporter", "dcgm-exporter", "model server", "query", "metric"
    PresetGroup group = PresetGroup::Host;
    std::vector<ChartLine> lines; // at most maxLines, those with the highest peaks
    std::size_t totalLines = 0;   // before that cut
    std::vector<NonFiniteMark> nonFinite;
    double stepMs = 0.0; // the typical time between points
};

struct CatalogEntry
{
    std::string key; // seriesKey()
    std::string name;
    std::string instance;
    FrameKind kind = FrameKind::Gauge;
    std::size_t points = 0;
    double last = 0.0;
};

struct ResourceViewData
{
    std::vector<ResourceChart> charts;    // preset charts with data, in preset order
    std::optional<ResourceChart> query;   // a Prometheus query's result, when one was run
    std::optional<ResourceChart> browsed; // the metric browser's selection
    std::vector<EndpointHealth> endpoints;
    std::vector<CatalogEntry> catalog; // every series, sorted by key
    std::vector<std::string> notes;
    double minMs = 0.0; // time extent of all frames (0, 0 when empty)
    double maxMs = 0.0;
    std::size_t seriesCount = 0;
    std::size_t pointCount = 0;

    const ResourceChart* chart(std::string_view id) const;
};

struct ResourceViewOptions
{
    int widthPx = 800;         // lines are decimated to about this many buckets
    std::size_t maxLines = 10; // per chart; a chart of a thousand lines shows nothing
    // A query's chart: its lines are usually long and jagged, and Qt Charts pays per
    // vertex, so fewer of them keep a 1,000-series answer from stalling the UI.
    std::size_t maxQueryLines = 6;
    std::string browseKey; // a catalog key to chart (counters as a rate)
    // A Prometheus query result (drawn as its own chart, not run through the presets).
    std::shared_ptr<const ResourceFrames> query;
    std::string queryText;
};

Result<ResourceViewData> buildResourceView(const ResourceFrames& frames, const ResourceViewOptions& options,
                                           std::stop_token stop = {}, const ProgressFn& progress = {});

} // namespace vigil
