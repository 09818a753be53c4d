#pragma once
// Bad lines of the loaded log (file, line, error), plus a closing summary row when
// more lines were malformed than were listed.
#include "ingest/load.h"

#include <QAbstractTableModel>

#include <memory>

namespace vigil {

class ProblemsModel : public QAbstractTableModel
{
    Q_OBJECT
  public:
    enum Column
    {
        File,
        Line,
        Error,
        ColumnCount
    };

    explicit ProblemsModel(QObject* parent = nullptr);

    void setLog(std::shared_ptr<const LoadedLog> log);
    // A newer log of the same follow session whose problem rows are the ones shown
    // (same count, appended only): held instead of the old one, without a model reset.
    void keepRows(std::shared_ptr<const LoadedLog> log);
    std::uint64_t unlistedCount() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    std::shared_ptr<const LoadedLog> m_log;
};

} // namespace vigil
