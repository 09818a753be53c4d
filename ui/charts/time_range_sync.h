#pragma once
// One shared time range for every chart in every view: zoom or pan one chart and
// the others follow; reset returns all of them to the data's full extent.
#include <QObject>

namespace vigil {

class TimeRangeSync : public QObject
{
    Q_OBJECT
  public:
    explicit TimeRangeSync(QObject* parent = nullptr);

    // The full extent of the data (epoch ms). Keeps the current zoom if there is one,
    // so a reload while following a growing log does not throw the user's view away.
    void setDataRange(double minMs, double maxMs);
    double dataMin() const { return m_dataMin; }
    double dataMax() const { return m_dataMax; }

    void setRange(double minMs, double maxMs);
    double min() const { return m_min; }
    double max() const { return m_max; }
    bool isZoomed() const { return m_zoomed; }
    bool hasData() const { return m_dataMax > m_dataMin; }

  public slots:
    void reset();

  signals:
    void rangeChanged(double minMs, double maxMs);

  private:
    double m_dataMin = 0.0;
    double m_dataMax = 0.0;
    double m_min = 0.0;
    double m_max = 0.0;
    bool m_zoomed = false;
};

} // namespace vigil
