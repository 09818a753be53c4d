#include "models/metric_catalog_model.h"

#include <algorithm>

namespace vigil {

MetricCatalogModel::MetricCatalogModel(QObject* parent) : QAbstractListModel(parent) {}

void MetricCatalogModel::setCatalog(std::vector<CatalogEntry> entries)
{
    const bool sameRows =
        entries.size() == m_entries.size() &&
        std::equal(entries.begin(), entries.end(), m_entries.begin(),
                   [](const CatalogEntry& a, const CatalogEntry& b) { return a.key == b.key; });
    if (!sameRows) {
        beginResetModel();
        m_entries = std::move(entries);
        endResetModel();
        return;
    }
    m_entries = std::move(entries);
    if (!m_entries.empty())
        emit dataChanged(index(0), index(rowCount() - 1), {Qt::ToolTipRole});
}

int MetricCatalogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

QVariant MetricCatalogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CatalogEntry& e = m_entries[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case KeyRole:
        return QString::fromStdString(e.key);
    case Qt::ToolTipRole: {
        const char* kind = e.kind == FrameKind::Counter  ? "counter (charted as a rate)"
                           : e.kind == FrameKind::Bucket ? "histogram bucket (charted as a rate)"
                                                         : "gauge";
        return tr("%1\n%2 points, last value %3")
            .arg(QString::fromLatin1(kind))
            .arg(e.points)
            .arg(e.last, 0, 'g', 6);
    }
    default:
        return {};
    }
}

} // namespace vigil
