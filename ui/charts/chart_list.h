#pragma once
// Lookups over a view's charts by id: what `vigil snapshot --chart` and the tests use.
#include <QString>
#include <QStringList>

#include <vector>

namespace vigil {

class TimeSeriesChart;

QStringList chartIdsOf(const std::vector<TimeSeriesChart*>& charts);
// nullptr when no chart has that id.
TimeSeriesChart* findChart(const std::vector<TimeSeriesChart*>& charts, const QString& id);

} // namespace vigil
