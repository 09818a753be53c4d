// The PCA reconstruction error's fast paths: the AVX2 kernel (pca_kernel) against a plain
// long double product, and PcaReconstruction's complement-of-the-basis scoring (fitted, and
// rebuilt from a saved state, where the complement comes from a QR) against the textbook
// ||x - V V^T x|| with the model's own mean, scale and basis. sklearn agreement itself is
// tst_drift_pca's job.
#include "drift/pca_kernel.h"
#include "drift/pca_reconstruction.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace vigil;

class TestDriftPcaKernel : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void kernel_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("ld");
        QTest::addColumn<int>("d");
        QTest::addColumn<int>("c");
        QTest::newRow("one value") << 1 << 1 << 1 << 1;
        QTest::newRow("no columns") << 13 << 13 << 7 << 0;
        QTest::newRow("partial tile and panel") << 11 << 16 << 5 << 3;
        QTest::newRow("one full tile") << 12 << 12 << 4 << 4;
        QTest::newRow("tile plus one") << 13 << 13 << 9 << 5;
        QTest::newRow("two blocks, depth pass edge") << 121 << 130 << 128 << 17;
        QTest::newRow("partial wide tile") << 23 << 23 << 6 << 2;
        QTest::newRow("several depth passes") << 250 << 250 << 300 << 41;
    }
    void kernel()
    {
        if (!pcakernel::available())
            QSKIP("this CPU has no AVX2/FMA; the Eigen path is used and tested by tst_drift_pca");
        QFETCH(int, rows);
        QFETCH(int, ld);
        QFETCH(int, d);
        QFETCH(int, c);
        std::mt19937_64 rng(static_cast<std::uint64_t>(rows * 1000 + d * 10 + c));
        std::normal_distribution<double> normal;
        std::vector<double> x(static_cast<std::size_t>(ld * d));
        std::vector<double> w(static_cast<std::size_t>(d * c));
        for (double& v : x)
            v = normal(rng);
        for (double& v : w)
            v = normal(rng);
        const auto packed =
            pcakernel::packColumns(w.data(), static_cast<std::size_t>(d), static_cast<std::size_t>(c));
        std::vector<pcakernel::Isa> isas{pcakernel::Isa::Avx2};
        if (pcakernel::hasAvx512())
            isas.push_back(pcakernel::Isa::Avx512);
        for (const pcakernel::Isa isa : isas) {
            std::vector<double> out(static_cast<std::size_t>(rows), -1.0);
            pcakernel::squaredProjectionsWith(isa, x.data(), static_cast<std::size_t>(rows),
                                              static_cast<std::size_t>(ld), static_cast<std::size_t>(d),
                                              packed, static_cast<std::size_t>(c), out.data());
            for (int r = 0; r < rows; ++r) {
                long double expected = 0.0L;
                for (int col = 0; col < c; ++col) {
                    long double dot = 0.0L;
                    for (int p = 0; p < d; ++p)
                        dot += static_cast<long double>(x[static_cast<std::size_t>(r + p * ld)]) *
                               w[static_cast<std::size_t>(p + col * d)];
                    expected += dot * dot;
                }
                const double e = static_cast<double>(expected);
                QVERIFY2(std::abs(out[static_cast<std::size_t>(r)] - e) <= 1e-12 * std::max(1.0, e),
                         qPrintable(QStringLiteral("%1, row %2: %3 vs %4")
                                        .arg(isa == pcakernel::Isa::Avx2 ? QStringLiteral("AVX2")
                                                                         : QStringLiteral("AVX-512"))
                                        .arg(r)
                                        .arg(out[static_cast<std::size_t>(r)], 0, 'g', 17)
                                        .arg(e, 0, 'g', 17)));
            }
        }
    }

    // Nearly independent columns keep more than a third of the directions, so the error is
    // the norm of the projection on the discarded ones; columns sharing one strong factor
    // keep one component and take the two-product path.
    void complementScoringMatchesReconstruction_data()
    {
        QTest::addColumn<int>("features");
        QTest::addColumn<int>("rows");
        QTest::addColumn<double>("common");
        QTest::addColumn<bool>("complement");
        QTest::newRow("3 features") << 3 << 50 << 0.0 << true;
        QTest::newRow("40 features") << 40 << 600 << 0.0 << true;
        QTest::newRow("150 features, several row blocks") << 150 << 2500 << 0.0 << true;
        QTest::newRow("one common factor") << 12 << 300 << 5.0 << false;
    }
    void complementScoringMatchesReconstruction()
    {
        QFETCH(int, features);
        QFETCH(int, rows);
        QFETCH(double, common);
        QFETCH(bool, complement);
        std::mt19937_64 rng(static_cast<std::uint64_t>(features));
        std::normal_distribution<double> normal;
        const auto sample = [&](double shift) {
            std::vector<double> factor;
            for (int r = 0; r < rows; ++r)
                factor.push_back(common * normal(rng));
            std::vector<std::vector<double>> cols(static_cast<std::size_t>(features));
            for (auto& col : cols)
                for (int r = 0; r < rows; ++r)
                    col.push_back(shift + factor[static_cast<std::size_t>(r)] + normal(rng));
            // One correlated pair, and a missing value imputed with the mean.
            for (int r = 0; r < rows && features > 1; ++r)
                cols[1][static_cast<std::size_t>(r)] += 0.8 * cols[0][static_cast<std::size_t>(r)];
            cols[0][0] = std::numeric_limits<double>::quiet_NaN();
            return cols;
        };
        const auto view = [](const std::vector<std::vector<double>>& cols) {
            FeatureColumns v;
            for (const auto& c : cols)
                v.numeric.emplace_back(c);
            return v;
        };
        const auto reference = sample(0.0);
        const auto window = sample(0.2);
        const auto model = PcaReconstruction::fit(view(reference));
        QVERIFY(model.ok());
        QVERIFY(model->components() > 0);
        // The path this row is meant to exercise: more than a third of the directions kept.
        QCOMPARE(3 * model->components() > features, complement);
        const auto fitted = model->rowErrors(view(window));
        const auto rebuilt = PcaReconstruction::fromState(model->state()).rowErrors(view(window));
        QVERIFY(fitted.ok() && rebuilt.ok());

        const PcaReconstruction::State s = model->state();
        const auto d = static_cast<Eigen::Index>(features);
        const Eigen::Map<const Eigen::MatrixXd> basis(s.basis.data(), d, s.components);
        for (int r = 0; r < rows; ++r) {
            Eigen::VectorXd x(d);
            for (Eigen::Index j = 0; j < d; ++j) {
                const double v = window[static_cast<std::size_t>(j)][static_cast<std::size_t>(r)];
                const double filled = std::isfinite(v) ? v : s.numericFill[static_cast<std::size_t>(j)];
                x[j] = (filled - s.mean[static_cast<std::size_t>(j)]) / s.scale[static_cast<std::size_t>(j)];
            }
            const double expected = (x - basis * (basis.transpose() * x)).norm();
            const double a = fitted.value()[static_cast<std::size_t>(r)];
            const double b = rebuilt.value()[static_cast<std::size_t>(r)];
            QVERIFY2(std::abs(a - expected) <= 1e-10 * std::max(1.0, expected),
                     qPrintable(QStringLiteral("row %1 fitted %2 vs %3")
                                    .arg(r)
                                    .arg(a, 0, 'g', 17)
                                    .arg(expected, 0, 'g', 17)));
            QVERIFY2(std::abs(b - expected) <= 1e-10 * std::max(1.0, expected),
                     qPrintable(QStringLiteral("row %1 rebuilt %2 vs %3")
                                    .arg(r)
                                    .arg(b, 0, 'g', 17)
                                    .arg(expected, 0, 'g', 17)));
        }
    }
};

QTEST_GUILESS_MAIN(TestDriftPcaKernel)
#include "tst_drift_pca_kernel.moc"
