// tautband-cli devices list / probe and emg record against the simulators.
#include "SimProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
  int code = -1;
  QByteArray out;
  QString err;
};

Run cli(const QStringList& args) {
  QProcess p;
  p.start(QStringLiteral(TAUTBAND_CLI), args);
  p.waitForFinished(60000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
          QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

class DevicesCliTest : public QObject {
  Q_OBJECT

 private slots:
  void listHasPortsAndDrivers() {
    const auto r = cli({QStringLiteral("devices"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(r.code, 0);
    const auto json = QJsonDocument::fromJson(r.out).object();
    QVERIFY(json.value("ports").isArray());
    QVERIFY(json.value("drivers").isArray());
    QVERIFY(!json.value("drivers").toArray().isEmpty());
  }

  void probePrintsDeviceInfo() {
    SimProcess sim({QStringLiteral("laser"), QStringLiteral("--serial"), QStringLiteral("PROBE-1")});
    const auto r = cli({QStringLiteral("devices"), QStringLiteral("probe"), QStringLiteral("--port"), sim.path(),
                        QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json.value("serial").toString(), QStringLiteral("PROBE-1"));
    QCOMPARE(json.value("laser").toObject().value("firmware_watchdog").toBool(), true);
    const auto text = cli({QStringLiteral("devices"), QStringLiteral("probe"), QStringLiteral("--port"), sim.path()});
    QCOMPARE(text.code, 0);
    QVERIFY(text.out.contains("808 nm"));
  }

  void probeOfASilentDeviceIsExit1() {
    SimProcess sim({QStringLiteral("laser")});
    sim.command(QStringLiteral("stall 10000"));
    QVERIFY(sim.waitFor(QStringLiteral("ok"), 2000));
    QElapsedTimer t;
    t.start();
    const auto r = cli({QStringLiteral("devices"), QStringLiteral("probe"), QStringLiteral("--port"), sim.path()});
    QCOMPARE(r.code, 1);
    QVERIFY(t.elapsed() < 6000);
    QVERIFY2(r.err.contains(QStringLiteral("no identification")) || r.err.contains(QStringLiteral("no DeviceInfo")),
             qPrintable(r.err));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
  }

  void probeOfAMissingPortIsExit2() {
    const auto r = cli({QStringLiteral("devices"), QStringLiteral("probe"), QStringLiteral("--port"),
                        QStringLiteral("/dev/nope-nope")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("no such port")));
  }

  void emgRecordWritesMicrovoltCsvAndASummary() {
    SimProcess sim({QStringLiteral("emg"), QStringLiteral("--channels"), QStringLiteral("2"), QStringLiteral("--rate"),
                    QStringLiteral("4000")});
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("rec.csv"));
    const auto r = cli({QStringLiteral("emg"), QStringLiteral("record"), QStringLiteral("--port"), sim.path(),
                        QStringLiteral("--seconds"), QStringLiteral("1"), QStringLiteral("--out"), csv,
                        QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json.value("lost_frames").toDouble(), 0.0);
    QCOMPARE(json.value("link_errors").toDouble(), 0.0);
    QVERIFY(std::abs(json.value("measured_rate_hz").toDouble() - 4000) < 200);
    QVERIFY(json.value("frames").toDouble() > 900);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readLine().trimmed(), QByteArray("t_s,ch1,ch2"));
    const auto row = file.readLine().trimmed().split(',');
    QCOMPARE(row.size(), 3);
    QCOMPARE(row[0], QByteArray("0.000000"));
    // Background noise of ~12 µV RMS: values in µV, not raw units.
    QVERIFY(std::abs(row[1].toDouble()) < 100);
  }

  void simulatorPlaysARecordingSampleForSample() {
    // The healthy PhysioNet record is 4 kHz; played at 4 kHz the device sends
    // the recording's own values (raw / 10 = µV).
    const QString record = QStringLiteral(TAUTBAND_TEST_DATA "/emg-physionet/emg_healthy");
    SimProcess sim({QStringLiteral("emg"), QStringLiteral("--play"), record, QStringLiteral("--rate"), QStringLiteral("4000")});
    QVERIFY(!sim.path().isEmpty());
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("play.csv"));
    const auto r = cli({QStringLiteral("emg"), QStringLiteral("record"), QStringLiteral("--port"), sim.path(),
                        QStringLiteral("--seconds"), QStringLiteral("0.5"), QStringLiteral("--out"), csv});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QFile dat(record + QStringLiteral(".dat"));
    QVERIFY(dat.open(QIODevice::ReadOnly));
    const QByteArray raw = dat.read(2 * 2000);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    file.readLine();  // header
    for (int i = 0; i < 2000; ++i) {
      const auto row = file.readLine().trimmed().split(',');
      QVERIFY(row.size() == 2);
      const auto value = static_cast<qint16>(static_cast<quint8>(raw[2 * i]) | (static_cast<quint8>(raw[2 * i + 1]) << 8));
      QCOMPARE(row[1].toDouble(), value / 10.0);
    }
  }

  void simulatorRefusesABrokenRecording() {
    QTemporaryDir dir;
    QFile hea(dir.filePath(QStringLiteral("bad.hea")));
    QVERIFY(hea.open(QIODevice::WriteOnly));
    hea.write("bad 1 4000 100\nbad.dat 16 10000/mV 16 0 0 0 0 EMG\n");
    hea.close();  // no .dat file
    QProcess sim;
    sim.start(QStringLiteral(TAUTBAND_SIM), {QStringLiteral("emg"), QStringLiteral("--play"), dir.filePath(QStringLiteral("bad"))});
    QVERIFY(sim.waitForFinished(5000));
    QCOMPARE(sim.exitCode(), 2);
    QVERIFY(sim.readAllStandardError().contains("--play"));
  }
};

QTEST_GUILESS_MAIN(DevicesCliTest)
#include "test_devices_cli.moc"
