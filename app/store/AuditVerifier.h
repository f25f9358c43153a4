#pragma once

#include "store/AuditReader.h"
#include "store/ConsoleKey.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tautband::store {

enum class TamperKind { Edited, Missing, Reordered, BadSignature, Truncated };
QString tamperKindName(TamperKind kind);  // "edited", "missing", "reordered", "bad signature", "truncated"

struct TamperFinding {
  std::string consoleId;
  std::int64_t sequence = 0;  // the first bad sequence number
  TamperKind kind = TamperKind::Edited;
  QString message;
};

struct ChainSummary {
  std::string consoleId;
  std::int64_t entries = 0;
  std::int64_t lastSequence = 0;
  std::size_t checkpoints = 0;
  std::size_t signaturesChecked = 0;
  bool keyKnown = false;
  QString externalHead;  // "matches", "missing", "behind (...)", "n/a"
};

struct VerifyReport {
  std::optional<TamperFinding> firstProblem;  // nullopt = intact
  std::vector<TamperFinding> problems;        // one per broken chain, in console order
  std::vector<ChainSummary> chains;
  QStringList warnings;
  double seconds = 0;
  bool intact() const { return !firstProblem.has_value(); }
  QJsonObject toJson() const;
  QString toText() const;
};

struct VerifyOptions {
  std::map<std::string, PublicKey32> keys;  // console id -> public key (ConsoleKey::consoleIdFor)
  std::optional<std::filesystem::path> headFile;  // external signed head; nullopt = not checked
  bool allSignatures = false;
};

// Walks every chain once (docs/AUDIT.md "What verify detects"): recomputes each
// hash, checks links and sequence numbers, every checkpoint against the chain,
// the latest checkpoint's signature (all with allSignatures), and the external
// head (file and, on PostgreSQL, the server copy). When a chain breaks it takes
// a second look at that chain only to tell "edited" from "reordered".
// Throws StoreError when the audit trail cannot be read.
VerifyReport verifyAuditTrail(AuditReader& reader, const VerifyOptions& options);

}  // namespace tautband::store
