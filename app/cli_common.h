#pragma once
// Shared pieces of the headless subcommands: one-line errors with exit code 2,
// config loading and option parsing that every subcommand accepts.
#include "config/config.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <optional>
#include <string>
#include <vector>

namespace vigil::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2; // also missing/unreadable input: scripts test for "not 0"
inline constexpr int kExitFailure = 2;

// Prints "vigil: <message>" to stderr and returns kExitFailure.
int fail(const QString& message);
int fail(const std::string& message);

// --config FILE, --window SIZE, --threshold X, --labels FILE (shared by report, snapshot and the GUI).
void addAnalysisOptions(QCommandLineParser& parser);
// Builds the effective config; on error prints it and returns nullopt.
std::optional<VigilConfig> configFromOptions(const QCommandLineParser& parser);

// Parses args; returns the exit code when the command is done already (--help printed,
// or a usage error reported), nullopt when it should go on.
std::optional<int> parseArguments(QCommandLineParser& parser, const QStringList& args,
                                  const QString& command);

std::vector<std::string> toPaths(const QStringList& args);

int runReport(const QStringList& args);
int runSnapshot(const QStringList& args);
int runDemo(const QStringList& args);
int runGui(const QStringList& args);
int runScrape(const QStringList& args);
int runQuery(const QStringList& args);

} // namespace vigil::cli
