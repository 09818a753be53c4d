// Draw cost of a Prometheus query_range answer in the Resources view:
//   bench_resources_draw [series=1000] [points=11000] [maxLines=10]
// Stages: generate frames, derive + rank + decimate on the worker side (core), then on
// the GUI side setData() and the first full paint (grab), each timed separately.
#include "charts/time_series_chart.h"
#include "metrics/resource_charts.h"
#include "views/resources_view.h"

#include <QApplication>
#include <QElapsedTimer>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace vigil;

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int series = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int points = argc > 2 ? std::atoi(argv[2]) : 11000;
    const std::size_t maxLines = argc > 3 ? static_cast<std::size_t>(std::atoi(argv[3])) : 10;

    TimeSeriesChart::warmUpCaches();
    ResourcesView view;
    view.resize(1400, 900);
    view.show();
    QCoreApplication::processEvents();

    QElapsedTimer t;
    t.start();
    auto frames = std::make_shared<ResourceFrames>();
    frames->series.resize(static_cast<std::size_t>(series));
    for (int s = 0; s < series; ++s) {
        FrameSeries& f = frames->series[static_cast<std::size_t>(s)];
        f.name = "gpu_latency_seconds";
        f.instance = "pod-" + std::to_string(s);
        f.points.resize(static_cast<std::size_t>(points));
        for (int i = 0; i < points; ++i)
            f.points[static_cast<std::size_t>(i)] = {1'700'000'000'000 + i * 15'000LL,
                                                     qEnvironmentVariableIsSet("SMOOTH")
                                                         ? s * 0.001 + std::sin(i * 1e-3)
                                                         : s * 0.001 + ((i * 7919 + s) % 1000) * 1e-4};
    }
    const qint64 generateMs = t.restart();
    ResourceViewOptions options;
    options.widthPx = view.chartWidthPx();
    options.maxQueryLines = maxLines;
    options.query = frames;
    auto result = buildResourceView({}, options);
    if (!result) {
        std::fprintf(stderr, "%s\n", result.error().message.c_str());
        return 1;
    }
    const qint64 deriveMs = t.restart();
    auto data = std::make_shared<const ResourceViewData>(std::move(result).value());
    view.setData(data);
    const qint64 setDataMs = t.restart();
    QCoreApplication::processEvents();
    const qint64 layoutMs = t.restart();
    (void)view.grab();
    const qint64 paintMs = t.restart();
    view.setData(data);
    QCoreApplication::processEvents();
    (void)view.grab();
    const qint64 againMs = t.restart();
    std::printf(
        "%d series x %d points, %zu lines drawn at %d px: generate %lld ms, derive+decimate %lld ms "
        "(worker); setData %lld ms, layout %lld ms, first paint %lld ms, update+paint %lld ms (GUI)\n",
        series, points, maxLines, options.widthPx, static_cast<long long>(generateMs),
        static_cast<long long>(deriveMs), static_cast<long long>(setDataMs), static_cast<long long>(layoutMs),
        static_cast<long long>(paintMs), static_cast<long long>(againMs));
    return 0;
}
