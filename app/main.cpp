// One binary: the GUI, and headless subcommands over the same core.
#include "cli_common.h"

#include "util/phase_timer.h"

#include <QApplication>
#include <QCoreApplication>
#include <cstring>
#include <memory>

namespace {

bool argIs(int argc, char** argv, const char* name)
{
    return argc > 1 && std::strcmp(argv[1], name) == 0;
}

bool hasFlag(int argc, char** argv, const char* flag)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], flag) == 0) {
            return true;
        }
    }
    return false;
}

// The offscreen platform and a headless session print harmless notes
// ("XDG_RUNTIME_DIR not set", "does not support propagateSizeHints()") that would
// look like problems in a script's output; everything else passes through.
void headlessMessageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type != QtFatalMsg && (message.contains(QLatin1String("XDG_RUNTIME_DIR")) ||
                               message.contains(QLatin1String("propagateSizeHints")))) {
        return;
    }
    qt_message_output(type, context, message);
}

} // namespace

int main(int argc, char** argv)
{
    using namespace vigil::cli;
    QCoreApplication::setOrganizationName(QStringLiteral("Vigil"));
    QCoreApplication::setApplicationName(QStringLiteral("vigil"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    if (argIs(argc, argv, "report")) {
        QCoreApplication app(argc, argv);
        QStringList args = QCoreApplication::arguments();
        args.removeAt(1);
        return runReport(args); // a successful report ends the process itself (cmd_report.cpp)
    }
    if (argIs(argc, argv, "scrape")) {
        QCoreApplication app(argc, argv);
        QStringList args = QCoreApplication::arguments();
        args.removeAt(1);
        return runScrape(args);
    }
    if (argIs(argc, argv, "query")) {
        QCoreApplication app(argc, argv);
        QStringList args = QCoreApplication::arguments();
        args.removeAt(1);
        return runQuery(args);
    }

    // Snapshots and the stall probe render without a display; --help and --version only
    // print, which must work over ssh and in scripts too.
    const bool printsOnly = hasFlag(argc, argv, "--help") || hasFlag(argc, argv, "-h") ||
                            hasFlag(argc, argv, "--version") || hasFlag(argc, argv, "-v");
    const bool headless = argIs(argc, argv, "snapshot") || hasFlag(argc, argv, "--probe-stalls") ||
                          (argIs(argc, argv, "demo") && hasFlag(argc, argv, "--no-gui")) || printsOnly;
    if (headless) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        }
        qInstallMessageHandler(headlessMessageHandler);
    }
    QApplication app(argc, argv);
    QStringList args = QApplication::arguments();
    if (argIs(argc, argv, "snapshot")) {
        args.removeAt(1);
        return runSnapshot(args);
    }
    if (argIs(argc, argv, "demo")) {
        args.removeAt(1);
        return runDemo(args);
    }
    return runGui(args);
}
