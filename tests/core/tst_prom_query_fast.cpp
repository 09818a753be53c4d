// The one-pass decoder for matrix/vector answers: it takes exactly the well-formed
// success answers it is meant for and declines everything else (which the DOM decoder
// then words), and what it takes equals the DOM decoder's result, checked by decoding
// every API fixture both ways: once as it is, once with an unknown top-level field that
// the DOM decoder ignores and the fast path declines.
#include "prom/query_api.h"
#include "prom/query_api_fast.h"

#include <QDir>
#include <QFile>
#include <QtTest>
#include <cmath>

using namespace vigil;

namespace {

std::string readFixture(const QString& name)
{
    QFile f(QStringLiteral(VIGIL_TEST_DATA_DIR "/prom/api/") + name);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

bool samePoints(const std::vector<PromPoint>& a, const std::vector<PromPoint>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].timestampMs != b[i].timestampMs)
            return false;
        if (!(a[i].value == b[i].value || (std::isnan(a[i].value) && std::isnan(b[i].value))))
            return false;
        if (std::signbit(a[i].value) != std::signbit(b[i].value))
            return false;
    }
    return true;
}

} // namespace

class TestPromQueryFast : public QObject
{
    Q_OBJECT

  private slots:
    void takesOrDeclines_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<bool>("taken");
        const QString matrix = QStringLiteral("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                                              "\"result\":[{\"metric\":{\"b\":\"2\",\"a\":\"1\"},"
                                              "\"values\":[[1.5,\"NaN\"],[2,\"+Inf\"],[2.001,\"-0\"],[3,\"1e-"
                                              "07\"]]},{\"metric\":{},\"values\":[]}]}}");
        QTest::newRow("matrix") << matrix << true;
        QTest::newRow("matrix, warnings, escapes")
            << QStringLiteral(
                   "{\"status\":\"success\",\"warnings\":[\"w\\\"1\"],\"infos\":null,\"data\":{"
                   "\"resultType\":"
                   "\"vector\",\"result\":[{\"value\":[1,\"2\"],\"metric\":{\"a\\u00e9\":\"x\\ny\"}}]}}  ")
            << true;
        QTest::newRow("trailing document") << matrix + QStringLiteral(" {}") << false;
        QTest::newRow("result before resultType")
            << QStringLiteral("{\"status\":\"success\",\"data\":{\"result\":[],\"resultType\":\"matrix\"}}")
            << false;
        QTest::newRow("scalar")
            << QStringLiteral(
                   "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}")
            << false;
        QTest::newRow("error") << QStringLiteral(
                                      "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"x\"}")
                               << false;
        QTest::newRow("three elements")
            << QStringLiteral("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
                              "\"metric\":{},\"value\":[1,\"2\",3]}]}}")
            << false;
        QTest::newRow("bad value") << QStringLiteral(
                                          "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                          "\"result\":[{\"metric\":{},\"value\":[1,\"x\"]}]}}")
                                   << false;
        QTest::newRow("unknown field")
            << QStringLiteral(
                   "{\"status\":\"success\",\"extra\":1,\"data\":{\"resultType\":\"vector\",\"result\":[]}}")
            << false;
    }
    void takesOrDeclines()
    {
        QFETCH(QString, json);
        QFETCH(bool, taken);
        const simdjson::padded_string padded(json.toStdString());
        const auto fast = prom::decodeQueryResultFast(padded);
        QCOMPARE(fast.has_value(), taken);
        // Whatever the path, decodeQueryResponse's answer for well-formed input is the DOM's.
        if (taken) {
            auto full = decodeQueryResponse(json.toStdString());
            QVERIFY(full.ok());
            QCOMPARE(full->series.size(), fast->series.size());
        }
    }

    // Every fixture: the fast result equals the DOM result.
    void sameAsDom_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString& f :
             QDir(QStringLiteral(VIGIL_TEST_DATA_DIR "/prom/api")).entryList({QStringLiteral("*.json")}))
            QTest::newRow(f.toUtf8().constData()) << f;
        QTest::newRow("generated") << QString();
    }
    void sameAsDom()
    {
        QFETCH(QString, file);
        std::string json =
            file.isEmpty()
                ? std::string(
                      "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                      "{\"metric\":{\"z\":\"1\",\"a\":\"\\u00fc\"},\"values\":[[1700000000.123,\"0.1\"],"
                      "[1700000000.124,\"NaN\"],[1700000000.125,\"-Inf\"],[1e9,\"1.7976931348623157e308\"]]}]"
                      "}}")
                : readFixture(file);
        QVERIFY(!json.empty());
        const simdjson::padded_string padded(json);
        const auto fast = prom::decodeQueryResultFast(padded);
        if (file.isEmpty())
            QVERIFY(fast.has_value());
        if (!fast)
            return; // declined: decodeQueryResponse uses the DOM path, tested in tst_prom_query
        std::string reordered = json;
        reordered.insert(reordered.find('{') + 1, "\"vigil_unknown_field\":0,");
        QVERIFY(!prom::decodeQueryResultFast(simdjson::padded_string(reordered)));
        auto dom = decodeQueryResponse(reordered);
        QVERIFY2(dom.ok(), dom.ok() ? "" : dom.error().message.c_str());
        QCOMPARE(fast->resultType, dom->resultType);
        QCOMPARE(fast->warnings, dom->warnings);
        QCOMPARE(fast->series.size(), dom->series.size());
        for (std::size_t i = 0; i < fast->series.size(); ++i) {
            QVERIFY(fast->series[i].metric == dom->series[i].metric);
            QVERIFY(samePoints(fast->series[i].values, dom->series[i].values));
        }
    }
};

QTEST_GUILESS_MAIN(TestPromQueryFast)
#include "tst_prom_query_fast.moc"
