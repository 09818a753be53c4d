#include "models/endpoint_health_model.h"

#include "charts/palette.h"
#include "format.h"

#include <QBrush>

#include <algorithm>

namespace vigil {

EndpointHealthModel::EndpointHealthModel(QObject* parent) : QAbstractTableModel(parent) {}

void EndpointHealthModel::setEndpoints(std::vector<EndpointHealth> endpoints)
{
    const bool sameRows =
        endpoints.size() == m_endpoints.size() &&
        std::equal(endpoints.begin(), endpoints.end(), m_endpoints.begin(),
                   [](const EndpointHealth& a, const EndpointHealth& b) { return a.url == b.url; });
    if (!sameRows) {
        beginResetModel();
        m_endpoints = std::move(endpoints);
        endResetModel();
        return;
    }
    m_endpoints = std::move(endpoints);
    if (!m_endpoints.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int EndpointHealthModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_endpoints.size());
}

int EndpointHealthModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EndpointHealthModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EndpointHealth& e = m_endpoints[static_cast<std::size_t>(index.row())];
    const bool never = e.scrapes == 0;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Url:
            return QString::fromStdString(e.url);
        case Up:
            return never ? tr("waiting") : e.up ? tr("up") : tr("DOWN");
        case LastError:
            return QString::fromStdString(e.lastError);
        case Duration:
            return never ? QString() : QStringLiteral("%1 ms").arg(e.lastDurationSeconds * 1000.0, 0, 'f', 1);
        case Failures:
            return QStringLiteral("%1 of %2").arg(e.failures).arg(e.scrapes);
        case LastScrape:
            return e.lastScrapeMs > 0 ? formatUtc(e.lastScrapeMs) : QString();
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Up && !never)
        return QBrush(e.up ? QColor(0x00, 0x7A, 0x4D) : palette::alarm());
    if (role == Qt::ToolTipRole && index.column() == LastError && !e.lastError.empty())
        return QString::fromStdString(e.lastError);
    if (role == Qt::UserRole && index.column() == Up)
        return e.up;
    return {};
}

QVariant EndpointHealthModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Url:
        return tr("Endpoint");
    case Up:
        return tr("Up");
    case LastError:
        return tr("Last error");
    case Duration:
        return tr("Scrape took");
    case Failures:
        return tr("Failures");
    case LastScrape:
        return tr("Last scrape (UTC)");
    default:
        return {};
    }
}

} // namespace vigil
