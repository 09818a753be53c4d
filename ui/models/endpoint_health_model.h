#pragma once
// One row per scraped metrics endpoint: up, last error, last scrape duration, failures.
// Live updates with the same endpoints change cells in one dataChanged, so the table's
// selection and scroll position survive; a different endpoint list resets the model.
#include "metrics/resource_frames.h"

#include <QAbstractTableModel>

#include <vector>

namespace vigil {

class EndpointHealthModel : public QAbstractTableModel
{
    Q_OBJECT
  public:
    enum Column
    {
        Url,
        Up,
        LastError,
        Duration,
        Failures,
        LastScrape,
        ColumnCount
    };

    explicit EndpointHealthModel(QObject* parent = nullptr);

    void setEndpoints(std::vector<EndpointHealth> endpoints);
    const std::vector<EndpointHealth>& endpoints() const { return m_endpoints; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    std::vector<EndpointHealth> m_endpoints;
};

} // namespace vigil
