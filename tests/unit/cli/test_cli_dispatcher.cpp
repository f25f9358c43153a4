#include "cli/CliApplication.h"
#include "cli/Dispatcher.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <stdexcept>

using namespace tautband::cli;

namespace {

// A command that records what it was given, so the dispatcher's parsing can be checked.
struct Recorded {
  int runs = 0;
  bool json = false;
  QString port;
  QStringList positionals;
};

class RecordingCommand final : public Command {
 public:
  RecordingCommand(QStringList path, Recorded& recorded, QList<PositionalArgument> positionals = {})
      : path_(std::move(path)), recorded_(recorded), positionals_(std::move(positionals)) {}
  CommandSpec spec() const override {
    return {path_, QStringLiteral("records its arguments"), {},
            {QCommandLineOption(QStringLiteral("port"), QStringLiteral("a port"), QStringLiteral("path")),
             QCommandLineOption(QStringLiteral("fast"), QStringLiteral("a flag"))},
            positionals_};
  }
  int run(const QCommandLineParser& args, CommandContext& context) override {
    ++recorded_.runs;
    recorded_.json = context.json();
    recorded_.port = args.value(QStringLiteral("port"));
    recorded_.positionals = context.positionals();
    return kExitOk;
  }

 private:
  QStringList path_;
  Recorded& recorded_;
  QList<PositionalArgument> positionals_;
};

class ThrowingCommand final : public Command {
 public:
  explicit ThrowingCommand(bool commandError) : commandError_(commandError) {}
  CommandSpec spec() const override {
    return {{commandError_ ? QStringLiteral("check") : QStringLiteral("crash")},
            QStringLiteral("fails"), {}, {}, {}};
  }
  int run(const QCommandLineParser&, CommandContext&) override {
    if (commandError_) throw CommandError(kExitCheckFailed, QStringLiteral("chain broken at entry 7"));
    throw std::runtime_error("cannot read /nonexistent.db");
  }

 private:
  bool commandError_;
};

struct Result {
  int code;
  QString out;
  QString err;
};

}  // namespace

class CliDispatcherTest : public QObject {
  Q_OBJECT

  Recorded list_;
  Recorded probe_;
  Recorded echo_;

  Result run(const QStringList& args) {
    Dispatcher dispatcher(QStringLiteral("tautband-cli"), QStringLiteral("9.8.7"));
    dispatcher.add(std::make_unique<RecordingCommand>(QStringList{"devices", "list"}, list_));
    dispatcher.add(std::make_unique<RecordingCommand>(QStringList{"devices", "probe"}, probe_));
    dispatcher.add(std::make_unique<RecordingCommand>(
        QStringList{"echo"}, echo_,
        QList<PositionalArgument>{{QStringLiteral("first"), QStringLiteral("required"), true},
                                  {QStringLiteral("second"), QStringLiteral("optional"), false}}));
    dispatcher.add(std::make_unique<ThrowingCommand>(true));
    dispatcher.add(std::make_unique<ThrowingCommand>(false));
    QString out;
    QString err;
    QTextStream outStream(&out);
    QTextStream errStream(&err);
    const int code = dispatcher.run(args, outStream, errStream);
    outStream.flush();
    errStream.flush();
    return {code, out, err};
  }

 private slots:
  void init() {
    list_ = {};
    probe_ = {};
    echo_ = {};
  }

