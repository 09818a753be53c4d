// WindowRows (engine/drift_rows.h) puts each row in the window whose [start, end) holds its
// timestamp, rows in their order. It tries the previous row's window first: rows in time
// order, in reverse, shuffled, between windows (gaps), before the first and after the last
// window, and at the exact boundaries must land where a plain search over every window puts
// them.
#include "engine/drift_rows.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <vector>

using namespace vigil;

class TestDriftRows : public QObject
{
    Q_OBJECT

  private slots:
    void sameAsPlainSearch_data()
    {
        QTest::addColumn<QString>("order");
        QTest::addColumn<bool>("gaps");
        for (const char* order : {"ascending", "descending", "shuffled", "mostly ascending"})
            for (const bool gaps : {false, true})
                QTest::newRow(qPrintable(QStringLiteral("%1%2").arg(
                    QLatin1String(order), gaps ? QStringLiteral(", gaps") : QString())))
                    << QString::fromLatin1(order) << gaps;
    }

    void sameAsPlainSearch()
    {
        QFETCH(QString, order);
        QFETCH(bool, gaps);
        std::mt19937_64 rng(7);
        // 20 windows of 100 ms from t = 1000; with gaps each ends 30 ms early.
        std::vector<std::int64_t> starts;
        std::vector<std::int64_t> ends;
        for (int w = 0; w < 20; ++w) {
            starts.push_back(1000 + 100 * w);
            ends.push_back(1000 + 100 * w + (gaps ? 70 : 100));
        }
        std::vector<std::int64_t> ts;
        for (std::int64_t t = 900; t < 3100; t += 7)
            ts.push_back(t);
        for (const std::int64_t s : starts) { // the boundaries themselves
            ts.push_back(s);
            ts.push_back(s - 1);
            ts.push_back(s + 69);
            ts.push_back(s + 70);
        }
        std::sort(ts.begin(), ts.end());
        if (order == QLatin1String("descending"))
            std::reverse(ts.begin(), ts.end());
        else if (order == QLatin1String("shuffled"))
            std::shuffle(ts.begin(), ts.end(), rng);
        else if (order == QLatin1String("mostly ascending"))
            for (std::size_t i = 0; i + 1 < ts.size(); i += 13)
                std::swap(ts[i], ts[i + 1 + rng() % std::min<std::size_t>(40, ts.size() - i - 1)]);

        const WindowRows rows(ts, starts, ends, 0);
        QCOMPARE(rows.windows(), starts.size());
        std::size_t placed = 0;
        for (std::size_t w = 0; w < starts.size(); ++w) {
            std::vector<std::uint32_t> expected;
            for (std::size_t i = 0; i < ts.size(); ++i)
                if (ts[i] >= starts[w] && ts[i] < ends[w])
                    expected.push_back(static_cast<std::uint32_t>(i));
            const auto got = rows.rowsOf(w);
            QCOMPARE(std::vector<std::uint32_t>(got.begin(), got.end()), expected);
            placed += expected.size();
        }
        QVERIFY(placed > 0);
    }
};

QTEST_GUILESS_MAIN(TestDriftRows)
#include "tst_drift_rows.moc"
