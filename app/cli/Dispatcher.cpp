#include "cli/Dispatcher.h"

#include "core/Logging.h"

#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace tautband::cli {
namespace {

const QCommandLineOption kJsonOption(QStringLiteral("json"),
                                     QStringLiteral("Machine-readable JSON output."));
const QCommandLineOption kHelpOption(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                     QStringLiteral("Show help and exit."));
const QCommandLineOption kVersionOption(QStringLiteral("version"),
                                        QStringLiteral("Show the version and exit."));

QString optionSynopsis(const QCommandLineOption& option) {
  QStringList names;
  for (const auto& name : option.names()) {
    names << (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
  }
  QString text = names.join(QStringLiteral(", "));
  if (!option.valueName().isEmpty()) text += QStringLiteral(" <%1>").arg(option.valueName());
  return text;
}

QString optionTable(const QList<QCommandLineOption>& options) {
  qsizetype width = 0;
  for (const auto& option : options) width = std::max(width, optionSynopsis(option).size());
  QString text;
  for (const auto& option : options) {
    text += QStringLiteral("  %1  %2\n")
                .arg(optionSynopsis(option).leftJustified(width), option.description());
  }
  return text;
}

}  // namespace

std::filesystem::path CommandContext::dataDirectory() {
  if (!dataDir_) dataDir_ = resolveDataDir_();
  return *dataDir_;
}

void CommandContext::print(const QJsonObject& json, const QString& text) {
  if (json_) {
    out_ << QJsonDocument(json).toJson(QJsonDocument::Indented);
  } else {
    out_ << text;
    if (!text.endsWith(QLatin1Char('\n'))) out_ << '\n';
  }
  out_.flush();
}

Dispatcher::Dispatcher(QString programName, QString version)
    : programName_(std::move(programName)), version_(std::move(version)) {
  globalOptions_ << kJsonOption << kHelpOption << kVersionOption << commonOptions_.options();
  // stderr carries the command's one-line errors; logs below error go to the
  // log file unless --log-level asks for them.
  commonOptions_.setQuietStderr(spdlog::level::err);
}

void Dispatcher::add(std::unique_ptr<Command> command) {
  auto spec = command->spec();
  entries_.push_back(Entry{std::move(spec), std::move(command)});
}

QStringList Dispatcher::commandWords(const QStringList& arguments) const {
  // Options may come anywhere, so skip the values of every option that takes
  // one: otherwise "--port /dev/ttyS0 devices probe" would read a path as a
  // command word.
  QSet<QString> takesValue;
  auto collect = [&](const QList<QCommandLineOption>& options) {
    for (const auto& option : options) {
      if (option.valueName().isEmpty()) continue;
      for (const auto& name : option.names()) takesValue.insert(name);
    }
  };
  collect(globalOptions_);
  for (const auto& entry : entries_) collect(entry.spec.options);

  QStringList words;
  for (qsizetype i = 0; i < arguments.size(); ++i) {
    const QString& arg = arguments[i];
    if (arg == QStringLiteral("--")) break;
    if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1) {
      QString name = arg.mid(arg.startsWith(QStringLiteral("--")) ? 2 : 1);
      if (!name.contains(QLatin1Char('=')) && takesValue.contains(name)) ++i;
      continue;
    }
    words << arg;
  }
  return words;
}

const Dispatcher::Entry* Dispatcher::findCommand(const QStringList& words, int& matchedWords) const {
  const Entry* best = nullptr;
  matchedWords = 0;
  for (const auto& entry : entries_) {
    const auto& path = entry.spec.path;
    if (path.size() > words.size() || path.size() <= matchedWords) continue;
    if (std::equal(path.begin(), path.end(), words.begin())) {
      best = &entry;
      matchedWords = static_cast<int>(path.size());
    }
  }
  return best;
}

QStringList Dispatcher::subcommandsOf(const QStringList& prefix) const {
  QStringList names;
  for (const auto& entry : entries_) {
    const auto& path = entry.spec.path;
    if (path.size() > prefix.size() && std::equal(prefix.begin(), prefix.end(), path.begin())) {
      names << path.mid(0, prefix.size() + 1).join(QLatin1Char(' '));
    }
  }
  names.removeDuplicates();
  return names;
}

QString Dispatcher::generalHelp() const {
  QString text = QStringLiteral("Usage: %1 <command> [options]\n\nCommands:\n").arg(programName_);
  qsizetype width = 0;
  for (const auto& entry : entries_) width = std::max(width, entry.spec.path.join(' ').size());
  for (const auto& entry : entries_) {
    text += QStringLiteral("  %1  %2\n").arg(entry.spec.path.join(' ').leftJustified(width),
                                            entry.spec.summary);
  }
  text += QStringLiteral("\nGlobal options:\n") + optionTable(globalOptions_);
  text += QStringLiteral("\nExit codes: 0 ok, 1 check failed, 2 usage or input error.\n"
                         "'%1 <command> --help' describes one command.\n")
              .arg(programName_);
  return text;
}

