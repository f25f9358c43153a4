// The built plugin modules, loaded as the host loads them: dlopen, the one
// exported entry point, API version, a manifest that parses and carries the
// fields the console needs, create() with good and bad settings.
#include "tautband/driver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <dlfcn.h>

namespace {

struct Plugin {
  void* handle = nullptr;
  const tb_driver_api* api = nullptr;
  explicit Plugin(const char* path) {
    handle = ::dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) return;
    auto entry = reinterpret_cast<tb_driver_entry_fn>(::dlsym(handle, TB_DRIVER_ENTRY_SYMBOL));
    if (entry) api = entry(TB_DRIVER_API_MAJOR, TB_DRIVER_API_MINOR);
  }
  ~Plugin() {
    if (handle) ::dlclose(handle);
  }
};

void noop(void*, tb_log_level, const char*) {}

}  // namespace

class DriverModulesTest : public QObject {
  Q_OBJECT

 private slots:
  void modulesLoadWithAValidManifest_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("badSettings");
    QTest::newRow("cyton") << CYTON_PLUGIN << "openbci.cyton"
                           << "emg"
                           << R"({"gain": 5})";
    QTest::newRow("bitalino") << BITALINO_PLUGIN << "plux.bitalino"
                              << "emg"
                              << R"({"rate_hz": 3})";
    QTest::newRow("scpi-laser") << SCPI_LASER_PLUGIN << "generic.scpi-laser"
                                << "laser"
                                << R"({"baud": 1})";
  }
  void modulesLoadWithAValidManifest() {
    QFETCH(QString, path);
    QFETCH(QString, id);
    QFETCH(QString, kind);
    QFETCH(QString, badSettings);
    Plugin plugin(qPrintable(path));
    QVERIFY2(plugin.handle, ::dlerror());
    QVERIFY(plugin.api);
    QCOMPARE(plugin.api->api_major, static_cast<std::uint32_t>(TB_DRIVER_API_MAJOR));
    QCOMPARE(plugin.api->struct_size, sizeof(tb_driver_api));
    QJsonParseError error{};
    const auto manifest = QJsonDocument::fromJson(plugin.api->manifest_json, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(manifest.value("id").toString(), id);
    for (const char* key : {"vendor", "name", "version", "patient_isolation"}) {
      QVERIFY2(!manifest.value(key).toString().isEmpty(), key);
    }
    QCOMPARE(manifest.value("kinds").toArray(), QJsonArray{kind});
    QVERIFY(!manifest.value("transports").toArray().isEmpty());
    for (const auto& transport : manifest.value("transports").toArray()) {
      const auto t = transport.toObject();
      QVERIFY(!t.value("type").toString().isEmpty());
      if (t.value("type").toString() == QLatin1String("serial")) QVERIFY(t.value("baud").toInt() > 0);
    }
    QVERIFY(manifest.value("rate_caps").isObject());
    QVERIFY(manifest.value("match").isObject());
    for (const auto& setting : manifest.value("settings").toArray()) {
      const auto s = setting.toObject();
      QVERIFY(!s.value("key").toString().isEmpty());
      const QStringList types{"int", "double", "bool", "enum", "string", "table"};  // docs/DRIVER-SDK.md
      QVERIFY2(types.contains(s.value("type").toString()), qPrintable(s.value("type").toString()));
      QVERIFY(s.contains("default"));
    }
    if (kind == QLatin1String("laser")) {
      QCOMPARE(manifest.value("firmware_watchdog").toBool(true), false);
    } else {
      QCOMPARE(manifest.value("patient_isolation").toString(), QStringLiteral("none"));
    }

    tb_host host{};
    host.struct_size = sizeof host;
    host.log = noop;
    char reason[256] = {};
    tb_driver* driver = plugin.api->create(&host, "{}", reason, sizeof reason);
    QVERIFY2(driver, reason);
    plugin.api->destroy(driver);
    QVERIFY(!plugin.api->create(&host, qPrintable(badSettings), reason, sizeof reason));
    QVERIFY(std::strlen(reason) > 0);
  }

  void onlyTheEntryPointIsExported() {
    for (const char* path : {CYTON_PLUGIN, BITALINO_PLUGIN, SCPI_LASER_PLUGIN}) {
      Plugin plugin(path);
      QVERIFY(plugin.handle);
      // Driver internals stay hidden, so two plugins never clash.
      QVERIFY(!::dlsym(plugin.handle, "_ZN8tautband7drivers8bitalino11unpackFrameEPKhmjPt"));
      QVERIFY(!::dlsym(plugin.handle,
                       "_ZN8tautband7drivers4scpi12parseDecimalESt17basic_string_viewIcSt11char_traitsIcEE"));
    }
  }
};

QTEST_GUILESS_MAIN(DriverModulesTest)
#include "test_driver_modules.moc"
