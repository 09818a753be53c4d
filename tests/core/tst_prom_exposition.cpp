// Exposition parser tests. Expectations come from the Prometheus (expfmt, textparse)
// and OpenMetrics conformance suites as quoted in shared/reference/formats.md, rewritten
// as fixtures in tests/data/prom/. Golden dumps (valid/*.expected) were checked by hand
// against those expectations; on mismatch the test writes <name>.actual next to the binary.
#include "prom/exposition.h"
#include "prom/metric_points.h"
#include "prom_dump.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <cmath>

using namespace vigil;

namespace {

QString dataDir()
{
    return QStringLiteral(VIGIL_TEST_DATA_DIR "/prom/");
}

std::string readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

ExpositionFormat formatFor(const QString& file)
{
    return file.endsWith(QLatin1String(".om")) ? ExpositionFormat::OpenMetrics : ExpositionFormat::Text004;
}

const Sample* findSample(const ParsedScrape& s, std::string_view name, std::string_view label = {},
                         std::string_view value = {})
{
    for (const Sample& sample : s.samples) {
        if (sample.name != name)
            continue;
        if (label.empty() || s.labelValue(sample, label) == value)
            return &sample;
    }
    return nullptr;
}

Result<ParsedScrape> parse(std::string_view body, ExpositionFormat fmt = ExpositionFormat::Text004)
{
    return parseExposition(body, fmt, 1000);
}

} // namespace

class TestPromExposition : public QObject
{
    Q_OBJECT

  private slots:
    void validFixtures_data()
    {
        QTest::addColumn<QString>("file");
        const QStringList files =
            QDir(dataDir() + QStringLiteral("valid"))
                .entryList({QStringLiteral("*.txt"), QStringLiteral("*.om")}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 20);
        for (const QString& f : files)
            QTest::newRow(qPrintable(f)) << f;
    }

    void validFixtures()
    {
        QFETCH(QString, file);
        const std::string body = readFile(dataDir() + QStringLiteral("valid/") + file);
        const auto result = parse(body, formatFor(file));
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QVERIFY2(result.warnings.empty(), result.warnings.empty() ? "" : result.warnings.front().c_str());
        const std::string actual = test::dumpScrape(result.value());
        const QString base = file.left(file.lastIndexOf(QLatin1Char('.')));
        const std::string expected =
            readFile(dataDir() + QStringLiteral("valid/") + base + QStringLiteral(".expected"));
        if (actual != expected) {
            QFile out(base + QStringLiteral(".actual"));
            if (out.open(QIODevice::WriteOnly))
                out.write(actual.data(), static_cast<qint64>(actual.size()));
            qWarning("dump differs; wrote %s.actual:\n%s", qPrintable(base), actual.c_str());
        }
        QCOMPARE(QString::fromStdString(actual), QString::fromStdString(expected));

        // Auto detection picks the same parser for every fixture.
        const auto autoResult = parseExposition(body, ExpositionFormat::Auto, 1000);
        QVERIFY(autoResult.ok());
        QCOMPARE(autoResult->format, formatFor(file));
    }

