// The memoised two-sample KS p-value (ks.cpp) against scipy.stats.ks_2samp(method='auto'):
// many windows of one size against one reference, computed again and again from several
// threads at once, must each give SciPy's value, and the same bits every time.
// Reference: tests/core/reference/make_ks_cache_reference.py -> tests/data/drift/ks_cache.json.
#include "drift/ks.h"
#include "drift_reference.h"

#include <QTest>

#include <algorithm>
#include <cstring>
#include <map>
#include <thread>
#include <tuple>

using namespace vigil;

namespace {

struct Case
{
    QString group;
    std::vector<double> ref, cur;
    double d = 0.0;
    double p = 0.0;
    qint64 h = 0;
};

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

class TestDriftKsCache : public QObject
{
    Q_OBJECT

  private:
    std::vector<Case> m_cases;

  private Q_SLOTS:
    void initTestCase()
    {
        QFile file(QStringLiteral(VIGIL_TEST_DATA_DIR "/drift/ks_cache.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto cases =
            QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("cases")).toArray();
        QVERIFY(!cases.isEmpty());
        for (const auto& v : cases) {
            const QJsonObject o = v.toObject();
            Case c;
            c.group = o.value(QLatin1String("group")).toString();
            c.ref = drifttest::generate(o.value(QLatin1String("ref")).toObject());
            c.cur = drifttest::generate(o.value(QLatin1String("cur")).toObject());
            c.d = o.value(QLatin1String("d")).toDouble();
            c.p = o.value(QLatin1String("p")).toDouble();
            c.h = o.value(QLatin1String("h")).toInteger();
            m_cases.push_back(std::move(c));
        }
    }

    // The data repeats (n1, n2, h) across different samples, so that hits on a key another
    // sample put there are exercised, not only hits on the same sample.
    void dataRepeatsKeysAcrossSamples()
    {
        std::map<std::tuple<std::size_t, std::size_t, qint64>, int> keys;
        for (const Case& c : m_cases)
            ++keys[{c.ref.size(), c.cur.size(), c.h}];
        QVERIFY(std::any_of(keys.begin(), keys.end(), [](const auto& k) { return k.second > 1; }));
    }

    void sequentialRepeatsMatchScipy()
    {
        for (int round = 0; round < 3; ++round)
            for (const Case& c : m_cases) {
                const auto r = ksTwoSample(c.ref, c.cur);
                QVERIFY(r);
                QVERIFY2(drifttest::close(r->statistic, c.d, 1e-12),
                         qPrintable(QStringLiteral("%1 h=%2 D %3 vs %4")
                                        .arg(c.group)
                                        .arg(c.h)
                                        .arg(r->statistic)
                                        .arg(c.d)));
                QVERIFY2(drifttest::close(r->pValue, c.p, 1e-7, 1e-12),
                         qPrintable(QStringLiteral("%1 h=%2 p %3 vs %4")
                                        .arg(c.group)
                                        .arg(c.h)
                                        .arg(r->pValue, 0, 'g', 17)
                                        .arg(c.p, 0, 'g', 17)));
                QCOMPARE(r->exact, c.group != QLatin1String("asymptotic"));
            }
    }

    // Several threads ask for the same keys at the same time, each in its own order; every
    // answer is SciPy's and every answer for one (n1, n2, h) has the same bits.
    void concurrentUseGivesIdenticalBits()
    {
        constexpr int kThreads = 6;
        constexpr int kRounds = 4;
        const std::size_t n = m_cases.size();
        std::vector<std::vector<double>> pValues(kThreads, std::vector<double>(n * kRounds));
        std::vector<std::vector<double>> direct(kThreads, std::vector<double>(n * kRounds));
        {
            std::vector<std::jthread> threads;
            for (int t = 0; t < kThreads; ++t)
                threads.emplace_back([&, t] {
                    for (int round = 0; round < kRounds; ++round)
                        for (std::size_t k = 0; k < n; ++k) {
                            // Threads walk the cases from different starting points.
                            const std::size_t i = (k * 7 + static_cast<std::size_t>(t) * 5) % n;
                            const Case& c = m_cases[i];
                            const auto r = ksTwoSample(c.ref, c.cur);
                            pValues[t][static_cast<std::size_t>(round) * n + i] = r ? r->pValue : -1.0;
                            // The p-value step alone, from the same D, must agree too.
                            direct[t][static_cast<std::size_t>(round) * n + i] =
                                ksTwoSamplePValue(static_cast<std::int64_t>(c.ref.size()),
                                                  static_cast<std::int64_t>(c.cur.size()), c.d)
                                    .pValue;
                        }
                });
        }
        std::map<std::tuple<std::size_t, std::size_t, qint64>, double> byKey;
        for (std::size_t i = 0; i < n; ++i) {
            const Case& c = m_cases[i];
            const auto [it, inserted] =
                byKey.emplace(std::make_tuple(c.ref.size(), c.cur.size(), c.h), pValues[0][i]);
            if (c.group != QLatin1String("asymptotic"))
                QVERIFY2(sameBits(it->second, pValues[0][i]), qPrintable(c.group + QString::number(c.h)));
            QVERIFY(drifttest::close(pValues[0][i], c.p, 1e-7, 1e-12));
            for (int t = 0; t < kThreads; ++t)
                for (int round = 0; round < kRounds; ++round) {
                    const std::size_t at = static_cast<std::size_t>(round) * n + i;
                    QVERIFY2(sameBits(pValues[t][at], pValues[0][i]),
                             qPrintable(QStringLiteral("%1 h=%2 thread %3").arg(c.group).arg(c.h).arg(t)));
                    QVERIFY(drifttest::close(direct[t][at], c.p, 1e-7, 1e-12));
                    // On the exact path SciPy's D rounds to the same h: the same cached bits.
                    if (c.group != QLatin1String("asymptotic"))
                        QVERIFY(sameBits(direct[t][at], pValues[0][i]));
                }
        }
    }
};

QTEST_GUILESS_MAIN(TestDriftKsCache)
#include "tst_drift_ks_cache.moc"
