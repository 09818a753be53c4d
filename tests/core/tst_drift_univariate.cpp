// Numeric drift statistics against SciPy/NumPy (tests/core/reference/make_drift_reference.py).
#include "drift/kolmogorov.h"
#include "drift/ks.h"
#include "drift/numeric_drift.h"
#include "drift_reference.h"

#include <QTest>

using namespace vigil;

namespace {

constexpr double kRel = 1e-9;
constexpr double kPRel = 1e-7;
constexpr double kPAbs = 1e-12;

QString describe(double actual, double expected)
{
    return QStringLiteral("actual %1 expected %2").arg(actual, 0, 'g', 17).arg(expected, 0, 'g', 17);
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
             qPrintable(QLatin1String(what) + QLatin1Char(' ') + describe(*actual, *expected)));
}

} // namespace

class TestDriftUnivariate : public QObject
{
    Q_OBJECT

  private:
    QJsonObject m_ref;

    void addRows(const char* table)
    {
        QTest::addColumn<int>("index");
        const auto rows = m_ref.value(QLatin1String(table)).toArray();
        QVERIFY(!rows.isEmpty());
        for (int i = 0; i < rows.size(); ++i) {
            const auto o = rows[i].toObject();
            const QString name = o.contains(QLatin1String("name"))
                                     ? o.value(QLatin1String("name")).toString()
                                     : QStringLiteral("n=%1 d=%2")
                                           .arg(o.value(QLatin1String("n")).toInteger())
                                           .arg(o.value(QLatin1String("d")).toDouble(), 0, 'g', 10);
            QTest::newRow(qPrintable(name)) << i;
        }
    }

  private Q_SLOTS:
    void initTestCase()
    {
        m_ref = drifttest::loadReference();
        QVERIFY2(!m_ref.isEmpty(), "tests/data/drift/reference.json missing or unreadable");
    }

    void kolmogorovSf_data() { addRows("kolmogorov"); }
    void kolmogorovSf()
    {
        QFETCH(int, index);
        const auto o = m_ref.value(QLatin1String("kolmogorov")).toArray()[index].toObject();
        const auto n = o.value(QLatin1String("n")).toInteger();
        const double d = o.value(QLatin1String("d")).toDouble();
        const double expected = o.value(QLatin1String("sf")).toDouble();
        const double actual = vigil::kolmogorovSf(n, d);
        QVERIFY2(drifttest::close(actual, expected, kPRel, kPAbs), qPrintable(describe(actual, expected)));
    }

    void smirnovSf_data() { addRows("smirnov"); }
    void smirnovSf()
    {
        QFETCH(int, index);
        const auto o = m_ref.value(QLatin1String("smirnov")).toArray()[index].toObject();
        const double actual =
            vigil::smirnovSf(o.value(QLatin1String("n")).toInteger(), o.value(QLatin1String("d")).toDouble());
        const double expected = o.value(QLatin1String("sf")).toDouble();
        QVERIFY2(drifttest::close(actual, expected, kPRel, kPAbs), qPrintable(describe(actual, expected)));
    }

