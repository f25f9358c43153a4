#include "core/CommonOptions.h"
#include "core/DataDirectory.h"
#include "core/Logging.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <stdexcept>

using namespace tautband::core;
namespace fs = std::filesystem;

class CoreTest : public QObject {
  Q_OBJECT

 private slots:
  void parsesLogLevels() {
    QCOMPARE(parseLogLevel("debug"), spdlog::level::debug);
    QCOMPARE(parseLogLevel("warn"), spdlog::level::warn);
    QCOMPARE(parseLogLevel("warning"), spdlog::level::warn);
    QCOMPARE(parseLogLevel("off"), spdlog::level::off);
    QVERIFY(!parseLogLevel("loud").has_value());
    QVERIFY(!parseLogLevel("").has_value());
  }

  void unknownLevelIsRejected() {
    LoggingSettings settings;
    settings.level = "verbose";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, configureLogging(settings));
  }

  void environmentSetsLevelWhenNoFlag() {
    qputenv(kLogLevelEnv, "error");
    configureLogging({});
    QCOMPARE(logger("emg")->level(), spdlog::level::err);
    LoggingSettings flag;
    flag.level = "debug";
    configureLogging(flag);
    QCOMPARE(logger("emg")->level(), spdlog::level::debug);
    qunsetenv(kLogLevelEnv);
    configureLogging({});
    QCOMPARE(logger("emg")->level(), spdlog::level::info);
  }

  void subsystemLoggersAreNamedAndShared() {
    auto first = logger(subsystem::kSafety);
    QCOMPARE(first->name(), std::string("safety"));
    QCOMPARE(logger(subsystem::kSafety).get(), first.get());
    QVERIFY(logger(subsystem::kStore).get() != first.get());
  }

  void logFileIsWrittenInLogDirectory() {
    QTemporaryDir dir;
    LoggingSettings settings;
    settings.level = "info";
    settings.logDirectory = fs::path(dir.path().toStdString()) / "logs";
    configureLogging(settings);
    logger(subsystem::kDevices)->info("link opened on {}", "/dev/ttyUSB0");
    flushLogs();
    QFile file(QString::fromStdString((settings.logDirectory / "tautband.log").string()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY2(content.contains("[devices]"), content.constData());
    QVERIFY(content.contains("link opened on /dev/ttyUSB0"));
    configureLogging({});  // release the file before the directory goes
  }

  void qtMessagesGoToTheQtLogger() {
    QTemporaryDir dir;
    LoggingSettings settings;
    settings.level = "info";
    settings.logDirectory = dir.path().toStdString();
    configureLogging(settings);
    routeQtMessagesToLog();
    qWarning("routed through spdlog %d", 42);
    flushLogs();
    qInstallMessageHandler(nullptr);
    QFile file(dir.filePath(QStringLiteral("tautband.log")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY2(content.contains("[qt]") && content.contains("routed through spdlog 42"),
             content.constData());
    configureLogging({});
  }

  void dataDirectoryDefaultsToXdgDataHome() {
    qputenv("XDG_DATA_HOME", "/tmp/xdg-test-home");
    QCOMPARE(DataDirectory::resolve(std::nullopt), fs::path("/tmp/xdg-test-home/tautband"));
    // A relative XDG_DATA_HOME is invalid per the spec and ignored.
    qputenv("XDG_DATA_HOME", "relative/dir");
    qputenv("HOME", "/tmp/fake-home");
    QCOMPARE(DataDirectory::resolve(std::nullopt), fs::path("/tmp/fake-home/.local/share/tautband"));
    qunsetenv("XDG_DATA_HOME");
    QCOMPARE(DataDirectory::resolve(std::nullopt), fs::path("/tmp/fake-home/.local/share/tautband"));
  }

  void explicitDataDirectoryWins() {
    qputenv("XDG_DATA_HOME", "/tmp/xdg-test-home");
    QCOMPARE(DataDirectory::resolve(QStringLiteral("/srv/clinic/./tautband")),
             fs::path("/srv/clinic/tautband"));
    qunsetenv("XDG_DATA_HOME");
  }

  void dataDirectoryIsCreatedOwnerOnly() {
    QTemporaryDir parent;
    const fs::path dir = fs::path(parent.path().toStdString()) / "a" / "tautband";
    DataDirectory::ensureExists(dir);
    QVERIFY(fs::is_directory(dir));
    QCOMPARE(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  }

  void existingOpenDataDirectoryIsTightened() {
    QTemporaryDir parent;
    const fs::path dir = fs::path(parent.path().toStdString()) / "open";
    fs::create_directory(dir);
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_all | fs::perms::others_read |
                             fs::perms::others_exec);
    DataDirectory::ensureExists(dir);
    QCOMPARE(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  }

  void fileInPlaceOfDataDirectoryIsAClearError() {
    QTemporaryDir parent;
    const fs::path file = fs::path(parent.path().toStdString()) / "not-a-dir";
    QFile f(QString::fromStdString(file.string()));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    try {
      DataDirectory::ensureExists(file);
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      QVERIFY(std::string(e.what()).find("not a directory") != std::string::npos);
    }
  }

  void commonOptionsApplyCreatesDirectoryAndLogFile() {
    QTemporaryDir parent;
    const QString dataDir = parent.filePath(QStringLiteral("data"));
    CommonOptions common;
    QCommandLineParser parser;
    common.addTo(parser);
    QVERIFY(parser.parse({QStringLiteral("prog"), QStringLiteral("--data-dir"), dataDir,
                          QStringLiteral("--log-level"), QStringLiteral("warn")}));
    const auto resolved = common.apply(parser);
    QCOMPARE(QString::fromStdString(resolved.string()), dataDir);
    QCOMPARE(logger("ui")->level(), spdlog::level::warn);
    logger("ui")->error("written to the rotating file");
    flushLogs();
    QVERIFY(QFile::exists(dataDir + QStringLiteral("/logs/tautband.log")));
    configureLogging({});
  }
};

QTEST_GUILESS_MAIN(CoreTest)
#include "test_core.moc"
