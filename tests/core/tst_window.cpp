// Window alignment, choice and the size strings of engine/window.h.
#include "engine/window.h"

#include <QTest>

using namespace vigil;

namespace {
constexpr std::int64_t kHour = 60 * kMinuteMs;
constexpr std::int64_t kDay = 24 * kHour;
} // namespace

class TestWindow : public QObject
{
    Q_OBJECT

  private slots:
    void align_data()
    {
        QTest::addColumn<qint64>("ts");
        QTest::addColumn<qint64>("window");
        QTest::addColumn<qint64>("start");
        QTest::newRow("zero") << qint64(0) << qint64(kMinuteMs) << qint64(0);
        QTest::newRow("inside") << qint64(61'000) << qint64(kMinuteMs) << qint64(60'000);
        QTest::newRow("on boundary") << qint64(120'000) << qint64(kMinuteMs) << qint64(120'000);
        QTest::newRow("just before") << qint64(119'999) << qint64(kMinuteMs) << qint64(60'000);
        QTest::newRow("negative floors") << qint64(-1) << qint64(kMinuteMs) << qint64(-60'000);
        QTest::newRow("negative boundary") << qint64(-60'000) << qint64(kMinuteMs) << qint64(-60'000);
        QTest::newRow("negative inside") << qint64(-60'001) << qint64(kMinuteMs) << qint64(-120'000);
        QTest::newRow("day") << qint64(1'700'000'123'456) << qint64(kDay) << qint64(1'699'920'000'000);
        QTest::newRow("pre-1970 day") << qint64(-kDay - 5) << qint64(kDay) << qint64(-2 * kDay);
    }
    void align()
    {
        QFETCH(qint64, ts);
        QFETCH(qint64, window);
        QFETCH(qint64, start);
        QCOMPARE(alignWindowStart(ts, window), start);
    }

    void choose_data()
    {
        QTest::addColumn<qint64>("minTs");
        QTest::addColumn<qint64>("maxTs");
        QTest::addColumn<qint64>("window");
        const qint64 t0 = 1'700'000'000'000; // a multiple of 1 minute but not of 1 h
        QTest::newRow("single point") << t0 << t0 << qint64(kMinuteMs);
        QTest::newRow("499 minutes") << t0 << t0 + 499 * kMinuteMs << qint64(kMinuteMs);
        QTest::newRow("500 minutes = 501 windows") << t0 << t0 + 500 * kMinuteMs << qint64(5 * kMinuteMs);
        QTest::newRow("one day") << t0 << t0 + kDay << qint64(5 * kMinuteMs);
        QTest::newRow("three days") << t0 << t0 + 3 * kDay << qint64(15 * kMinuteMs);
        QTest::newRow("ten days") << t0 << t0 + 10 * kDay << qint64(kHour);
        QTest::newRow("sixty days") << t0 << t0 + 60 * kDay << qint64(6 * kHour);
        QTest::newRow("one year") << t0 << t0 + 365 * kDay << qint64(kDay);
        QTest::newRow("three years") << t0 << t0 + 3 * 365 * kDay << qint64(3 * kDay);
        QTest::newRow("swapped") << t0 + kDay << t0 << qint64(5 * kMinuteMs);
        QTest::newRow("negative span") << qint64(-10 * kDay) << qint64(-9 * kDay) << qint64(5 * kMinuteMs);
    }
    void choose()
    {
        QFETCH(qint64, minTs);
        QFETCH(qint64, maxTs);
        QFETCH(qint64, window);
        const std::int64_t chosen = chooseWindowMs(minTs, maxTs);
        QCOMPARE(chosen, window);
        const std::int64_t lo = std::min(minTs, maxTs), hi = std::max(minTs, maxTs);
        const std::int64_t count = (alignWindowStart(hi, chosen) - alignWindowStart(lo, chosen)) / chosen + 1;
        QVERIFY(count <= 500);
    }

    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms"); // -1 = rejected
        QTest::newRow("1m") << QStringLiteral("1m") << qint64(kMinuteMs);
        QTest::newRow("5m") << QStringLiteral("5m") << qint64(5 * kMinuteMs);
        QTest::newRow("15m") << QStringLiteral("15m") << qint64(15 * kMinuteMs);
        QTest::newRow("1h") << QStringLiteral("1h") << qint64(kHour);
        QTest::newRow("6h") << QStringLiteral("6h") << qint64(6 * kHour);
        QTest::newRow("1d") << QStringLiteral("1d") << qint64(kDay);
        QTest::newRow("30s") << QStringLiteral("30s") << qint64(30'000);
        QTest::newRow("90m") << QStringLiteral("90m") << qint64(90 * kMinuteMs);
        QTest::newRow("250ms") << QStringLiteral("250ms") << qint64(250);
        QTest::newRow("spaces") << QStringLiteral(" 2h ") << qint64(2 * kHour);
        QTest::newRow("empty") << QString() << qint64(-1);
        QTest::newRow("no unit") << QStringLiteral("5") << qint64(-1);
        QTest::newRow("no number") << QStringLiteral("m") << qint64(-1);
        QTest::newRow("zero") << QStringLiteral("0m") << qint64(-1);
        QTest::newRow("negative") << QStringLiteral("-5m") << qint64(-1);
        QTest::newRow("plus sign") << QStringLiteral("+5m") << qint64(-1);
        QTest::newRow("fraction") << QStringLiteral("1.5h") << qint64(-1);
        QTest::newRow("bad unit") << QStringLiteral("3w") << qint64(-1);
        QTest::newRow("garbage") << QStringLiteral("abc") << qint64(-1);
        QTest::newRow("inner space") << QStringLiteral("5 m") << qint64(-1);
        QTest::newRow("overflow") << QStringLiteral("99999999999999999d") << qint64(-1);
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto parsed = parseWindowSize(text.toStdString());
        if (ms < 0) {
            QVERIFY2(!parsed, qPrintable(text));
        } else {
            QVERIFY2(parsed, qPrintable(text));
            QCOMPARE(*parsed, ms);
        }
    }

    void format_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("1m") << qint64(kMinuteMs) << QStringLiteral("1m");
        QTest::newRow("5m") << qint64(5 * kMinuteMs) << QStringLiteral("5m");
        QTest::newRow("15m") << qint64(15 * kMinuteMs) << QStringLiteral("15m");
        QTest::newRow("1h") << qint64(kHour) << QStringLiteral("1h");
        QTest::newRow("6h") << qint64(6 * kHour) << QStringLiteral("6h");
        QTest::newRow("1d") << qint64(kDay) << QStringLiteral("1d");
        QTest::newRow("90m") << qint64(90 * kMinuteMs) << QStringLiteral("90m");
        QTest::newRow("30s") << qint64(30'000) << QStringLiteral("30s");
        QTest::newRow("1500ms") << qint64(1500) << QStringLiteral("1500ms");
    }
    void format()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(formatWindowSize(ms)), text);
        QCOMPARE(parseWindowSize(text.toStdString()).value_or(-1), ms); // round trip
    }
};

QTEST_GUILESS_MAIN(TestWindow)
#include "tst_window.moc"
