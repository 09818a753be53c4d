#pragma once
// `vigil report --follow`: keeps the report file current while the log grows.
#include "config/config.h"
#include "engine/analysis.h"
#include "ingest/load.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

namespace vigil::cli {

// Adds --follow, --idle-exit and --interval to the report's options.
void addFollowOptions(QCommandLineParser& parser);

// Follows `logs` and rewrites `out` (atomically) as windows fill; on SIGINT/SIGTERM,
// or after --idle-exit seconds without new lines, drains the files, writes the final
// report and returns 0. `labels` (with a path): the label file is followed too and
// joined by request id (docs/FOLLOW.md, "Late labels while following").
int runReportFollow(const QCommandLineParser& parser, const QStringList& logs, const LoadOptions& load,
                    const AnalysisOptions& options, const QString& out,
                    const std::optional<LabelSourceConfig>& labels = std::nullopt);

} // namespace vigil::cli
