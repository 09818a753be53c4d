#pragma once
// Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
// The aggregate "all" series is near-black so versions stand out against it.
#include <QColor>

#include <array>

namespace vigil::palette {

inline QColor aggregate()
{
    return QColor(0x22, 0x22, 0x22);
}

inline QColor version(int index)
{
    static const std::array<QColor, 7> colours = {QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00),
                                                  QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7),
                                                  QColor(0xD5, 0x5E, 0x00), QColor(0x56, 0xB4, 0xE9),
                                                  QColor(0xB8, 0xA9, 0x00)};
    return colours[static_cast<std::size_t>(index) % colours.size()];
}

inline QColor alarm()
{
    return QColor(0xD5, 0x1A, 0x1A);
}

} // namespace vigil::palette
