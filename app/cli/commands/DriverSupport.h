#pragma once

#include "cli/Command.h"
#include "core/DataDirectory.h"
#include "devices/host/DriverCatalog.h"
#include "devices/host/DriverLinks.h"

#include <QDir>

namespace tautband::cli {

inline const QCommandLineOption kDriverOption(QStringLiteral("driver"),
                                              QStringLiteral("Driver id (default tautband.native)."),
                                              QStringLiteral("id"), QStringLiteral("tautband.native"));
inline const QCommandLineOption kPluginDirOption(QStringLiteral("plugin-dir"),
                                                 QStringLiteral("Also load driver plugins from <dir> (repeatable)."),
                                                 QStringLiteral("dir"));

// Loads driver plugins the way the console does: the install directory, the
// user's <data-dir>/drivers, then every --plugin-dir.
inline void loadDrivers(devices::DriverCatalog& catalog, const QCommandLineParser& args, CommandContext& context) {
  catalog.loadDirectory(devices::DriverCatalog::installDirectory());
  catalog.loadDirectory(QString::fromStdString((context.dataDirectory() / "drivers").string()));
  for (const QString& dir : args.values(kPluginDirOption)) catalog.loadDirectory(dir);
}

inline const devices::DriverRecord& requireDriver(const devices::DriverCatalog& catalog, const QCommandLineParser& args) {
  const QString id = args.value(kDriverOption);
  if (const auto* driver = catalog.find(id)) return *driver;
  for (const auto& record : catalog.records()) {
    if (record.id == id) {
      throw CommandError(kExitUsage, QStringLiteral("driver %1 is not usable: %2").arg(id, record.reason));
    }
  }
  throw CommandError(kExitUsage, QStringLiteral("no driver with id %1 (see 'tautband-cli devices list')").arg(id));
}

}  // namespace tautband::cli
