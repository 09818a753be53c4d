#include "dialogs/mapping_dialog.h"

#include "models/mapping_model.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil {

namespace {

// A combo box of roles for the Role column.
class RoleDelegate : public QStyledItemDelegate
{
  public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const override
    {
        auto* combo = new QComboBox(parent);
        for (int r = 0; r < kFieldRoleCount; ++r)
            combo->addItem(fieldRoleLabel(static_cast<FieldRole>(r)), r);
        return combo;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override
    {
        auto* combo = static_cast<QComboBox*>(editor);
        combo->setCurrentIndex(combo->findData(index.data(Qt::EditRole)));
    }
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override
    {
        model->setData(index, static_cast<QComboBox*>(editor)->currentData(), Qt::EditRole);
    }
};

template <typename Enum>
void addEnumItems(QComboBox* combo, std::initializer_list<std::pair<Enum, QString>> items, Enum current)
{
    for (const auto& [value, label] : items)
        combo->addItem(label, static_cast<int>(value));
    combo->setCurrentIndex(combo->findData(static_cast<int>(current)));
}

} // namespace

MappingDialog::MappingDialog(const InferredSchema& schema, const VigilConfig& config, double threshold,
                             QWidget* parent)
    : QDialog(parent), m_base(config)
{
    setWindowTitle(tr("Field mapping"));
    resize(900, 520);

    m_model = new MappingModel(this);
    m_model->setEditable(true);
    m_model->setSchema(schema);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(MappingModel::Role, new RoleDelegate(m_table));
    m_table->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->resizeColumnsToContents();

    m_unit = new QComboBox(this);
    addEnumItems(m_unit,
                 {std::pair{TimestampUnit::Auto, tr("auto-detect")},
                  {TimestampUnit::Seconds, tr("seconds")},
                  {TimestampUnit::Millis, tr("milliseconds")},
                  {TimestampUnit::Micros, tr("microseconds")},
                  {TimestampUnit::Nanos, tr("nanoseconds")},
                  {TimestampUnit::Iso8601, tr("ISO 8601 text")}},
                 config.mapping.timestampUnit.value_or(schema.mapping.timestampUnit));
    m_kind = new QComboBox(this);
    addEnumItems(m_kind,
                 {std::pair{PredictionKind::Auto, tr("auto-detect")},
                  {PredictionKind::Score, tr("score (probability of the positive class)")},
                  {PredictionKind::ClassLabel, tr("class label")},
                  {PredictionKind::Regression, tr("regression value")}},
                 config.mapping.predictionKind.value_or(schema.mapping.predictionKind));
    m_threshold = new QDoubleSpinBox(this);
    m_threshold->setRange(0.0, 1.0);
    m_threshold->setDecimals(3);
    m_threshold->setSingleStep(0.05);
    m_threshold->setValue(config.threshold.value_or(threshold));

    auto* form = new QFormLayout;
    form->addRow(tr("Timestamp unit:"), m_unit);
    form->addRow(tr("Prediction kind:"), m_kind);
    form->addRow(tr("Decision threshold (score ≥ threshold is positive):"), m_threshold);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* apply = buttons->addButton(tr("Apply and reload"), QDialogButtonBox::AcceptRole);
    apply->setDefault(true);
    QPushButton* save = buttons->addButton(tr("Save as config…"), QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(save, &QPushButton::clicked, this, &MappingDialog::saveAs);

    auto* intro = new QLabel(tr("Vigil inferred these roles from the first %1 rows. "
                                "Click a role to change it; \"Why\" says how each was chosen.")
                                 .arg(schema.sampledRows),
                             this);
    intro->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

VigilConfig MappingDialog::config() const
{
    VigilConfig c = m_base;
    const MappingOverrides roles =
        overridesFromFields(m_model->fields(), static_cast<TimestampUnit>(m_unit->currentData().toInt()),
                            static_cast<PredictionKind>(m_kind->currentData().toInt()));
    // Status values and the positive class are not editable here: keep what the config said.
    MappingOverrides merged = roles;
    merged.okStatusValues = m_base.mapping.okStatusValues;
    merged.positiveClass = m_base.mapping.positiveClass;
    c.mapping = merged;
    c.threshold = m_threshold->value();
    return c;
}

void MappingDialog::saveAs()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save config"), QStringLiteral("vigil-config.json"), tr("Vigil config (*.json)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    const std::string json = configToJson(config());
    if (!file.open(QIODevice::WriteOnly) || file.write(json.data(), qint64(json.size())) < 0 ||
        !file.commit())
        QMessageBox::warning(this, tr("Save failed"),
                             tr("Cannot write \"%1\": %2").arg(path, file.errorString()));
}

} // namespace vigil
