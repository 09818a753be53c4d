// Paint time of the drift heatmap: N features x M windows (default 2,000 x 500), painted
// into an offscreen image at 1600x900 in its usual states. Also the model and image build.
//   QT_QPA_PLATFORM=offscreen build/release/bench/ui_bench_heatmap [features] [windows] [repeats]
#include "views/drift_heatmap.h"

#include <QApplication>
#include <QEventLoop>
#include <QImage>
#include <QPainter>
#include <QScrollBar>

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <vector>

using namespace vigil;

namespace {

std::shared_ptr<const AnalysisResult> synthetic(std::size_t features, std::size_t windows)
{
    auto result = std::make_shared<AnalysisResult>();
    constexpr std::int64_t kHour = 3'600'000;
    result->snapshot.windowMs = kHour;
    DriftSnapshot drift;
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t w = 0; w < windows; ++w) {
        WindowStats ws;
        ws.startMs = 1'767'225'600'000LL + static_cast<std::int64_t>(w) * kHour;
        ws.endMs = ws.startMs + kHour;
        ws.rows = 1000;
        result->snapshot.windows.push_back(ws);
        WindowDrift wd;
        wd.startMs = ws.startMs;
        wd.features.resize(features);
        for (std::size_t f = 0; f < features; ++f) {
            FeatureDrift& fd = wd.features[f];
            fd.name = "feature_" + std::to_string(f);
            fd.categorical = f % 5 == 0;
            const double v = u(rng) * (f % 17 == 0 && w > windows / 2 ? 1.0 : 0.15);
            if (!fd.categorical) {
                fd.ksD = v;
                fd.wasserstein = v * 3;
            } else {
                fd.chi2 = v * 100;
            }
            fd.js = v;
            fd.psi = v * 2;
            fd.hellinger = v / 2;
            fd.missingShare = 0.0;
            fd.drifted = v > 0.4;
        }
        drift.windows.push_back(std::move(wd));
    }
    result->snapshot.drift = std::move(drift);
    return result;
}

template <typename F> double medianMs(int repeats, F&& f)
{
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const std::size_t features = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2000;
    const std::size_t windows = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 500;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 30;
    const auto result = synthetic(features, windows);

    DriftHeatmap heatmap;
    heatmap.setAttribute(Qt::WA_DontShowOnScreen);
    heatmap.resize(1600, 900);
    heatmap.show();
    QCoreApplication::processEvents();
    // UI-thread time of setResult / setStatistic, and the time until the model (built on a
    // worker above DriftHeatmap::kSyncCells cells) is shown.
    const auto waitForModel = [&] {
        while (heatmap.isBuilding())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    };
    double uiThread = 0.0;
    const double build = medianMs(std::max(3, repeats / 5), [&] {
        uiThread = medianMs(1, [&] { heatmap.setResult(result, DriftStatistic::KsD); });
        waitForModel();
    });
    double uiSwitch = 0.0;
    const double statistic =
        medianMs(std::max(3, repeats / 5),
                 [&] {
                     uiSwitch = medianMs(1, [&] { heatmap.setStatistic(DriftStatistic::JensenShannon); });
                     waitForModel();
                     heatmap.setStatistic(DriftStatistic::KsD);
                     waitForModel();
                 }) /
        2.0;
    // What stays on the UI thread when a model arrives: display rows and the cell image
    // (folding a group does exactly that).
    const double image =
        medianMs(std::max(3, repeats / 5), [&] { heatmap.setGroupCollapsed(FeatureGroup::Output, false); });
    QImage target(heatmap.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    const auto paint = [&] {
        QPainter p(&target);
        heatmap.viewport()->render(&p);
    };
    fmt::print("{} features x {} windows, viewport {}x{}, median of {} paints\n", features, windows,
               heatmap.viewport()->width(), heatmap.viewport()->height(), repeats);
    fmt::print("  setResult until shown (model + image)    {:8.2f} ms  (UI thread: {:.2f} ms)\n", build,
               uiThread);
    fmt::print("  switch statistic until shown             {:8.2f} ms  (UI thread: {:.2f} ms)\n", statistic,
               uiSwitch);
    fmt::print("  rows + cell image (UI thread, on arrival) {:7.2f} ms\n", image);
    struct Case
    {
        const char* name;
        double w;
        int h;
    };
    for (const Case c :
         {Case{"fit width, 16 px rows (default)", 0.0, 16}, Case{"fit width, 1 px rows (all rows)", 0.0, 1},
          Case{"zoomed in, 12x16 px cells (outlines)", 12.0, 16},
          Case{"zoomed in, 40x30 px cells", 40.0, 30}}) {
        heatmap.setCellSize(c.w, c.h);
        QCoreApplication::processEvents();
        fmt::print("  paint: {:<38} {:8.2f} ms\n", c.name, medianMs(repeats, paint));
    }
    heatmap.setCellSize(12.0, 16);
    int step = 0;
    const double scroll = medianMs(repeats, [&] {
        heatmap.verticalScrollBar()->setValue((step++ * 97) %
                                              std::max(1, heatmap.verticalScrollBar()->maximum()));
        paint();
    });
    fmt::print("  scroll + paint, 12x16 px cells           {:8.2f} ms\n", scroll);
    return 0;
}
