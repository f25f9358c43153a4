// The console's Bluetooth side against the BlueZ mock, through the real
// composition: DeviceServices (links, drivers, the Devices page's Bluetooth
// view model) and NeedlingServices (the EMG stream starter). Scan finds the
// simulated device, pairing with the right PIN works and a wrong one says so,
// connecting streams EMG and status over the native protocol, forgetting
// closes the link and removes the device; a streaming BLE EMG link that goes
// silent is declared lost within the documented limit; no adapter is said in words.
#include "BluetoothTestSupport.h"
#include "NeedlingTestSupport.h"
#include "console/DeviceServices.h"
#include "console/NeedlingServices.h"
#include "core/SessionClock.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace tautband;
using namespace tautband::devices;
using bluetoothtest::mock;
using bluetoothtest::waitUntil;

class BluetoothConsoleTest : public QObject {
  Q_OBJECT
  QTemporaryDir data_;
  std::unique_ptr<console::DeviceServices> services_;

  ui::BluetoothModel& model() { return services_->bluetooth(); }

  QVariant role(const QString& address, int role) {
    const int row = model().rowOf(address);
    return row < 0 ? QVariant() : model().data(model().index(row), role);
  }

  DeviceLink* linkOn(const QString& port) {
    for (auto* link : services_->links().links())
      if (link->identity().path == port) return link;
    return nullptr;
  }

 private slots:
  void initTestCase() {
    qputenv("TAUTBAND_NO_AUDIO", "1");
    mock = new BluezMock;  // before anything touches QDBusConnection::systemBus()
    QVERIFY2(mock->ok(), qPrintable(mock->error()));
    services_ = std::make_unique<console::DeviceServices>(data_.path(), QStringList{QStringLiteral(TAUTBAND_PLUGIN_DIR)});
  }

  void cleanupTestCase() {
    services_->links().shutdown();
    services_.reset();
    delete mock;
    mock = nullptr;
  }

  void scanFindsTheSimulatedDeviceAndNotAPhone() {
    QVERIFY2(model().available(), qPrintable(model().availability()));
    SimProcess sim({QStringLiteral("emg")});
    const QString address = QStringLiteral("C0:FF:EE:10:00:01");
    mock->call(QStringLiteral("QueueNusDevice"), {address, QStringLiteral("Tautband EMG"), sim.path(), 247u});
    mock->call(QStringLiteral("QueueSppDevice"),
               {QStringLiteral("C0:FF:EE:10:00:99"), QStringLiteral("Somebody's phone"), QString()});
    QCOMPARE(model().rowOf(address), -1);  // BlueZ does not know it before a scan
    QSignalSpy scanning(&model(), &ui::BluetoothModel::scanningChanged);
    model().scan(2);
    QVERIFY(model().scanning());
    QVERIFY(waitUntil([&] { return model().rowOf(address) >= 0; }, 5000));
    QVERIFY(waitUntil([&] { return !model().scanning(); }, 8000));  // the scan ends by itself
    QCOMPARE(role(address, ui::BluetoothModel::PortRole).toString(), QStringLiteral("ble:") + address);
    QCOMPARE(role(address, ui::BluetoothModel::DriverRole).toString(), QStringLiteral("tautband.native"));
    QCOMPARE(role(address, ui::BluetoothModel::PairedRole).toBool(), false);
    QCOMPARE(role(address, ui::BluetoothModel::RssiRole).toInt(), -58);  // the mock's advertised RSSI
    QCOMPARE(model().rowOf(QStringLiteral("C0:FF:EE:10:00:99")), -1);    // a phone is not a candidate
    // Scanning never connects: no link, and BlueZ's radio link is down.
    QVERIFY(services_->links().links().empty());
    QVERIFY(!mock->stats(address).value(QStringLiteral("connected")).toBool());
  }

