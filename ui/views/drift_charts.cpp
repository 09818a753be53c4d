#include "views/drift_charts.h"

#include "format.h"
#include "views/drift_colors.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace vigil {

namespace {

QColor translucent(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

QString percent(double share)
{
    return QStringLiteral("%1 %").arg(share * 100.0, 0, 'f', share < 0.1 ? 1 : 0);
}

// "NaN 3 · +Inf 1 · null 2", empty when all values are finite.
QString oddValues(const SampleCounts& c)
{
    QStringList parts;
    if (c.nulls)
        parts << QStringLiteral("null %1").arg(formatCount(c.nulls));
    if (c.nan)
        parts << QStringLiteral("NaN %1").arg(formatCount(c.nan));
    if (c.posInf)
        parts << QStringLiteral("+Inf %1").arg(formatCount(c.posInf));
    if (c.negInf)
        parts << QStringLiteral("−Inf %1").arg(formatCount(c.negInf));
    return parts.join(QStringLiteral(" · "));
}

QString sideLabel(const QString& side, const SampleCounts& c)
{
    QString text = QStringLiteral("%1 (%2 rows").arg(side, formatCount(c.rows));
    const QString odd = oddValues(c);
    if (!odd.isEmpty())
        text += QStringLiteral("; ") + odd;
    return text + QLatin1Char(')');
}

} // namespace

DistributionChart::DistributionChart(Kind kind, QWidget* parent) : QWidget(parent), m_kind(kind)
{
    setMinimumSize(320, 200);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void DistributionChart::setDrilldown(std::shared_ptr<const FeatureDrilldown> drilldown)
{
    m_drilldown = std::move(drilldown);
    update();
}

void DistributionChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), Qt::white);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(Qt::black);
    const bool ecdf = m_kind == Kind::Ecdf;
    QString title =
        ecdf ? tr("ECDF: reference vs window (KS D marked)") : tr("Distribution: reference vs window");
    if (m_drilldown && m_drilldown->categorical)
        title = ecdf ? tr("ECDF: not defined for categories") : tr("Category shares: reference vs window");
    p.drawText(QRect(8, 4, width() - 16, 20), Qt::AlignLeft | Qt::AlignVCenter, title);
    p.setFont(font());
    if (!m_drilldown) {
        p.drawText(rect(), Qt::AlignCenter, tr("Click a cell of the heatmap"));
        return;
    }
    const QRect area = rect().adjusted(8, 26, -8, -6);
    if (m_drilldown->categories && !ecdf)
        paintCategories(p, area);
    else if (m_drilldown->numeric && !ecdf)
        paintHistogram(p, area);
    else if (m_drilldown->numeric && ecdf)
        paintEcdf(p, area);
}

