// The local resource sampler on fixture /proc trees (exact parsed values and rates; the
// expected numbers are recomputed from the fixture files by resources_expected.py) and
// once on the real /proc.
#include "resources/sampler.h"

#include <QtTest>
#include <cmath>
#include <unistd.h>

using namespace vigil;

namespace {

const std::string kRoot = std::string(VIGIL_TEST_DATA_DIR) + "/resources/";

SamplerOptions fixtureOptions()
{
    SamplerOptions o;
    o.procRoot = kRoot + "t0";
    o.pids = {4242, 9999};
    o.clockTicksPerSecond = 100;
    o.gpu = false;
    return o;
}

} // namespace

class TestResources : public QObject
{
    Q_OBJECT

  private slots:
    void firstSample_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("labelName");
        QTest::addColumn<QString>("labelValue");
        QTest::addColumn<double>("expected");
        QTest::newRow("cpu0 user") << "node_cpu_seconds_total"
                                   << "cpu"
                                   << "0" << 5.0;
        QTest::newRow("cpu1 steal") << "node_cpu_seconds_total"
                                    << "cpu"
                                    << "1" << 0.75;
        QTest::newRow("mem total") << "node_memory_MemTotal_bytes"
                                   << ""
                                   << "" << 16777216000.0;
        QTest::newRow("mem available") << "node_memory_MemAvailable_bytes"
                                       << ""
                                       << "" << 8388608000.0;
        QTest::newRow("mem used") << "vigil_memory_used_bytes"
                                  << ""
                                  << "" << 8388608000.0;
        QTest::newRow("load1") << "node_load1"
                               << ""
                               << "" << 0.52;
        QTest::newRow("load15") << "node_load15"
                                << ""
                                << "" << 2.5;
        QTest::newRow("self cpu") << "process_cpu_seconds_total"
                                  << "pid"
                                  << "4321" << 3.0;
        QTest::newRow("self rss") << "process_resident_memory_bytes"
                                  << "pid"
                                  << "4321" << 20971520.0;
        QTest::newRow("pid rss") << "process_resident_memory_bytes"
                                 << "pid"
                                 << "4242" << 1048576.0;
        QTest::newRow("disk read") << "node_disk_read_bytes_total"
                                   << "device"
                                   << "sda" << 1048576.0;
        QTest::newRow("disk written") << "node_disk_written_bytes_total"
                                      << "device"
                                      << "sda" << 2097152.0;
        QTest::newRow("net rx eth0") << "node_network_receive_bytes_total"
                                     << "device"
                                     << "eth0" << 1000.0;
        QTest::newRow("net tx lo") << "node_network_transmit_bytes_total"
                                   << "device"
                                   << "lo" << 8000.0;
    }
    void firstSample()
    {
        QFETCH(QString, name);
        QFETCH(QString, labelName);
        QFETCH(QString, labelValue);
        QFETCH(double, expected);
        ResourceSampler sampler(fixtureOptions());
        auto snap = sampler.sample(1'000'000);
        QVERIFY2(snap.ok(), snap.ok() ? "" : snap.error().message.c_str());
        std::vector<std::pair<std::string, std::string>> labels;
        if (!labelName.isEmpty())
            labels.emplace_back(labelName.toStdString(), labelValue.toStdString());
        if (name == QLatin1String("node_cpu_seconds_total"))
            labels.emplace_back("mode", labelValue == QLatin1String("0") ? "user" : "steal");
        const ResourceSample* s = snap->find(name.toStdString(), labels);
        QVERIFY(s);
        QCOMPARE(s->value, expected);
        // No rates without a previous sample.
        QVERIFY(!snap->find("vigil_cpu_mode_ratio"));
        // The vanished pid is a warning, not a failure.
        const bool warned =
            std::any_of(snap->warnings.begin(), snap->warnings.end(),
                        [](const std::string& w) { return w.find("9999") != std::string::npos; });
        QVERIFY(warned);
    }

    void rates_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("labelName");
        QTest::addColumn<QString>("labelValue");
        QTest::addColumn<double>("expected");
        QTest::newRow("user") << "vigil_cpu_mode_ratio"
                              << "mode"
                              << "user" << 0.3;
        QTest::newRow("system") << "vigil_cpu_mode_ratio"
                                << "mode"
                                << "system" << 0.1;
        QTest::newRow("idle") << "vigil_cpu_mode_ratio"
                              << "mode"
                              << "idle" << 0.5;
        QTest::newRow("iowait") << "vigil_cpu_mode_ratio"
                                << "mode"
                                << "iowait" << 0.05;
        QTest::newRow("steal") << "vigil_cpu_mode_ratio"
                               << "mode"
                               << "steal" << 0.05;
        QTest::newRow("nice") << "vigil_cpu_mode_ratio"
                              << "mode"
                              << "nice" << 0.0;
        QTest::newRow("self cpu%") << "vigil_process_cpu_percent"
                                   << "pid"
                                   << "4321" << 100.0;
        QTest::newRow("pid cpu%") << "vigil_process_cpu_percent"
                                  << "pid"
                                  << "4242" << 25.0;
        QTest::newRow("self rss") << "process_resident_memory_bytes"
                                  << "pid"
                                  << "4321" << 31457280.0;
        QTest::newRow("disk read/s") << "vigil_disk_read_bytes_per_second"
                                     << "device"
                                     << "sda" << 1024000.0;
        QTest::newRow("disk write/s") << "vigil_disk_written_bytes_per_second"
                                      << "device"
                                      << "sda" << 256000.0;
        QTest::newRow("loop idle") << "vigil_disk_read_bytes_per_second"
                                   << "device"
                                   << "loop0" << 0.0;
        QTest::newRow("rx/s") << "vigil_network_receive_bytes_per_second"
                              << "device"
                              << "eth0" << 100000.0;
        QTest::newRow("tx/s") << "vigil_network_transmit_bytes_per_second"
                              << "device"
                              << "eth0" << 5000.0;
        QTest::newRow("load5") << "node_load5"
                               << ""
                               << "" << 1.3;
    }
    void rates()
    {
        QFETCH(QString, name);
        QFETCH(QString, labelName);
        QFETCH(QString, labelValue);
        QFETCH(double, expected);
        ResourceSampler sampler(fixtureOptions());
        QVERIFY(sampler.sample(1'000'000).ok());
        sampler.setProcRoot(kRoot + "t1");
        auto snap = sampler.sample(1'002'000); // 2 s later
        QVERIFY(snap.ok());
        std::vector<std::pair<std::string, std::string>> labels;
        if (!labelName.isEmpty())
            labels.emplace_back(labelName.toStdString(), labelValue.toStdString());
        const ResourceSample* s = snap->find(name.toStdString(), labels);
        QVERIFY(s);
        QVERIFY2(std::abs(s->value - expected) <= 1e-12 * std::max(1.0, std::abs(expected)),
                 qPrintable(QString::number(s->value, 'g', 17)));
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("stat number") << "stat"
                                     << "cpu  1 x 3 4 5\n"
                                     << "/proc/stat line 1: not a number: x";
        QTest::newRow("stat no cpu") << "stat"
                                     << "intr 1\n"
                                     << "/proc/stat: no aggregate \"cpu\" line";
        QTest::newRow("loadavg") << "loadavg"
                                 << "garbage\n"
                                 << "/proc/loadavg: expected three load averages";
        QTest::newRow("pid stat") << "pidstat"
                                  << "12 (x) S 1\n"
                                  << "/proc/<pid>/stat: no utime/stime fields";
        QTest::newRow("netdev") << "netdev"
                                << "eth0: 1 2\n"
                                << "/proc/net/dev line 1: expected \"device: 16 counters\"";
    }
    void parseErrors()
    {
        QFETCH(QString, which);
        QFETCH(QString, text);
        QFETCH(QString, message);
        const std::string t = text.toStdString();
        std::string got;
        if (which == QLatin1String("stat"))
            got = parseProcStat(t).error().message;
        else if (which == QLatin1String("loadavg"))
            got = parseLoadavg(t).error().message;
        else if (which == QLatin1String("pidstat"))
            got = parsePidStat(t).error().message;
        else
            got = parseNetDev(t).error().message;
        QCOMPARE(QString::fromStdString(got), message);
    }

    void commWithParens()
    {
        auto st = parsePidStat("7 (a) b) c) S 1 1 1 0 -1 0 0 0 0 0 11 22 0\n");
        QVERIFY(st.ok());
        QCOMPARE(st->comm, std::string("a) b) c"));
        QCOMPARE(st->utimeTicks, std::uint64_t(11));
        QCOMPARE(st->stimeTicks, std::uint64_t(22));
    }

    void missingRootIsAnError()
    {
        SamplerOptions o = fixtureOptions();
        o.procRoot = kRoot + "does-not-exist";
        ResourceSampler sampler(o);
        auto snap = sampler.sample(1000);
        QVERIFY(!snap.ok());
        QVERIFY(snap.error().message.find("no system resource could be read") != std::string::npos);
    }

    void nvmlAbsent()
    {
        NvmlGpus gpus("libnvidia-ml-vigil-test-absent.so.1");
        QVERIFY(!gpus.available());
        QCOMPARE(QString::fromStdString(gpus.status()),
                 QStringLiteral("NVML not available: libnvidia-ml-vigil-test-absent.so.1 not found"));
        QVERIFY(gpus.read().empty());
        // A library without the NVML symbols is refused by name, not called blindly.
        NvmlGpus wrong("libz.so.1");
        QVERIFY(!wrong.available());
        QCOMPARE(QString::fromStdString(wrong.status()),
                 QStringLiteral("NVML not available: libz.so.1 has no nvmlInit_v2"));
    }

    void fakeNvml()
    {
        NvmlGpus gpus(VIGIL_FAKE_NVML);
        QVERIFY2(gpus.available(), gpus.status().c_str());
        QCOMPARE(QString::fromStdString(gpus.status()), QStringLiteral("NVML ok: 2 GPUs"));
        const auto readings = gpus.read();
        QCOMPARE(readings.size(), std::size_t(2));
        QCOMPARE(readings[0].name, std::string("Fake GPU 0"));
        QCOMPARE(readings[0].gpuUtilPercent, 87.0);
        QCOMPARE(readings[0].memUsedBytes, 21474836480.0);
        QVERIFY(readings[0].hasPower);
        QCOMPARE(readings[0].powerWatts, 312.5);
        QVERIFY(!readings[1].hasPower); // NOT_SUPPORTED leaves the field out
        QCOMPARE(readings[1].temperatureC, 34.0);

        SamplerOptions o = fixtureOptions();
        o.gpu = true;
        o.nvmlLibrary = VIGIL_FAKE_NVML;
        ResourceSampler sampler(o);
        auto snap = sampler.sample(1000);
        QVERIFY(snap.ok());
        const std::vector<std::pair<std::string, std::string>> gpu0{{"gpu", "0"},
                                                                    {"modelName", "Fake GPU 0"}};
        QCOMPARE(snap->find("DCGM_FI_DEV_GPU_UTIL", gpu0)->value, 87.0);
        QCOMPARE(snap->find("DCGM_FI_DEV_MEM_COPY_UTIL", gpu0)->value, 41.0);
        QCOMPARE(snap->find("DCGM_FI_DEV_FB_USED", gpu0)->value, 20480.0); // MiB
        QCOMPARE(snap->find("DCGM_FI_DEV_FB_FREE", gpu0)->value, 61440.0);
        QCOMPARE(snap->find("DCGM_FI_DEV_POWER_USAGE", gpu0)->value, 312.5);
        QCOMPARE(snap->find("DCGM_FI_DEV_GPU_TEMP", gpu0)->value, 65.0);
        QVERIFY(!snap->find("DCGM_FI_DEV_POWER_USAGE", {{"gpu", "1"}}));
        QVERIFY(snap->find("DCGM_FI_DEV_GPU_TEMP", {{"gpu", "1"}}));
    }

    void fakeNvmlInitFails()
    {
        qputenv("FAKE_NVML_INIT_FAIL", "1");
        NvmlGpus gpus(VIGIL_FAKE_NVML);
        qunsetenv("FAKE_NVML_INIT_FAIL");
        QVERIFY(!gpus.available());
        QCOMPARE(QString::fromStdString(gpus.status()),
                 QStringLiteral("NVML not available: nvmlInit_v2 failed (code 9)"));
        QVERIFY(gpus.read().empty());
    }

    void liveProc()
    {
        SamplerOptions o;
        o.pids = {static_cast<int>(getpid())};
        ResourceSampler sampler(o);
        auto first = sampler.sample(1000);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        volatile double sink = 0;
        for (int i = 0; i < 2'000'000; ++i)
            sink = sink + std::sqrt(static_cast<double>(i));
        auto second = sampler.sample(1100);
        QVERIFY(second.ok());
        const auto* total = second->find("node_memory_MemTotal_bytes");
        const auto* avail = second->find("node_memory_MemAvailable_bytes");
        QVERIFY(total && avail);
        QVERIFY(total->value > 0 && avail->value <= total->value);
        QVERIFY(second->find("node_load1"));
        QVERIFY(second->find("node_cpu_seconds_total", {{"cpu", "0"}, {"mode", "idle"}}));
        const auto* rss = second->find("process_resident_memory_bytes", {{"pid", std::to_string(getpid())}});
        QVERIFY(rss && rss->value > 1e6);
        double ratioSum = 0;
        for (const auto& s : second->samples)
            if (s.name == "vigil_cpu_mode_ratio")
                ratioSum += s.value;
        // Ratios of one delta sum to 1 (or there was no tick at all in 100 ms).
        QVERIFY(ratioSum == 0.0 || std::abs(ratioSum - 1.0) < 1e-9);
        QVERIFY(!second->gpuStatus.empty());
    }
};

QTEST_GUILESS_MAIN(TestResources)
#include "tst_resources.moc"
