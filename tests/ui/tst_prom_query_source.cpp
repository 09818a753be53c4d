// Resources ▸ Query Prometheus… end to end: a real /usr/bin/prometheus on a loopback
// port (scraping itself) answers range queries and metric names; its error words reach
// the banner verbatim, as do those of scrape_exporter.py's /api/v1 stand-in (execution,
// the 11,000-point refusal) and a refused connection; the window keeps serving events.
#include "../core/net_test_exporter.h"
#include "dialogs/prom_query_dialog.h"
#include "live/prom_query_source.h"
#include "live/resource_feed.h"
#include "main_window.h"
#include "net/prom_query_client.h"
#include "stall_probe.h"
#include "views/resources_view.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <map>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace vigil;

namespace {

constexpr const char* kPrometheus = "/usr/bin/prometheus";

#ifdef __SANITIZE_ADDRESS__
constexpr qint64 kBusyLimitMs = 250;
#else
constexpr qint64 kBusyLimitMs = 50;
#endif

// A port nobody listens on right now (bound, read back, closed): Qt Network is not linked.
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

} // namespace

class TstPromQuerySource : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_prometheus;
    QString m_promUrl; // empty when Prometheus is not installed or did not come up
    QString m_promProblem;
    TestExporter m_exporter;

    bool startPrometheus()
    {
        if (!QFile::exists(QString::fromLatin1(kPrometheus))) {
            m_promProblem = QStringLiteral("not installed: /usr/bin/prometheus (apt-get install prometheus; "
                                           "scripts/setup-deps.sh does)");
            return false;
        }
        const int port = freePort();
        const QString address = QStringLiteral("127.0.0.1:%1").arg(port);
        QFile config(m_dir.filePath(QStringLiteral("prometheus.yml")));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        config.write(QStringLiteral("global:\n  scrape_interval: 1s\nscrape_configs:\n"
                                    "  - job_name: self\n    static_configs:\n      - targets: ['%1']\n")
                         .arg(address)
                         .toUtf8());
        config.close();
        m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
        m_prometheus.setStandardOutputFile(m_dir.filePath(QStringLiteral("prometheus.log")));
        m_prometheus.start(QString::fromLatin1(kPrometheus),
                           {QStringLiteral("--config.file=") + config.fileName(),
                            QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("data")),
                            QStringLiteral("--web.listen-address=") + address});
        if (!m_prometheus.waitForStarted(5000))
            return false;
        const QString url = QStringLiteral("http://") + address;
        PromQueryClient client(url.toStdString());
        for (int i = 0; i < 150; ++i) {
            if (auto answer = client.query("1").get(); answer)
                return m_promUrl = url, true;
            QTest::qWait(100);
        }
        QFile log(m_dir.filePath(QStringLiteral("prometheus.log")));
        m_promProblem = log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll().right(2000))
                                                      : QStringLiteral("Prometheus did not come up");
        return false;
    }

  private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_exporter.start());
        if (!startPrometheus())
            qWarning("Prometheus tests will be skipped: %s", qPrintable(m_promProblem));
    }

    void cleanupTestCase()
    {
        if (m_prometheus.state() != QProcess::NotRunning) {
            m_prometheus.terminate();
            if (!m_prometheus.waitForFinished(5000)) {
                m_prometheus.kill();
                m_prometheus.waitForFinished(5000);
            }
        }
        m_exporter.stop();
    }

    void goodQueryBecomesSeries()
    {
        if (m_promUrl.isEmpty())
            QSKIP(qPrintable(m_promProblem));
        MainWindow window;
        window.resize(1200, 800);
        QSignalSpy done(window.promQuerySource(), &PromQuerySource::finished);
        QSignalSpy updated(window.resourceFeed(), &ResourceFeed::updated);
        StallProbe probe;
        probe.start();
        const QString promql =
            QStringLiteral("vector(1) or label_replace(vector(2), \"instance\", \"x:1\", \"\", \"\")");
        window.runPrometheusQuery(m_promUrl, promql);
        QVERIFY(done.wait(15000));
        probe.stop();
        QVERIFY2(probe.longestBusyMs() < kBusyLimitMs, qPrintable(QString::number(probe.longestBusyMs())));
        QVERIFY(window.bannerText().isEmpty());

        // No charts shown yet: the last hour, stepped for the chart width.
        const std::int64_t step =
            chooseStep(0, 3'600'000, std::max(window.resourcesView()->chartWidthPx(), 50));
        const std::size_t expectedPoints = static_cast<std::size_t>(3'600'000 / step + 1);
        const auto frames = done.first().at(0).value<std::shared_ptr<const ResourceFrames>>();
        QVERIFY(frames);
        QCOMPARE(frames->series.size(), std::size_t{2});
        std::map<std::string, double> valueOfInstance;
        for (const FrameSeries& s : frames->series) {
            QCOMPARE(s.name, promql.toStdString()); // vector() drops __name__: the query names it
            QCOMPARE(s.points.size(), expectedPoints);
            QVERIFY(s.points.back().timestampMs - s.points.front().timestampMs ==
                    static_cast<std::int64_t>(expectedPoints - 1) * step);
            for (const PromPoint& p : s.points)
                QCOMPARE(p.value, s.points.front().value);
            valueOfInstance[s.instance] = s.points.front().value;
        }
        QCOMPARE(valueOfInstance, (std::map<std::string, double>{{"", 1.0}, {"x:1", 2.0}}));

        // ...and drawn as the Resources view's query chart.
        QTRY_VERIFY_WITH_TIMEOUT(
            !updated.isEmpty() &&
                updated.last().at(0).value<std::shared_ptr<const ResourceViewData>>()->query,
            5000);
        const auto data = updated.last().at(0).value<std::shared_ptr<const ResourceViewData>>();
        QCOMPARE(data->query->title, promql.toStdString());
        QCOMPARE(data->query->totalLines, std::size_t{2});
        QCOMPARE(data->query->lines.size(), std::size_t{2});
        if (const QByteArray dir = qgetenv("VIGIL_TEST_GRAB_DIR"); !dir.isEmpty()) { // to look at it
            QTest::qWait(500);
            window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/prom_query_window.png"));
        }
    }

    void metricNamesFillTheCompleter()
    {
        if (m_promUrl.isEmpty())
            QSKIP(qPrintable(m_promProblem));
        PromQuerySource source;
        PromQueryDialog dialog(&source);
        dialog.setUrl(m_promUrl);
        // Prometheus scrapes itself every second; its own metrics appear after the first scrape.
        QTRY_VERIFY_WITH_TIMEOUT((dialog.fetchMetricNames(), QTest::qWait(200),
                                  dialog.metricNames().contains(QStringLiteral("prometheus_build_info"))),
                                 15000);
        if (const QByteArray dir = qgetenv("VIGIL_TEST_GRAB_DIR"); !dir.isEmpty()) {
            dialog.setPromql(QStringLiteral("prometheus_http"));
            dialog.show();
            dialog.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/prom_query_dialog.png"));
        }
    }

    void errorsShownVerbatim_data()
    {
        QTest::addColumn<QString>("server"); // "prometheus", "standin" or "closed"
        QTest::addColumn<QString>("promql");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad PromQL") << "prometheus"
                                    << "rate("
                                    << "bad_data: 1:6: parse error";
        QTest::newRow("bad function")
            << "prometheus"
            << "nosuchfn(up)"
            << "bad_data: 1:1: parse error: unknown function with name \"nosuchfn\"";
        QTest::newRow("execution") << "standin"
                                   << "ERROR execution query processing would load too many samples"
                                   << "execution: query processing would load too many samples";
        QTest::newRow("11,000 points") << "standin"
                                       << "ERROR bad_data exceeded maximum resolution of 11,000 points per "
                                          "timeseries. Try decreasing the "
                                          "query resolution (?step=XX)"
                                       << "bad_data: exceeded maximum resolution of 11,000 points per "
                                          "timeseries. Try decreasing the query "
                                          "resolution (?step=XX)";
        QTest::newRow("timeout") << "standin"
                                 << "ERROR timeout query timed out in expression evaluation"
                                 << "timeout: query timed out in expression evaluation";
        QTest::newRow("refused") << "closed"
                                 << "up"
                                 << "connection refused";
    }

    void errorsShownVerbatim()
    {
        QFETCH(QString, server);
        QFETCH(QString, promql);
        QFETCH(QString, expected);
        QString url;
        if (server == QLatin1String("prometheus")) {
            if (m_promUrl.isEmpty())
                QSKIP(qPrintable(m_promProblem));
            url = m_promUrl;
        } else if (server == QLatin1String("standin")) {
            url = QStringLiteral("http://127.0.0.1:%1").arg(m_exporter.port());
        } else {
            url = QStringLiteral("http://127.0.0.1:%1").arg(freePort());
        }
        MainWindow window;
        QSignalSpy failed(window.promQuerySource(), &PromQuerySource::failed);
        StallProbe probe;
        probe.start();
        window.runPrometheusQuery(url, promql);
        QVERIFY(failed.wait(15000));
        probe.stop();
        QVERIFY2(window.promQuerySource()->lastError().startsWith(expected),
                 qPrintable(window.promQuerySource()->lastError()));
        QVERIFY2(window.bannerText().contains(expected), qPrintable(window.bannerText()));
        QVERIFY2(probe.longestBusyMs() < kBusyLimitMs, qPrintable(QString::number(probe.longestBusyMs())));
        QVERIFY(!window.promQuerySource()->busy());
    }

    void successClearsTheLastQueryError()
    {
        if (m_promUrl.isEmpty())
            QSKIP(qPrintable(m_promProblem));
        MainWindow window;
        QSignalSpy failed(window.promQuerySource(), &PromQuerySource::failed);
        QSignalSpy done(window.promQuerySource(), &PromQuerySource::finished);
        window.runPrometheusQuery(m_promUrl, QStringLiteral("sum(("));
        QVERIFY(failed.wait(15000));
        QVERIFY2(window.bannerText().contains(QStringLiteral("bad_data")), qPrintable(window.bannerText()));
        window.runPrometheusQuery(m_promUrl, QStringLiteral("vector(1)"));
        QVERIFY(done.wait(15000));
        QVERIFY2(window.bannerText().isEmpty(), qPrintable(window.bannerText()));
    }

    void newerQuerySupersedesOlder()
    {
        // An answer that arrives after a newer run() must not overwrite the newer one's.
        PromQuerySource source;
        QSignalSpy failed(&source, &PromQuerySource::failed);
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(m_exporter.port());
        source.run({url, QStringLiteral("ERROR execution first"), {}, 0, 60'000, 100});
        source.run({url, QStringLiteral("ERROR execution second"), {}, 0, 60'000, 100});
        QVERIFY(failed.wait(10000));
        QTest::qWait(300);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("execution: second"));
    }

    void tokenFieldTakesAName()
    {
        PromQuerySource source;
        PromQueryDialog dialog(&source);
        dialog.setPromql(QStringLiteral("up"));
        auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        dialog.setTokenEnv(QStringLiteral("PROM_TOKEN"));
        QVERIFY(ok->isEnabled());
        dialog.setTokenEnv(QStringLiteral("eyJhbGciOi.secret-token"));
        QVERIFY(!ok->isEnabled());
    }
};

QTEST_MAIN(TstPromQuerySource)
#include "tst_prom_query_source.moc"