  void noArgumentsIsAUsageError() {
    const auto r = run({});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("no command given")));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
  }

  void helpListsEveryCommand() {
    const auto r = run({QStringLiteral("--help")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QStringLiteral("devices list")));
    QVERIFY(r.out.contains(QStringLiteral("devices probe")));
    QVERIFY(r.out.contains(QStringLiteral("echo")));
    QVERIFY(r.err.isEmpty());
  }

  void versionPlainAndJson() {
    auto r = run({QStringLiteral("--version")});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out, QStringLiteral("tautband-cli 9.8.7\n"));
    r = run({QStringLiteral("--json"), QStringLiteral("--version")});
    QCOMPARE(r.code, 0);
    const auto json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value("version").toString(), QStringLiteral("9.8.7"));
  }

  void unknownCommandIsExit2() {
    const auto r = run({QStringLiteral("frobnicate")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("unknown command 'frobnicate'")));
    QCOMPARE(list_.runs + probe_.runs + echo_.runs, 0);
  }

  void unknownSubcommandIsExit2() {
    const auto r = run({QStringLiteral("devices"), QStringLiteral("explode")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("unknown subcommand 'devices explode'")), qPrintable(r.err));
  }

  void unknownOptionIsExit2() {
    const auto r = run({QStringLiteral("devices"), QStringLiteral("list"), QStringLiteral("--bogus")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("bogus")), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("tautband-cli devices list --help")));
    QCOMPARE(list_.runs, 0);
  }

  void optionsInAnyOrder_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("after") << QStringList{"devices", "list", "--json", "--port", "/dev/pts/3"};
    QTest::newRow("before") << QStringList{"--json", "--port", "/dev/pts/3", "devices", "list"};
    QTest::newRow("between") << QStringList{"devices", "--port", "/dev/pts/3", "list", "--json"};
    QTest::newRow("equals") << QStringList{"--port=/dev/pts/3", "devices", "--json", "list"};
  }
  void optionsInAnyOrder() {
    QFETCH(QStringList, args);
    const auto r = run(args);
    QCOMPARE(r.code, 0);
    QCOMPARE(list_.runs, 1);
    QVERIFY(list_.json);
    QCOMPARE(list_.port, QStringLiteral("/dev/pts/3"));
    QVERIFY(list_.positionals.isEmpty());
  }

  void longestCommandPathWins() {
    QCOMPARE(run({QStringLiteral("devices"), QStringLiteral("probe")}).code, 0);
    QCOMPARE(probe_.runs, 1);
    QCOMPARE(list_.runs, 0);
  }

  void groupAloneNamesItsSubcommands() {
    const auto r = run({QStringLiteral("devices")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("devices list")));
    QVERIFY(r.err.contains(QStringLiteral("devices probe")));
    const auto help = run({QStringLiteral("devices"), QStringLiteral("--help")});
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.contains(QStringLiteral("devices probe")));
  }

  void commandHelpShowsItsOptionsAndDoesNotRun() {
    const auto r = run({QStringLiteral("devices"), QStringLiteral("list"), QStringLiteral("-h")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QStringLiteral("Usage: tautband-cli devices list")));
    QVERIFY(r.out.contains(QStringLiteral("--port <path>")));
    QVERIFY(r.out.contains(QStringLiteral("--json")));
    QCOMPARE(list_.runs, 0);
  }

  void positionalsAreCheckedAndPassed() {
    auto r = run({QStringLiteral("echo")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("missing argument <first>")));
    r = run({QStringLiteral("echo"), QStringLiteral("a"), QStringLiteral("--fast"), QStringLiteral("b")});
    QCOMPARE(r.code, 0);
    QCOMPARE(echo_.positionals, (QStringList{"a", "b"}));
    r = run({QStringLiteral("echo"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("unexpected argument 'c'")));
  }

  void commandErrorsKeepTheirCodeAndOneLine() {
    const auto r = run({QStringLiteral("check")});
    QCOMPARE(r.code, 1);
    QCOMPARE(r.err, QStringLiteral("tautband-cli: chain broken at entry 7\n"));
  }

  void unexpectedExceptionsAreInputErrors() {
    const auto r = run({QStringLiteral("crash")});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err, QStringLiteral("tautband-cli: cannot read /nonexistent.db\n"));
  }

  void badLogLevelIsAUsageError() {
    const auto r = run({QStringLiteral("devices"), QStringLiteral("list"), QStringLiteral("--log-level"),
                        QStringLiteral("shouty")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("unknown log level 'shouty'")));
    QCOMPARE(list_.runs, 0);
  }

  void infoCommandCreatesDataDirectoryAndReportsIt() {
    QTemporaryDir parent;
    const QString dataDir = parent.filePath(QStringLiteral("clinic-data"));
    Dispatcher dispatcher(QStringLiteral("tautband-cli"), QStringLiteral("1.0"));
    registerCommands(dispatcher);
    QString out, err;
    QTextStream outStream(&out), errStream(&err);
    const int code = dispatcher.run({QStringLiteral("info"), QStringLiteral("--data-dir"), dataDir,
                                     QStringLiteral("--json")},
                                    outStream, errStream);
    outStream.flush();
    QCOMPARE(code, 0);
    QJsonParseError parseError;
    const auto json = QJsonDocument::fromJson(out.toUtf8(), &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(json.value("data_dir").toString(), dataDir);
    QCOMPARE(json.value("log_file").toString(), dataDir + QStringLiteral("/logs/tautband.log"));
    QCOMPARE(json.value("qt_version").toString(), QString::fromLatin1(qVersion()));
    namespace fs = std::filesystem;
    QCOMPARE(fs::status(dataDir.toStdString()).permissions() & fs::perms::all, fs::perms::owner_all);
  }

  void helpNeverTouchesTheDataDirectory() {
    QTemporaryDir parent;
    const QString dataDir = parent.filePath(QStringLiteral("untouched"));
    Dispatcher dispatcher(QStringLiteral("tautband-cli"), QStringLiteral("1.0"));
    registerCommands(dispatcher);
    QString out, err;
    QTextStream outStream(&out), errStream(&err);
    QCOMPARE(dispatcher.run({QStringLiteral("info"), QStringLiteral("--help"), QStringLiteral("--data-dir"),
                             dataDir},
                            outStream, errStream),
             0);
    QVERIFY(!QFileInfo::exists(dataDir));
  }
};

QTEST_GUILESS_MAIN(CliDispatcherTest)
#include "test_cli_dispatcher.moc"
