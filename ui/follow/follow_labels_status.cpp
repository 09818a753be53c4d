#include "follow/follow_labels_status.h"

#include "format.h"
#include "ingest/label_summary.h"

#include <QCoreApplication>

namespace vigil {

QString followLabelsStatus(const AnalysisResult& result)
{
    if (!result.log || !result.log->labels)
        return {};
    const LabelSummary& l = *result.log->labels;
    // While following, labels not matched yet may still find their prediction.
    const bool final = result.follow && result.follow->final;
    return QCoreApplication::translate("MainWindow", " · %1 predictions labelled · %2 labels %3")
        .arg(formatCount(l.predictionsLabelled), formatCount(l.unmatchedLabels),
             final ? QCoreApplication::translate("MainWindow", "matched nothing")
                   : QCoreApplication::translate("MainWindow", "pending"));
}

} // namespace vigil
