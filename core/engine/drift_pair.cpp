#include "engine/drift_pair.h"

#include "engine/drift_decisions.h"
#include "engine/feature_drift.h"

#include <algorithm>

namespace vigil {

namespace {

void setPair(const FeatureDrift& pooled, FeatureDrift& f)
{
    f.pairEffect = decisionEffect(pooled);
    f.pairP = decisionPValue(pooled);
    f.pairCount = pooled.count;
}

} // namespace

void NumericPairScorer::next(const PreparedNumericReference& ref, std::vector<double>& sorted,
                             std::size_t missing, FeatureDrift& f)
{
    if (sorted.size() < m_belowRows && !sorted.empty() && !m_previous.empty()) {
        // Both are sorted: one linear merge, no copy of either. scoreNumericWindow still sorts
        // the pool (cheap for std::sort below 512 values; the radix sort above does not notice).
        m_pooled.resize(m_previous.size() + sorted.size());
        std::merge(m_previous.begin(), m_previous.end(), sorted.begin(), sorted.end(), m_pooled.begin());
        setPair(
            featureDriftFromNumeric(f.name, scoreNumericWindow(ref, m_pooled, m_previousMissing + missing)),
            f);
    }
    m_previous.swap(sorted);
    sorted.clear();
    m_previousMissing = missing;
}

void CategoricalPairScorer::next(const CategoricalReference& ref, std::vector<std::int32_t>& codes,
                                 FeatureDrift& f)
{
    if (f.count < m_belowRows && f.count > 0 && !m_previous.empty()) {
        m_pooled.assign(m_previous.begin(), m_previous.end());
        m_pooled.insert(m_pooled.end(), codes.begin(), codes.end());
        FeatureDrift pooled = featureDriftFromCategorical(f.name, categoricalDrift(ref, m_pooled));
        // A previous window of missing values only pools nothing.
        if (pooled.count > f.count)
            setPair(pooled, f);
    }
    m_previous.swap(codes);
    codes.clear();
}

} // namespace vigil
