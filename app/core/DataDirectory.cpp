#include "core/DataDirectory.h"

#include <QDir>

#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace tautband::core {
namespace fs = std::filesystem;

fs::path DataDirectory::resolve(const std::optional<QString>& explicitPath) {
  if (explicitPath && !explicitPath->isEmpty()) {
    return fs::absolute(fs::path(explicitPath->toStdString())).lexically_normal();
  }
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg && fs::path(xdg).is_absolute()) {
    return fs::path(xdg) / "tautband";
  }
  return fs::path(QDir::homePath().toStdString()) / ".local" / "share" / "tautband";
}

void DataDirectory::ensureExists(const fs::path& path) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    if (!fs::is_directory(path, ec)) {
      throw std::runtime_error("data directory " + path.string() + " exists but is not a directory");
    }
  } else {
    fs::create_directories(path, ec);
    if (ec) {
      throw std::runtime_error("cannot create data directory " + path.string() + ": " + ec.message());
    }
  }
  // Patient data and signing keys live here: owner only.
  fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) {
    throw std::runtime_error("cannot set permissions 0700 on " + path.string() + ": " + ec.message());
  }
}

}  // namespace tautband::core
