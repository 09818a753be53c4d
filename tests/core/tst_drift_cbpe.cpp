// CBPE against an independent numpy/sklearn implementation (reference/make_cbpe_reference.py):
// the isotonic calibrator, NannyML's needs_calibration rule and the per-window estimates.
#include "drift/cbpe.h"
#include "drift_reference.h"

#include <QFile>
#include <QTest>

using namespace vigil;

namespace {

std::vector<double> doubles(const QJsonValue& v)
{
    std::vector<double> out;
    for (const auto& x : v.toArray())
        out.push_back(x.toDouble());
    return out;
}

QJsonObject loadCbpe()
{
    QFile file(QStringLiteral(VIGIL_TEST_DATA_DIR "/drift/cbpe.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

void compare(const std::optional<double>& actual, const QJsonValue& expected, const char* what)
{
    if (expected.isNull()) {
        QVERIFY2(!actual, what);
        return;
    }
    QVERIFY2(actual.has_value(), what);
    QVERIFY2(
        std::abs(*actual - expected.toDouble()) < 1e-9,
        qPrintable(
            QStringLiteral("%1: %2 vs %3").arg(QLatin1String(what)).arg(*actual).arg(expected.toDouble())));
}

} // namespace

class TestDriftCbpe : public QObject
{
    Q_OBJECT

  private:
    QJsonObject m_doc;
    std::vector<double> m_scores, m_labels;

  private slots:
    void initTestCase()
    {
        m_doc = loadCbpe();
        QVERIFY2(!m_doc.isEmpty(), "tests/data/drift/cbpe.json missing");
        const auto ref = m_doc.value(QLatin1String("reference")).toObject();
        m_scores = doubles(ref.value(QLatin1String("scores")));
        m_labels = doubles(ref.value(QLatin1String("labels")));
        QCOMPARE(m_scores.size(), m_labels.size());
    }

    void isotonicMatchesSklearn()
    {
        const auto c = IsotonicCalibrator::fit(m_scores, m_labels);
        const auto probes = doubles(m_doc.value(QLatin1String("probes")));
        const auto expected = doubles(m_doc.value(QLatin1String("calibrated_probes")));
        QCOMPARE(probes.size(), expected.size());
        for (std::size_t i = 0; i < probes.size(); ++i)
            QVERIFY2(
                std::abs(c(probes[i]) - expected[i]) < 1e-12,
                qPrintable(
                    QStringLiteral("probe %1: %2 vs %3").arg(probes[i]).arg(c(probes[i])).arg(expected[i])));
        // The fitted means never decrease.
        for (std::size_t i = 1; i < c.y().size(); ++i)
            QVERIFY(c.y()[i] >= c.y()[i - 1]);
        // Rebuilt from its points it maps every score the same.
        const auto copy = IsotonicCalibrator::fromPoints(c.x(), c.y());
        for (double s : m_scores)
            QCOMPARE(copy(s), c(s));
    }

    void expectedCalibrationError()
    {
        compare(vigil::expectedCalibrationError(m_scores, m_labels), m_doc.value(QLatin1String("ece_before")),
                "ece before");
        const auto c = IsotonicCalibrator::fit(m_scores, m_labels);
        std::vector<double> after;
        for (double s : m_scores)
            after.push_back(c(s));
        compare(vigil::expectedCalibrationError(after, m_labels), m_doc.value(QLatin1String("ece_after")),
                "ece after");
        QVERIFY(!vigil::expectedCalibrationError(std::vector<double>{0.1, 0.2, 0.3},
                                                 std::vector<double>{0.0, 1.0, 0.0}));
    }

    void needsCalibrationRule()
    {
        QCOMPARE(needsCalibration(m_scores, m_labels),
                 m_doc.value(QLatin1String("needs_calibration")).toBool());
        const auto sep = m_doc.value(QLatin1String("separable")).toObject();
        QCOMPARE(needsCalibration(doubles(sep.value(QLatin1String("scores"))),
                                  doubles(sep.value(QLatin1String("labels")))),
                 sep.value(QLatin1String("needs_calibration")).toBool());
        const std::vector<double> ones(50, 1.0);
        QCOMPARE(needsCalibration(std::span(m_scores).first(50), ones),
                 m_doc.value(QLatin1String("single_class"))
                     .toObject()
                     .value(QLatin1String("needs_calibration"))
                     .toBool());
        // The separable reference gets the identity.
        QVERIFY(fitCbpeCalibrator(doubles(sep.value(QLatin1String("scores"))),
                                  doubles(sep.value(QLatin1String("labels"))))
                    .identity());
    }

    void windowEstimates_data()
    {
        QTest::addColumn<int>("index");
        const auto windows = m_doc.value(QLatin1String("windows")).toArray();
        for (int i = 0; i < windows.size(); ++i)
            QTest::newRow(
                qPrintable(QStringLiteral("window %1 (%2 rows)")
                               .arg(i)
                               .arg(windows[i].toObject().value(QLatin1String("scores")).toArray().size())))
                << i;
    }

    void windowEstimates()
    {
        QFETCH(int, index);
        const auto w = m_doc.value(QLatin1String("windows")).toArray()[index].toObject();
        const auto scores = doubles(w.value(QLatin1String("scores")));
        const auto calibrator = fitCbpeCalibrator(m_scores, m_labels);
        QCOMPARE(calibrator.identity(), !m_doc.value(QLatin1String("needs_calibration")).toBool());
        std::vector<double> p;
        for (double s : scores)
            p.push_back(calibrator(s));
        const auto e = estimateWindow(scores, p, m_doc.value(QLatin1String("threshold")).toDouble());
        const auto expected = w.value(QLatin1String("expected")).toObject();
        compare(e.accuracy, expected.value(QLatin1String("accuracy")), "accuracy");
        compare(e.f1, expected.value(QLatin1String("f1")), "f1");
        compare(e.rocAuc, expected.value(QLatin1String("roc_auc")), "roc_auc");
    }

    void emptyWindowIsNull()
    {
        const auto e = estimateWindow({}, {}, 0.5);
        QVERIFY(!e.accuracy && !e.f1 && !e.rocAuc);
        // Every row certainly negative and predicted negative: F1 is 0/0, AUC undefined.
        const std::vector<double> s{0.1, 0.2};
        const std::vector<double> p{0.0, 0.0};
        const auto z = estimateWindow(s, p, 0.5);
        QCOMPARE(*z.accuracy, 1.0);
        QVERIFY(!z.f1 && !z.rocAuc);
    }
};

QTEST_GUILESS_MAIN(TestDriftCbpe)
#include "tst_drift_cbpe.moc"
