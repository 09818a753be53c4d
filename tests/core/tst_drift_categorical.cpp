// Categorical drift statistics against SciPy (make_drift_reference.py) and the upstream
// vectors #1, #2, #3, #11, #18, #25 of docs/DRIFT.md (Evidently, frouros, whylogs).
#include "drift/categorical_drift.h"
#include "drift_reference.h"

#include <QTest>

using namespace vigil;

namespace {

std::vector<std::int32_t> codes(const QJsonArray& a)
{
    std::vector<std::int32_t> out;
    for (const auto& v : a)
        out.push_back(v.toInt());
    return out;
}

std::vector<std::int32_t> repeated(std::initializer_list<int> counts)
{
    std::vector<std::int32_t> out;
    int code = 1;
    for (int c : counts) {
        out.insert(out.end(), static_cast<std::size_t>(c), code);
        ++code;
    }
    return out;
}

void checkOptional(const std::optional<double>& actual, const std::optional<double>& expected, double rel,
                   double abs, const char* what)
{
    if (!expected) {
        QVERIFY2(!actual, what);
        return;
    }
    QVERIFY2(actual.has_value(), what);
    QVERIFY2(drifttest::close(*actual, *expected, rel, abs),
             qPrintable(QStringLiteral("%1: actual %2 expected %3")
                            .arg(QLatin1String(what))
                            .arg(*actual, 0, 'g', 17)
                            .arg(*expected, 0, 'g', 17)));
}

} // namespace

class TestDriftCategorical : public QObject
{
    Q_OBJECT

  private:
    QJsonObject m_ref;

  private Q_SLOTS:
    void initTestCase()
    {
        m_ref = drifttest::loadReference();
        QVERIFY2(!m_ref.isEmpty(), "tests/data/drift/reference.json missing or unreadable");
    }

    void scipy_data()
    {
        QTest::addColumn<int>("index");
        const auto rows = m_ref.value(QLatin1String("categorical")).toArray();
        QVERIFY(!rows.isEmpty());
        for (int i = 0; i < rows.size(); ++i)
            QTest::newRow(qPrintable(rows[i].toObject().value(QLatin1String("name")).toString())) << i;
    }
    void scipy()
    {
        QFETCH(int, index);
        const auto o = m_ref.value(QLatin1String("categorical")).toArray()[index].toObject();
        const auto ref = codes(o.value(QLatin1String("ref")).toArray());
        const auto cur = codes(o.value(QLatin1String("cur")).toArray());
        const auto drift = categoricalDrift(CategoricalReference::build(ref), cur);

        const auto chi2 = drifttest::optionalNumber(o, "chi2");
        QCOMPARE(drift.chiSquare.has_value(), chi2.has_value());
        if (chi2) {
            QVERIFY(drifttest::close(drift.chiSquare->statistic, *chi2, 1e-9, 1e-12));
            QVERIFY2(drifttest::close(drift.chiSquare->pValue, o.value(QLatin1String("chi2_p")).toDouble(),
                                      1e-7, 1e-12),
                     qPrintable(QString::number(drift.chiSquare->pValue, 'g', 17)));
            QCOMPARE(drift.chiSquare->dof, o.value(QLatin1String("dof")).toInt());
        }
        checkOptional(drift.psi, drifttest::optionalNumber(o, "psi"), 1e-9, 1e-12, "PSI");
        checkOptional(drift.jensenShannon, drifttest::optionalNumber(o, "js"), 1e-9, 1e-12, "JS");
        checkOptional(drift.hellinger, drifttest::optionalNumber(o, "hellinger"), 1e-9, 1e-12, "Hellinger");

        std::vector<std::int32_t> unseen;
        for (const auto& v : o.value(QLatin1String("unseen")).toArray())
            unseen.push_back(v.toInt());
        QCOMPARE(drift.unseenCategories, unseen);
    }

