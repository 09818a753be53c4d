#pragma once
// Shows the inferred mapping and lets the user change it: each field's role, the
// timestamp unit, the prediction kind and the decision threshold. Apply re-loads
// with the resulting config; Save writes it as a config file.
#include "config/config.h"
#include "ingest/schema.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QTableView;

namespace vigil {

class MappingModel;

class MappingDialog : public QDialog
{
    Q_OBJECT
  public:
    MappingDialog(const InferredSchema& schema, const VigilConfig& config, double threshold,
                  QWidget* parent = nullptr);

    // The config the dialog describes: the starting config with the mapping, kind,
    // unit and threshold replaced.
    VigilConfig config() const;
    MappingModel* model() const { return m_model; }

  private:
    void saveAs();

    VigilConfig m_base;
    MappingModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QComboBox* m_unit = nullptr;
    QComboBox* m_kind = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
};

} // namespace vigil
