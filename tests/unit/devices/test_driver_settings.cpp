// The settings form's values checked against a driver's manifest before a
// link is made: defaults fill gaps, wrong types and ranges are refused.
#include "devices/host/DriverCatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace tautband::devices;

namespace {

QJsonObject manifest() {
  return QJsonDocument::fromJson(R"({
    "settings": [
      {"key": "baud", "type": "enum", "values": [9600, 38400], "default": 38400},
      {"key": "poll_ms", "type": "int", "min": 20, "max": 1000, "default": 50},
      {"key": "gain", "type": "double", "min": 0.5, "max": 24, "default": 1.0},
      {"key": "bias", "type": "bool", "default": true},
      {"key": "calibration", "type": "table", "columns": [{"key": "current"}, {"key": "power"}],
       "min_rows": 2, "default": []}
    ]})").object();
}

QJsonObject values(const char* json) { return QJsonDocument::fromJson(json).object(); }

}  // namespace

class DriverSettingsTest : public QObject {
  Q_OBJECT

 private slots:
  void defaultsFillWhatIsNotGiven() {
    const auto r = resolveDriverSettings(manifest(), values(R"({"poll_ms": 100})"));
    QVERIFY(!r.error);
    QCOMPARE(r.values.value("poll_ms").toInt(), 100);
    QCOMPARE(r.values.value("baud").toInt(), 38400);
    QCOMPARE(r.values.value("bias").toBool(), true);
  }

  void refusals_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << R"({"speed": 1})" << "no setting \"speed\"";
    QTest::newRow("below min") << R"({"poll_ms": 5})" << "below the minimum";
    QTest::newRow("above max") << R"({"gain": 100})" << "above the maximum";
    QTest::newRow("not whole") << R"({"poll_ms": 20.5})" << "whole number";
    QTest::newRow("not a number") << R"({"gain": "high"})" << "needs a number";
    QTest::newRow("not allowed") << R"({"baud": 115200})" << "not one of the allowed values";
    QTest::newRow("not bool") << R"({"bias": 1})" << "true or false";
    QTest::newRow("one row") << R"({"calibration": [{"current": 1, "power": 2}]})" << "at least 2 rows";
    QTest::newRow("bad row") << R"({"calibration": [{"current": 1}, {"current": 2, "power": 3}]})" << "\"power\"";
  }
  void refusals() {
    QFETCH(QString, json);
    QFETCH(QString, expected);
    const auto r = resolveDriverSettings(manifest(), QJsonDocument::fromJson(json.toUtf8()).object());
    QVERIFY(r.error.has_value());
    QVERIFY2(r.error->contains(expected), qPrintable(*r.error));
  }

  void aValidTableIsKept() {
    const auto r = resolveDriverSettings(
        manifest(), values(R"({"calibration": [{"current": 100, "power": 40}, {"current": 200, "power": 95}]})"));
    QVERIFY(!r.error);
    QCOMPARE(r.values.value("calibration").toArray().size(), 2);
  }
};

QTEST_GUILESS_MAIN(DriverSettingsTest)
#include "test_driver_settings.moc"
