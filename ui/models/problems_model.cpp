#include "models/problems_model.h"

#include "format.h"

#include <QFileInfo>
#include <QFont>

namespace vigil {

ProblemsModel::ProblemsModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProblemsModel::setLog(std::shared_ptr<const LoadedLog> log)
{
    beginResetModel();
    m_log = std::move(log);
    endResetModel();
}

void ProblemsModel::keepRows(std::shared_ptr<const LoadedLog> log)
{
    if (!m_log || !log || log->problems.size() != m_log->problems.size() ||
        log->malformed != m_log->malformed) {
        setLog(std::move(log));
        return;
    }
    m_log = std::move(log);
}

std::uint64_t ProblemsModel::unlistedCount() const
{
    if (!m_log || m_log->malformed <= m_log->problems.size())
        return 0;
    return m_log->malformed - m_log->problems.size();
}

int ProblemsModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_log)
        return 0;
    return static_cast<int>(m_log->problems.size()) + (unlistedCount() > 0 ? 1 : 0);
}

int ProblemsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_log)
        return {};
    const auto row = static_cast<std::size_t>(index.row());
    if (row == m_log->problems.size()) {
        if (role == Qt::DisplayRole && index.column() == Error)
            return tr("… and %1 more malformed lines (not listed)").arg(formatCount(unlistedCount()));
        if (role == Qt::FontRole) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    }
    const Problem& p = m_log->problems[row];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case File:
            return QFileInfo(QString::fromStdString(p.path)).fileName();
        case Line:
            return p.line == 0 ? QVariant(tr("whole file")) : QVariant(static_cast<qulonglong>(p.line));
        case Error:
            return QString::fromStdString(p.error);
        }
        break;
    case Qt::ToolTipRole:
        return QStringLiteral("%1:%2\n%3")
            .arg(QString::fromStdString(p.path))
            .arg(p.line)
            .arg(QString::fromStdString(p.error));
    case Qt::TextAlignmentRole:
        if (index.column() == Line)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case File:
        return tr("File");
    case Line:
        return tr("Line");
    case Error:
        return tr("Error");
    }
    return {};
}

} // namespace vigil
