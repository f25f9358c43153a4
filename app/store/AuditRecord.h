#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tautband::store {

using Hash32 = std::array<unsigned char, 32>;
using Signature64 = std::array<unsigned char, 64>;

inline constexpr Hash32 kZeroHash{};

// What a subsystem hands to the audit trail; the store adds sequence, time and hashes.
struct AuditEntryDraft {
  QString actor;    // login, "os:<account>" for CLI runs, "system" for the console itself
  QString role;     // therapist | manager | vendor-service | admin | os | system
  QString action;   // dotted verb, e.g. "safety.refused", "patient.read"
  QString subject;  // what it is about, e.g. "patient:12", "rule:LUNG-LEN-1"
  QJsonObject details;
  std::optional<std::int64_t> sessionClockUs;  // monotonic session clock (BRIEF §4 "one clock")
};

// One stored audit row exactly as hashed. Text fields are kept as the UTF-8
// bytes stored in the database so the verifier never re-encodes anything.
struct AuditRecord {
  std::string consoleId;
  std::int64_t sequence = 0;
  std::int64_t utcUs = 0;  // microseconds since the Unix epoch, UTC
  std::optional<std::int64_t> sessionClockUs;
  std::string actor;
  std::string role;
  std::string action;
  std::string subject;
  std::string details;  // compact JSON text, hashed byte for byte as stored
  Hash32 previousHash{};
  Hash32 hash{};
};

// docs/AUDIT.md "Canonical serialisation": appends the bytes that are hashed.
// `out` is reused by the verifier so no allocation happens per entry.
void appendCanonicalBytes(const AuditRecord& record, std::string& out);

// BLAKE2b-256 over the canonical bytes (which end with the previous hash).
Hash32 computeEntryHash(const AuditRecord& record, std::string& scratch);
inline Hash32 computeEntryHash(const AuditRecord& record) {
  std::string scratch;
  return computeEntryHash(record, scratch);
}

// The message a checkpoint (and the external head) signs, docs/AUDIT.md "Checkpoints".
std::string checkpointMessage(std::string_view consoleId, std::int64_t sequence, const Hash32& headHash,
                              std::int64_t utcUs);

QString toHex(const unsigned char* data, std::size_t size);
template <std::size_t N>
QString toHex(const std::array<unsigned char, N>& bytes) {
  return toHex(bytes.data(), N);
}
// Returns false when `hex` is not exactly 2*N hex digits.
template <std::size_t N>
bool fromHex(const QString& hex, std::array<unsigned char, N>& out) {
  const QByteArray raw = QByteArray::fromHex(hex.toLatin1());
  if (hex.size() != static_cast<qsizetype>(2 * N) || raw.size() != static_cast<qsizetype>(N)) return false;
  for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<unsigned char>(raw[static_cast<qsizetype>(i)]);
  return true;
}

// Microseconds since the epoch, UTC, from the system clock.
std::int64_t utcNowUs();
QString utcIsoFromUs(std::int64_t utcUs);

}  // namespace tautband::store
