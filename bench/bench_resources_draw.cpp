// Draw cost of a Prometheus query_range answer in the Resources view:
//   bench_resources_draw [series=1000] [points=11000] [maxLines=10]
// Stages: generate frames, derive + rank + decimate on the worker side (core), then on
// the GUI side: setData(), the longest event-loop stall until every chart is filled
// and painted (StallProbe), and one full repaint (grab).
#include "charts/time_series_chart.h"
#include "metrics/resource_charts.h"
#include "stall_probe.h"
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
    // GUI side, as the event loop sees it: the longest turn while the view takes the
    // data and fills, lays out and paints its charts (a few per turn), then a repaint.
    StallProbe probe;
    probe.start();
    QElapsedTimer gui;
    gui.start();
    view.setData(data);
    const qint64 setDataMs = gui.elapsed();
    while (!view.isSettled())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    const qint64 settledMs = gui.elapsed();
    QElapsedTimer idle;
    idle.start();
    while (idle.elapsed() < 300)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    probe.stop();
    t.restart();
    (void)view.grab();
    const qint64 paintMs = t.elapsed();
    std::printf(
        "%d series x %d points, %zu lines drawn at %d px: generate %lld ms, derive+rank+decimate %lld ms "
        "(worker); GUI: setData %lld ms, all charts filled after %lld ms, longest event-loop stall %lld ms "
        "(%lld ms of it GUI-thread CPU), full repaint %lld ms\n",
        series, points, maxLines, options.widthPx, static_cast<long long>(generateMs),
        static_cast<long long>(deriveMs), static_cast<long long>(setDataMs),
        static_cast<long long>(settledMs), static_cast<long long>(probe.longestStallMs()),
        static_cast<long long>(probe.longestBusyMs()), static_cast<long long>(paintMs));
    return 0;
}