QString Dispatcher::commandHelp(const CommandSpec& spec) const {
  QString usage = QStringLiteral("Usage: %1 %2 [options]").arg(programName_, spec.path.join(' '));
  for (const auto& positional : spec.positionals) {
    usage += positional.required ? QStringLiteral(" <%1>").arg(positional.name)
                                 : QStringLiteral(" [%1]").arg(positional.name);
  }
  QString text = usage + QStringLiteral("\n\n") + spec.summary + QLatin1Char('\n');
  if (!spec.description.isEmpty()) text += QLatin1Char('\n') + spec.description + QLatin1Char('\n');
  if (!spec.positionals.isEmpty()) {
    text += QStringLiteral("\nArguments:\n");
    for (const auto& positional : spec.positionals) {
      text += QStringLiteral("  %1  %2\n").arg(positional.name, positional.description);
    }
  }
  if (!spec.options.isEmpty()) text += QStringLiteral("\nOptions:\n") + optionTable(spec.options);
  text += QStringLiteral("\nGlobal options:\n") + optionTable(globalOptions_);
  return text;
}

QString Dispatcher::groupHelp(const QStringList& prefix) const {
  QString text = QStringLiteral("Usage: %1 %2 <subcommand> [options]\n\nSubcommands:\n")
                     .arg(programName_, prefix.join(' '));
  for (const auto& entry : entries_) {
    const auto& path = entry.spec.path;
    if (path.size() > prefix.size() && std::equal(prefix.begin(), prefix.end(), path.begin())) {
      text += QStringLiteral("  %1  %2\n").arg(path.join(' '), entry.spec.summary);
    }
  }
  return text;
}

int Dispatcher::usageError(QTextStream& err, const QString& message,
                           const QStringList& helpPath) const {
  const QString hint = helpPath.isEmpty()
                           ? QStringLiteral("%1 --help").arg(programName_)
                           : QStringLiteral("%1 %2 --help").arg(programName_, helpPath.join(' '));
  err << programName_ << ": " << message << " (see '" << hint << "')\n";
  err.flush();
  return kExitUsage;
}

int Dispatcher::run(const QStringList& arguments, QTextStream& out, QTextStream& err) {
  const QStringList words = commandWords(arguments);
  int matched = 0;
  const Entry* entry = findCommand(words, matched);

  QCommandLineParser parser;
  parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
  parser.addOptions(globalOptions_);
  if (entry) parser.addOptions(entry->spec.options);
  // QCommandLineParser expects the program name first.
  if (!parser.parse(QStringList{programName_} + arguments)) {
    return usageError(err, parser.errorText(), entry ? entry->spec.path : QStringList{});
  }

  const bool json = parser.isSet(kJsonOption);
  if (!entry) {
    if (words.isEmpty()) {
      if (parser.isSet(kHelpOption)) {
        out << generalHelp();
        return kExitOk;
      }
      if (parser.isSet(kVersionOption)) {
        if (json) {
          out << QJsonDocument(QJsonObject{{"program", programName_}, {"version", version_}})
                     .toJson(QJsonDocument::Compact)
              << '\n';
        } else {
          out << programName_ << ' ' << version_ << '\n';
        }
        return kExitOk;
      }
      return usageError(err, QStringLiteral("no command given"), {});
    }
    // A group word alone ("devices") lists its subcommands.
    for (qsizetype n = words.size(); n > 0; --n) {
      const QStringList prefix = words.mid(0, n);
      const QStringList children = subcommandsOf(prefix);
      if (children.isEmpty()) continue;
      if (n == words.size() && parser.isSet(kHelpOption)) {
        out << groupHelp(prefix);
        return kExitOk;
      }
      const QString message = n == words.size()
                                  ? QStringLiteral("'%1' needs a subcommand: %2")
                                        .arg(prefix.join(' '), children.join(QStringLiteral(", ")))
                                  : QStringLiteral("unknown subcommand '%1'").arg(words.mid(0, n + 1).join(' '));
      return usageError(err, message, prefix);
    }
    return usageError(err, QStringLiteral("unknown command '%1'").arg(words.first()), {});
  }

  if (parser.isSet(kHelpOption)) {
    out << commandHelp(entry->spec);
    return kExitOk;
  }

  QStringList positionals = parser.positionalArguments().mid(matched);
  const auto& declared = entry->spec.positionals;
  const auto required = std::count_if(declared.begin(), declared.end(),
                                      [](const PositionalArgument& p) { return p.required; });
  if (positionals.size() > declared.size()) {
    return usageError(err, QStringLiteral("unexpected argument '%1'").arg(positionals[declared.size()]),
                      entry->spec.path);
  }
  if (positionals.size() < required) {
    return usageError(err, QStringLiteral("missing argument <%1>").arg(declared[positionals.size()].name),
                      entry->spec.path);
  }

  CommandContext context(out, err, json, positionals,
                         [this, &parser] { return commonOptions_.apply(parser); });
  try {
    // Logging to stderr is configured before the command runs, so a bad
    // --log-level is a usage error even for commands that never open the data directory.
    core::LoggingSettings logging;
    logging.level = commonOptions_.logLevel(parser);
    logging.stderrLevel = commonOptions_.stderrLevel(parser);
    try {
      core::configureLogging(logging);
    } catch (const std::invalid_argument& e) {
      return usageError(err, QString::fromStdString(e.what()), entry->spec.path);
    }
    const int code = entry->command->run(parser, context);
    out.flush();
    return code;
  } catch (const CommandError& e) {
    out.flush();
    err << programName_ << ": " << e.what() << '\n';
    err.flush();
    return e.code();
  } catch (const std::exception& e) {
    out.flush();
    err << programName_ << ": " << e.what() << '\n';
    err.flush();
    core::logger(core::subsystem::kCli)->error("{} failed: {}", entry->spec.path.join(' ').toStdString(), e.what());
    return kExitUsage;
  }
}

}  // namespace tautband::cli
