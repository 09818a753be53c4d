#include "dialogs/prom_query_dialog.h"

#include "live/prom_query_source.h"

#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStringListModel>
#include <QVBoxLayout>

namespace vigil {

PromQueryDialog::PromQueryDialog(PromQuerySource* source, QWidget* parent)
    : QDialog(parent), m_source(source), m_url(new QLineEdit), m_promql(new QLineEdit),
      m_tokenEnv(new QLineEdit), m_status(new QLabel), m_names(new QStringListModel(this))
{
    setWindowTitle(tr("Query Prometheus"));
    setMinimumWidth(520);
    m_url->setObjectName(QStringLiteral("promUrl"));
    m_promql->setObjectName(QStringLiteral("promQuery"));
    m_tokenEnv->setObjectName(QStringLiteral("promTokenEnv"));
    m_url->setText(QStringLiteral("http://localhost:9090"));
    m_promql->setPlaceholderText(QStringLiteral("rate(node_cpu_seconds_total{mode=\"user\"}[5m])"));
    m_tokenEnv->setPlaceholderText(tr("e.g. PROM_TOKEN (optional)"));
    m_tokenEnv->setToolTip(tr("The name of an environment variable that holds a bearer token. "
                              "The token itself is read when a request starts and is never saved."));
    auto* completer = new QCompleter(m_names, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_promql->setCompleter(completer);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout;
    form->addRow(tr("Server URL:"), m_url);
    form->addRow(tr("PromQL:"), m_promql);
    form->addRow(tr("Token variable:"), m_tokenEnv);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_url, &QLineEdit::editingFinished, this, &PromQueryDialog::fetchMetricNames);
    connect(m_tokenEnv, &QLineEdit::editingFinished, this, &PromQueryDialog::fetchMetricNames);
    connect(m_url, &QLineEdit::textChanged, this, &PromQueryDialog::validate);
    connect(m_promql, &QLineEdit::textChanged, this, &PromQueryDialog::validate);
    connect(m_tokenEnv, &QLineEdit::textChanged, this, &PromQueryDialog::validate);
    connect(m_source, &PromQuerySource::metricNames, this, &PromQueryDialog::onMetricNames);
    validate();
}

void PromQueryDialog::setUrl(const QString& url)
{
    m_url->setText(url);
}
void PromQueryDialog::setPromql(const QString& promql)
{
    m_promql->setText(promql);
}
void PromQueryDialog::setTokenEnv(const QString& name)
{
    m_tokenEnv->setText(name);
}
QString PromQueryDialog::url() const
{
    return m_url->text().trimmed();
}
QString PromQueryDialog::promql() const
{
    return m_promql->text().trimmed();
}
QString PromQueryDialog::tokenEnv() const
{
    return m_tokenEnv->text().trimmed();
}
QStringList PromQueryDialog::metricNames() const
{
    return m_names->stringList();
}

void PromQueryDialog::fetchMetricNames()
{
    if (url().startsWith(QLatin1String("http://")) || url().startsWith(QLatin1String("https://")))
        m_source->fetchMetricNames(url(), tokenEnv());
}

void PromQueryDialog::onMetricNames(const QStringList& names)
{
    m_names->setStringList(names);
}

void PromQueryDialog::validate()
{
    QString problem;
    static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!url().startsWith(QLatin1String("http://")) && !url().startsWith(QLatin1String("https://")))
        problem = tr("The server URL must start with http:// or https://.");
    else if (promql().isEmpty())
        problem = tr("Enter a PromQL expression.");
    else if (!tokenEnv().isEmpty() && !envName.match(tokenEnv()).hasMatch())
        problem = tr("The token field takes the NAME of an environment variable, not the token.");
    m_status->setText(problem);
    if (auto* box = findChild<QDialogButtonBox*>())
        box->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace vigil
