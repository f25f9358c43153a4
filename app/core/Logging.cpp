#include "core/Logging.h"

#include <QtGlobal>
#include <QString>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace tautband::core {
namespace {

struct LogState {
  std::mutex mutex;
  std::vector<spdlog::sink_ptr> sinks;
  spdlog::level::level_enum level = spdlog::level::info;
};

LogState& state() {
  static LogState s;
  return s;
}

std::vector<spdlog::sink_ptr> defaultSinks() {
  // stderr, so that CLI output on stdout stays machine-readable.
  return {std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  auto log = logger(subsystem::kQt);
  const std::string text = context.category && std::string_view(context.category) != "default"
                               ? std::string(context.category) + ": " + message.toStdString()
                               : message.toStdString();
  switch (type) {
    case QtDebugMsg: log->debug(text); break;
    case QtInfoMsg: log->info(text); break;
    case QtWarningMsg: log->warn(text); break;
    case QtCriticalMsg: log->error(text); break;
    case QtFatalMsg:
      log->critical(text);
      log->flush();
      std::abort();
  }
}

}  // namespace

std::optional<spdlog::level::level_enum> parseLogLevel(std::string_view name) {
  static constexpr std::pair<std::string_view, spdlog::level::level_enum> kLevels[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"warning", spdlog::level::warn}, {"error", spdlog::level::err},
      {"critical", spdlog::level::critical}, {"off", spdlog::level::off}};
  for (const auto& [levelName, level] : kLevels) {
    if (levelName == name) return level;
  }
  return std::nullopt;
}

void configureLogging(const LoggingSettings& settings) {
  std::string levelName = "info";
  if (settings.level) {
    levelName = *settings.level;
  } else if (const char* env = std::getenv(kLogLevelEnv); env && *env) {
    levelName = env;
  }
  const auto level = parseLogLevel(levelName);
  if (!level) {
    throw std::invalid_argument("unknown log level '" + levelName +
                                "' (use trace, debug, info, warn, error, critical or off)");
  }

  auto sinks = defaultSinks();
  if (settings.stderrLevel) sinks.front()->set_level(*settings.stderrLevel);
  if (!settings.logDirectory.empty()) {
    std::filesystem::create_directories(settings.logDirectory);
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        (settings.logDirectory / settings.fileName).string(), settings.maxFileBytes,
        settings.maxFiles));
  }

  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.sinks = std::move(sinks);
  s.level = *level;
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& existing) {
    existing->sinks() = s.sinks;
    existing->set_level(s.level);
  });
  spdlog::flush_on(spdlog::level::warn);
}

std::shared_ptr<spdlog::logger> logger(std::string_view subsystemName) {
  const std::string name(subsystemName);
  auto& s = state();
  std::lock_guard lock(s.mutex);
  if (auto existing = spdlog::get(name)) return existing;
  if (s.sinks.empty()) s.sinks = defaultSinks();
  auto created = std::make_shared<spdlog::logger>(name, s.sinks.begin(), s.sinks.end());
  created->set_level(s.level);
  spdlog::register_logger(created);
  return created;
}

void routeQtMessagesToLog() { qInstallMessageHandler(qtMessageHandler); }

void flushLogs() {
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
}

}  // namespace tautband::core
