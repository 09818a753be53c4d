#pragma once
// Writes a widget as PNG (raster, at a device pixel ratio), SVG or PDF (vector),
// chosen by the file's extension. Used for charts and for whole-view snapshots.
#include <QImage>
#include <QString>

#include <optional>

class QWidget;

namespace vigil {

// Widgets with this property set to true are left out of exports.
inline constexpr char kHideInExport[] = "vigilHideInExport";

enum class ExportFormat
{
    Png,
    Svg,
    Pdf
};

std::optional<ExportFormat> exportFormatForPath(const QString& path);

// The widget as it would paint now, size() * devicePixelRatio pixels, on white.
QImage renderToImage(QWidget* widget, qreal devicePixelRatio);

// Errors (unknown extension, unwritable path) come back as false + a message.
bool exportWidget(QWidget* widget, const QString& path, qreal pngDevicePixelRatio, QString* error,
                  const QString& title = {});

} // namespace vigil
