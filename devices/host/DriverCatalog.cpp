#include "devices/host/DriverCatalog.h"

#include "core/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>

#include <dlfcn.h>

namespace tautband::devices {
namespace {

constexpr std::size_t kApiTableSizeV1_0 = offsetof(tb_driver_api, encode) + sizeof(tb_driver_api::encode);

}  // namespace

QString DriverRecord::statusName() const {
  switch (status) {
    case Status::Loaded: return QStringLiteral("loaded");
    case Status::Refused: return QStringLiteral("refused");
    case Status::Failed: return QStringLiteral("failed");
    case Status::Duplicate: return QStringLiteral("duplicate");
  }
  return QStringLiteral("unknown");
}

qint32 DriverRecord::defaultBaud() const {
  for (const auto& t : manifest.value(QStringLiteral("transports")).toArray()) {
    const auto transport = t.toObject();
    if (transport.value(QStringLiteral("type")).toString() == QLatin1String("serial")) {
      return transport.value(QStringLiteral("baud")).toInt(115200);
    }
  }
  return 115200;
}

std::optional<QString> validateManifest(const QJsonObject& m) {
  for (const char* key : {"id", "vendor", "name", "version"}) {
    if (m.value(QLatin1String(key)).toString().isEmpty()) return QStringLiteral("manifest has no \"%1\"").arg(key);
  }
  const auto kinds = m.value(QStringLiteral("kinds")).toArray();
  if (kinds.isEmpty()) return QStringLiteral("manifest has no \"kinds\" (laser, emg)");
  bool laser = false, emg = false;
  for (const auto& k : kinds) {
    const QString kind = k.toString();
    if (kind == QLatin1String("laser")) {
      laser = true;
    } else if (kind == QLatin1String("emg")) {
      emg = true;
    } else {
      return QStringLiteral("unknown device kind \"%1\"").arg(kind);
    }
  }
  if (m.value(QStringLiteral("transports")).toArray().isEmpty()) return QStringLiteral("manifest has no \"transports\"");
  // The two safety-relevant declarations must be explicit, never defaulted.
  if (laser && !m.value(QStringLiteral("firmware_watchdog")).isBool()) {
    return QStringLiteral("a laser driver must declare \"firmware_watchdog\": true or false");
  }
  if (emg) {
    const QString isolation = m.value(QStringLiteral("patient_isolation")).toString();
    // "device": the protocol carries the rating in the device's identification.
    if (isolation != QLatin1String("none") && isolation != QLatin1String("B") && isolation != QLatin1String("BF") &&
        isolation != QLatin1String("CF") && isolation != QLatin1String("device")) {
      return QStringLiteral("an EMG driver must declare \"patient_isolation\": none, B, BF, CF or device");
    }
  }
  for (const auto& s : m.value(QStringLiteral("settings")).toArray()) {
    const auto setting = s.toObject();
    if (setting.value(QStringLiteral("key")).toString().isEmpty() || setting.value(QStringLiteral("type")).toString().isEmpty()) {
      return QStringLiteral("every setting needs a \"key\" and a \"type\"");
    }
  }
  return std::nullopt;
}

SettingsResult resolveDriverSettings(const QJsonObject& manifest, const QJsonObject& values) {
  SettingsResult result;
  QSet<QString> known;
  for (const auto& s : manifest.value(QStringLiteral("settings")).toArray()) {
    const auto setting = s.toObject();
    const QString key = setting.value(QStringLiteral("key")).toString();
    const QString type = setting.value(QStringLiteral("type")).toString();
    known.insert(key);
    const QJsonValue value = values.contains(key) ? values.value(key) : setting.value(QStringLiteral("default"));
    auto fail = [&](const QString& why) {
      result.error = QStringLiteral("setting \"%1\": %2").arg(key, why);
      return result;
    };
    if (type == QLatin1String("int") || type == QLatin1String("double")) {
      if (!value.isDouble()) return fail(QStringLiteral("needs a number"));
      const double v = value.toDouble();
      if (type == QLatin1String("int") && v != std::floor(v)) return fail(QStringLiteral("needs a whole number"));
      if (setting.contains(QStringLiteral("min")) && v < setting.value(QStringLiteral("min")).toDouble()) {
        return fail(QStringLiteral("below the minimum %1").arg(setting.value(QStringLiteral("min")).toDouble()));
      }
      if (setting.contains(QStringLiteral("max")) && v > setting.value(QStringLiteral("max")).toDouble()) {
        return fail(QStringLiteral("above the maximum %1").arg(setting.value(QStringLiteral("max")).toDouble()));
      }
    } else if (type == QLatin1String("bool")) {
      if (!value.isBool()) return fail(QStringLiteral("needs true or false"));
    } else if (type == QLatin1String("enum")) {
      if (!setting.value(QStringLiteral("values")).toArray().contains(value)) return fail(QStringLiteral("not one of the allowed values"));
    } else if (type == QLatin1String("string")) {
      if (!value.isString()) return fail(QStringLiteral("needs text"));
    } else if (type == QLatin1String("table")) {
      if (!value.isArray()) return fail(QStringLiteral("needs a table (a JSON array of rows)"));
      const auto rows = value.toArray();
      if (!rows.isEmpty() && rows.size() < setting.value(QStringLiteral("min_rows")).toInt(0)) {
        return fail(QStringLiteral("needs at least %1 rows").arg(setting.value(QStringLiteral("min_rows")).toInt()));
      }
      for (const auto& row : rows) {
        if (!row.isObject()) return fail(QStringLiteral("every row must be an object"));
        for (const auto& c : setting.value(QStringLiteral("columns")).toArray()) {
          if (!row.toObject().value(c.toObject().value(QStringLiteral("key")).toString()).isDouble()) {
            return fail(QStringLiteral("every row needs a number for \"%1\"").arg(c.toObject().value(QStringLiteral("key")).toString()));
          }
        }
      }
    }
    result.values.insert(key, value);
  }
  for (auto it = values.begin(); it != values.end(); ++it) {
    if (!known.contains(it.key())) {
      result.error = QStringLiteral("this driver has no setting \"%1\"").arg(it.key());
      return result;
    }
  }
  return result;
}

DriverCatalog::~DriverCatalog() {
  // Plugins stay mapped for the life of the process: a link thread abandoned
  // inside a hung driver call must never find its code unmapped.
}

QString DriverCatalog::installDirectory() {
  // The build tree and a /usr/local install use lib/; a Debian /usr install
  // uses the multiarch libdir the build was configured with.
  const QDir bin(QCoreApplication::applicationDirPath());
  const QString configured = bin.absoluteFilePath(QStringLiteral("../" TAUTBAND_INSTALL_LIBDIR "/tautband/drivers"));
  if (QDir(configured).exists()) return QDir::cleanPath(configured);
  return QDir::cleanPath(bin.absoluteFilePath(QStringLiteral("../lib/tautband/drivers")));
}

const DriverRecord* DriverCatalog::find(const QString& id) const {
  for (const auto& record : records_) {
    if (record.id == id && record.usable()) return &record;
  }
  return nullptr;
}

void DriverCatalog::loadDirectory(const QString& directory) {
  const QDir dir(directory);
  if (!dir.exists()) return;
  for (const QFileInfo& file : dir.entryInfoList({QStringLiteral("*.so")}, QDir::Files, QDir::Name)) {
    loadFile(file.absoluteFilePath());
  }
}

const DriverRecord& DriverCatalog::loadFile(const QString& path) {
  auto log = core::logger(core::subsystem::kDevices);
  DriverRecord record;
  record.path = QFileInfo(path).absoluteFilePath();
  auto done = [&]() -> const DriverRecord& {
    if (record.status == DriverRecord::Status::Loaded) {
      log->info("driver {} {} loaded from {}", record.id.toStdString(), record.version.toStdString(),
                record.path.toStdString());
    } else {
      log->warn("driver plugin {} not used: {}", record.path.toStdString(), record.reason.toStdString());
    }
    records_.append(record);
    return records_.constLast();
  };

  void* handle = ::dlopen(record.path.toLocal8Bit().constData(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    record.reason = QStringLiteral("cannot load: %1").arg(QString::fromLocal8Bit(::dlerror()));
    return done();
  }
  handles_.append(handle);
  auto entry = reinterpret_cast<tb_driver_entry_fn>(::dlsym(handle, TB_DRIVER_ENTRY_SYMBOL));
  if (!entry) {
    record.reason = QStringLiteral("no %1 symbol: not a Tautband driver").arg(QLatin1String(TB_DRIVER_ENTRY_SYMBOL));
    return done();
  }
  const tb_driver_api* api = entry(TB_DRIVER_API_MAJOR, TB_DRIVER_API_MINOR);
  if (!api) {
    record.reason = QStringLiteral("the plugin declined driver API %1.%2").arg(TB_DRIVER_API_MAJOR).arg(TB_DRIVER_API_MINOR);
    return done();
  }
  record.apiMajor = api->api_major;
  record.apiMinor = api->api_minor;
  if (api->api_major != TB_DRIVER_API_MAJOR) {
    record.status = DriverRecord::Status::Refused;
    record.reason = QStringLiteral("built for driver API %1.%2, this console provides %3.%4: major versions differ")
                        .arg(api->api_major)
                        .arg(api->api_minor)
                        .arg(TB_DRIVER_API_MAJOR)
                        .arg(TB_DRIVER_API_MINOR);
    return done();
  }
  if (api->struct_size < kApiTableSizeV1_0 || !api->manifest_json || !api->create || !api->destroy || !api->start ||
      !api->receive || !api->tick || !api->encode) {
    record.status = DriverRecord::Status::Refused;
    record.reason = QStringLiteral("incomplete function table");
    return done();
  }
  QJsonParseError parseError;
  const auto manifest = QJsonDocument::fromJson(QByteArray(api->manifest_json), &parseError);
  if (parseError.error != QJsonParseError::NoError || !manifest.isObject()) {
    record.status = DriverRecord::Status::Refused;
    record.reason = QStringLiteral("manifest is not a JSON object: %1").arg(parseError.errorString());
    return done();
  }
  record.manifest = manifest.object();
  if (const auto problem = validateManifest(record.manifest)) {
    record.status = DriverRecord::Status::Refused;
    record.reason = *problem;
    return done();
  }
  record.id = record.manifest.value(QStringLiteral("id")).toString();
  record.vendor = record.manifest.value(QStringLiteral("vendor")).toString();
  record.name = record.manifest.value(QStringLiteral("name")).toString();
  record.version = record.manifest.value(QStringLiteral("version")).toString();
  if (find(record.id)) {
    record.status = DriverRecord::Status::Duplicate;
    record.reason = QStringLiteral("driver id %1 is already loaded from %2").arg(record.id, find(record.id)->path);
    return done();
  }
  record.api = api;
  record.status = DriverRecord::Status::Loaded;
  return done();
}

}  // namespace tautband::devices
