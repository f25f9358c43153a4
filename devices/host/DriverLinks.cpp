#include "devices/host/DriverLinks.h"

#include "devices/host/PluginCodec.h"
#include "devices/link/SerialTransport.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tautband::devices {

std::unique_ptr<DeviceLink> makeDriverSerialLink(const QString& name, const QString& path, const DriverRecord& driver,
                                                 qint32 baud, const std::string& settingsJson, LinkOptions options) {
  // Instantiate once up front so a refusing driver is reported to the caller,
  // not from inside the link's codec thread.
  { PluginCodec probe(driver, settingsJson); }
  // A "baud" setting (e.g. an RS-232 source at 9600) overrides the manifest's default.
  const auto settings = QJsonDocument::fromJson(QByteArray::fromStdString(settingsJson)).object();
  const qint32 effectiveBaud =
      baud > 0 ? baud : (settings.value(QStringLiteral("baud")).isDouble() ? settings.value(QStringLiteral("baud")).toInt()
                                                                          : driver.defaultBaud());
  return std::make_unique<DeviceLink>(
      name, PortIdentity::forPath(path),
      [effectiveBaud](const QString& currentPath) {
        return std::make_unique<SerialTransport>(SerialSettings{currentPath, effectiveBaud});
      },
      [&driver, settingsJson] { return std::make_unique<PluginCodec>(driver, settingsJson); }, options);
}

}  // namespace tautband::devices