    void invalidFixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        const std::string manifest = readFile(dataDir() + QStringLiteral("invalid/EXPECTED.tsv"));
        QVERIFY(!manifest.empty());
        int rows = 0;
        for (const QString& row :
             QString::fromStdString(manifest).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (row.startsWith(QLatin1Char('#')))
                continue;
            const QStringList cols = row.split(QLatin1Char('\t'));
            QCOMPARE(cols.size(), 3);
            QTest::newRow(qPrintable(cols[0])) << cols[0] << cols[1].toInt() << cols[2];
            ++rows;
        }
        QVERIFY(rows >= 90);
    }

    void invalidFixtures()
    {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(QString, message);
        QVERIFY(QFile::exists(dataDir() + QStringLiteral("invalid/") + file));
        const std::string body = readFile(dataDir() + QStringLiteral("invalid/") + file);
        const auto result = parse(body, formatFor(file));
        QVERIFY2(!result.ok(), "document must be rejected");
        const QString error = QString::fromStdString(result.error().message);
        QVERIFY2(error.contains(QStringLiteral("line %1:").arg(line)), qPrintable(error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void textMinimal()
    {
        // expfmt scenario 1: three untyped families; the stray HELP creates none.
        const auto r = parse(readFile(dataDir() + QStringLiteral("valid/text_minimal.txt")));
        QVERIFY(r.ok());
        QCOMPARE(r->families.size(), std::size_t(3));
        for (const auto& f : r->families)
            QCOMPARE(f.type, MetricType::Untyped);
        const Sample* another = findSample(r.value(), "another_metric");
        QVERIFY(another);
        QCOMPARE(another->value, -3000.0);
        QVERIFY(another->hasTimestamp);
        QCOMPARE(another->timestampMs, std::int64_t(103948));
        const Sample* minimal = findSample(r.value(), "minimal_metric");
        QVERIFY(minimal && !minimal->hasTimestamp);
        QCOMPARE(minimal->timestampMs, std::int64_t(1000)); // the scrape time stands in
        QCOMPARE(findSample(r.value(), "no_labels")->labelCount, 0u);
    }

    void textEscapesAndSpecialValues()
    {
        const auto r = parse(readFile(dataDir() + QStringLiteral("valid/text_whitespace_escapes.txt")));
        QVERIFY(r.ok());
        const MetricFamily* name = r->findFamily("name");
        QVERIFY(name);
        QCOMPARE(name->type, MetricType::Counter);
        QCOMPARE(std::string(name->help), std::string("two-line\n doc  str\\ing"));
        const Sample* s = findSample(r.value(), "name", "labelname", "val2");
        QVERIFY(s);
        QCOMPARE(std::string(r->labelValue(*s, "basename")), std::string("base\"v\\al\nue"));
        QCOMPARE(s->timestampMs, std::int64_t(1234567890));
        QVERIFY(std::isnan(findSample(r.value(), "name", "labelname", "val1")->value));
        const MetricFamily* name2 = r->findFamily("name2");
        QCOMPARE(std::string(name2->help), std::string("doc str\"ing 2"));
        QCOMPARE(name2->type, MetricType::Gauge);
        QCOMPARE(findSample(r.value(), "name2", "labelname", "val2")->value, HUGE_VAL);
        QCOMPARE(findSample(r.value(), "name2", "labelname", "val1")->value, -HUGE_VAL);
    }

    void textEvilSummary()
    {
        const auto r = parse(readFile(dataDir() + QStringLiteral("valid/text_evil_summary.txt")));
        QVERIFY(r.ok());
        const MetricFamily* summary = r->findFamily("my_summary");
        QVERIFY(summary && summary->type == MetricType::Summary);
        const auto points = summaryPoints(r.value(), *summary);
        // {n1=val1}, {n1=val2,n2=val2}... grouped by label set minus quantile.
        const SummaryPoint* val1 = nullptr;
        const SummaryPoint* val2 = nullptr;
        for (const auto& p : points) {
            if (p.labels.size() == 1 && p.labels[0].value == "val1")
                val1 = &p;
            if (p.labels.size() == 1 && p.labels[0].value == "val2")
                val2 = &p;
        }
        QVERIFY(val1 && val2);
        QCOMPARE(*val1->count, 42.0);
        QCOMPARE(*val1->sum, 4711.0);
        QCOMPARE(val1->quantiles.size(), std::size_t(2));
        QCOMPARE(val1->quantiles[0].quantile, 0.5);
        QCOMPARE(val1->quantiles[0].value, 110.0);
        QCOMPARE(val1->quantiles[1].quantile, 0.9);
        QCOMPARE(val1->quantiles[1].value, 140.0);
        QCOMPARE(val1->timestampMs, std::int64_t(2)); // latest timestamp wins
        QCOMPARE(*val2->sum, 8.0);                    // "08"
        QCOMPARE(val2->timestampMs, std::int64_t(15));
        const Sample* decoy = findSample(r.value(), "decoy");
        QCOMPARE(decoy->value, -1.0);
        QCOMPARE(decoy->timestampMs, std::int64_t(-2));
        QCOMPARE(r->findFamily("fake_sum")->type, MetricType::Untyped);
        QCOMPARE(r->findFamily("another_summary")->type, MetricType::Summary);
        // Labels come out sorted whatever the order on the wire.
        const Sample* twoLabels = findSample(r.value(), "my_summary_count", "n2", "val2");
        QCOMPARE(std::string(r->labelsOf(*twoLabels)[0].name), std::string("n1"));
    }

    void textHistogramPoints()
    {
        const auto r = parse(readFile(dataDir() + QStringLiteral("valid/text_histogram.txt")));
        QVERIFY(r.ok());
        const auto points = histogramPoints(r.value(), *r->findFamily("request_duration_microseconds"));
        QCOMPARE(points.size(), std::size_t(1));
        const HistogramPoint& p = points[0];
        QCOMPARE(*p.count, 2693.0);
        QCOMPARE(*p.sum, 1756047.3);
        const double bounds[] = {100, 120, 144, 172.8, HUGE_VAL};
        const double counts[] = {123, 412, 592, 1524, 2693};
        QCOMPARE(p.buckets.size(), std::size_t(5));
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(p.buckets[i].upperBound, bounds[i]);
            QCOMPARE(p.buckets[i].count, counts[i]);
        }
    }

    void textHistogramProblemsAreWarnings_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("warning");
        QTest::newRow("missing +Inf")
            << QStringLiteral("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n")
            << QStringLiteral("no +Inf bucket");
        QTest::newRow("not cumulative")
            << QStringLiteral("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n")
            << QStringLiteral("not cumulative");
        QTest::newRow("count differs")
            << QStringLiteral("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 2\n")
            << QStringLiteral("differs from the +Inf bucket");
    }

    void textHistogramProblemsAreWarnings()
    {
        QFETCH(QString, body);
        QFETCH(QString, warning);
        const auto r = parse(body.toStdString());
        QVERIFY(r.ok());
        QCOMPARE(r.warnings.size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(r.warnings[0]).contains(warning), r.warnings[0].c_str());
        // The same document as OpenMetrics is invalid.
        const auto om = parse(body.toStdString() + "# EOF\n", ExpositionFormat::OpenMetrics);
        QVERIFY(!om.ok());
    }

    void textQuotedNames()
    {
        const auto r = parse(readFile(dataDir() + QStringLiteral("valid/text_quoted_names.txt")));
        QVERIFY(r.ok());
        const MetricFamily* f = r->findFamily("gauge.name");
        QVERIFY(f);
        QCOMPARE(std::string(f->help), std::string("gauge\ndoc\nstr\"ing"));
        QCOMPARE(f->samples.size(), std::size_t(2));
        const Sample& first = r->samples[f->samples[0]];
        QCOMPARE(std::string(r->labelValue(first, "name*2")),
                 std::string("val with \\backslash and \"quotes\""));
        QCOMPARE(r->samples[f->samples[1]].value, 3.14e42);
        QVERIFY(r->findFamily("my.noncompliant.metric"));
    }

    void omTimestampsAndExemplars()
    {
        const auto r = parse(readFile(dataDir() + QStringLiteral("valid/om_prometheus_cases.om")),
                             ExpositionFormat::OpenMetrics);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(findSample(r.value(), "go_goroutines")->timestampMs, std::int64_t(123123));
        const Sample* foo = findSample(r.value(), "foo_total");
        QCOMPARE(foo->timestampMs, std::int64_t(1520879607789));
        QVERIFY(foo->exemplar >= 0);
        const Exemplar& e = r->exemplars[static_cast<std::size_t>(foo->exemplar)];
        QCOMPARE(e.value, 5.0);
        QVERIFY(!e.hasTimestamp);
        QCOMPARE(createdMsFor(r.value(), *foo).value_or(0), std::int64_t(1520872607123));
        const Sample* ggh = findSample(r.value(), "ggh_bucket");
        const Exemplar& ge = r->exemplars[static_cast<std::size_t>(ggh->exemplar)];
        QCOMPARE(ge.timestampMs, std::int64_t(123123));
        QCOMPARE(r->labelsOf(ge).size(), std::size_t(2));
        QCOMPARE(std::string(r->findFamily("help2")->help), std::string("escape \\ \n \\ \" \\x chars"));
        QVERIFY(!r->findFamily("nohelp1")->hasHelp);
        QCOMPARE(r->findFamily("fizz_created")->type, MetricType::Gauge);
        QVERIFY(std::isnan(findSample(r.value(), "nansum")->value));
        QCOMPARE(std::string(r->labelValue(*findSample(r.value(), "null_byte_metric"), "a")),
                 std::string("abc\0", 4));
    }

    void omEscapesKeepUnknownSequences()
    {
        const auto r = parse(readFile(dataDir() + QStringLiteral("valid/om_escaping.om")),
                             ExpositionFormat::OpenMetrics);
        QVERIFY(r.ok());
        QCOMPARE(std::string(r->findFamily("a")->help), std::string("he\n\\l\\tp"));
        QCOMPARE(std::string(r->labelValue(r->samples[1], "foo")), std::string("b\\a\\z"));
        QCOMPARE(std::string(r->labelValue(r->samples[2], "foo")), std::string("b\"a\nr # "));
    }

    void contentType_data()
    {
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<int>("expected");
        const int om = int(ExpositionFormat::OpenMetrics);
        const int text = int(ExpositionFormat::Text004);
        QTest::newRow("om") << QStringLiteral("application/openmetrics-text; version=1.0.0; charset=utf-8")
                            << om;
        QTest::newRow("om 0.0.1") << QStringLiteral("application/openmetrics-text;version=0.0.1") << om;
        QTest::newRow("om case") << QStringLiteral("Application/OpenMetrics-Text") << om;
        QTest::newRow("text 0.0.4") << QStringLiteral("text/plain; version=0.0.4") << text;
        QTest::newRow("text charset") << QStringLiteral("text/plain; version=0.0.4; charset=utf-8") << text;
        QTest::newRow("text no version") << QStringLiteral("text/plain; charset=utf-8") << text;
        QTest::newRow("text bare") << QStringLiteral(" text/plain ") << text;
        QTest::newRow("missing") << QString() << int(ExpositionFormat::Auto);
        QTest::newRow("json") << QStringLiteral("application/json") << int(ExpositionFormat::Auto);
    }

    void contentType()
    {
        QFETCH(QString, contentType);
        QFETCH(int, expected);
        const std::string ct = contentType.toStdString();
        QCOMPARE(int(formatFromContentType(ct, ExpositionFormat::Auto)), expected);
        // The default fallback is 0.0.4, the last resort of content negotiation.
        if (expected == int(ExpositionFormat::Auto))
            QCOMPARE(formatFromContentType(ct), ExpositionFormat::Text004);
    }

    void acceptHeaderMatchesPrometheus()
    {
        QCOMPARE(std::string(kPrometheusAcceptHeader),
                 std::string("application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,"
                             "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;"
                             "escaping=underscores;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"));
    }

    void viewsSurviveMove()
    {
        // A short body fits std::string's small buffer; the views must not point there.
        std::string body = "a{b=\"c\\\\\"} 1\n";
        auto r = parse(body);
        QVERIFY(r.ok());
        ParsedScrape moved = std::move(r.value());
        body.assign(body.size(), 'x');
        QCOMPARE(std::string(moved.samples[0].name), std::string("a"));
        QCOMPARE(std::string(moved.labelValue(moved.samples[0], "b")), std::string("c\\"));
    }

    void nodeExporterFixture()
    {
        const std::string body = readFile(dataDir() + QStringLiteral("node_exporter.txt"));
        QVERIFY(body.size() > 50000);
        const auto r = parse(body);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QVERIFY(r.warnings.empty());
        QVERIFY(r->samples.size() >= 1000);
        const MetricFamily* cpu = r->findFamily("node_cpu_seconds_total");
        QVERIFY(cpu && cpu->type == MetricType::Counter);
        QCOMPARE(cpu->samples.size(), std::size_t(32 * 8));
        QCOMPARE(std::string(cpu->help), std::string("Seconds the CPUs spent in each mode."));
        const MetricFamily* gc = r->findFamily("go_gc_duration_seconds");
        QVERIFY(gc && gc->type == MetricType::Summary);
        QCOMPARE(summaryPoints(r.value(), *gc).front().quantiles.size(), std::size_t(5));
        const Sample* disk = findSample(r.value(), "node_disk_read_bytes_total", "device", "dm-0");
        QVERIFY(disk);
        QCOMPARE(disk->value, 5.13708655616e+11);
        QCOMPARE(r->findFamily("node_load1")->type, MetricType::Gauge);
    }
};

QTEST_GUILESS_MAIN(TestPromExposition)
#include "tst_prom_exposition.moc"
