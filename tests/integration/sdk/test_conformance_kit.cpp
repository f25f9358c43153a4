// tautband-cli sdk conformance against the simulators, a refused plugin and
// a device that never answers.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

namespace {

struct Run {
  int code = -1;
  QJsonObject json;
  QString err;
};

Run conformance(const QStringList& args) {
  QProcess p;
  p.start(QStringLiteral(TAUTBAND_CLI), QStringList{QStringLiteral("sdk"), QStringLiteral("conformance"),
                                                    QStringLiteral("--json")} + args);
  p.waitForFinished(60000);
  return {p.exitCode(), QJsonDocument::fromJson(p.readAllStandardOutput()).object(),
          QString::fromUtf8(p.readAllStandardError())};
}

QString resultOf(const QJsonObject& report, const QString& id) {
  for (const auto& c : report.value("checks").toArray()) {
    if (c.toObject().value("id").toString() == id) return c.toObject().value("result").toString();
  }
  return {};
}

const QString kNative = QStringLiteral(TAUTBAND_PLUGIN_DIR "/tautband-driver-native.so");

}  // namespace

class ConformanceKitTest : public QObject {
  Q_OBJECT

 private slots:
  void nativeDriverPassesAgainstTheLaserSimulator() {
    const auto r = conformance({QStringLiteral("--plugin"), kNative, QStringLiteral("--sim"), QStringLiteral("laser")});
    QVERIFY2(r.code == 0, qPrintable(r.err + QJsonDocument(r.json).toJson()));
    QVERIFY(r.json.value("pass").toBool());
    QCOMPARE(resultOf(r.json, "emission_off"), QStringLiteral("pass"));
    QCOMPARE(resultOf(r.json, "keep_alive"), QStringLiteral("pass"));
    QCOMPARE(resultOf(r.json, "recovery"), QStringLiteral("pass"));
    QCOMPARE(resultOf(r.json, "bounded_time"), QStringLiteral("pass"));
  }

  void nativeDriverPassesAgainstTheEmgSimulator() {
    const auto r = conformance({QStringLiteral("--plugin"), kNative, QStringLiteral("--sim"), QStringLiteral("emg")});
    QVERIFY2(r.code == 0, qPrintable(r.err + QJsonDocument(r.json).toJson()));
    QCOMPARE(resultOf(r.json, "stream_or_status"), QStringLiteral("pass"));
    QCOMPARE(resultOf(r.json, "emission_off"), QStringLiteral("n/a"));
  }

  void wrongMajorFailsAtTheFirstCheck() {
    const auto r = conformance({QStringLiteral("--plugin"), QStringLiteral(TAUTBAND_TEST_PLUGIN_DIR "/wrong-major.so"),
                                QStringLiteral("--sim"), QStringLiteral("laser")});
    QCOMPARE(r.code, 1);
    QCOMPARE(resultOf(r.json, "api_version"), QStringLiteral("fail"));
    QVERIFY(!r.json.value("pass").toBool());
  }

  void silentDeviceFailsTheHandshake() {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    ::grantpt(master);
    ::unlockpt(master);
    const QString slave = QString::fromLocal8Bit(::ptsname(master));
    const auto r = conformance({QStringLiteral("--plugin"), kNative, QStringLiteral("--port"), slave});
    ::close(master);
    QCOMPARE(r.code, 1);
    QCOMPARE(resultOf(r.json, "handshake"), QStringLiteral("fail"));
  }

  void usageErrorsAreExit2() {
    QCOMPARE(conformance({QStringLiteral("--plugin"), kNative}).code, 2);  // neither --port nor --sim
    QCOMPARE(conformance({QStringLiteral("--plugin"), QStringLiteral("/nope.so"), QStringLiteral("--sim"),
                          QStringLiteral("laser")}).code, 2);
  }
};

QTEST_GUILESS_MAIN(ConformanceKitTest)
#include "test_conformance_kit.moc"
