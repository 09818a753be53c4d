// The stats functions against numpy/sklearn results written by
// tests/core/reference/make_stats_reference.py into tests/data/stats/reference.json.
#include "reference_compare.h"
#include "stats/classification.h"
#include "stats/moments.h"
#include "stats/quantile.h"
#include "stats/regression.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace vigil;
using vigil::test::decodeNumbers;

namespace {

const QJsonObject& reference()
{
    static const QJsonObject ref = vigil::test::loadReference(QStringLiteral("stats/reference.json"));
    return ref;
}

void addCaseRows(const QString& section)
{
    QTest::addColumn<int>("index");
    const QJsonArray cases = reference().value(section).toArray();
    QVERIFY2(!cases.isEmpty(), qPrintable(section));
    for (int i = 0; i < cases.size(); ++i)
        QTest::newRow(qPrintable(cases[i].toObject().value(QStringLiteral("name")).toString())) << i;
}

QJsonObject caseAt(const QString& section, int index)
{
    return reference().value(section).toArray().at(index).toObject();
}

void compareClassification(const stats::ClassificationMetrics& m, const QJsonObject& e)
{
    VIGIL_COMPARE_VALUE(m.accuracy, e[QStringLiteral("accuracy")], "accuracy");
    VIGIL_COMPARE_VALUE(m.precision, e[QStringLiteral("precision")], "precision");
    VIGIL_COMPARE_VALUE(m.recall, e[QStringLiteral("recall")], "recall");
    VIGIL_COMPARE_VALUE(m.f1, e[QStringLiteral("f1")], "f1");
    VIGIL_COMPARE_VALUE(m.rocAuc, e[QStringLiteral("rocAuc")], "rocAuc");
    VIGIL_COMPARE_VALUE(m.logLoss, e[QStringLiteral("logLoss")], "logLoss");
    VIGIL_COMPARE_VALUE(m.brier, e[QStringLiteral("brier")], "brier");
    QCOMPARE(m.used, static_cast<std::uint64_t>(e[QStringLiteral("used")].toInt()));
    QCOMPARE(m.excluded, static_cast<std::uint64_t>(e[QStringLiteral("excluded")].toInt()));
}

} // namespace

class TestStats : public QObject
{
    Q_OBJECT

  private slots:
    void quantilesMatchNumpy_data() { addCaseRows(QStringLiteral("quantile")); }
    void quantilesMatchNumpy()
    {
        QFETCH(int, index);
        const QJsonObject c = caseAt(QStringLiteral("quantile"), index);
        const std::vector<double> values = decodeNumbers(c[QStringLiteral("values")]);
        const std::vector<double> qs = decodeNumbers(reference()[QStringLiteral("quantileQs")]);
        const QJsonArray expected = c[QStringLiteral("expected")].toArray();
        const auto all = stats::quantiles(values, qs);
        for (std::size_t i = 0; i < qs.size(); ++i) {
            VIGIL_COMPARE_VALUE(all[i], expected[static_cast<int>(i)], "quantile (batch)");
            // One at a time must agree with the batch, which partitions incrementally.
            std::vector<double> copy = values;
            VIGIL_COMPARE_VALUE(stats::quantileInPlace(copy, qs[i]), expected[static_cast<int>(i)],
                                "quantile (single)");
        }
        // Reversed order of requests exercises the ordering of partial partitions.
        std::vector<double> reversed(qs.rbegin(), qs.rend());
        const auto back = stats::quantiles(values, reversed);
        for (std::size_t i = 0; i < qs.size(); ++i)
            VIGIL_COMPARE_VALUE(back[qs.size() - 1 - i], expected[static_cast<int>(i)],
                                "quantile (reversed)");
    }

