// tautband-cli with Bluetooth: devices list shows what BlueZ (our mock) knows
// and a driver could use; devices probe --port ble:ADDR / rfcomm:ADDR
// identifies the simulator behind the mock; devices pair / forget with their
// exit codes (0 done, 1 failed: wrong PIN or no Bluetooth, 2 bad port or
// unknown device).
#include "BluezMock.h"
#include "SimProcess.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
  int exitCode = -1;
  QJsonObject json;
  QString stderrText;
};

Run cli(const QStringList& args, const QString& dataDir, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
  QProcess p;
  p.setProcessEnvironment(env);
  p.start(QStringLiteral(TAUTBAND_CLI),
          QStringList(args) << QStringLiteral("--json") << QStringLiteral("--data-dir") << dataDir
                            << QStringLiteral("--plugin-dir") << QStringLiteral(TAUTBAND_PLUGIN_DIR));
  p.waitForFinished(30000);
  return {p.exitCode(), QJsonDocument::fromJson(p.readAllStandardOutput()).object(),
          QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

class BluetoothCliTest : public QObject {
  Q_OBJECT
  BluezMock* mock_ = nullptr;  // children inherit DBUS_SYSTEM_BUS_ADDRESS from this process
  QTemporaryDir data_;

 private slots:
  void initTestCase() {
    mock_ = new BluezMock;
    QVERIFY2(mock_->ok(), qPrintable(mock_->error()));
  }
  void cleanupTestCase() { delete mock_; }

  void listShowsCandidatesOnly() {
    SimProcess laser({QStringLiteral("laser")});
    SimProcess bitalino({QStringLiteral("bitalino")});
    QVERIFY(mock_->addNusDevice(QStringLiteral("AA:BB:CC:00:00:01"), QStringLiteral("Tautband Laser"),
                                laser.path(), 247));
    QVERIFY(mock_->addSppDevice(QStringLiteral("20:16:07:18:15:40"), QStringLiteral("BITalino-15-40"),
                                bitalino.path()));
    QVERIFY(mock_->addSppDevice(QStringLiteral("AA:BB:CC:00:00:99"), QStringLiteral("Somebody's phone"),
                                QString()));
    const auto r = cli({QStringLiteral("devices"), QStringLiteral("list")}, data_.path());
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.json.value(QStringLiteral("bluetooth_available")).toBool());
    QMap<QString, QJsonObject> byAddress;
    for (const auto& d : r.json.value(QStringLiteral("bluetooth")).toArray())
      byAddress.insert(d.toObject().value(QStringLiteral("address")).toString(), d.toObject());
    QCOMPARE(byAddress.value(QStringLiteral("AA:BB:CC:00:00:01")).value(QStringLiteral("port")).toString(),
             QStringLiteral("ble:AA:BB:CC:00:00:01"));
    QCOMPARE(byAddress.value(QStringLiteral("20:16:07:18:15:40")).value(QStringLiteral("port")).toString(),
             QStringLiteral("rfcomm:20:16:07:18:15:40"));
    QCOMPARE(byAddress.value(QStringLiteral("20:16:07:18:15:40")).value(QStringLiteral("driver")).toString(),
             QStringLiteral("plux.bitalino"));
    QVERIFY(!byAddress.contains(QStringLiteral("AA:BB:CC:00:00:99")));  // no NUS, no driver's name
    // Listing never connects.
    QVERIFY(!mock_->stats(QStringLiteral("AA:BB:CC:00:00:01")).value(QStringLiteral("connected")).toBool());
  }

  void probeOverBleAndRfcomm() {
    SimProcess laser({QStringLiteral("laser"), QStringLiteral("--serial"), QStringLiteral("CLI-L1")});
    SimProcess bitalino({QStringLiteral("bitalino")});
    QVERIFY(mock_->addNusDevice(QStringLiteral("AA:BB:CC:00:00:02"), QStringLiteral("Tautband Laser"),
                                laser.path(), 0));
    QVERIFY(mock_->addSppDevice(QStringLiteral("20:16:07:18:15:41"), QStringLiteral("BITalino-15-41"),
                                bitalino.path()));
    const auto ble = cli({QStringLiteral("devices"), QStringLiteral("probe"), QStringLiteral("--port"),
                          QStringLiteral("ble:aa:bb:cc:00:00:02")},
                         data_.path());
    QVERIFY2(ble.exitCode == 0, qPrintable(ble.stderrText));
    QCOMPARE(ble.json.value(QStringLiteral("serial")).toString(), QStringLiteral("CLI-L1"));
    const auto spp = cli({QStringLiteral("devices"), QStringLiteral("probe"), QStringLiteral("--port"),
                          QStringLiteral("rfcomm:20:16:07:18:15:41"), QStringLiteral("--driver"),
                          QStringLiteral("plux.bitalino")},
                         data_.path());
    QVERIFY2(spp.exitCode == 0, qPrintable(spp.stderrText));
    QCOMPARE(spp.json.value(QStringLiteral("firmware")).toString(), QStringLiteral("BITalino_v5.1"));
  }

  void badBluetoothPortsAreUsageErrors() {
    const auto r = cli({QStringLiteral("devices"), QStringLiteral("probe"), QStringLiteral("--port"),
                        QStringLiteral("ble:AA:BB")},
                       data_.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stderrText.contains(QStringLiteral("not a Bluetooth address")), qPrintable(r.stderrText));
    const auto unknown = cli({QStringLiteral("devices"), QStringLiteral("probe"), QStringLiteral("--port"),
                              QStringLiteral("ble:12:34:56:78:9A:BC")},
                             data_.path());
    QVERIFY(unknown.exitCode != 0);
    QVERIFY2(unknown.stderrText.contains(QStringLiteral("does not know")), qPrintable(unknown.stderrText));
  }

  void pairWithAPinThenForget() {
    SimProcess bitalino({QStringLiteral("bitalino")});
    const QString address = QStringLiteral("20:16:07:18:15:42");
    const QString port = QStringLiteral("rfcomm:") + address;
    QVERIFY(mock_->addSppDevice(address, QStringLiteral("BITalino-15-42"), bitalino.path()));
    mock_->setPin(address, QStringLiteral("1234"));
    const QStringList pair{QStringLiteral("devices"), QStringLiteral("pair"), QStringLiteral("--port"), port};
    const auto wrong = cli(QStringList(pair) << QStringLiteral("--pin") << QStringLiteral("0000"), data_.path());
    QCOMPARE(wrong.exitCode, 1);
    QVERIFY2(wrong.stderrText.contains(QStringLiteral("Wrong PIN")), qPrintable(wrong.stderrText));
    // No --pin: the PIN the matching driver (plux.bitalino) documents.
    const auto right = cli(pair, data_.path());
    QVERIFY2(right.exitCode == 0, qPrintable(right.stderrText));
    QCOMPARE(right.json.value(QStringLiteral("paired")).toBool(), true);
    QCOMPARE(right.json.value(QStringLiteral("pin_source")).toString(), QStringLiteral("driver plux.bitalino"));
    const auto again = cli(pair, data_.path());
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(again.json.value(QStringLiteral("already_paired")).toBool(), true);
    // Paired: the link connects.
    const auto probe = cli({QStringLiteral("devices"), QStringLiteral("probe"), QStringLiteral("--port"), port,
                            QStringLiteral("--driver"), QStringLiteral("plux.bitalino")},
                           data_.path());
    QVERIFY2(probe.exitCode == 0, qPrintable(probe.stderrText));
    const QStringList forget{QStringLiteral("devices"), QStringLiteral("forget"), QStringLiteral("--port"), port};
    const auto forgot = cli(forget, data_.path());
    QVERIFY2(forgot.exitCode == 0, qPrintable(forgot.stderrText));
    QCOMPARE(forgot.json.value(QStringLiteral("forgotten")).toBool(), true);
    QCOMPARE(mock_->call(QStringLiteral("GetStats"), {address}).type(), QDBusMessage::ErrorMessage);  // gone
    // Now BlueZ does not know it: an input error, said plainly.
    const auto unknown = cli(forget, data_.path());
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.stderrText.contains(QStringLiteral("unknown device")), qPrintable(unknown.stderrText));
    const auto unknownPair = cli(pair, data_.path());
    QCOMPARE(unknownPair.exitCode, 2);
    QVERIFY2(unknownPair.stderrText.contains(QStringLiteral("unknown device")), qPrintable(unknownPair.stderrText));
  }

  void pairNeedsABluetoothPort() {
    const auto serial = cli({QStringLiteral("devices"), QStringLiteral("pair"), QStringLiteral("--port"),
                             QStringLiteral("/dev/ttyUSB0")},
                            data_.path());
    QCOMPARE(serial.exitCode, 2);
    QVERIFY2(serial.stderrText.contains(QStringLiteral("needs a Bluetooth port")), qPrintable(serial.stderrText));
    const auto badPin = cli({QStringLiteral("devices"), QStringLiteral("pair"), QStringLiteral("--port"),
                             QStringLiteral("rfcomm:20:16:07:18:15:42"), QStringLiteral("--pin"),
                             QStringLiteral("12345678901234567")},
                            data_.path());
    QCOMPARE(badPin.exitCode, 2);
  }

  void withoutBluetoothPairAndForgetSaySo() {
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/bus"));
    for (const QString& verb : {QStringLiteral("pair"), QStringLiteral("forget")}) {
      const auto r = cli({QStringLiteral("devices"), verb, QStringLiteral("--port"),
                          QStringLiteral("ble:C0:FF:EE:00:00:01")},
                         data_.path(), env);
      QCOMPARE(r.exitCode, 1);
      QVERIFY2(r.stderrText.contains(QStringLiteral("No Bluetooth")), qPrintable(r.stderrText));
    }
  }
};

QTEST_GUILESS_MAIN(BluetoothCliTest)
#include "test_bluetooth_cli.moc"
