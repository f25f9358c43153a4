#pragma once

#include <QString>

#include <filesystem>
#include <optional>

namespace tautband::core {

// Where Tautband keeps its database, keys, logs and recordings.
// Default: $XDG_DATA_HOME/tautband, i.e. ~/.local/share/tautband. Qt's
// AppDataLocation is not used because it adds an organisation folder.
class DataDirectory {
 public:
  // explicitPath comes from --data-dir; empty means the default.
  static std::filesystem::path resolve(const std::optional<QString>& explicitPath);

  // Creates the directory (and parents) with mode 0700; an existing directory
  // that others can read is tightened to 0700. Throws std::runtime_error with a
  // message naming the path when it cannot be created or is not a directory.
  static void ensureExists(const std::filesystem::path& path);

  static std::filesystem::path logDirectory(const std::filesystem::path& dataDir) {
    return dataDir / "logs";
  }
};

}  // namespace tautband::core
