#pragma once
// Colours of the drift views. The heatmap uses a sequential light-to-dark scale (ColorBrewer
// YlOrRd: order survives greyscale and the common colour-vision deficiencies); "no value" is
// a grey hatch, never the colour of 0; drifted cells carry a black mark on top.
#include <QColor>
#include <QRgb>

#include <algorithm>
#include <array>
#include <cmath>

namespace vigil::driftcolors {

// t in [0, 1].
inline QRgb scale(double t)
{
    static constexpr std::array<QRgb, 6> stops = {0xFFFFFFCC, 0xFFFED976, 0xFFFEB24C,
                                                  0xFFFD8D3C, 0xFFE31A1C, 0xFF800026};
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (stops.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(t), stops.size() - 2);
    const double f = t - static_cast<double>(i);
    const auto mix = [f](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
    const QRgb a = stops[i];
    const QRgb b = stops[i + 1];
    return qRgb(mix(qRed(a), qRed(b)), mix(qGreen(a), qGreen(b)), mix(qBlue(a), qBlue(b)));
}

inline QColor nullBackground()
{
    return QColor(0xE4, 0xE4, 0xE4);
}
inline QColor nullHatch()
{
    return QColor(0xA8, 0xA8, 0xA8);
}
inline QColor driftedMark()
{
    return QColor(0x10, 0x10, 0x10);
}
inline QColor reference()
{
    return QColor(0x00, 0x72, 0xB2); // Okabe-Ito blue
}
inline QColor current()
{
    return QColor(0xD5, 0x5E, 0x00); // Okabe-Ito vermillion
}
inline QColor selection()
{
    return QColor(0x00, 0x9E, 0xDF);
}

} // namespace vigil::driftcolors