    // The running form (live following): values kept sorted, NaN left out, in one run or
    // split into two sorted runs in several ways; numpy's numbers all the same.
    void sortedRunsMatchNumpy_data() { addCaseRows(QStringLiteral("quantile")); }
    void sortedRunsMatchNumpy()
    {
        QFETCH(int, index);
        const QJsonObject c = caseAt(QStringLiteral("quantile"), index);
        std::vector<double> values = decodeNumbers(c[QStringLiteral("values")]);
        std::erase_if(values, [](double v) { return std::isnan(v); });
        const std::vector<double> qs = decodeNumbers(reference()[QStringLiteral("quantileQs")]);
        const QJsonArray expected = c[QStringLiteral("expected")].toArray();
        std::vector<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        const auto one = stats::quantilesSorted(sorted, qs);
        for (std::size_t i = 0; i < qs.size(); ++i)
            VIGIL_COMPARE_VALUE(one[i], expected[static_cast<int>(i)], "quantile (sorted)");
        // Splits by position in the original order: first k values in one run, the rest in
        // the other (k = 0 and k = n leave a run empty); and every other value.
        std::vector<std::pair<std::vector<double>, std::vector<double>>> splits;
        for (std::size_t k :
             {std::size_t{0}, values.size() / 3, values.size() - values.size() / 8, values.size()}) {
            splits.emplace_back(
                std::vector<double>(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k)),
                std::vector<double>(values.begin() + static_cast<std::ptrdiff_t>(k), values.end()));
        }
        splits.emplace_back();
        for (std::size_t i = 0; i < values.size(); ++i)
            (i % 2 ? splits.back().first : splits.back().second).push_back(values[i]);
        for (auto& [a, b] : splits) {
            std::sort(a.begin(), a.end());
            std::sort(b.begin(), b.end());
            const auto two = stats::quantilesSorted(a, b, qs);
            const auto swapped = stats::quantilesSorted(b, a, qs);
            for (std::size_t i = 0; i < qs.size(); ++i) {
                VIGIL_COMPARE_VALUE(two[i], expected[static_cast<int>(i)], "quantile (two runs)");
                VIGIL_COMPARE_VALUE(swapped[i], expected[static_cast<int>(i)],
                                    "quantile (two runs, swapped)");
            }
        }
    }

    void scoreMetricsMatchSklearn_data() { addCaseRows(QStringLiteral("score")); }
    void scoreMetricsMatchSklearn()
    {
        QFETCH(int, index);
        const QJsonObject c = caseAt(QStringLiteral("score"), index);
        const auto m = stats::scoreMetrics(decodeNumbers(c[QStringLiteral("score")]),
                                           decodeNumbers(c[QStringLiteral("label")]),
                                           c[QStringLiteral("threshold")].toDouble());
        compareClassification(m, c[QStringLiteral("expected")].toObject());
    }

    void classLabelMetricsMatchSklearn_data() { addCaseRows(QStringLiteral("classLabel")); }
    void classLabelMetricsMatchSklearn()
    {
        QFETCH(int, index);
        const QJsonObject c = caseAt(QStringLiteral("classLabel"), index);
        const auto m = stats::classLabelMetrics(decodeNumbers(c[QStringLiteral("prediction")]),
                                                decodeNumbers(c[QStringLiteral("label")]));
        compareClassification(m, c[QStringLiteral("expected")].toObject());
    }

    void regressionMetricsMatchSklearn_data() { addCaseRows(QStringLiteral("regression")); }
    void regressionMetricsMatchSklearn()
    {
        QFETCH(int, index);
        const QJsonObject c = caseAt(QStringLiteral("regression"), index);
        const auto m = stats::regressionMetrics(decodeNumbers(c[QStringLiteral("prediction")]),
                                                decodeNumbers(c[QStringLiteral("label")]));
        const QJsonObject e = c[QStringLiteral("expected")].toObject();
        VIGIL_COMPARE_VALUE(m.mae, e[QStringLiteral("mae")], "mae");
        VIGIL_COMPARE_VALUE(m.rmse, e[QStringLiteral("rmse")], "rmse");
        VIGIL_COMPARE_VALUE(m.r2, e[QStringLiteral("r2")], "r2");
        QCOMPARE(m.used, static_cast<std::uint64_t>(e[QStringLiteral("used")].toInt()));
        QCOMPARE(m.excluded, static_cast<std::uint64_t>(e[QStringLiteral("excluded")].toInt()));
    }

    void quantileOutsideUnitIntervalIsUndefined()
    {
        const std::vector<double> v = {1.0, 2.0, 3.0};
        const std::vector<double> qs = {-0.1, 1.5, std::numeric_limits<double>::quiet_NaN(), 0.5};
        const auto r = stats::quantiles(v, qs);
        QVERIFY(!r[0] && !r[1] && !r[2]);
        QCOMPARE(*r[3], 2.0);
    }

    void aucIsExactForTies()
    {
        // 2 positives, 2 negatives, all tied: every pair counts one half.
        const std::vector<double> s = {0.3, 0.3, 0.3, 0.3}, y = {1, 0, 1, 0};
        QCOMPARE(*stats::rocAuc(s, y), 0.5);
        const std::vector<double> onlyPositive = {1, 1, 1, 1};
        QVERIFY(!stats::rocAuc(s, onlyPositive));
    }

    void finiteAccumulatorCountsNonFinite()
    {
        stats::FiniteAccumulator acc;
        QVERIFY(!acc.mean());
        for (double v :
             {1.0, std::numeric_limits<double>::quiet_NaN(), 3.0, std::numeric_limits<double>::infinity()})
            acc.add(v);
        QCOMPARE(acc.count(), 4u);
        QCOMPARE(acc.nonFinite(), 2u);
        QCOMPARE(acc.sum(), 4.0);
        QCOMPARE(*acc.mean(), 2.0);
    }
};

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"
