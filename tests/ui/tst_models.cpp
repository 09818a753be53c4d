// Problems and mapping models under QAbstractItemModelTester, the overrides built
// from edited roles, and the mapping dialog's resulting config.
#include "dialogs/mapping_dialog.h"
#include "models/mapping_model.h"
#include "models/problems_model.h"
#include "snapshot_fixture.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace vigil;

class TestModels : public QObject
{
    Q_OBJECT
  private slots:
    void problemsModel_data();
    void problemsModel();
    void problemsModelEmpty();
    void mappingModel();
    void mappingModelEditing();
    void overridesFromFields_data();
    void overridesFromFields();
    void mappingDialogConfig();
};

void TestModels::problemsModel_data()
{
    QTest::addColumn<int>("malformed");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("summary");
    QTest::newRow("all listed") << 3 << 3 << "";
    QTest::newRow("more malformed than listed") << 10'003 << 4 << "10,000 more malformed lines";
}

void TestModels::problemsModel()
{
    QFETCH(int, malformed);
    QFETCH(int, rows);
    QFETCH(QString, summary);
    ProblemsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto log = test::fixtureLog(1000);
    log->malformed = static_cast<std::uint64_t>(malformed);
    model.setLog(log);
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.index(0, ProblemsModel::File).data().toString(), QStringLiteral("predictions.jsonl"));
    QCOMPARE(model.index(0, ProblemsModel::Line).data().toULongLong(), 17ull);
    QVERIFY(model.index(0, ProblemsModel::Error).data().toString().contains(QStringLiteral("latency_ms")));
    QCOMPARE(model.index(2, ProblemsModel::Line).data().toString(), QStringLiteral("whole file"));
    QVERIFY(model.index(0, 0)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("/data/predictions.jsonl:17")));
    if (!summary.isEmpty())
        QVERIFY2(model.index(rows - 1, ProblemsModel::Error).data().toString().contains(summary),
                 qPrintable(model.index(rows - 1, ProblemsModel::Error).data().toString()));
    QCOMPARE(model.headerData(ProblemsModel::Line, Qt::Horizontal).toString(), QStringLiteral("Line"));
}

void TestModels::problemsModelEmpty()
{
    ProblemsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setLog(test::fixtureLog(10));
    model.setLog(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::mappingModel()
{
    MappingModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto log = test::fixtureLog(10);
    model.setSchema(log->schema);
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(model.columnCount(), int(MappingModel::ColumnCount));
    QCOMPARE(model.index(0, MappingModel::Path).data().toString(), QStringLiteral("ts"));
    QCOMPARE(model.index(0, MappingModel::Role).data().toString(), QStringLiteral("timestamp"));
    QCOMPARE(model.index(0, MappingModel::Role).data(Qt::EditRole).toInt(), int(FieldRole::Timestamp));
    QCOMPARE(model.index(2, MappingModel::Type).data().toString(), QStringLiteral("number"));
    QCOMPARE(model.index(4, MappingModel::Nulls).data().toString(), QStringLiteral("520 of 1000"));
    QCOMPARE(model.index(0, MappingModel::Reason).data().toString(), QStringLiteral("name matches 'ts'"));
    QCOMPARE(model.index(7, MappingModel::Example).data().toString(), QStringLiteral("{}"));
    // Read-only unless the dialog asks for editing.
    QVERIFY(!(model.flags(model.index(0, MappingModel::Role)) & Qt::ItemIsEditable));
    QVERIFY(!model.setData(model.index(0, MappingModel::Role), int(FieldRole::Ignored)));
}

void TestModels::mappingModelEditing()
{
    MappingModel model;
    model.setEditable(true);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSchema(test::fixtureLog(10)->schema);
    const QModelIndex debugRole = model.index(7, MappingModel::Role);
    QVERIFY(model.flags(debugRole) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(7, MappingModel::Path)) & Qt::ItemIsEditable));
    QVERIFY(model.setData(debugRole, int(FieldRole::Kpi)));
    QCOMPARE(model.fields()[7].role, FieldRole::Kpi);
    QVERIFY(model.isChanged(7));
    QCOMPARE(model.index(7, MappingModel::Reason).data().toString(), QStringLiteral("changed here"));
    QVERIFY(!model.setData(debugRole, 99));
    QVERIFY(!model.setData(debugRole, QStringLiteral("kpi")));
    QVERIFY(!model.setData(model.index(7, MappingModel::Path), int(FieldRole::Kpi)));
}

void TestModels::overridesFromFields_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("role");
    QTest::addColumn<QString>("latency");
    QTest::addColumn<QString>("timestamp");
    QTest::addColumn<int>("kpis");
    QTest::newRow("as inferred") << -1 << 0 << "latency_ms"
                                 << "ts" << 1;
    QTest::newRow("latency ignored is explicitly none") << 2 << int(FieldRole::Ignored) << ""
                                                        << "ts" << 1;
    QTest::newRow("second timestamp loses to the first") << 3 << int(FieldRole::Timestamp) << "latency_ms"
                                                         << "ts" << 1;
    QTest::newRow("score becomes a KPI") << 3 << int(FieldRole::Kpi) << "latency_ms"
                                         << "ts" << 2;
}

void TestModels::overridesFromFields()
{
    QFETCH(int, row);
    QFETCH(int, role);
    QFETCH(QString, latency);
    QFETCH(QString, timestamp);
    QFETCH(int, kpis);
    auto fields = test::fixtureLog(10)->schema.fields;
    if (row >= 0)
        fields[static_cast<std::size_t>(row)].role = static_cast<FieldRole>(role);
    const MappingOverrides o =
        vigil::overridesFromFields(fields, TimestampUnit::Millis, PredictionKind::Auto);
    QCOMPARE(QString::fromStdString(*o.latency), latency);
    QCOMPARE(QString::fromStdString(*o.timestamp), timestamp);
    QCOMPARE(int(o.kpis->size()), kpis);
    QCOMPARE(*o.version, std::string("model_version"));
    QCOMPARE(*o.requestId, std::string());
    QCOMPARE(o.timestampUnit, std::optional(TimestampUnit::Millis));
    QVERIFY(!o.predictionKind);
    QCOMPARE(o.categoricalFeatures->size(), std::size_t{1});
}

void TestModels::mappingDialogConfig()
{
    VigilConfig base;
    base.kpiRatios = {{"conversion", "sum(clicks) / rows"}};
    base.mapping.okStatusValues = std::vector<std::string>{"OK", "200"};
    MappingDialog dialog(test::fixtureLog(10)->schema, base, 0.5);
    QAbstractItemModelTester tester(dialog.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(dialog.model()->setData(dialog.model()->index(2, MappingModel::Role), int(FieldRole::Ignored)));
    const VigilConfig c = dialog.config();
    QCOMPARE(c.mapping.latency, std::optional<std::string>(std::string()));
    QCOMPARE(c.mapping.prediction, std::optional<std::string>("score"));
    QCOMPARE(c.threshold, std::optional(0.5));
    QCOMPARE(c.kpiRatios.size(), std::size_t{1});
    QCOMPARE(c.mapping.okStatusValues->size(), std::size_t{2});
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
