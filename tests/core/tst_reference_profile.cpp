// The reference profile file: a round trip keeps every number bit for bit (Inf included),
// and malformed or foreign files give one clear error. Equality of drift results with and
// without a profile is tested end to end in tests/cli/test_drift_report.py.
#include "engine/reference_profile.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

using namespace vigil;

namespace {

ReferenceProfile sample()
{
    ReferenceProfile p;
    p.reference = {1000, 2000, 7, "range", 0};
    p.predictionKind = "score";
    ProfileFeature amount;
    amount.name = "amount \"x\"";
    amount.numeric.rows = 7;
    amount.numeric.missing = 2;
    amount.numeric.values = {-std::numeric_limits<double>::infinity(), 0.1, 1.0 / 3.0, 5e-300,
                             std::numeric_limits<double>::infinity()};
    amount.numeric.edges = {0.2, 0.30000000000000004};
    amount.numeric.binCounts = {2, 1, 2};
    amount.numeric.mean = 0.14444444444444443;
    amount.numeric.stdDev = std::nullopt;
    amount.referenceEffects = {0.01, 0.025};
    amount.referenceCounts = {100, 120};
    ProfileFeature country;
    country.name = "country";
    country.categorical = true;
    country.cat = {7, 1, {"DE", "FR", "ü,\n"}, {3, 2, 1}};
    ProfileFeature prediction;
    prediction.name = "prediction";
    prediction.numeric.rows = 1;
    prediction.numeric.values = {0.5};
    prediction.numeric.binCounts = {1};
    ProfileFeature label;
    label.name = "label";
    label.numeric.rows = 1;
    label.numeric.missing = 1;
    label.numeric.binCounts = {0};
    label.numeric.exact = true;
    p.features = {amount, country, prediction, label};
    PcaReconstruction::State s;
    s.numericFill = {0.5};
    s.categoricalFill = {2};
    s.frequencies = {{{0, 0.5}, {2, 0.25}}};
    s.mean = {1.5, 0.125};
    s.scale = {2.0, 1.0};
    s.components = 1;
    s.basis = {0.6, 0.8};
    p.pca = s;
    p.multivariateReferenceErrors = {1.25, 1.5};
    p.hasCalibrator = true;
    p.calibratorX = {0.1, 0.9};
    p.calibratorY = {0.0, 1.0};
    return p;
}

bool same(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

class TestReferenceProfile : public QObject
{
    Q_OBJECT

  private slots:
    void roundTrip()
    {
        const ReferenceProfile p = sample();
        const std::string text = referenceProfileToJson(p);
        const auto q = parseReferenceProfile(text);
        QVERIFY2(q.ok(), q.ok() ? "" : q.error().message.c_str());
        QCOMPARE(referenceProfileToJson(q.value()), text);
        const ProfileFeature& a = q.value().features[0];
        QCOMPARE(a.name, p.features[0].name);
        QCOMPARE(a.numeric.values.size(), p.features[0].numeric.values.size());
        for (std::size_t i = 0; i < a.numeric.values.size(); ++i)
            QVERIFY(same(a.numeric.values[i], p.features[0].numeric.values[i]));
        QVERIFY(!a.numeric.stdDev);
        QCOMPARE(q.value().features[1].cat.categories, p.features[1].cat.categories);
        QCOMPARE(q.value().pca->basis, p.pca->basis);
        QCOMPARE(q.value().pca->frequencies, p.pca->frequencies);
        QCOMPARE(q.value().reference.source, std::string("range"));
        QCOMPARE(q.value().calibratorY, p.calibratorY);
        QCOMPARE(a.referenceCounts, p.features[0].referenceCounts);
    }

    void referenceCountsOptional()
    {
        // A profile written before the size-scaled band: no reference_counts, a flat band.
        std::string text = referenceProfileToJson(sample());
        const std::string counts = ", \"reference_counts\": [100,120]";
        const auto at = text.find(counts);
        QVERIFY(at != std::string::npos);
        text.erase(at, counts.size());
        const auto q = parseReferenceProfile(text);
        QVERIFY2(q.ok(), q.ok() ? "" : q.error().message.c_str());
        QVERIFY(q.value().features[0].referenceCounts.empty());
        QCOMPARE(q.value().features[0].referenceEffects, (std::vector<double>{0.01, 0.025}));
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("needle");
        QTest::newRow("version") << "\"vigil_reference_profile\": 1"
                                 << "\"vigil_reference_profile\": 2"
                                 << "version 2 is not supported";
        QTest::newRow("not a profile") << "\"vigil_reference_profile\": 1"
                                       << "\"vigil_report\": 1"
                                       << "not a vigil reference profile";
        QTest::newRow("bad kind") << "\"kind\": \"categorical\""
                                  << "\"kind\": \"text\""
                                  << "kind must be";
        QTest::newRow("counts length") << "\"counts\": [3,2,1]"
                                       << "\"counts\": [3,2]"
                                       << "3 categories but 2 counts";
        QTest::newRow("missing key") << "\"bin_counts\""
                                     << "\"bins\""
                                     << "has no 'bin_counts'";
        QTest::newRow("pca sizes") << "\"basis\": [0.6,0.8]"
                                   << "\"basis\": [0.6]"
                                   << "'pca' sizes";
        QTest::newRow("values vs rows") << "\"rows\": 7, \"missing\": 2"
                                        << "\"rows\": 9, \"missing\": 2"
                                        << "values + missing != rows";
        // Found by fuzz_reference_profile: a huge double cast to int64 was undefined behaviour.
        QTest::newRow("start_ms too large") << "\"start_ms\": 1000"
                                            << "\"start_ms\": 1.7e29"
                                            << "'reference.start_ms' must be an integer";
        QTest::newRow("end_ms fractional") << "\"end_ms\": 2000"
                                           << "\"end_ms\": 2000.5"
                                           << "'reference.end_ms' must be an integer";
        QTest::newRow("pca components") << "\"components\": 1"
                                        << "\"components\": 4294967297"
                                        << "pca components out of range";
        QTest::newRow("category code") << "\"categorical_fill\": [2]"
                                       << "\"categorical_fill\": [2.7e11]"
                                       << "must hold integer category codes";
        QTest::newRow("reference counts length") << "\"reference_counts\": [100,120]"
                                                 << "\"reference_counts\": [100]"
                                                 << "one reference count per reference effect";
        QTest::newRow("not JSON") << "{"
                                  << "["
                                  << "";
    }

    void rejects()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, needle);
        std::string text = referenceProfileToJson(sample());
        const auto at = text.find(from.toStdString());
        QVERIFY2(at != std::string::npos, qPrintable(from));
        text.replace(at, static_cast<std::size_t>(from.toUtf8().size()), to.toStdString());
        const auto r = parseReferenceProfile(text);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find(needle.toStdString()) != std::string::npos,
                 r.error().message.c_str());
        QVERIFY(r.error().message.find('\n') == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestReferenceProfile)
#include "tst_reference_profile.moc"
