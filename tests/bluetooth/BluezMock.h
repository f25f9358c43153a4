#pragma once

// A private D-Bus bus with our BlueZ mock (bluez_tautband.py, on
// python3-dbusmock) for one test process. Qt's Bluetooth module talks to
// BlueZ on the *system* bus, so the constructor points DBUS_SYSTEM_BUS_ADDRESS
// at the private bus; it must run before anything touches
// QDBusConnection::systemBus(). BLUETOOTH_FORCE_DBUS_LE_VERSION=5.66 makes Qt
// take the D-Bus backends without inspecting a bluetoothd binary.

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusReply>
#include <QElapsedTimer>
#include <QProcess>
#include <QThread>
#include <QVariantMap>

#include <csignal>

class BluezMock {
 public:
  BluezMock() {
    bus_.setProgram(QStringLiteral("dbus-daemon"));
    bus_.setArguments(
        {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    bus_.start();
    if (!bus_.waitForStarted(5000) || !bus_.waitForReadyRead(5000)) {
      error_ = QStringLiteral("dbus-daemon did not start");
      return;
    }
    address_ = QString::fromUtf8(bus_.readLine()).trimmed();
    qputenv("DBUS_SYSTEM_BUS_ADDRESS", address_.toUtf8());
    qputenv("BLUETOOTH_FORCE_DBUS_LE_VERSION", "5.66");
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), address_);
    mock_.setProcessEnvironment(env);
    mock_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    mock_.setStandardOutputFile(QProcess::nullDevice());
    // Debian's dbusmock loads only under /usr/bin/python3.
    QStringList args{QStringLiteral("-m"), QStringLiteral("dbusmock"), QStringLiteral("--template"),
                     QStringLiteral(TAUTBAND_BLUEZ_TEMPLATE)};
    // TAUTBAND_BLUEZ_MOCK_LOG=<file>: every D-Bus call the mock answered, for debugging.
    if (const auto log = qEnvironmentVariable("TAUTBAND_BLUEZ_MOCK_LOG"); !log.isEmpty())
      args << QStringLiteral("--logfile") << log;
    mock_.start(QStringLiteral("/usr/bin/python3"), args);
    if (!mock_.waitForStarted(5000)) {
      error_ = QStringLiteral("python3 -m dbusmock did not start");
      return;
    }
    control_ = QDBusConnection::connectToBus(address_, QStringLiteral("tautband-bluez-mock-control"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 10000) {
      if (control_.isConnected() && control_.interface()->isServiceRegistered(QStringLiteral("org.bluez")))
        return;
      if (mock_.state() == QProcess::NotRunning) break;
      QThread::msleep(20);
    }
    error_ = QStringLiteral("the BlueZ mock did not register org.bluez");
  }

  ~BluezMock() {
    QDBusConnection::disconnectFromBus(QStringLiteral("tautband-bluez-mock-control"));
    for (QProcess* p : {&mock_, &bus_}) {
      if (p->state() == QProcess::NotRunning) continue;
      p->terminate();
      if (!p->waitForFinished(3000)) {
        p->kill();
        p->waitForFinished(3000);
      }
    }
  }

  bool ok() const { return error_.isEmpty(); }
  const QString& error() const { return error_; }
  const QString& busAddress() const { return address_; }

  // org.bluez.Mock.<method>(args...) on "/"; returns the reply (an error reply on failure).
  QDBusMessage call(const QString& method, const QVariantList& args = {}) {
    auto message = QDBusMessage::createMethodCall(QStringLiteral("org.bluez"), QStringLiteral("/"),
                                                  QStringLiteral("org.bluez.Mock"), method);
    message.setArguments(args);
    return control_.call(message, QDBus::Block, 5000);
  }

  bool addNusDevice(const QString& address, const QString& name, const QString& pty, uint mtu) {
    return call(QStringLiteral("AddNusDevice"), {address, name, pty, mtu}).type() ==
           QDBusMessage::ReplyMessage;
  }
  bool addSppDevice(const QString& address, const QString& name, const QString& pty) {
    return call(QStringLiteral("AddSppDevice"), {address, name, pty}).type() == QDBusMessage::ReplyMessage;
  }
  void setSilent(const QString& address, bool silent) {
    call(QStringLiteral("SetSilent"), {address, silent});
  }
  void dropLink(const QString& address) { call(QStringLiteral("DropLink"), {address}); }
  void setWriteDelay(const QString& address, uint ms) {
    call(QStringLiteral("SetWriteDelay"), {address, ms});
  }
  void setPin(const QString& address, const QString& pin) { call(QStringLiteral("SetPin"), {address, pin}); }
  QVariantMap stats(const QString& address) {
    const auto reply = call(QStringLiteral("GetStats"), {address});
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty()) return {};
    return qdbus_cast<QVariantMap>(reply.arguments().first());
  }

 private:
  QProcess bus_;
  QProcess mock_;
  QString address_;
  QString error_;
  QDBusConnection control_{QString()};
};
