#include "charts/chart_export.h"

#include <QBuffer>
#include <QFileInfo>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

namespace vigil {

namespace {

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

QByteArray renderSvg(QWidget* widget, const QString& title)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(widget->size());
    generator.setViewBox(QRect(QPoint(0, 0), widget->size()));
    generator.setTitle(title);
    generator.setDescription(QStringLiteral("Vigil chart export"));
    QPainter painter(&generator);
    widget->render(&painter);
    painter.end();
    return buffer.data();
}

QByteArray renderPdf(QWidget* widget, const QString& title)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        // One device unit per widget pixel keeps the drawing in vector form at its on-screen
        // proportions; the page is exactly the widget (96 px = 72 pt).
        writer.setResolution(96);
        writer.setPageSize(QPageSize(QSizeF(widget->size()) * 72.0 / 96.0, QPageSize::Point));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("Vigil"));
        QPainter painter(&writer);
        widget->render(&painter);
        painter.end();
    }
    return buffer.data();
}

// On-screen controls (a chart's export button) are not part of the picture.
class HiddenControls
{
  public:
    explicit HiddenControls(QWidget* root)
    {
        for (QWidget* w : root->findChildren<QWidget*>())
            if (w->property(kHideInExport).toBool() && !w->isHidden()) {
                w->hide();
                m_hidden.append(w);
            }
    }
    ~HiddenControls()
    {
        for (QWidget* w : m_hidden)
            w->show();
    }
    HiddenControls(const HiddenControls&) = delete;
    HiddenControls& operator=(const HiddenControls&) = delete;

  private:
    QList<QWidget*> m_hidden;
};

} // namespace

std::optional<ExportFormat> exportFormatForPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return ExportFormat::Png;
    if (suffix == QLatin1String("svg"))
        return ExportFormat::Svg;
    if (suffix == QLatin1String("pdf"))
        return ExportFormat::Pdf;
    return std::nullopt;
}

QImage renderToImage(QWidget* widget, qreal devicePixelRatio)
{
    const HiddenControls hidden(widget);
    QImage image(widget->size() * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(Qt::white);
    widget->render(&image);
    return image;
}

bool exportWidget(QWidget* widget, const QString& path, qreal pngDevicePixelRatio, QString* error,
                  const QString& title)
{
    const auto format = exportFormatForPath(path);
    if (!format)
        return fail(error,
                    QStringLiteral("Unknown export format for \"%1\": use .png, .svg or .pdf").arg(path));
    if (widget->size().isEmpty())
        return fail(error, QStringLiteral("Nothing to export: the chart has no size"));

    QByteArray bytes;
    const HiddenControls hidden(widget);
    switch (*format) {
    case ExportFormat::Png: {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (!renderToImage(widget, pngDevicePixelRatio).save(&buffer, "PNG"))
            return fail(error, QStringLiteral("Could not encode PNG"));
        break;
    }
    case ExportFormat::Svg:
        bytes = renderSvg(widget, title);
        break;
    case ExportFormat::Pdf:
        bytes = renderPdf(widget, title);
        break;
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(error, QStringLiteral("Cannot write \"%1\": %2").arg(path, file.errorString()));
    file.write(bytes);
    if (!file.commit())
        return fail(error, QStringLiteral("Cannot write \"%1\": %2").arg(path, file.errorString()));
    return true;
}

} // namespace vigil
