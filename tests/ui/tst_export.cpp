// Chart and view export: PNG (magic bytes, loads, requested size), SVG (valid for
// QSvgRenderer), PDF (%PDF- ... %%EOF), clipboard, and errors for bad paths.
#include "charts/time_series_chart.h"
#include "snapshot_fixture.h"
#include "snapshot_renderer.h"
#include "views/operations_view.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QImage>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

using namespace vigil;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// Checks the file at path is a well-formed file of its extension; PNG must be `pixels` big.
void verifyFile(const QString& path, QSize pixels)
{
    const QByteArray bytes = readAll(path);
    QVERIFY2(!bytes.isEmpty(), qPrintable(path));
    if (path.endsWith(QLatin1String(".png"))) {
        QVERIFY(bytes.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)));
        QImage image;
        QVERIFY(image.loadFromData(bytes, "PNG"));
        QCOMPARE(image.size(), pixels);
        // Not a blank page: a chart has dark ink (lines, text) somewhere.
        int dark = 0;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                dark += qGray(image.pixel(x, y)) < 100 ? 1 : 0;
        QVERIFY2(dark > 50, qPrintable(QString::number(dark)));
    } else if (path.endsWith(QLatin1String(".svg"))) {
        QSvgRenderer renderer(bytes);
        QVERIFY(renderer.isValid());
        QVERIFY(bytes.contains("<svg"));
    } else if (path.endsWith(QLatin1String(".pdf"))) {
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
    }
}

void showOffscreen(QWidget& widget)
{
    widget.setAttribute(Qt::WA_DontShowOnScreen);
    widget.show();
    QCoreApplication::processEvents();
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT
  private slots:
    void chartExport_data();
    void chartExport();
    void chartExportErrors_data();
    void chartExportErrors();
    void clipboard();
    void viewSnapshot_data();
    void viewSnapshot();
    void snapshotErrors();
    void viewKindNames();
};

void TestExport::chartExport_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::newRow("png") << "png";
    QTest::newRow("svg") << "svg";
    QTest::newRow("pdf") << "pdf";
}

void TestExport::chartExport()
{
    QFETCH(QString, suffix);
    OperationsView view;
    view.resize(1000, 700);
    view.setResult(test::makeFixtureResult(3));
    showOffscreen(view);
    TimeSeriesChart* chart = view.chart(QStringLiteral("latency"));
    // Laid out by the view's grid: two columns in 1000 px.
    const QSize expected = chart->canvas()->size() * 2;
    QVERIFY2(expected.width() > 700 && expected.width() < 1000,
             qPrintable(QString::number(expected.width())));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("latency.") + suffix);
    QString error;
    QVERIFY2(chart->exportTo(path, &error), qPrintable(error));
    // PNG is rendered at device pixel ratio 2.
    verifyFile(path, expected);
}

void TestExport::chartExportErrors_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown extension") << "chart.bmp"
                                       << "Unknown export format";
    QTest::newRow("no extension") << "chart"
                                  << "Unknown export format";
    QTest::newRow("unwritable directory") << "/nonexistent-vigil-dir/chart.png"
                                          << "Cannot write";
}

void TestExport::chartExportErrors()
{
    QFETCH(QString, path);
    QFETCH(QString, expected);
    TimeSeriesChart chart(QStringLiteral("c"), QStringLiteral("Chart"));
    chart.resize(400, 300);
    QString error;
    QVERIFY(!chart.exportTo(path, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void TestExport::clipboard()
{
    OperationsView view;
    view.resize(900, 600);
    view.setResult(test::makeFixtureResult(2));
    showOffscreen(view);
    TimeSeriesChart* chart = view.chart(QStringLiteral("throughput"));
    const QSize expected = chart->canvas()->size() * 2;
    QApplication::clipboard()->clear();
    chart->copyToClipboard();
    const QImage image = QApplication::clipboard()->image();
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), expected);
}

void TestExport::viewSnapshot_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QString>("suffix");
    for (const char* view : {"performance", "operations", "kpi"})
        for (const char* suffix : {"png", "svg", "pdf"})
            QTest::addRow("%s.%s", view, suffix) << QString::fromLatin1(view) << QString::fromLatin1(suffix);
}

void TestExport::viewSnapshot()
{
    QFETCH(QString, view);
    QFETCH(QString, suffix);
    const auto kind = viewKindFromName(view);
    QVERIFY(kind);
    QTemporaryDir dir;
    const QString path = dir.filePath(view + QLatin1Char('.') + suffix);
    const QSize size(1280, 900);
    QString error;
    QVERIFY2(renderViewSnapshot(test::makeFixtureResult(3), *kind, path, size, &error), qPrintable(error));
    verifyFile(path, size);
}

void TestExport::snapshotErrors()
{
    QString error;
    QVERIFY(!renderViewSnapshot(test::makeFixtureResult(1), ViewKind::Kpi, QStringLiteral("/tmp/x.gif"),
                                QSize(800, 600), &error));
    QVERIFY(error.contains(QStringLiteral("Unknown")));
    QVERIFY(!renderViewSnapshot(test::makeFixtureResult(1), ViewKind::Kpi,
                                QStringLiteral("/nonexistent-vigil-dir/x.png"), QSize(800, 600), &error));
    QVERIFY(error.contains(QStringLiteral("Cannot write")));
    QVERIFY(!renderViewSnapshot(test::makeFixtureResult(1), ViewKind::Kpi, QStringLiteral("/tmp/x.png"),
                                QSize(), &error));
}

void TestExport::viewKindNames()
{
    QCOMPARE(viewKindFromName(u"performance"), std::optional(ViewKind::Performance));
    QCOMPARE(viewKindFromName(u"operations"), std::optional(ViewKind::Operations));
    QCOMPARE(viewKindFromName(u"kpi"), std::optional(ViewKind::Kpi));
    QCOMPARE(viewKindFromName(u"drift"), std::optional(ViewKind::Drift));
    QCOMPARE(viewKindFromName(u"heatmap"), std::nullopt);
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
