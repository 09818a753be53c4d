#include "report/drift_csv.h"

#include "util/time_format.h"

#include <fmt/format.h>

namespace vigil {

namespace {

std::string cell(const std::optional<double>& v)
{
    return v ? fmt::format("{}", *v) : std::string();
}

// Feature names come from the log; quote them as RFC 4180 asks.
std::string quoted(std::string_view text)
{
    if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
        return std::string(text);
    }
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

} // namespace

std::string driftToCsv(const AnalysisResult& result)
{
    const AnalysisSnapshot& snap = result.snapshot;
    if (!snap.drift) {
        return {};
    }
    std::string out = "start_ms,start,feature,kind,ks_d,ks_p,wasserstein,psi,js,hellinger,chi2,chi2_p,"
                      "missing_share,reconstruction_error,lower,upper,drifted\n";
    for (const WindowDrift& w : snap.drift->windows) {
        const std::string prefix = fmt::format("{},{},", w.startMs, formatIsoUtc(w.startMs));
        for (const FeatureDrift& f : w.features) {
            out += prefix + quoted(f.name) + (f.categorical ? ",categorical" : ",numeric");
            for (const auto& v :
                 {f.ksD, f.ksP, f.wasserstein, f.psi, f.js, f.hellinger, f.chi2, f.chi2P, f.missingShare}) {
                out += ',' + cell(v);
            }
            out += fmt::format(",,,,{}\n", f.drifted ? 1 : 0);
        }
        const MultivariateDrift& m = w.multivariate;
        out += prefix + "__multivariate__,pca,,,,,,,,,";
        out += fmt::format(",{},{},{},{}\n", cell(m.reconstructionError), cell(m.lower), cell(m.upper),
                           m.drifted ? 1 : 0);
    }
    return out;
}

std::string driftCsvPath(const std::string& reportCsvPath)
{
    const std::string suffix = ".csv";
    if (reportCsvPath.size() >= suffix.size()) {
        return reportCsvPath.substr(0, reportCsvPath.size() - suffix.size()) + ".drift.csv";
    }
    return reportCsvPath + ".drift.csv";
}

} // namespace vigil
