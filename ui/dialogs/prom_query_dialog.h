#pragma once
// Resources → Query Prometheus…: the server URL, the PromQL and the NAME of an
// environment variable holding a bearer token (the token itself is never typed here,
// so it never lands in a workspace, a config file or a log). Metric names for the
// completer come from /api/v1/label/__name__/values, fetched off the UI thread.
#include <QDialog>

class QLabel;
class QLineEdit;
class QStringListModel;

namespace vigil {

class PromQuerySource;

class PromQueryDialog : public QDialog
{
    Q_OBJECT
  public:
    // `source` fetches the metric names; it outlives the dialog.
    explicit PromQueryDialog(PromQuerySource* source, QWidget* parent = nullptr);

    void setUrl(const QString& url);
    void setPromql(const QString& promql);
    void setTokenEnv(const QString& name);
    QString url() const;
    QString promql() const;
    QString tokenEnv() const;
    QStringList metricNames() const;

  public slots:
    void fetchMetricNames();

  private:
    void onMetricNames(const QStringList& names);
    void validate();

    PromQuerySource* m_source;
    QLineEdit* m_url;
    QLineEdit* m_promql;
    QLineEdit* m_tokenEnv;
    QLabel* m_status;
    QStringListModel* m_names;
};

} // namespace vigil
