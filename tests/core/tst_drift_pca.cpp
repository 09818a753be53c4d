// PCA reconstruction error against sklearn (StandardScaler + PCA(n_components=0.65)) with
// NannyML's imputation and frequency encoding (make_drift_reference.py, "pca").
#include "drift/pca_reconstruction.h"
#include "drift_reference.h"

#include <QTest>

using namespace vigil;

namespace {

struct Table
{
    std::vector<std::vector<double>> numeric;
    std::vector<std::int32_t> categorical;

    FeatureColumns columns() const
    {
        FeatureColumns c;
        for (const auto& col : numeric)
            c.numeric.emplace_back(col);
        c.categorical.emplace_back(categorical);
        return c;
    }
};

Table decodeTable(const QJsonObject& o)
{
    Table t;
    for (const auto& col : o.value(QLatin1String("numeric")).toArray()) {
        std::vector<double> v;
        for (const auto& x : col.toArray())
            v.push_back(drifttest::decodeValue(x));
        t.numeric.push_back(std::move(v));
    }
    for (const auto& x : o.value(QLatin1String("categorical")).toArray())
        t.categorical.push_back(x.toInt());
    return t;
}

Table slice(const Table& t, std::size_t from, std::size_t count)
{
    Table s;
    for (const auto& col : t.numeric)
        s.numeric.emplace_back(col.begin() + static_cast<std::ptrdiff_t>(from),
                               col.begin() + static_cast<std::ptrdiff_t>(from + count));
    s.categorical.assign(t.categorical.begin() + static_cast<std::ptrdiff_t>(from),
                         t.categorical.begin() + static_cast<std::ptrdiff_t>(from + count));
    return s;
}

} // namespace

class TestDriftPca : public QObject
{
    Q_OBJECT

  private:
    QJsonObject m_pca;
    Table m_reference;

  private Q_SLOTS:
    void initTestCase()
    {
        m_pca = drifttest::loadReference().value(QLatin1String("pca")).toObject();
        QVERIFY2(!m_pca.isEmpty(), "pca section missing from tests/data/drift/reference.json");
        m_reference = decodeTable(m_pca.value(QLatin1String("reference")).toObject());
    }

    void referenceFit()
    {
        const auto model = PcaReconstruction::fit(m_reference.columns());
        QVERIFY(model.ok());
        QCOMPARE(model->components(), m_pca.value(QLatin1String("components")).toInt());
        QCOMPARE(model->features(), 4);
        const auto errors = model->rowErrors(m_reference.columns());
        QVERIFY(errors.ok());
        const auto head = m_pca.value(QLatin1String("reference_row_errors_head")).toArray();
        for (int i = 0; i < head.size(); ++i)
            QVERIFY2(drifttest::close(errors.value()[static_cast<std::size_t>(i)], head[i].toDouble(), 1e-9,
                                      1e-12),
                     qPrintable(QString::number(i)));
    }

    void windows_data()
    {
        QTest::addColumn<int>("index");
        const auto w = m_pca.value(QLatin1String("windows")).toArray();
        for (int i = 0; i < w.size(); ++i)
            QTest::newRow(qPrintable(w[i].toObject().value(QLatin1String("name")).toString())) << i;
    }
    void windows()
    {
        QFETCH(int, index);
        const auto w = m_pca.value(QLatin1String("windows")).toArray()[index].toObject();
        const auto model = PcaReconstruction::fit(m_reference.columns());
        QVERIFY(model.ok());
        const auto table = decodeTable(w.value(QLatin1String("table")).toObject());
        const auto mean = model->meanError(table.columns());
        QVERIFY(mean.ok());
        QVERIFY(mean.value().has_value());
        const double expected = w.value(QLatin1String("mean_error")).toDouble();
        QVERIFY2(
            drifttest::close(*mean.value(), expected, 1e-9),
            qPrintable(QStringLiteral("%1 vs %2").arg(*mean.value(), 0, 'g', 17).arg(expected, 0, 'g', 17)));
    }

    void bandFromReferenceChunks()
    {
        const auto model = PcaReconstruction::fit(m_reference.columns());
        std::vector<double> chunkMeans;
        for (std::size_t from = 0; from < 300; from += 100)
            chunkMeans.push_back(*model->meanError(slice(m_reference, from, 100).columns()).value());
        const auto expectedMeans = m_pca.value(QLatin1String("reference_chunk_means")).toArray();
        for (int i = 0; i < 3; ++i)
            QVERIFY(
                drifttest::close(chunkMeans[static_cast<std::size_t>(i)], expectedMeans[i].toDouble(), 1e-9));
        const auto band = referenceBand(chunkMeans);
        QVERIFY(band);
        const auto b = m_pca.value(QLatin1String("band")).toObject();
        QVERIFY(drifttest::close(band->mean, b.value(QLatin1String("mean")).toDouble(), 1e-9));
        QVERIFY(drifttest::close(band->stdDev, b.value(QLatin1String("std")).toDouble(), 1e-9));
        QVERIFY(drifttest::close(band->lower, b.value(QLatin1String("lower")).toDouble(), 1e-9));
        QVERIFY(drifttest::close(band->upper, b.value(QLatin1String("upper")).toDouble(), 1e-9));
        // The drifted windows leave the band, the unchanged one stays inside.
        const auto w = m_pca.value(QLatin1String("windows")).toArray();
        QVERIFY(w[0].toObject().value(QLatin1String("mean_error")).toDouble() <= band->upper);
        for (int i = 1; i < w.size(); ++i)
            QVERIFY(w[i].toObject().value(QLatin1String("mean_error")).toDouble() > band->upper);
    }

    void errorsAndEdgeCases()
    {
        QVERIFY(!PcaReconstruction::fit(FeatureColumns{}).ok());
        const std::vector<double> one = {1.0};
        FeatureColumns single;
        single.numeric.emplace_back(one);
        QVERIFY(!PcaReconstruction::fit(single).ok());

        const auto model = PcaReconstruction::fit(m_reference.columns());
        // Empty window: no value, not 0.
        Table empty;
        empty.numeric.resize(3);
        const auto mean = model->meanError(empty.columns());
        QVERIFY(mean.ok());
        QVERIFY(!mean.value().has_value());
        // Wrong column layout is an error, not a crash.
        FeatureColumns wrong;
        wrong.numeric.emplace_back(one);
        QVERIFY(!model->meanError(wrong).ok());

        // All-constant reference columns do not divide by zero.
        const std::vector<double> constant(20, 3.0);
        FeatureColumns flat;
        flat.numeric.emplace_back(constant);
        flat.numeric.emplace_back(constant);
        const auto flatModel = PcaReconstruction::fit(flat);
        QVERIFY(flatModel.ok());
        QCOMPARE(*flatModel->meanError(flat).value(), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestDriftPca)
#include "tst_drift_pca.moc"
