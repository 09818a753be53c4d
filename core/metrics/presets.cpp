#include "metrics/presets.h"

#include <array>

namespace vigil {

namespace {
constexpr double kGiB = 1.0 / (1024.0 * 1024.0 * 1024.0);
constexpr double kMiB = 1.0 / (1024.0 * 1024.0);
} // namespace

const std::vector<PresetChart>& resourcePresets()
{
    using D = Derivation;
    using G = PresetGroup;
    static const std::vector<PresetChart> presets = {
        {"cpu_mode",
         "CPU by mode, idle left out (%)",
         "%",
         "node_exporter",
         G::Host,
         D::CpuModePercent,
         {{{"node_cpu_seconds_total"}, "", {"mode"}, 1.0}}},
        {"memory",
         "Memory used (GiB)",
         "GiB",
         "node_exporter",
         G::Host,
         D::UsedOfTotal,
         {{{"node_memory_MemTotal_bytes", "node_memory_MemAvailable_bytes"}, "", {}, kGiB}}},
        {"load",
         "Load average (1 min)",
         "",
         "node_exporter",
         G::Host,
         D::Gauge,
         {{{"node_load1"}, "", {}, 1.0}}},
        {"filesystem",
         "Filesystem used (%)",
         "%",
         "node_exporter",
         G::Host,
         D::UsedPercent,
         {{{"node_filesystem_avail_bytes", "node_filesystem_size_bytes"}, "", {"mountpoint"}, 1.0}}},
        {"disk",
         "Disk I/O (MiB/s)",
         "MiB/s",
         "node_exporter",
         G::Host,
         D::Rate,
         {{{"node_disk_read_bytes_total"}, "read", {"device"}, kMiB, false, {"loop", "ram", "zram"}},
          {{"node_disk_written_bytes_total"}, "write", {"device"}, kMiB, false, {"loop", "ram", "zram"}}}},
        {"network",
         "Network (MiB/s)",
         "MiB/s",
         "node_exporter",
         G::Host,
         D::Rate,
         {{{"node_network_receive_bytes_total"}, "rx", {"device"}, kMiB, false, {"lo"}},
          {{"node_network_transmit_bytes_total"}, "tx", {"device"}, kMiB, false, {"lo"}}}},
        {"process_cpu",
         "Process CPU (% of one core)",
         "%",
         "process",
         G::Host,
         D::Rate,
         {{{"process_cpu_seconds_total"}, "", {"comm", "pid"}, 100.0}}},
        {"process_rss",
         "Process memory, RSS (MiB)",
         "MiB",
         "process",
         G::Host,
         D::Gauge,
         {{{"process_resident_memory_bytes"}, "", {"comm", "pid"}, kMiB}}},
        {"gpu_util",
         "GPU utilization (%)",
         "%",
         "dcgm-exporter",
         G::Gpu,
         D::Gauge,
         {{{"DCGM_FI_DEV_GPU_UTIL"}, "", {"gpu"}, 1.0},
          // Triton reports a 0..1 ratio per GPU UUID.
          {{"nv_gpu_utilization"}, "", {"gpu_uuid"}, 100.0}},
         true},
        {"gpu_memory",
         "GPU memory used (%)",
         "%",
         "dcgm-exporter",
         G::Gpu,
         D::SharePercent,
         {{{"DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE"}, "", {"gpu"}, 1.0}}},
        {"gpu_power",
         "GPU power (W)",
         "W",
         "dcgm-exporter",
         G::Gpu,
         D::Gauge,
         {{{"DCGM_FI_DEV_POWER_USAGE"}, "", {"gpu"}, 1.0}, {{"nv_gpu_power_usage"}, "", {"gpu_uuid"}, 1.0}},
         true},
        {"gpu_temp",
         "GPU temperature (°C)",
         "°C",
         "dcgm-exporter",
         G::Gpu,
         D::Gauge,
         {{{"DCGM_FI_DEV_GPU_TEMP"}, "", {"gpu"}, 1.0}}},
        {"request_rate",
         "Request rate (req/s)",
         "req/s",
         "model server",
         G::Serving,
         D::RequestRate,
         {{{"nv_inference_request_success", "nv_inference_request_failure"}, "", {}, 1.0},
          {{"ts_inference_requests_total"}, "", {}, 1.0},
          {{"*_requests_total", "*_request_total"}, "", {}, 1.0}},
         true},
        {"error_rate",
         "Error rate (% of requests)",
         "%",
         "model server",
         G::Serving,
         D::ErrorPercent,
         {{{"nv_inference_request_success", "nv_inference_request_failure"}, "", {}, 1.0},
          {{"ts_inference_requests_total"}, "", {}, 1.0},
          {{"*_requests_total", "*_request_total"}, "", {}, 1.0}},
         true},
        {"latency",
         "Latency p50 / p95 / p99 (ms)",
         "ms",
         "model server",
         G::Serving,
         D::LatencyQuantile,
         {{{"*_request_duration_seconds_bucket", "*_request_latency_seconds_bucket",
            "request_predict_seconds_bucket"},
           "",
           {},
           1000.0},
          {{"nv_inference_request_duration_us", "nv_inference_request_success"}, "mean", {}, 0.001, true},
          {{"ts_inference_latency_microseconds", "ts_inference_requests_total"}, "mean", {}, 0.001, true}},
         true},
    };
    return presets;
}

bool isErrorLabel(std::string_view name, std::string_view value)
{
    static constexpr std::array<std::string_view, 5> codeLabels = {"code", "status", "status_code",
                                                                   "http_response_code", "response_code"};
    bool isStatus = false;
    for (const auto l : codeLabels)
        isStatus = isStatus || name == l;
    if (!isStatus)
        return false;
    if (value.size() == 3 && value[0] == '5')
        return true;
    return value == "error" || value == "failure" || value == "failed" || value == "fail" || value == "5xx";
}

bool matchesMetric(std::string_view pattern, std::string_view name)
{
    if (!pattern.empty() && pattern.front() == '*') {
        if (name.starts_with("promhttp_") || name.starts_with("prometheus_"))
            return false;
        const auto suffix = pattern.substr(1);
        return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
    }
    return pattern == name;
}

} // namespace vigil
