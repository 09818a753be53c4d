#include "engine/oversized_window.h"

#include "drift/sample_prep.h"
#include "engine/drift_analysis.h"
#include "engine/drift_rows.h"
#include "engine/spill_batches.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>

namespace vigil::detail {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

bool hasAnyValid(const NumericColumn& col)
{
    return std::any_of(col.valid.begin(), col.valid.end(), [](std::uint8_t v) { return v != 0; });
}

const NumericColumn* numericColumn(const LogTable& t, const std::string& name, bool model)
{
    if (!model)
        return name == "prediction" ? &t.prediction : name == "label" ? &t.label : nullptr;
    for (const auto& c : t.numericFeatures)
        if (c.name == name)
            return &c;
    return nullptr;
}

// The profile keeps at most kProfileExactValues values a feature (a file meant to stay small);
// the sketched window is scored against every reference value, as computeDrift scores the
// others, so that a statistic the sketch holds exactly is the in-memory one.
void keepEveryReferenceValue(ReferenceProfile& p, const LogTable& ref, std::span<const std::uint32_t> rows)
{
    const std::size_t model = p.features.size() - 2;
    for (std::size_t i = 0; i < p.features.size(); ++i) {
        ProfileFeature& f = p.features[i];
        if (f.categorical || f.numeric.exact)
            continue;
        const NumericColumn* col = numericColumn(ref, f.name, i < model);
        if (!col || col->values.size() != ref.rows())
            continue;
        std::vector<double> values;
        values.reserve(rows.size());
        for (const std::uint32_t r : rows)
            values.push_back(col->valid[r] ? col->values[r] : kNan);
        f.numeric.values = sortedWithoutNan(values);
        f.numeric.exact = true;
    }
}

} // namespace

Result<SketchReference> sketchReference(const LoadedLog& log, const AnalysisSnapshot& windows,
                                        const DriftOptions& drift,
                                        std::optional<std::pair<std::int64_t, std::int64_t>> reference,
                                        bool anyLabel, std::stop_token stop)
{
    SketchReference out;
    if (drift.profile) {
        out.profile = drift.profile;
        out.info = drift.profile->reference;
        out.info.source = "profile";
        return out;
    }
    constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
    auto rows = reference ? gatherRows(log, kNone, kNone, reference, true) : Result<LogTable>(log.table);
    if (!rows)
        return rows.error();
    if (anyLabel && !hasAnyValid(rows->label))
        appendLabelFiller(rows.value());
    AnalysisSnapshot snapshot = windows;
    if (reference) {
        auto computed = computeDrift(rows.value(), windows, drift, stop);
        if (!computed)
            return computed.error();
        out.warnings = computed.warnings;
        snapshot.drift = std::move(computed.value());
    } else {
        // A reference file: the profile reads it alone (no reference windows in the log).
        snapshot.drift.emplace();
        snapshot.drift->reference.source = "file";
        snapshot.drift->reference.rows = drift.referenceTable ? drift.referenceTable->rows() : 0;
    }
    out.info = snapshot.drift->reference;
    auto profile = buildReferenceProfile(rows.value(), snapshot, drift);
    if (!profile)
        return profile.error();
    if (drift.referenceTable) {
        std::vector<std::uint32_t> all(drift.referenceTable->rows());
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = static_cast<std::uint32_t>(i);
        keepEveryReferenceValue(profile.value(), *drift.referenceTable, all);
    } else {
        keepEveryReferenceValue(profile.value(), rows.value(),
                                rowsInRange(rows->tsMs, out.info.startMs, out.info.endMs));
    }
    out.profile = std::make_shared<const ReferenceProfile>(std::move(profile.value()));
    return out;
}

Result<SketchedSpillWindow> sketchSpilledWindow(const LoadedLog& log, std::int64_t startMs,
                                                std::int64_t windowMs, PredictionKind kind,
                                                const AnalysisOptions& options,
                                                std::shared_ptr<const ReferenceProfile> profile,
                                                bool anyLabel, std::stop_token stop)
{
    try {
        const std::int64_t endMs = startMs + windowMs;
        WindowSketchOptions sketch;
        sketch.labelFeature = anyLabel;
        auto all = WindowSketchBuilder::create(log.table, startMs, windowMs, kind, options, profile, sketch);
        if (!all)
            return all.error();
        // One builder per version (no drift: by_version has none), in order of appearance.
        std::map<std::string, std::size_t> segmentIndex;
        std::vector<std::pair<std::string, WindowSketchBuilder>> segments;
        SketchedSpillWindow out;
        const auto& dictionary = log.table.version.dictionary;
        std::vector<std::vector<std::uint32_t>> bySegment;
        const auto addChunk = [&](const LogTable& part,
                                  std::span<const std::uint32_t> local) -> std::optional<Error> {
            if (stop.stop_requested())
                return Error{"cancelled"};
            if (auto added = all->add(part, local); !added)
                return added.error();
            if (part.version.codes.size() == part.rows()) {
                for (auto& s : bySegment)
                    s.clear();
                for (const std::uint32_t r : local) {
                    const std::uint32_t code = part.version.codes[r];
                    const std::string name =
                        code == CategoricalColumn::kNull ? "(none)" : dictionary.at(code);
                    auto [it, inserted] = segmentIndex.emplace(name, segments.size());
                    if (inserted) {
                        AnalysisOptions plain = options;
                        plain.drift = {};
                        auto b = WindowSketchBuilder::create(log.table, startMs, windowMs, kind, plain);
                        if (!b)
                            return b.error();
                        segments.emplace_back(name, std::move(b.value()));
                        bySegment.emplace_back();
                    }
                    bySegment[it->second].push_back(r);
                }
                for (std::size_t s = 0; s < segments.size(); ++s)
                    if (!bySegment[s].empty())
                        if (auto added = segments[s].second.add(part, bySegment[s]); !added)
                            return added.error();
            }
            if (part.label.valid.size() == part.rows() && part.prediction.valid.size() == part.rows())
                for (const std::uint32_t r : local)
                    if (part.label.valid[r] && part.prediction.valid[r]) {
                        out.conceptRows.tsMs.push_back(part.tsMs[r]);
                        out.conceptRows.prediction.push(part.prediction.values[r]);
                        out.conceptRows.label.push(part.label.values[r]);
                    }
            return std::nullopt;
        };
        if (auto e = forEachChunkInRange(log, startMs, endMs, addChunk))
            return *e;
        auto finished = all->finish();
        if (!finished)
            return finished.error();
        out.all = std::move(finished.value());
        for (auto& [name, builder] : segments) {
            auto s = builder.finish();
            if (!s)
                return s.error();
            out.bySegment.emplace_back(name, std::move(s->stats));
        }
        return out;
    } catch (const std::exception& e) {
        return Error{std::string("sketching a window failed: ") + e.what()};
    }
}

} // namespace vigil::detail
