#include "demo/demo_log.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <functional>
#include <numbers>

namespace vigil {

namespace {

double sigmoid(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

constexpr const char* kCountries[] = {"DE", "FR", "US", "BR", "IN", "GB"};
constexpr double kCountryMix[] = {0.28, 0.16, 0.30, 0.06, 0.12, 0.08};
constexpr double kCountryMixDrifted[] = {0.18, 0.12, 0.24, 0.28, 0.12, 0.06};
constexpr const char* kDevices[] = {"ios", "android", "web"};
constexpr double kDeviceMix[] = {0.35, 0.40, 0.25};
constexpr const char* kPlans[] = {"free", "basic", "pro"};
constexpr double kPlanMix[] = {0.55, 0.30, 0.15};

template <std::size_t N> std::size_t pick(const double (&weights)[N], double u)
{
    double acc = 0.0;
    for (std::size_t i = 0; i < N; ++i) {
        acc += weights[i];
        if (u < acc) {
            return i;
        }
    }
    return N - 1;
}

} // namespace

DemoLogGenerator::DemoLogGenerator(DemoScenario scenario) : m_scenario(scenario), m_rng(scenario.seed) {}

double DemoLogGenerator::uniform()
{
    return static_cast<double>(m_rng() >> 11) * (1.0 / 9007199254740992.0);
}

// Box-Muller on our own uniform, so the stream does not depend on the standard
// library's distribution implementations.
double DemoLogGenerator::normal()
{
    const double u1 = std::max(uniform(), 1e-300);
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

void DemoLogGenerator::generate(std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs, std::string& out)
{
    constexpr std::int64_t kStepMs = 10'000;
    for (std::int64_t t = fromMs; t < toMs; t += kStepMs) {
        const std::int64_t stepEnd = std::min(t + kStepMs, toMs);
        // A daily cycle peaking in the European afternoon, with a quieter weekend-like dip.
        const double hourOfDay = static_cast<double>((t / 60'000) % 1440) / 60.0;
        const double cycle = 1.0 + 0.6 * std::sin(2.0 * std::numbers::pi * (hourOfDay - 9.0) / 24.0);
        const double expected =
            m_scenario.rowsPerMinute * cycle * static_cast<double>(stepEnd - t) / 60'000.0;
        // Poisson arrivals by exponential gaps inside the step.
        double cursor = 0.0;
        const double span = static_cast<double>(stepEnd - t);
        while (true) {
            cursor += -std::log(std::max(uniform(), 1e-300)) * span / std::max(expected, 1e-9);
            if (cursor >= span) {
                break;
            }
            appendRow(t + static_cast<std::int64_t>(cursor), nowMs, out);
        }
    }
}

void DemoLogGenerator::appendRow(std::int64_t tsMs, std::int64_t nowMs, std::string& out)
{
    using T = DemoTimeline;
    const std::int64_t offset = tsMs - m_scenario.startMs;
    ++m_rows;

    const double rolloutShare = offset < T::kRolloutStart ? 0.0
                                : offset >= T::kRolloutEnd
                                    ? 1.0
                                    : 0.1 + 0.9 * static_cast<double>(offset - T::kRolloutStart) /
                                                (T::kRolloutEnd - T::kRolloutStart);
    const bool newVersion = uniform() < rolloutShare;
    const bool featureDrift = offset >= T::kFeatureDriftStart;
    const bool conceptDrift = offset >= T::kConceptDriftStart;

    const double amount = std::exp(3.0 + 0.8 * normal() + (featureDrift ? 0.55 : 0.0));
    const double age = std::clamp(38.0 + 12.0 * normal(), 18.0, 90.0);
    const double tenure = std::floor(std::exp(5.0 + 1.1 * normal()));
    const double sessions = std::floor(std::max(0.0, 6.0 + 4.0 * normal()));
    const char* country = kCountries[pick(featureDrift ? kCountryMixDrifted : kCountryMix, uniform())];
    const char* device = kDevices[pick(kDeviceMix, uniform())];
    const char* plan = kPlans[pick(kPlanMix, uniform())];

    // The world: churn risk falls with tenure and engagement. After the concept drift
    // engagement stops protecting and price sensitivity (amount) takes over.
    const double z = (std::log(tenure + 1.0) - 5.0) / 1.1;
    const double s = (sessions - 6.0) / 4.0;
    const double a = (std::log(amount) - 3.0) / 0.8;
    const double truthLogit =
        conceptDrift ? -0.3 - 0.3 * z + 0.1 * s + 1.4 * a : -0.3 - 1.2 * z - 1.0 * s + 0.2 * a;
    const int label = uniform() < sigmoid(truthLogit) ? 1 : 0;
    // The models learned the old world; 1.4.0 a little better.
    const double modelLogit = newVersion ? -0.3 - 1.25 * z - 1.05 * s + 0.2 * a + 0.15 * normal()
                                         : -0.3 - 1.1 * z - 0.9 * s + 0.15 * a + 0.35 * normal();
    const double prediction = sigmoid(modelLogit);

    // 1.4.0 added a feature lookup: slower and with a heavier tail.
    double latency = std::exp((newVersion ? 3.35 : 3.0) + (newVersion ? 0.45 : 0.3) * normal());
    if (uniform() < (newVersion ? 0.02 : 0.005)) {
        latency *= 6.0;
    }
    const bool burst = offset >= T::kErrorBurstStart && offset < T::kErrorBurstEnd;
    const bool failed = uniform() < (burst ? 0.25 : 0.004);
    const bool converted = !label && uniform() < 0.3;
    const double revenue = converted ? std::round(amount * 100.0) / 100.0 : 0.0;

    bool labelArrived = false;
    if (m_scenario.separateLabels) {
        if (!failed && uniform() < m_scenario.labelShare) {
            const double delayMs = m_scenario.labelDelayHours * 3.6e6 * std::exp(0.5 * normal());
            m_pending.push_back({tsMs + static_cast<std::int64_t>(delayMs), m_rows, label});
            std::push_heap(m_pending.begin(), m_pending.end(), std::greater<>{});
        }
    } else {
        labelArrived = static_cast<double>(nowMs - tsMs) > m_scenario.labelDelayHours * 3.6e6 &&
                       uniform() < m_scenario.labelShare;
    }

    out += fmt::format(
        R"({{"ts": {}, "request_id": "r{}", "model": "churn", "version": "{}", "latency_ms": {:.2f}, )", tsMs,
        m_rows, newVersion ? "1.4.0" : "1.3.0", latency);
    out += fmt::format(
        R"("status": "{}", "features": {{"amount": {:.2f}, "age": {:.0f}, "tenure_days": {:.0f}, )",
        failed ? "error" : "ok", amount, age, tenure);
    out += fmt::format(R"("sessions_7d": {:.0f}, "country": "{}", "device": "{}", "plan": "{}"}}, )",
                       sessions, country, device, plan);
    if (failed) {
        out += R"("prediction": null, )";
    } else {
        out += fmt::format(R"("prediction": {:.4f}, )", prediction);
    }
    if (labelArrived && !failed) {
        out += fmt::format(R"("label": {}, )", label);
    }
    out += fmt::format(R"("kpi": {{"revenue": {:.2f}, "converted": {}}}}})", revenue, converted ? 1 : 0);
    out += '\n';
}

void DemoLogGenerator::takeArrivedLabels(std::int64_t nowMs, std::string& out)
{
    while (!m_pending.empty() && m_pending.front().arrivalMs <= nowMs) {
        const PendingLabel l = m_pending.front();
        std::pop_heap(m_pending.begin(), m_pending.end(), std::greater<>{});
        m_pending.pop_back();
        out += fmt::format(R"({{"request_id": "r{}", "label": {}, "ts": {}}})", l.row, l.label, l.arrivalMs);
        out += '\n';
    }
}

Result<std::uint64_t> writeDemoRange(DemoLogGenerator& generator, const std::string& path,
                                     std::int64_t fromMs, std::int64_t toMs, bool append,
                                     const std::string& labelsPath)
{
    std::FILE* file = std::fopen(path.c_str(), append ? "ab" : "wb");
    if (!file) {
        return Error{fmt::format("cannot write {}", path)};
    }
    const std::uint64_t before = generator.rowsWritten();
    std::string buffer;
    bool ok = true;
    for (std::int64_t t = fromMs; t < toMs && ok; t += DemoTimeline::kHour) {
        buffer.clear();
        generator.generate(t, std::min(t + DemoTimeline::kHour, toMs), toMs, buffer);
        ok = std::fwrite(buffer.data(), 1, buffer.size(), file) == buffer.size();
    }
    ok = (std::fclose(file) == 0) && ok;
    if (!ok) {
        return Error{fmt::format("writing {} failed", path)};
    }
    if (!labelsPath.empty()) {
        buffer.clear();
        generator.takeArrivedLabels(toMs, buffer);
        std::FILE* labels = std::fopen(labelsPath.c_str(), append ? "ab" : "wb");
        if (!labels) {
            return Error{fmt::format("cannot write {}", labelsPath)};
        }
        ok = std::fwrite(buffer.data(), 1, buffer.size(), labels) == buffer.size();
        if (!((std::fclose(labels) == 0) && ok)) {
            return Error{fmt::format("writing {} failed", labelsPath)};
        }
    }
    return generator.rowsWritten() - before;
}

} // namespace vigil
