#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tautband::core {

// One named logger per subsystem; these are the names in use.
namespace subsystem {
inline constexpr std::string_view kCore = "core";
inline constexpr std::string_view kCli = "cli";
inline constexpr std::string_view kUi = "ui";
inline constexpr std::string_view kQt = "qt";
inline constexpr std::string_view kDevices = "devices";
inline constexpr std::string_view kSafety = "safety";
inline constexpr std::string_view kEmg = "emg";
inline constexpr std::string_view kStore = "store";
inline constexpr std::string_view kReport = "report";
}  // namespace subsystem

inline constexpr const char* kLogLevelEnv = "TAUTBAND_LOG_LEVEL";

struct LoggingSettings {
  // Explicit level from --log-level; falls back to TAUTBAND_LOG_LEVEL, then "info".
  std::optional<std::string> level;
  // Rotating log file lives here; empty means console only (e.g. before the
  // data directory is known).
  std::filesystem::path logDirectory;
  std::string fileName = "tautband.log";
  std::size_t maxFileBytes = 5 * 1024 * 1024;
  std::size_t maxFiles = 5;
  // Stricter level for the stderr sink only (e.g. the CLI keeps stderr for
  // its one-line errors); the file still gets everything at `level`.
  std::optional<spdlog::level::level_enum> stderrLevel;
};

// Returns the parsed level or nullopt for an unknown name.
std::optional<spdlog::level::level_enum> parseLogLevel(std::string_view name);

// Configures the shared sinks (stderr + rotating file) and the level of every
// subsystem logger, existing and future. Safe to call again (e.g. once the data
// directory is known). Throws std::invalid_argument for an unknown level.
void configureLogging(const LoggingSettings& settings);

// The logger of one subsystem, created on first use with the shared sinks.
std::shared_ptr<spdlog::logger> logger(std::string_view subsystemName);

// Routes qDebug/qWarning/... (including Qt's own) into the "qt" logger.
void routeQtMessagesToLog();

// Flushes every logger; called before exit.
void flushLogs();

}  // namespace tautband::core
