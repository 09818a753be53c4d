#include "cli_common.h"

#include "engine/window.h"

#include <QTextStream>
#include <cstdio>

namespace vigil::cli {

int fail(const QString& message)
{
    std::fprintf(stderr, "vigil: %s\n", message.toLocal8Bit().constData());
    return kExitFailure;
}

int fail(const std::string& message)
{
    return fail(QString::fromStdString(message));
}

void addAnalysisOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("config"), QStringLiteral("Config file (JSON, see docs/CONFIG.md)."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("window"),
                      QStringLiteral("Window size: 1m, 5m, 15m, 1h, 6h, 1d (default: 50-500 windows)."),
                      QStringLiteral("size")});
    parser.addOption({QStringLiteral("threshold"),
                      QStringLiteral("Score threshold for the positive class (default 0.5)."),
                      QStringLiteral("x")});
}

std::optional<VigilConfig> configFromOptions(const QCommandLineParser& parser)
{
    VigilConfig config;
    if (parser.isSet(QStringLiteral("config"))) {
        const std::string path = parser.value(QStringLiteral("config")).toStdString();
        auto loaded = loadConfigFile(path);
        if (!loaded) {
            fail(loaded.error().message);
            return std::nullopt;
        }
        config = std::move(loaded.value());
    }
    if (parser.isSet(QStringLiteral("window"))) {
        const QString text = parser.value(QStringLiteral("window"));
        const auto windowMs = parseWindowSize(text.toStdString());
        if (!windowMs) {
            fail(QStringLiteral("bad --window '%1' (use 1m, 5m, 15m, 1h, 6h or 1d)").arg(text));
            return std::nullopt;
        }
        config.windowMs = windowMs;
    }
    if (parser.isSet(QStringLiteral("threshold"))) {
        bool ok = false;
        const double t = parser.value(QStringLiteral("threshold")).toDouble(&ok);
        if (!ok || !(t >= 0.0 && t <= 1.0)) {
            fail(QStringLiteral("bad --threshold '%1' (a number in [0, 1])")
                     .arg(parser.value(QStringLiteral("threshold"))));
            return std::nullopt;
        }
        config.threshold = t;
    }
    return config;
}

std::vector<std::string> toPaths(const QStringList& args)
{
    std::vector<std::string> paths;
    paths.reserve(static_cast<std::size_t>(args.size()));
    for (const QString& a : args) {
        paths.push_back(a.toStdString());
    }
    return paths;
}

} // namespace vigil::cli