void DistributionChart::paintLegend(QPainter& p, const QRect& area, const QString& ref, const QString& cur)
{
    const QFontMetrics fm(font());
    int y = area.top();
    for (const auto& [colour, text] :
         {std::pair(driftcolors::reference(), ref), std::pair(driftcolors::current(), cur)}) {
        p.fillRect(QRect(area.left(), y + 3, 12, 10), translucent(colour, 170));
        p.setPen(Qt::black);
        p.drawText(QRect(area.left() + 16, y, area.width() - 16, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(text, Qt::ElideRight, area.width() - 16));
        y += fm.height() + 1;
    }
}

void DistributionChart::paintHistogram(QPainter& p, const QRect& full)
{
    const NumericDistributions& d = *m_drilldown->numeric;
    const QFontMetrics fm(font());
    paintLegend(p, full, sideLabel(tr("reference"), d.ref), sideLabel(tr("window"), d.cur));
    const CommonHistogram& h = d.histogram;
    const QRect plot = full.adjusted(46, 2 * fm.height() + 8, -6, -fm.height() - 6);
    if (h.edges.size() < 2) {
        p.drawText(plot, Qt::AlignCenter, tr("No finite values on either side"));
        return;
    }
    double top = 0.0;
    for (std::size_t i = 0; i < h.refShares.size(); ++i)
        top = std::max({top, h.refShares[i], h.curShares[i]});
    top = top > 0.0 ? top * 1.1 : 1.0;
    const double x0 = h.edges.front();
    const double span = h.edges.back() - x0;
    const auto px = [&](double x) { return plot.left() + (x - x0) / span * plot.width(); };
    const auto py = [&](double share) { return plot.bottom() - share / top * plot.height(); };
    p.setPen(QColor(0xE0, 0xE0, 0xE0));
    for (int k = 0; k <= 4; ++k) {
        const double share = top / 1.1 * k / 4.0;
        p.drawLine(QPointF(plot.left(), py(share)), QPointF(plot.right(), py(share)));
        p.setPen(Qt::black);
        p.drawText(QRectF(full.left(), py(share) - 8, 42, 16), Qt::AlignRight | Qt::AlignVCenter,
                   percent(share));
        p.setPen(QColor(0xE0, 0xE0, 0xE0));
    }
    for (std::size_t i = 0; i + 1 < h.edges.size(); ++i) {
        const double l = px(h.edges[i]);
        const double r = px(h.edges[i + 1]);
        p.fillRect(QRectF(QPointF(l, py(h.refShares[i])), QPointF(r, plot.bottom())),
                   translucent(driftcolors::reference(), 110));
        p.fillRect(QRectF(QPointF(l, py(h.curShares[i])), QPointF(r, plot.bottom())),
                   translucent(driftcolors::current(), 110));
    }
    // The window's outline on top, so both shapes read where they overlap.
    QPainterPath outline;
    outline.moveTo(px(h.edges.front()), plot.bottom());
    for (std::size_t i = 0; i + 1 < h.edges.size(); ++i) {
        outline.lineTo(px(h.edges[i]), py(h.curShares[i]));
        outline.lineTo(px(h.edges[i + 1]), py(h.curShares[i]));
    }
    outline.lineTo(px(h.edges.back()), plot.bottom());
    p.setPen(QPen(driftcolors::current().darker(120), 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawPath(outline);
    p.setPen(Qt::black);
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    for (int k = 0; k <= 4; ++k) {
        const double x = x0 + span * k / 4.0;
        const QString label = formatValue(x);
        const int w = fm.horizontalAdvance(label);
        p.drawText(QPointF(std::clamp(px(x) - w / 2.0, double(full.left()), double(full.right() - w)),
                           plot.bottom() + fm.ascent() + 3),
                   label);
    }
}

void DistributionChart::paintEcdf(QPainter& p, const QRect& full)
{
    const NumericDistributions& d = *m_drilldown->numeric;
    const QFontMetrics fm(font());
    paintLegend(p, full, tr("reference ECDF"), tr("window ECDF"));
    const QRect plot = full.adjusted(46, 2 * fm.height() + 8, -6, -fm.height() - 6);
    if (d.refEcdf.empty() && d.curEcdf.empty()) {
        p.drawText(plot, Qt::AlignCenter, tr("No finite values on either side"));
        return;
    }
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const auto* pts : {&d.refEcdf, &d.curEcdf})
        if (!pts->empty()) {
            lo = std::min(lo, pts->front().x);
            hi = std::max(hi, pts->back().x);
        }
    if (!(hi > lo)) {
        lo -= 0.5;
        hi += 0.5;
    }
    const auto px = [&](double x) { return plot.left() + (x - lo) / (hi - lo) * plot.width(); };
    const auto py = [&](double f) { return plot.bottom() - f * plot.height(); };
    p.setPen(QColor(0xE0, 0xE0, 0xE0));
    for (int k = 0; k <= 4; ++k) {
        p.drawLine(QPointF(plot.left(), py(k / 4.0)), QPointF(plot.right(), py(k / 4.0)));
        p.setPen(Qt::black);
        p.drawText(QRectF(full.left(), py(k / 4.0) - 8, 42, 16), Qt::AlignRight | Qt::AlignVCenter,
                   formatValue(k / 4.0));
        p.setPen(QColor(0xE0, 0xE0, 0xE0));
    }
    for (const auto& [pts, colour] :
         {std::pair(&d.refEcdf, driftcolors::reference()), std::pair(&d.curEcdf, driftcolors::current())}) {
        if (pts->empty())
            continue;
        QPainterPath path;
        path.moveTo(plot.left(), py(0.0));
        double prev = 0.0;
        for (const EcdfPoint& e : *pts) {
            path.lineTo(px(e.x), py(prev));
            path.lineTo(px(e.x), py(e.f));
            prev = e.f;
        }
        path.lineTo(plot.right(), py(prev));
        p.setPen(QPen(colour, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    }
    if (d.ks && std::isfinite(d.ks->x)) {
        const double x = px(d.ks->x);
        p.setPen(QPen(Qt::black, 2.0, Qt::DashLine));
        p.drawLine(QPointF(x, py(d.ks->refF)), QPointF(x, py(d.ks->curF)));
        const QString label = tr("D = %1 at %2").arg(formatValue(d.ks->d), formatValue(d.ks->x));
        const int w = fm.horizontalAdvance(label);
        p.setPen(Qt::black);
        p.drawText(QPointF(std::clamp(x + 6, double(plot.left()), double(plot.right() - w)),
                           (py(d.ks->refF) + py(d.ks->curF)) / 2.0),
                   label);
    }
    p.setPen(Qt::black);
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    for (int k = 0; k <= 4; ++k) {
        const double x = lo + (hi - lo) * k / 4.0;
        const QString label = formatValue(x);
        const int w = fm.horizontalAdvance(label);
        p.drawText(QPointF(std::clamp(px(x) - w / 2.0, double(full.left()), double(full.right() - w)),
                           plot.bottom() + fm.ascent() + 3),
                   label);
    }
}

void DistributionChart::paintCategories(QPainter& p, const QRect& full)
{
    const CategoricalDistributions& c = *m_drilldown->categories;
    const QFontMetrics fm(font());
    QString curLabel = sideLabel(tr("window"), c.cur);
    if (c.unseenCategories)
        curLabel += tr(" · %1 new categories").arg(c.unseenCategories);
    paintLegend(p, full, sideLabel(tr("reference"), c.ref), curLabel);
    const QRect plot = full.adjusted(0, 2 * fm.height() + 8, 0, 0);
    if (c.shares.empty()) {
        p.drawText(plot, Qt::AlignCenter, tr("No values on either side"));
        return;
    }
    int labelW = 40;
    for (const CategoryShare& s : c.shares)
        labelW =
            std::max(labelW, fm.horizontalAdvance(QString::fromStdString(s.name) + QStringLiteral(" (new)")));
    labelW = std::min(labelW + 8, plot.width() / 3);
    const double rowH =
        std::max(6.0, static_cast<double>(plot.height()) / static_cast<double>(c.shares.size()));
    double top = 0.0;
    for (const CategoryShare& s : c.shares)
        top = std::max({top, s.refShare, s.curShare});
    top = top > 0.0 ? top : 1.0;
    const double barsW = plot.width() - labelW - fm.horizontalAdvance(QStringLiteral("100 %")) - 8;
    for (std::size_t i = 0; i < c.shares.size(); ++i) {
        const CategoryShare& s = c.shares[i];
        const double y = plot.top() + static_cast<double>(i) * rowH;
        QString name = QString::fromStdString(s.name);
        if (s.unseen && !s.other)
            name += tr(" (new)");
        p.setPen(s.unseen ? QColor(0xB0, 0x00, 0x00) : QColor(Qt::black));
        p.drawText(QRectF(plot.left(), y, labelW - 6, rowH), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(name, Qt::ElideMiddle, labelW - 6));
        const double barH = std::max(2.0, (rowH - 4) / 2.0);
        const double x = plot.left() + labelW;
        p.fillRect(QRectF(x, y + 2, s.refShare / top * barsW, barH),
                   translucent(driftcolors::reference(), 200));
        p.fillRect(QRectF(x, y + 2 + barH, s.curShare / top * barsW, barH),
                   translucent(driftcolors::current(), 200));
        if (rowH >= 2 * fm.height() - 2) {
            p.setPen(Qt::black);
            p.drawText(QPointF(x + s.refShare / top * barsW + 4, y + 2 + barH - 2), percent(s.refShare));
            p.drawText(QPointF(x + s.curShare / top * barsW + 4, y + 2 + 2 * barH - 2), percent(s.curShare));
        }
    }
}

HeatmapLegend::HeatmapLegend(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(300, 34);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void HeatmapLegend::setScale(DriftStatistic statistic, HeatmapScale scale)
{
    m_statistic = statistic;
    m_scale = scale;
    update();
}

QString HeatmapLegend::text() const
{
    return tr("%1: 0 … %2%3 · hatched = no value · ● = drifted")
        .arg(QString::fromUtf8(driftStatisticLabel(m_statistic).data()), formatValue(m_scale.upper),
             m_scale.dataDriven ? tr(" (99th percentile, above is clipped)") : tr(" and above"));
}

void HeatmapLegend::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(font());
    int x = 4;
    const int y = 4;
    const int h = 12;
    const QString name = QString::fromUtf8(driftStatisticLabel(m_statistic).data());
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QPoint(x, y + h), name);
    x += fm.horizontalAdvance(name) + 8;
    const int barW = 180;
    QLinearGradient g(x, 0, x + barW, 0);
    for (int k = 0; k <= 10; ++k)
        g.setColorAt(k / 10.0, QColor::fromRgb(driftcolors::scale(k / 10.0)));
    p.fillRect(QRect(x, y + 2, barW, h), g);
    p.setPen(QColor(0x88, 0x88, 0x88));
    p.drawRect(QRect(x, y + 2, barW, h));
    p.setPen(palette().color(QPalette::Text));
    for (int k = 0; k <= 2; ++k) {
        const double v = m_scale.upper * k / 2.0;
        QString label = formatValue(v);
        if (k == 2)
            label = (m_scale.dataDriven ? QStringLiteral("≥") : QStringLiteral("≥ ")) + label;
        const int w = fm.horizontalAdvance(label);
        p.drawText(QPoint(std::clamp(x + barW * k / 2 - w / 2, 0, width() - w), y + h + fm.ascent() + 4),
                   label);
    }
    x += barW + 24;
    p.fillRect(QRect(x, y + 2, 14, h), driftcolors::nullBackground());
    p.fillRect(QRect(x, y + 2, 14, h), QBrush(driftcolors::nullHatch(), Qt::BDiagPattern));
    p.drawText(QPoint(x + 18, y + h), tr("no value"));
    x += 18 + fm.horizontalAdvance(tr("no value")) + 16;
    p.fillRect(QRect(x, y + 2, 14, h), QColor::fromRgb(driftcolors::scale(0.7)));
    p.setPen(QPen(driftcolors::driftedMark(), 1.5));
    p.drawRect(QRect(x, y + 2, 14, h));
    p.setBrush(driftcolors::driftedMark());
    p.drawEllipse(QPointF(x + 7, y + 2 + h / 2.0), 2.5, 2.5);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QPoint(x + 18, y + h), tr("drifted"));
}

} // namespace vigil
