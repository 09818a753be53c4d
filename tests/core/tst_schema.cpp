// Names shown for roles, units, kinds and formats (the mapping dialog and the config
// file use these words, so they must stay stable).
#include "config/config.h"
#include "ingest/schema.h"

#include <QTest>

using namespace vigil;

class TestSchema : public QObject
{
    Q_OBJECT

  private slots:
    void names();
    void configWordsParseBack();
};

void TestSchema::names()
{
    QCOMPARE(QString::fromUtf8(toString(FieldRole::Timestamp)), QStringLiteral("timestamp"));
    QCOMPARE(QString::fromUtf8(toString(FieldRole::NumericFeature)), QStringLiteral("numeric feature"));
    QCOMPARE(QString::fromUtf8(toString(FieldRole::Kpi)), QStringLiteral("kpi"));
    QCOMPARE(QString::fromUtf8(toString(FieldRole::Ignored)), QStringLiteral("ignored"));
    QCOMPARE(QString::fromUtf8(toString(TimestampUnit::Nanos)), QStringLiteral("ns"));
    QCOMPARE(QString::fromUtf8(toString(TimestampUnit::Iso8601)), QStringLiteral("iso8601"));
    QCOMPARE(QString::fromUtf8(toString(PredictionKind::ClassLabel)), QStringLiteral("class"));
    QCOMPARE(QString::fromUtf8(toString(LogFormat::Csv)), QStringLiteral("csv"));
    // Every role has its own name.
    QSet<QString> seen;
    for (int r = 0; r <= static_cast<int>(FieldRole::Kpi); ++r)
        seen.insert(QString::fromUtf8(toString(static_cast<FieldRole>(r))));
    QCOMPARE(seen.size(), static_cast<int>(FieldRole::Kpi) + 1);
}

void TestSchema::configWordsParseBack()
{
    // The words toString gives are the ones the config file accepts.
    for (auto u : {TimestampUnit::Seconds, TimestampUnit::Millis, TimestampUnit::Micros, TimestampUnit::Nanos,
                   TimestampUnit::Iso8601}) {
        const auto c =
            parseConfig(std::string("{\"mapping\": {\"timestamp_unit\": \"") + toString(u) + "\"}}");
        QVERIFY(c.ok());
        QCOMPARE(*c->mapping.timestampUnit, u);
    }
    for (auto k : {PredictionKind::Score, PredictionKind::ClassLabel, PredictionKind::Regression}) {
        const auto c =
            parseConfig(std::string("{\"mapping\": {\"prediction_kind\": \"") + toString(k) + "\"}}");
        QVERIFY(c.ok());
        QCOMPARE(*c->mapping.predictionKind, k);
    }
}

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
