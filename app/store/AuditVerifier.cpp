#include "store/AuditVerifier.h"

#include "store/Database.h"

#include <QJsonArray>

#include <algorithm>
#include <chrono>
#include <unordered_map>

namespace tautband::store {
namespace {

struct HashKey {
  std::size_t operator()(const Hash32& h) const {
    std::size_t v = 0;
    std::memcpy(&v, h.data(), sizeof v);
    return v;
  }
};

// Second pass over one broken chain: was the row at `position` moved here from
// elsewhere (its link points at another stored row) or altered in place?
TamperKind classifyBreak(AuditReader& reader, const std::string& consoleId, std::int64_t position,
                         const Hash32& expectedPrevious) {
  std::unordered_map<Hash32, std::int64_t, HashKey> positionOfHash;
  AuditRecord row;
  std::optional<AuditRecord> broken;
  std::int64_t index = 0;
  reader.start(consoleId);
  while (reader.next(row)) {
    ++index;
    positionOfHash.emplace(row.hash, index);
    if (index == position) broken = row;
  }
  if (!broken) return TamperKind::Edited;
  if (broken->previousHash != expectedPrevious) {
    const auto it = positionOfHash.find(broken->previousHash);
    if (it != positionOfHash.end() && it->second != position - 1) return TamperKind::Reordered;
  }
  return TamperKind::Edited;
}

struct ChainState {
  ChainSummary summary;
  std::vector<CheckpointRow> checkpoints;  // sorted by sequence
  std::size_t nextCheckpoint = 0;
  std::vector<const SignedHead*> heads;      // external heads to compare
  std::vector<std::pair<std::int64_t, Hash32>> hashesAt;  // chain hash at checkpoint/head sequences
  std::vector<std::int64_t> wanted;          // sorted sequences whose hash we keep
  std::size_t nextWanted = 0;
  std::int64_t expected = 1;
  Hash32 previous = kZeroHash;
  std::optional<TamperFinding> problem;
};

std::optional<Hash32> hashAt(const ChainState& s, std::int64_t sequence) {
  for (const auto& [seq, h] : s.hashesAt)
    if (seq == sequence) return h;
  return std::nullopt;
}

}  // namespace

QString tamperKindName(TamperKind kind) {
  switch (kind) {
    case TamperKind::Edited: return QStringLiteral("edited");
    case TamperKind::Missing: return QStringLiteral("missing");
    case TamperKind::Reordered: return QStringLiteral("reordered");
    case TamperKind::BadSignature: return QStringLiteral("bad signature");
    case TamperKind::Truncated: return QStringLiteral("truncated");
  }
  return {};
}

VerifyReport verifyAuditTrail(AuditReader& reader, const VerifyOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  VerifyReport report;

  std::map<std::string, SignedHead> fileHeads;
  if (options.headFile) {
    if (auto heads = readHeadFile(*options.headFile)) {
      fileHeads = std::move(*heads);
    } else {
      report.warnings << QStringLiteral("no external head file at %1: truncation after the last checkpoint "
                                        "cannot be detected")
                             .arg(QString::fromStdString(options.headFile->string()));
    }
  }
  std::map<std::string, SignedHead> serverHeads;
  for (auto& h : reader.serverHeads()) serverHeads[h.consoleId] = h;

  std::map<std::string, ChainState> chains;
  for (auto& c : reader.checkpoints()) chains[c.consoleId].checkpoints.push_back(std::move(c));
  for (auto& [id, h] : fileHeads) chains[id].heads.push_back(&h);
  for (auto& [id, h] : serverHeads) chains[id].heads.push_back(&h);
  for (auto& [id, s] : chains) {
    s.summary.consoleId = id;
    for (const auto& c : s.checkpoints) s.wanted.push_back(c.sequence);
    for (const auto* h : s.heads) s.wanted.push_back(h->sequence);
    std::sort(s.wanted.begin(), s.wanted.end());
    s.wanted.erase(std::unique(s.wanted.begin(), s.wanted.end()), s.wanted.end());
  }

  // One pass over every row: hash, link and sequence checks.
  std::string scratch;
  scratch.reserve(1024);
  AuditRecord row;
  ChainState* current = nullptr;
  reader.start(std::nullopt);
  while (reader.next(row)) {
    if (!current || current->summary.consoleId != row.consoleId) {
      current = &chains[row.consoleId];
      current->summary.consoleId = row.consoleId;
    }
    ChainState& s = *current;
    if (s.problem) continue;
    ++s.summary.entries;
    if (row.sequence != s.expected) {
      s.problem = TamperFinding{row.consoleId, s.expected, TamperKind::Missing,
                                QStringLiteral("entries %1..%2 are missing").arg(s.expected).arg(row.sequence - 1)};
      continue;
    }
    if (row.previousHash != s.previous || computeEntryHash(row, scratch) != row.hash) {
      s.problem = TamperFinding{row.consoleId, row.sequence, TamperKind::Edited, {}};
      continue;
    }
    while (s.nextWanted < s.wanted.size() && s.wanted[s.nextWanted] < row.sequence) ++s.nextWanted;
    if (s.nextWanted < s.wanted.size() && s.wanted[s.nextWanted] == row.sequence) {
      s.hashesAt.emplace_back(row.sequence, row.hash);
    }
    s.previous = row.hash;
    s.summary.lastSequence = row.sequence;
    ++s.expected;
  }

  for (auto& [id, s] : chains) {
    const auto keyIt = options.keys.find(id);
    s.summary.keyKnown = keyIt != options.keys.end();
    s.summary.checkpoints = s.checkpoints.size();
    if (s.problem && s.problem->kind == TamperKind::Edited) {
      // Tell an entry moved from elsewhere from one altered in place.
      const Hash32 expectedPrevious = [&] {
        if (s.problem->sequence == 1) return kZeroHash;
        return s.previous;
      }();
      s.problem->kind = classifyBreak(reader, id, s.problem->sequence, expectedPrevious);
      s.problem->message = s.problem->kind == TamperKind::Reordered
                               ? QStringLiteral("entry %1 is out of place (its link points at another entry)")
                                     .arg(s.problem->sequence)
                               : QStringLiteral("entry %1 does not match its hash or link").arg(s.problem->sequence);
    }
    std::vector<TamperFinding> found;
    if (s.problem) found.push_back(*s.problem);
    const std::int64_t last = s.summary.lastSequence;
    // Checkpoints: inside the chain they must match it; past its end the log was cut.
    for (const auto& c : s.checkpoints) {
      if (s.problem && c.sequence >= s.problem->sequence) break;
      if (c.sequence > last) {
        found.push_back({id, last + 1, TamperKind::Truncated,
                         QStringLiteral("checkpoint at %1 but the chain ends at %2").arg(c.sequence).arg(last)});
        break;
      }
      if (const auto h = hashAt(s, c.sequence); !h || *h != c.headHash) {
        found.push_back({id, c.sequence, TamperKind::Edited,
                         QStringLiteral("checkpoint at %1 does not match the chain").arg(c.sequence)});
        break;
      }
    }
    // External heads (file beside the DB, server copy): same test, and they are signed.
    s.summary.externalHead = options.headFile ? QStringLiteral("missing") : QStringLiteral("not checked");
    for (const SignedHead* h : s.heads) {
      const bool fromFile = fileHeads.count(id) && &fileHeads.at(id) == h;
      const QString where = fromFile ? QStringLiteral("external head file") : QStringLiteral("server head");
      if (fromFile) s.summary.externalHead = QStringLiteral("matches");
      if (s.summary.keyKnown) {
        ++s.summary.signaturesChecked;
        if (!verifySignature(keyIt->second, checkpointMessage(id, h->sequence, h->hash, h->utcUs), h->signature)) {
          found.push_back({id, h->sequence, TamperKind::BadSignature,
                           QStringLiteral("%1 signature at %2 is not valid").arg(where).arg(h->sequence)});
          continue;
        }
      }
      if (h->sequence > last) {
        found.push_back({id, last + 1, TamperKind::Truncated,
                         QStringLiteral("%1 is at %2 but the chain ends at %3").arg(where).arg(h->sequence).arg(last)});
        if (fromFile) s.summary.externalHead = QStringLiteral("ahead of the chain");
      } else if (const auto hh = hashAt(s, h->sequence); h->sequence > 0 && (!hh || *hh != h->hash)) {
        if (!(s.problem && h->sequence >= s.problem->sequence)) {
          found.push_back({id, h->sequence, TamperKind::Edited,
                           QStringLiteral("%1 at %2 does not match the chain").arg(where).arg(h->sequence)});
        }
      }
    }
    // Signatures: the latest checkpoint always (when the key is known), all on request.
    if (s.summary.keyKnown && !s.checkpoints.empty()) {
      const std::size_t from = options.allSignatures ? 0 : s.checkpoints.size() - 1;
      for (std::size_t i = from; i < s.checkpoints.size(); ++i) {
        const auto& c = s.checkpoints[i];
        ++s.summary.signaturesChecked;
        if (!verifySignature(keyIt->second, checkpointMessage(id, c.sequence, c.headHash, c.utcUs), c.signature)) {
          found.push_back({id, c.sequence, TamperKind::BadSignature,
                           QStringLiteral("checkpoint signature at %1 is not valid").arg(c.sequence)});
          break;
        }
      }
    } else if (!s.summary.keyKnown) {
      report.warnings << QStringLiteral("no public key for console %1: signatures not checked")
                             .arg(QString::fromStdString(id));
    }
    if (!found.empty()) {
      const auto first = std::min_element(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.sequence < b.sequence;
      });
      report.problems.push_back(*first);
      if (!report.firstProblem) report.firstProblem = *first;
    }
    report.chains.push_back(s.summary);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

QJsonObject VerifyReport::toJson() const {
  QJsonArray chainList;
  for (const auto& c : chains) {
    chainList.append(QJsonObject{{"console_id", QString::fromStdString(c.consoleId)},
                                 {"entries", static_cast<qint64>(c.entries)},
                                 {"last_sequence", static_cast<qint64>(c.lastSequence)},
                                 {"checkpoints", static_cast<qint64>(c.checkpoints)},
                                 {"signatures_checked", static_cast<qint64>(c.signaturesChecked)},
                                 {"key_known", c.keyKnown},
                                 {"external_head", c.externalHead}});
  }
  QJsonArray problemList;
  for (const auto& p : problems) {
    problemList.append(QJsonObject{{"console_id", QString::fromStdString(p.consoleId)},
                                   {"first_bad_sequence", static_cast<qint64>(p.sequence)},
                                   {"kind", tamperKindName(p.kind)},
                                   {"message", p.message}});
  }
  QJsonObject o{{"intact", intact()}, {"chains", chainList}, {"problems", problemList},
                {"warnings", QJsonArray::fromStringList(warnings)}, {"seconds", seconds}};
  if (firstProblem) {
    o["first_bad_sequence"] = static_cast<qint64>(firstProblem->sequence);
    o["kind"] = tamperKindName(firstProblem->kind);
  }
  return o;
}

QString VerifyReport::toText() const {
  QString t;
  for (const auto& c : chains) {
    t += QStringLiteral("console %1: %2 entries (last %3), %4 checkpoints, %5 signatures checked, external head %6\n")
             .arg(QString::fromStdString(c.consoleId))
             .arg(c.entries)
             .arg(c.lastSequence)
             .arg(c.checkpoints)
             .arg(c.signaturesChecked)
             .arg(c.externalHead);
  }
  for (const auto& w : warnings) t += QStringLiteral("warning: %1\n").arg(w);
  for (const auto& p : problems) {
    t += QStringLiteral("TAMPERED: console %1, first bad sequence %2 (%3): %4\n")
             .arg(QString::fromStdString(p.consoleId))
             .arg(p.sequence)
             .arg(tamperKindName(p.kind), p.message);
  }
  if (intact()) t += QStringLiteral("audit trail intact (%1 s)\n").arg(seconds, 0, 'f', 3);
  return t;
}

}  // namespace tautband::store
