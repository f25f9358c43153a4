#pragma once

#include "tautband/driver.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace tautband::devices {

// One driver plugin file as the host found it. Plugins that fail to load are
// listed with the reason, never silently skipped.
struct DriverRecord {
  enum class Status { Loaded, Refused, Failed, Duplicate };

  QString path;
  Status status = Status::Failed;
  QString reason;  // why it is not usable; empty when loaded
  QString id;
  QString vendor;
  QString name;
  QString version;
  quint32 apiMajor = 0;
  quint32 apiMinor = 0;
  QJsonObject manifest;
  const tb_driver_api* api = nullptr;  // valid while the catalog lives

  bool usable() const { return status == Status::Loaded && api; }
  QString statusName() const;
  // Manifest conveniences.
  bool firmwareWatchdog() const { return manifest.value(QStringLiteral("firmware_watchdog")).toBool(false); }
  QString patientIsolation() const { return manifest.value(QStringLiteral("patient_isolation")).toString(); }
  qint32 defaultBaud() const;
};

// Loads driver plugins from the install directory, the user's directory and
// any --plugin-dir, in that order; the first plugin with an id wins. Checks
// the ABI major version and validates the manifest before anything uses a
// plugin.
class DriverCatalog {
 public:
  DriverCatalog() = default;
  ~DriverCatalog();
  DriverCatalog(const DriverCatalog&) = delete;
  DriverCatalog& operator=(const DriverCatalog&) = delete;

  // <executable dir>/../lib/tautband/drivers: where `cmake --install` and the
  // build tree put plugins.
  static QString installDirectory();

  void loadDirectory(const QString& directory);
  // Loads one file (also used by the conformance kit).
  const DriverRecord& loadFile(const QString& path);

  const QList<DriverRecord>& records() const { return records_; }
  const DriverRecord* find(const QString& id) const;

 private:
  QList<DriverRecord> records_;
  QList<void*> handles_;
};

// Why a manifest is not acceptable, or nullopt.
std::optional<QString> validateManifest(const QJsonObject& manifest);

// The manifest's settings with `values` applied over their defaults, or why
// a value is not acceptable (unknown key, wrong type, out of range, not one
// of the allowed values, too few table rows).
struct SettingsResult {
  QJsonObject values;
  std::optional<QString> error;
};
SettingsResult resolveDriverSettings(const QJsonObject& manifest, const QJsonObject& values);

}  // namespace tautband::devices
