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
    parser.addOption({QStringLiteral("labels"),
                      QStringLiteral("Late labels (JSONL/CSV of request_id, label, ts) joined to the log by "
                                     "request id."),
                      QStringLiteral("file")});
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
    if (parser.isSet(QStringLiteral("labels"))) {
        // The file's field names, if the config gave them, still apply.
        if (!config.labels) {
            config.labels.emplace();
        }
        config.labels->path = parser.value(QStringLiteral("labels")).toStdString();
    }
    return config;
}

std::optional<int> parseArguments(QCommandLineParser& parser, const QStringList& args, const QString& command)
{
    if (!parser.parse(args)) {
        return fail(QStringLiteral("%1: %2").arg(command, parser.errorText()));
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt names the binary's path in the usage line; users type "vigil <command>".
        QString help = parser.helpText();
        const qsizetype options = help.indexOf(QStringLiteral(" [options]"));
        if (help.startsWith(QStringLiteral("Usage: ")) && options > 0) {
            help.replace(7, options - 7, QStringLiteral("vigil ") + command);
        }
        std::fputs(qPrintable(help), stdout);
        return kExitOk;
    }
    return std::nullopt;
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
