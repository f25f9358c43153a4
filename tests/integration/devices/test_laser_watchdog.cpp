// The simulator's own firmware watchdog: when the console stops sending
// keep-alives because it is frozen (SIGSTOP) or dead (SIGKILL), the laser
// ends emission by itself 300 ms after the last keep-alive it received.
#include "SimProcess.h"

#include <QTest>

#include <csignal>

class LaserWatchdogTest : public QObject {
  Q_OBJECT

  void runCase(int signal) {
    SimProcess sim({QStringLiteral("laser")});
    QVERIFY(!sim.path().isEmpty());
    QProcess client;
    client.start(QStringLiteral(TAUTBAND_LASER_CLIENT), {sim.path()});
    QVERIFY(client.waitForStarted(5000));
    QVERIFY(sim.waitFor(QStringLiteral("emission"), 5000, QStringLiteral("on"), true));
    QVERIFY(client.waitForReadyRead(5000));
    QVERIFY(client.readAllStandardOutput().contains("emitting"));
    // Keep-alives hold emission on for a while.
    QTest::qWait(400);
    ::kill(static_cast<pid_t>(client.processId()), signal);
    const auto off = sim.waitFor(QStringLiteral("emission"), 2000, QStringLiteral("on"), false);
    QVERIFY2(off.has_value(), "the simulator did not stop emission by itself");
    QVERIFY(off->value("reason").toString().contains(QStringLiteral("watchdog")));
    const double sinceKeepAliveMs = off->value("since_keep_alive_us").toDouble() / 1000.0;
    // Never before 300 ms; the upper bound (320 ms) is the benchmark's to
    // measure, since a busy machine delays the simulator's own tick.
    QVERIFY2(sinceKeepAliveMs > 300 && sinceKeepAliveMs < 1000, qPrintable(QString::number(sinceKeepAliveMs)));
    if (signal == SIGSTOP) ::kill(static_cast<pid_t>(client.processId()), SIGCONT);
    client.kill();
    client.waitForFinished(5000);
  }

 private slots:
  void frozenConsoleStopsEmissionThroughTheDeviceWatchdog() { runCase(SIGSTOP); }
  void killedConsoleStopsEmissionThroughTheDeviceWatchdog() { runCase(SIGKILL); }
};

QTEST_GUILESS_MAIN(LaserWatchdogTest)
#include "test_laser_watchdog.moc"