    void numeric_data() { addRows("numeric"); }
    void numeric()
    {
        QFETCH(int, index);
        const auto o = m_ref.value(QLatin1String("numeric")).toArray()[index].toObject();
        const auto ref = drifttest::decodeSample(o.value(QLatin1String("ref")).toObject());
        const auto cur = drifttest::decodeSample(o.value(QLatin1String("cur")).toObject());
        const auto reference = NumericReference::build(ref);
        const auto drift = numericDrift(reference, cur);

        // Quantile edges must be bit-identical: they decide which bin a tie lands in.
        const auto edges = o.value(QLatin1String("edges")).toArray();
        QCOMPARE(reference.edges.size(), static_cast<std::size_t>(edges.size()));
        for (int i = 0; i < edges.size(); ++i)
            QCOMPARE(reference.edges[static_cast<std::size_t>(i)], drifttest::decodeValue(edges[i]));

        const auto ksD = drifttest::optionalNumber(o, "ks_d");
        const auto ksP = drifttest::optionalNumber(o, "ks_p");
        checkOptional(drift.ks ? std::optional(drift.ks->statistic) : std::nullopt, ksD, 1e-12, 0.0, "KS D");
        checkOptional(drift.ks ? std::optional(drift.ks->pValue) : std::nullopt, ksP, kPRel, kPAbs, "KS p");
        if (drift.ks)
            QCOMPARE(drift.ks->exact, o.value(QLatin1String("ks_exact")).toBool());

        // The stand-alone function (unsorted input with NaN) agrees with the reference path.
        const auto direct = ksTwoSample(ref, cur);
        QCOMPARE(direct.has_value(), drift.ks.has_value());
        if (direct) {
            QCOMPARE(direct->statistic, drift.ks->statistic);
            QCOMPARE(direct->pValue, drift.ks->pValue);
        }

        checkOptional(drift.wasserstein, drifttest::optionalNumber(o, "w1"), kRel, 1e-15, "W1");
        checkOptional(wasserstein(ref, cur), drifttest::optionalNumber(o, "w1"), kRel, 1e-15, "W1 free");
        checkOptional(drift.wassersteinNormed, drifttest::optionalNumber(o, "w1_normed"), kRel, 1e-15,
                      "W1 normed");
        checkOptional(drift.psi, drifttest::optionalNumber(o, "psi"), kRel, 1e-12, "PSI");
        checkOptional(drift.jensenShannon, drifttest::optionalNumber(o, "js"), kRel, 1e-12, "JS");
        checkOptional(drift.hellinger, drifttest::optionalNumber(o, "hellinger"), kRel, 1e-12, "Hellinger");

        const int rows = o.value(QLatin1String("rows")).toInt();
        const int missing = o.value(QLatin1String("missing")).toInt();
        const int refRows = o.value(QLatin1String("ref_rows")).toInt();
        const int refMissing = o.value(QLatin1String("ref_missing")).toInt();
        QCOMPARE(drift.missing.rows, static_cast<std::size_t>(rows));
        QCOMPARE(drift.missing.missing, static_cast<std::size_t>(missing));
        QCOMPARE(drift.missing.share.has_value(), rows > 0);
        if (rows > 0)
            QCOMPARE(*drift.missing.share, double(missing) / rows);
        if (rows > 0 && refRows > 0)
            QCOMPARE(*drift.missing.change, double(missing) / rows - double(refMissing) / refRows);
    }

    void ksSymmetricInSampleOrder()
    {
        // The exact two-sided p-value is symmetric in (n1, n2); D is too.
        const std::vector<double> a = {0.1, 0.4, 0.45, 0.9, 1.3, 2.0, 2.2};
        const std::vector<double> b = {0.5, 0.6, 1.1, 1.2, 3.0};
        const auto ab = ksTwoSample(a, b);
        const auto ba = ksTwoSample(b, a);
        QVERIFY(ab && ba);
        QCOMPARE(ab->statistic, ba->statistic);
        QCOMPARE(ab->pValue, ba->pValue);
    }

    void emptyGivesNullopt()
    {
        const std::vector<double> none;
        const std::vector<double> nans = {std::nan(""), std::nan("")};
        const std::vector<double> some = {1.0, 2.0};
        QVERIFY(!ksTwoSample(none, some));
        QVERIFY(!ksTwoSample(some, nans));
        QVERIFY(!wasserstein(some, none));
        const auto drift = numericDrift(NumericReference::build(some), nans);
        QVERIFY(!drift.ks && !drift.wasserstein && !drift.psi && !drift.jensenShannon && !drift.hellinger);
        QCOMPARE(*drift.missing.share, 1.0);
    }

    void infinitiesLandInOuterBins()
    {
        const std::vector<double> ref = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        const auto r = NumericReference::build(ref);
        const std::vector<double> cur = {-std::numeric_limits<double>::infinity(),
                                         std::numeric_limits<double>::infinity(), 5.5};
        const auto counts = countPerBin(r.edges, cur);
        QCOMPARE(counts.front(), 1.0);
        QCOMPARE(counts.back(), 1.0);
    }
};

QTEST_GUILESS_MAIN(TestDriftUnivariate)
#include "tst_drift_univariate.moc"
