#pragma once
// The metric browser's list: every series the sources delivered, as name{labels} @instance.
// A live update with the same series only refreshes the values (one dataChanged), so
// the user's selection and scroll position stay put while samples arrive.
#include "metrics/resource_charts.h"

#include <QAbstractListModel>

#include <vector>

namespace vigil {

class MetricCatalogModel : public QAbstractListModel
{
    Q_OBJECT
  public:
    static constexpr int KeyRole = Qt::UserRole + 1;

    explicit MetricCatalogModel(QObject* parent = nullptr);

    void setCatalog(std::vector<CatalogEntry> entries);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

  private:
    std::vector<CatalogEntry> m_entries;
};

} // namespace vigil
