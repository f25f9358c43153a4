#pragma once

#include "store/AuditRecord.h"

#include <QString>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace tautband::store {

// The latest signed chain head of one console, kept outside the database so a
// log truncated back to an old checkpoint is still caught (docs/AUDIT.md).
struct SignedHead {
  std::string consoleId;
  std::int64_t sequence = 0;
  Hash32 hash{};
  std::int64_t utcUs = 0;
  Signature64 signature{};
};

// The file holds one JSON object per console (a clinic server DB may hold
// several chains, but a console only writes its own entry). Written to a
// temporary file and renamed, so a reader never sees half a file.
bool writeHeadFile(const std::filesystem::path& file, const SignedHead& head, QString* error);
// nullopt when the file does not exist; throws StoreError when it is malformed.
std::optional<std::map<std::string, SignedHead>> readHeadFile(const std::filesystem::path& file);

}  // namespace tautband::store