  void pairWithAWrongPinFailsClearlyAndTheRightOneWorks() {
    SimProcess sim({QStringLiteral("bitalino")});
    const QString address = QStringLiteral("20:16:07:18:15:50");
    QVERIFY(mock->addSppDevice(address, QStringLiteral("BITalino-15-50"), sim.path()));
    mock->setPin(address, QStringLiteral("1234"));
    model().refresh();
    QVERIFY(model().rowOf(address) >= 0);
    QCOMPARE(role(address, ui::BluetoothModel::DriverRole).toString(), QStringLiteral("plux.bitalino"));
    QSignalSpy finished(&model(), &ui::BluetoothModel::pairingFinished);
    model().pair(address, QStringLiteral("0000"));
    QCOMPARE(model().pairingAddress(), address);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.last().at(1).toBool(), false);
    QVERIFY2(model().message().contains(QStringLiteral("Wrong PIN")), qPrintable(model().message()));
    QVERIFY(model().pairingAddress().isEmpty());
    QCOMPARE(role(address, ui::BluetoothModel::PairedRole).toBool(), false);
    model().pair(address, QStringLiteral("1234"));
    QVERIFY(finished.wait(10000));
    QVERIFY2(finished.last().at(1).toBool(), qPrintable(model().message()));
    QCOMPARE(role(address, ui::BluetoothModel::PairedRole).toBool(), true);
    // After pairing the console answers no PIN requests: its agent is gone.
    QCOMPARE(mock->call(QStringLiteral("GetStats"), {address}).type(), QDBusMessage::ReplyMessage);
  }

  void connectStreamsEmgAndStatusThenForgetRemovesIt() {
    SimProcess emg({QStringLiteral("emg"), QStringLiteral("--serial"), QStringLiteral("BT-CON-E1")});
    const QString address = QStringLiteral("C0:FF:EE:10:00:02");
    QVERIFY(mock->addNusDevice(address, QStringLiteral("Tautband EMG"), emg.path(), 247));
    model().refresh();
    model().connectDevice(address);
    const QString port = QStringLiteral("ble:") + address;
    auto* link = linkOn(port);
    QVERIFY2(link, qPrintable(model().message()));
    QVERIFY(bluetoothtest::waitForState(*link, LinkState::Connected, 10000));
    QCOMPARE(link->deviceInfo()->serial(), std::string("BT-CON-E1"));
    QCOMPARE(role(address, ui::BluetoothModel::LinkedRole).toBool(), true);
    // The Devices page's list shows it like any other link, with its health.
    QCOMPARE(services_->model().rowCount(), 1);
    QCOMPARE(services_->model().data(services_->model().index(0), ui::DevicesModel::PathRole).toString(), port);
    // EMG through the native protocol (started here as the stream starter does).
    bluetoothtest::Messages messages;
    messages.attach(*link);
    proto::Envelope start;
    start.mutable_emg_command()->set_request_id(7);
    start.mutable_emg_command()->mutable_start()->set_sample_rate_hz(1000);
    start.mutable_emg_command()->mutable_start()->set_channel_count(1);
    link->send(start);
    QVERIFY(waitUntil([&] { return messages.emgSamples > 500; }, 10000));
    QCOMPARE(link->health().frameErrors(), std::uint64_t{0});
    // Status: a laser on the same adapter, connected the same way.
    SimProcess laser({QStringLiteral("laser")});
    const QString laserAddress = QStringLiteral("C0:FF:EE:10:00:03");
    QVERIFY(mock->addNusDevice(laserAddress, QStringLiteral("Tautband Laser"), laser.path(), 247));
    model().refresh();
    model().connectDevice(laserAddress);
    auto* laserLink = linkOn(QStringLiteral("ble:") + laserAddress);
    QVERIFY(laserLink);
    bluetoothtest::Messages statuses;
    statuses.attach(*laserLink);
    QVERIFY(bluetoothtest::waitForState(*laserLink, LinkState::Connected, 10000));
    QVERIFY(waitUntil([&] { return statuses.statuses >= 3; }, 5000));
    // Forget: the link closes first, then BlueZ removes the device.
    model().forget(laserAddress);
    model().forget(address);
    QVERIFY2(model().message().contains(QStringLiteral("Forgot")), qPrintable(model().message()));
    QVERIFY(services_->links().links().empty());
    QCOMPARE(model().rowOf(address), -1);
    QCOMPARE(mock->call(QStringLiteral("GetStats"), {address}).type(), QDBusMessage::ErrorMessage);  // gone from BlueZ
    QString error;
    const auto objects = bluez::managedObjects(QDBusConnection::systemBus(), error);
    QVERIFY(objects);
    QVERIFY(bluez::devicePath(*objects, QBluetoothAddress(address)).isEmpty());
  }

  void aSilentStreamingBleEmgLinkIsReportedLost() {
    // The console's EMG stream starter (NeedlingServices) starts the stream
    // on identification and arms the silence check.
    core::SessionClock clock;
    // Decisions and the needling record go nowhere: this test is about the EMG stream.
    testsupport::NullSafetyAudit audit;
    testsupport::NullNeedlingRecord record;
    const console::NeedlingServices needling(*services_, clock, data_.path(), audit, record);
    SimProcess sim({QStringLiteral("emg"), QStringLiteral("--serial"), QStringLiteral("BT-CON-E2")});
    const QString address = QStringLiteral("C0:FF:EE:10:00:04");
    QVERIFY(mock->addNusDevice(address, QStringLiteral("Tautband EMG"), sim.path(), 247));
    model().refresh();
    model().connectDevice(address);
    auto* link = linkOn(QStringLiteral("ble:") + address);
    QVERIFY(link);
    bluetoothtest::Messages messages;
    messages.attach(*link);
    QVERIFY(bluetoothtest::waitForState(*link, LinkState::Connected, 10000));
    QVERIFY(waitUntil([&] { return messages.emgSamples > 200; }, 10000));  // started by NeedlingServices
    const auto control = services_->bluetoothControl(link->name());
    QVERIFY(control);
    QCOMPARE(control->silenceLimit(), BluetoothLinkOptions{}.silenceLimit);  // armed: 150 ms
    const auto staleBefore = control->staleDetections();
    mock->setSilent(address, true);  // out of range; BlueZ still says "connected"
    QVERIFY(waitUntil([&] { return link->health().state != LinkState::Connected; }, 3000));
    const auto silentMs = link->health().msSinceLastHeard.value_or(-1);
    qInfo("silent BLE EMG link declared lost after %lld ms of silence", static_cast<long long>(silentMs));
    // 150 ms + the 10 ms check (docs/BLUETOOTH.md); slack for a loaded machine.
    QVERIFY2(silentMs >= 140 && silentMs <= 250, qPrintable(QString::number(silentMs)));
    QCOMPARE(control->staleDetections(), staleBefore + 1);
    QVERIFY2(link->health().stateDetail.contains(QStringLiteral("stale")), qPrintable(link->health().stateDetail));
    mock->setSilent(address, false);
    services_->links().forget(link->name());
  }

  // Last: it takes the adapter away for good.
  void withoutAnAdapterThePageSaysSo() {
    mock->call(QStringLiteral("RemoveAdapter"));
    model().refresh();
    QVERIFY(!model().available());
    QVERIFY2(model().availability().contains(QStringLiteral("No Bluetooth adapter")),
             qPrintable(model().availability()));
    model().scan(2);
    QVERIFY(!model().scanning());
    QCOMPARE(model().message(), model().availability());
    QCOMPARE(model().rowCount(), 0);
  }
};

QTEST_MAIN(BluetoothConsoleTest)
#include "test_bluetooth_console.moc"
