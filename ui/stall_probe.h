#pragma once
// Measures how long the GUI event loop goes without serving a timer: a 5 ms timer
// notes the gap between its ticks; the longest gap beyond the interval is the stall.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace vigil {

class StallProbe : public QObject
{
    Q_OBJECT
  public:
    explicit StallProbe(QObject* parent = nullptr, int intervalMs = 5);

    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    qint64 longestStallMs() const; // lateness beyond the interval, over the probe's run
    qint64 longestGapMs() const { return m_longestGapMs; }
    // The most CPU time the GUI thread spent between two ticks: the longest stall our
    // own code caused. On a shared, overloaded machine the wall-clock stall also holds
    // the time the thread waited for a core; this one does not.
    qint64 longestBusyMs() const { return m_longestBusyUs / 1000; }
    qint64 ticks() const { return m_ticks; }

  private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastMs = 0;
    qint64 m_longestGapMs = 0;
    qint64 m_longestBusyUs = 0;
    qint64 m_lastCpuUs = 0;
    qint64 m_ticks = 0;
    int m_intervalMs;
};

} // namespace vigil
