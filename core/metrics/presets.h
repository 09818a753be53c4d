#pragma once
// The resource charts Vigil knows how to draw, as data: which exporter metric names
// feed each chart and how they are derived (rate, share of a total, histogram
// quantile...). Names follow node_exporter, NVIDIA dcgm-exporter and the common model
// servers (Triton, TorchServe, KServe, BentoML, plain Prometheus client libraries);
// see docs/GUI.md "Resources view" for the table.
#include <string_view>
#include <vector>

namespace vigil {

enum class Derivation
{
    Gauge,           // the value times scale
    Rate,            // per-second rate of a counter times scale
    CpuModePercent,  // node_cpu_seconds_total: rate per mode summed over CPUs, % of all modes
    UsedOfTotal,     // (total - available) times scale: metrics = {total, available}
    UsedPercent,     // 100 * (1 - available / size): metrics = {available, size}
    SharePercent,    // 100 * used / (used + free): metrics = {used, free}
    RequestRate,     // sum of request counter rates per instance
    ErrorPercent,    // 100 * error requests / all requests, over rates
    LatencyQuantile, // histogram_quantile(q, rate(bucket)) for p50, p95, p99, times scale; or a mean
};

enum class PresetGroup
{
    Host,    // node_exporter (or the local sampler, which uses the same names)
    Gpu,     // dcgm-exporter (or NVML through the local sampler)
    Serving, // model servers: also drawn on the Operations view as "endpoint" series
};

// One source of a chart. A name may start with '*' ("*_requests_total"): any metric
// with that suffix. Several sources can feed one chart (disk read and written); where
// they are alternatives (Triton vs a generic histogram), the first one with data on an
// instance is used for that instance.
struct PresetSource
{
    std::vector<std::string_view> metrics;
    std::string_view alias;                   // appended to line names ("read", "write"), may be empty
    std::vector<std::string_view> lineLabels; // labels that split lines ("mode", "gpu", "device")
    double scale = 1.0;
    // Latency from two counters (Triton, TorchServe): rate(metrics[0]) / rate(metrics[1]).
    bool meanOfCounters = false;
    // Line label values left out, by prefix: loop/ram devices and the loopback interface
    // (node_exporter's own default excludes) would crowd out the real disks and NICs.
    std::vector<std::string_view> skipPrefixes = {};
};

struct PresetChart
{
    std::string_view id;
    std::string_view title;
    std::string_view unit;
    std::string_view exporter; // "node_exporter", "dcgm-exporter", "model server"
    PresetGroup group = PresetGroup::Host;
    Derivation derivation = Derivation::Gauge;
    std::vector<PresetSource> sources;
    bool alternatives = false; // sources are alternatives per instance, not added together
};

// In display order: CPU, memory, load, filesystem, disk, network, processes, GPU
// utilization, GPU memory, power, temperature, then request rate, error rate, latency.
const std::vector<PresetChart>& resourcePresets();

// Label names and values that mark a failed request in *_requests_total-style counters:
// status/code/status_code/http_response_code 5xx, or status "error"/"failure"/"failed".
bool isErrorLabel(std::string_view name, std::string_view value);

// Whether a metric name matches a preset pattern ('*' prefix = suffix match). Wildcards
// skip the exporters' own HTTP handler metrics (promhttp_*, prometheus_*): every Go
// exporter has them and they say nothing about the model server.
bool matchesMetric(std::string_view pattern, std::string_view name);

} // namespace vigil
