#include "models/mapping_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace vigil {

QString fieldRoleLabel(FieldRole role)
{
    switch (role) {
    case FieldRole::Ignored:
        return QObject::tr("ignored");
    case FieldRole::Timestamp:
        return QObject::tr("timestamp");
    case FieldRole::RequestId:
        return QObject::tr("request id");
    case FieldRole::Model:
        return QObject::tr("model");
    case FieldRole::Version:
        return QObject::tr("version");
    case FieldRole::Latency:
        return QObject::tr("latency (ms)");
    case FieldRole::Status:
        return QObject::tr("status");
    case FieldRole::Prediction:
        return QObject::tr("prediction");
    case FieldRole::Label:
        return QObject::tr("label");
    case FieldRole::NumericFeature:
        return QObject::tr("numeric feature");
    case FieldRole::CategoricalFeature:
        return QObject::tr("categorical feature");
    case FieldRole::Kpi:
        return QObject::tr("KPI");
    }
    return {};
}

QString valueTypeLabel(ValueType type)
{
    switch (type) {
    case ValueType::Null:
        return QStringLiteral("null");
    case ValueType::Number:
        return QStringLiteral("number");
    case ValueType::String:
        return QStringLiteral("string");
    case ValueType::Bool:
        return QStringLiteral("bool");
    case ValueType::Object:
        return QStringLiteral("object");
    case ValueType::Array:
        return QStringLiteral("array");
    case ValueType::Mixed:
        return QStringLiteral("mixed");
    }
    return {};
}

MappingOverrides overridesFromFields(const std::vector<FieldInfo>& fields, TimestampUnit unit,
                                     PredictionKind kind)
{
    MappingOverrides o;
    o.timestamp = o.requestId = o.model = o.version = o.latency = o.status = o.prediction = o.label =
        std::string();
    o.numericFeatures.emplace();
    o.categoricalFeatures.emplace();
    o.kpis.emplace();
    auto claim = [](std::optional<std::string>& slot, const std::string& path) {
        if (slot->empty())
            slot = path;
    };
    for (const FieldInfo& f : fields) {
        switch (f.role) {
        case FieldRole::Ignored:
            break;
        case FieldRole::Timestamp:
            claim(o.timestamp, f.path);
            break;
        case FieldRole::RequestId:
            claim(o.requestId, f.path);
            break;
        case FieldRole::Model:
            claim(o.model, f.path);
            break;
        case FieldRole::Version:
            claim(o.version, f.path);
            break;
        case FieldRole::Latency:
            claim(o.latency, f.path);
            break;
        case FieldRole::Status:
            claim(o.status, f.path);
            break;
        case FieldRole::Prediction:
            claim(o.prediction, f.path);
            break;
        case FieldRole::Label:
            claim(o.label, f.path);
            break;
        case FieldRole::NumericFeature:
            o.numericFeatures->push_back(f.path);
            break;
        case FieldRole::CategoricalFeature:
            o.categoricalFeatures->push_back(f.path);
            break;
        case FieldRole::Kpi:
            o.kpis->push_back(f.path);
            break;
        }
    }
    if (unit != TimestampUnit::Auto)
        o.timestampUnit = unit;
    if (kind != PredictionKind::Auto)
        o.predictionKind = kind;
    return o;
}

MappingModel::MappingModel(QObject* parent) : QAbstractTableModel(parent) {}

void MappingModel::setSchema(const InferredSchema& schema)
{
    beginResetModel();
    m_fields = schema.fields;
    m_sampledRows = schema.sampledRows;
    m_inferredRoles.clear();
    for (const FieldInfo& f : m_fields)
        m_inferredRoles.push_back(f.role);
    endResetModel();
}

bool MappingModel::isChanged(int row) const
{
    return row >= 0 && static_cast<std::size_t>(row) < m_fields.size() &&
           m_fields[static_cast<std::size_t>(row)].role != m_inferredRoles[static_cast<std::size_t>(row)];
}

int MappingModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_fields.size());
}

int MappingModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MappingModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FieldInfo& f = m_fields[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Path:
            return QString::fromStdString(f.path);
        case Type:
            return valueTypeLabel(f.type);
        case Role:
            return fieldRoleLabel(f.role);
        case Nulls:
            return m_sampledRows > 0 ? tr("%1 of %2").arg(f.nulls).arg(m_sampledRows)
                                     : QString::number(f.nulls);
        case Example:
            return QString::fromStdString(f.example);
        case Reason:
            return isChanged(index.row()) ? tr("changed here") : QString::fromStdString(f.reason);
        }
    } else if (role == Qt::EditRole && index.column() == Role) {
        return static_cast<int>(f.role);
    } else if (role == Qt::FontRole && index.column() == Role && f.role != FieldRole::Ignored) {
        QFont bold;
        bold.setBold(true);
        return bold;
    } else if (role == Qt::ForegroundRole && f.role == FieldRole::Ignored) {
        return QBrush(QColor(0x77, 0x77, 0x77));
    } else if (role == Qt::ToolTipRole) {
        return tr("%1: %2, seen in %3 sampled rows, null in %4\nrole: %5 (%6)")
            .arg(QString::fromStdString(f.path), valueTypeLabel(f.type))
            .arg(f.seen)
            .arg(f.nulls)
            .arg(fieldRoleLabel(f.role), QString::fromStdString(f.reason));
    }
    return {};
}

QVariant MappingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Path:
        return tr("Field");
    case Type:
        return tr("Type");
    case Role:
        return tr("Role");
    case Nulls:
        return tr("Nulls");
    case Example:
        return tr("Example");
    case Reason:
        return tr("Why");
    }
    return {};
}

Qt::ItemFlags MappingModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (m_editable && index.isValid() && index.column() == Role)
        f |= Qt::ItemIsEditable;
    return f;
}

bool MappingModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!m_editable || role != Qt::EditRole || index.column() != Role ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    bool ok = false;
    const int r = value.toInt(&ok);
    if (!ok || r < 0 || r >= kFieldRoleCount)
        return false;
    m_fields[static_cast<std::size_t>(index.row())].role = static_cast<FieldRole>(r);
    emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    return true;
}

} // namespace vigil
