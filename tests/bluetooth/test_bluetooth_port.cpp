// Bluetooth port names (ble:ADDR, rfcomm:ADDR) and the write paths' pieces that need no bus.
#include "devices/bluetooth/BleTransport.h"
#include "devices/bluetooth/BluetoothPort.h"
#include "devices/bluetooth/PendingLinkWriter.h"

#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

using namespace tautband::devices;

class BluetoothPortTest : public QObject {
  Q_OBJECT
 private slots:
  void parsesBleAndRfcomm() {
    QString error;
    const auto ble = parseBluetoothPort(QStringLiteral("ble:aa:bb:cc:dd:ee:0f"), error);
    QVERIFY2(ble, qPrintable(error));
    QCOMPARE(ble->kind, BluetoothPort::Kind::Ble);
    QCOMPARE(ble->toString(), QStringLiteral("ble:AA:BB:CC:DD:EE:0F"));
    const auto rfcomm = parseBluetoothPort(QStringLiteral("RFCOMM:00:11:22:33:44:55"), error);
    QVERIFY(rfcomm);
    QCOMPARE(rfcomm->kind, BluetoothPort::Kind::Rfcomm);
    QVERIFY(isBluetoothPort(QStringLiteral("ble:x")));
    QVERIFY(!isBluetoothPort(QStringLiteral("/dev/ttyUSB0")));
  }

  void refusesBadAddressesWithASentence() {
    QString error;
    QVERIFY(!parseBluetoothPort(QStringLiteral("ble:AA:BB:CC:DD:EE"), error));
    QVERIFY2(error.contains(QStringLiteral("not a Bluetooth address")), qPrintable(error));
    QVERIFY(!parseBluetoothPort(QStringLiteral("ble:GG:BB:CC:DD:EE:FF"), error));
    QVERIFY(!parseBluetoothPort(QStringLiteral("usb:AA:BB:CC:DD:EE:FF"), error));
    QVERIFY2(error.contains(QStringLiteral("not a Bluetooth port")), qPrintable(error));
  }

  void rateCapFollowsThePayloadSize() {
    const auto small = BleTransport::rateCapFor(20, 4, std::chrono::microseconds(15000));
    const auto large = BleTransport::rateCapFor(244, 4, std::chrono::microseconds(15000));
    QCOMPARE(small, 20.0 * 4 / 0.015);
    QVERIFY(large > 12 * small);
  }

  void rfcommWriterQueuesUntilConnectedThenWritesInOrder() {
    int fds[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    PendingLinkWriter writer;
    const std::uint8_t a[] = {1, 2, 3};
    const std::uint8_t b[] = {4, 5};
    QVERIFY(writer.write(a, std::chrono::milliseconds(5)).ok);
    QVERIFY(writer.connect(fds[0], std::chrono::milliseconds(50)).ok);
    QVERIFY(writer.write(b, std::chrono::milliseconds(5)).ok);
    std::uint8_t got[8] = {};
    QCOMPARE(::read(fds[1], got, sizeof got), ssize_t{5});
    QCOMPARE(got[0], std::uint8_t{1});
    QCOMPARE(got[4], std::uint8_t{5});
    writer.detach();
    QVERIFY(!writer.write(b, std::chrono::milliseconds(5)).ok);
    ::close(fds[0]);
    ::close(fds[1]);
  }
};

QTEST_GUILESS_MAIN(BluetoothPortTest)
#include "test_bluetooth_port.moc"
