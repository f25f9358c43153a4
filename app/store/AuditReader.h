#pragma once

#include "store/AuditHeadFile.h"
#include "store/AuditRecord.h"
#include "store/StoreSettings.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tautband::store {

struct CheckpointRow {
  std::string consoleId;
  std::int64_t sequence = 0;
  Hash32 headHash{};
  std::int64_t utcUs = 0;
  Signature64 signature{};
  std::string reason;
};

// Streams audit rows in (console_id, sequence) order for the verifier and the
// exporter. The SQLite implementation uses the sqlite3 C API directly (no
// QVariant per column) so a million entries read in well under a second.
class AuditReader {
 public:
  virtual ~AuditReader() = default;
  // Starts a scan of every chain, or of one console's chain.
  virtual void start(const std::optional<std::string>& consoleId) = 0;
  // Fills `row` (reusing its buffers); false at the end.
  virtual bool next(AuditRecord& row) = 0;
  virtual std::vector<CheckpointRow> checkpoints() = 0;
  virtual std::vector<SignedHead> serverHeads() = 0;

  // Throws StoreError when the database cannot be opened or has no audit table.
  static std::unique_ptr<AuditReader> open(const StoreSettings& settings);
};

}  // namespace tautband::store
