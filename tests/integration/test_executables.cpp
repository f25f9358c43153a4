// Runs the real executables as a user would and checks what they print and
// return: exit codes, the no-display message, the screenshot.
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
  int code = -1;
  QString out;
  QString err;
};

Run run(const QString& program, const QStringList& args, const QProcessEnvironment& env) {
  QProcess process;
  process.setProcessEnvironment(env);
  process.start(program, args);
  if (!process.waitForFinished(60000)) {
    process.kill();
    process.waitForFinished();
  }
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

QProcessEnvironment withoutDisplay() {
  auto env = QProcessEnvironment::systemEnvironment();
  env.remove(QStringLiteral("DISPLAY"));
  env.remove(QStringLiteral("WAYLAND_DISPLAY"));
  env.remove(QStringLiteral("QT_QPA_PLATFORM"));
  return env;
}

QProcessEnvironment offscreen() {
  auto env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  return env;
}

}  // namespace

class ExecutablesTest : public QObject {
  Q_OBJECT
  const QString console_ = QStringLiteral(TAUTBAND_CONSOLE);
  const QString cli_ = QStringLiteral(TAUTBAND_CLI);

 private slots:
  void cliVersionAndHelp() {
    auto r = run(cli_, {QStringLiteral("--version")}, offscreen());
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("tautband-cli ")));
    r = run(cli_, {QStringLiteral("--help")}, offscreen());
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QStringLiteral("info")));
  }

  void cliUsageErrorsAreExit2WithOneLine() {
    for (const QStringList& args : {QStringList{}, QStringList{QStringLiteral("nonsense")},
                                    QStringList{QStringLiteral("info"), QStringLiteral("--bogus")}}) {
      const auto r = run(cli_, args, offscreen());
      QCOMPARE(r.code, 2);
      QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
      QVERIFY(r.out.isEmpty());
    }
  }

  void cliInfoJsonIsMachineReadable() {
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("d"));
    const auto r = run(cli_, {QStringLiteral("--json"), QStringLiteral("info"), QStringLiteral("--data-dir"), dataDir},
                       offscreen());
    QCOMPARE(r.code, 0);
    QJsonParseError error;
    const auto json = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(json.value("data_dir").toString(), dataDir);
  }

  void consoleHelpAndVersionNeedNoDisplay() {
    auto r = run(console_, {QStringLiteral("--version")}, withoutDisplay());
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("tautband ")));
    // Whether the laser's safety thread would run real-time here, in words.
    QVERIFY2(r.out.contains(QStringLiteral("laser safety supervisor: ")), qPrintable(r.out));
    r = run(console_, {QStringLiteral("--help")}, withoutDisplay());
    QVERIFY(r.out.contains(QStringLiteral("--db")));
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QStringLiteral("--screenshot")));
    QVERIFY(r.out.contains(QStringLiteral("--simulate")));
  }

  void consoleWithoutDisplaySaysSoAndPointsToScreenshot() {
    const auto r = run(console_, {}, withoutDisplay());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("no display")));
    QVERIFY(r.err.contains(QStringLiteral("make screenshot")));
  }

  void consoleRejectsBadArguments() {
    auto r = run(console_, {QStringLiteral("--quit-after"), QStringLiteral("soon")}, offscreen());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("--quit-after")));
    r = run(console_, {QStringLiteral("--frobnicate")}, offscreen());
    QCOMPARE(r.code, 2);
    r = run(console_, {QStringLiteral("--log-level"), QStringLiteral("loud"), QStringLiteral("--quit-after"),
                       QStringLiteral("0")},
            offscreen());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("unknown log level")));
  }

  void consoleScreenshotIsTheFullPanel() {
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("shot.png"));
    const auto r = run(console_, {QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")),
                                  QStringLiteral("--screenshot"), shot},
                       offscreen());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QImage image(shot);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1280, 800));
    // The E-STOP is drawn in red at the bottom of the navigation rail.
    const QColor estop = image.pixelColor(40, 800 - 40);
    QVERIFY2(estop.red() > 180 && estop.green() < 100, qPrintable(estop.name()));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("data/logs/tautband.log"))));
  }

  void consoleSimulateConnectsToSimulatorProcesses() {
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("devices.png"));
    // --log-level info: ctest sets TAUTBAND_LOG_LEVEL=warn, and "connected" is an info line.
    const auto r = run(console_, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--simulate"),
                                  QStringLiteral("--log-level"), QStringLiteral("info"),
                                  QStringLiteral("--page"), QStringLiteral("devices"), QStringLiteral("--quit-after"),
                                  QStringLiteral("5000"), QStringLiteral("--screenshot"), shot},
                       offscreen());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QFile log(dir.filePath(QStringLiteral("logs/tautband.log")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    QVERIFY2(text.contains("connected: Tautband Simulated therapy laser"), text.constData());
    QVERIFY2(text.contains("connected: Tautband Simulated needle EMG amplifier"), text.constData());
    QVERIFY(QImage(shot).size() == QSize(1280, 800));
  }

  void consoleRejectsAnUnknownPage() {
    const auto r = run(console_, {QStringLiteral("--page"), QStringLiteral("nowhere")}, offscreen());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("unknown --page")));
  }

  void consoleQuitsAfterFirstFrameWhenAsked() {
    QTemporaryDir dir;
    const auto r = run(console_, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--quit-after"),
                                  QStringLiteral("50"), QStringLiteral("--print-startup-time")},
                       offscreen());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith(QStringLiteral("first-frame ")), qPrintable(r.out));
  }
};

QTEST_GUILESS_MAIN(ExecutablesTest)
#include "test_executables.moc"
