#pragma once
// Starts tests/cli/scrape_exporter.py (python from VIGIL_PYTHON) on a free 127.0.0.1
// port for the tst_net_* tests, and stops it when the test object goes away.
#include <QProcess>
#include <QStringList>
#include <QTest>

class TestExporter
{
  public:
    ~TestExporter() { stop(); }

    bool start(const QStringList& extraArgs = {},
               const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
    {
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QStringLiteral(VIGIL_PYTHON),
                        QStringList{QStringLiteral(VIGIL_TESTS_DIR "/cli/scrape_exporter.py"),
                                    QStringLiteral("--lifetime"), QStringLiteral("60")} +
                            extraArgs);
        if (!m_process.waitForStarted(5000))
            return false;
        for (int i = 0; i < 100 && !m_process.canReadLine(); ++i)
            m_process.waitForReadyRead(100);
        bool ok = false;
        m_port = QString::fromUtf8(m_process.readLine()).trimmed().toInt(&ok);
        return ok && m_port > 0;
    }

    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    int port() const { return m_port; }
    std::string url(const char* path, const char* scheme = "http") const
    {
        return std::string(scheme) + "://127.0.0.1:" + std::to_string(m_port) + path;
    }

  private:
    QProcess m_process;
    int m_port = 0;
};