    // Codes of 65,536 and above are counted in a map instead of a dense array: the same
    // categories under large codes give the same statistics.
    void largeCodes_data() { scipy_data(); }
    void largeCodes()
    {
        QFETCH(int, index);
        const auto o = m_ref.value(QLatin1String("categorical")).toArray()[index].toObject();
        const auto ref = codes(o.value(QLatin1String("ref")).toArray());
        const auto cur = codes(o.value(QLatin1String("cur")).toArray());
        constexpr std::int32_t kShift = 100000;
        auto shifted = [](std::vector<std::int32_t> v) {
            for (auto& c : v)
                if (c >= 0)
                    c += kShift;
            return v;
        };
        const auto dense = categoricalDrift(CategoricalReference::build(ref), cur);
        const auto sparse = categoricalDrift(CategoricalReference::build(shifted(ref)), shifted(cur));
        QCOMPARE(sparse.chiSquare.has_value(), dense.chiSquare.has_value());
        if (dense.chiSquare) {
            QCOMPARE(sparse.chiSquare->statistic, dense.chiSquare->statistic);
            QCOMPARE(sparse.chiSquare->pValue, dense.chiSquare->pValue);
        }
        QCOMPARE(sparse.psi, dense.psi);
        QCOMPARE(sparse.jensenShannon, dense.jensenShannon);
        QCOMPARE(sparse.hellinger, dense.hellinger);
        QCOMPARE(sparse.unseenCategories, shifted(dense.unseenCategories));
    }

    // Upstream assertions, with the tolerances the upstream tests use.
    void upstreamEvidentlyHellinger_data()
    {
        QTest::addColumn<std::vector<std::int32_t>>("ref");
        QTest::newRow("#1") << repeated({16, 18, 16, 14, 12, 12});
        QTest::newRow("#2 doubled") << repeated({32, 36, 32, 28, 24, 24});
    }
    void upstreamEvidentlyHellinger()
    {
        QFETCH(std::vector<std::int32_t>, ref);
        const auto drift =
            categoricalDrift(CategoricalReference::build(ref), repeated({16, 16, 16, 16, 16, 8}));
        QVERIFY(drift.hellinger);
        QVERIFY(std::abs(*drift.hellinger - 0.06812) < 1e-5);
    }

    void upstreamEvidentlyNan()
    {
        // #3: ["a","b",NaN] x10 on both sides; NaN is a missing code.
        std::vector<std::int32_t> v;
        for (int i = 0; i < 10; ++i)
            v.insert(v.end(), {0, 1, -1});
        const auto drift = categoricalDrift(CategoricalReference::build(v), v);
        QCOMPARE(drift.chiSquare->pValue, 1.0);
        QCOMPARE(*drift.hellinger, 0.0);
        QCOMPARE(*drift.missing.share, 1.0 / 3.0);
        QCOMPARE(*drift.missing.change, 0.0);
    }

    void upstreamEvidentlyPsi()
    {
        // #11: ref [3,2,2], cur [1,2,3]: 2.93 (+-0.01), 2.934147 with the 1e-4 fill.
        const auto drift = categoricalDrift(CategoricalReference::build(std::vector<std::int32_t>{3, 2, 2}),
                                            std::vector<std::int32_t>{1, 2, 3});
        QVERIFY(std::abs(*drift.psi - 2.934147) < 1e-6);
        QCOMPARE(drift.unseenCategories, std::vector<std::int32_t>{1});
    }

    void upstreamFrourosChiSquare()
    {
        // #18: a,a,b,a,a,b vs b,a,c,c,c,c -> 6.13333333, p 0.04657615, dof 2.
        const auto drift =
            categoricalDrift(CategoricalReference::build(std::vector<std::int32_t>{0, 0, 1, 0, 0, 1}),
                             std::vector<std::int32_t>{1, 0, 2, 2, 2, 2});
        QVERIFY(std::abs(drift.chiSquare->statistic - 6.13333333) < 1e-8);
        QVERIFY(std::abs(drift.chiSquare->pValue - 0.04657615) < 1e-8);
        QCOMPARE(drift.chiSquare->dof, 2);
    }

    void upstreamWhylogsHellinger_data()
    {
        QTest::addColumn<int>("ref");
        QTest::addColumn<int>("cur");
        QTest::addColumn<double>("expected");
        QTest::newRow("[0] vs [5]") << 0 << 5 << 1.0;
        QTest::newRow("[5] vs [5]") << 5 << 5 << 0.0;
        QTest::newRow("[0] vs [0]") << 0 << 0 << 0.0;
    }
    void upstreamWhylogsHellinger()
    {
        QFETCH(int, ref);
        QFETCH(int, cur);
        QFETCH(double, expected);
        const auto drift = categoricalDrift(CategoricalReference::build(std::vector<std::int32_t>{ref}),
                                            std::vector<std::int32_t>{cur});
        QCOMPARE(*drift.hellinger, expected);
    }
};

QTEST_GUILESS_MAIN(TestDriftCategorical)
#include "tst_drift_categorical.moc"
