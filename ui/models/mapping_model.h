#pragma once
// The inferred schema as a table: each field with its type, role, null count, an
// example and why it got its role. Editable (the Role column) in the mapping dialog.
#include "config/config.h"
#include "ingest/schema.h"

#include <QAbstractTableModel>

#include <vector>

namespace vigil {

QString fieldRoleLabel(FieldRole role);
QString valueTypeLabel(ValueType type);
inline constexpr int kFieldRoleCount = static_cast<int>(FieldRole::Kpi) + 1;

// The overrides that make loadLogs() use exactly these roles. Single-valued roles not
// given to any field are set to "" (explicitly none), so a role the user removed is not
// inferred again; when two fields claim one, the first wins.
MappingOverrides overridesFromFields(const std::vector<FieldInfo>& fields, TimestampUnit unit,
                                     PredictionKind kind);

class MappingModel : public QAbstractTableModel
{
    Q_OBJECT
  public:
    enum Column
    {
        Path,
        Type,
        Role,
        Nulls,
        Example,
        Reason,
        ColumnCount
    };

    explicit MappingModel(QObject* parent = nullptr);

    void setSchema(const InferredSchema& schema);
    const std::vector<FieldInfo>& fields() const { return m_fields; }
    void setEditable(bool editable) { m_editable = editable; }
    bool isChanged(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

  private:
    std::vector<FieldInfo> m_fields;
    std::vector<FieldRole> m_inferredRoles;
    std::size_t m_sampledRows = 0;
    bool m_editable = false;
};

} // namespace vigil
