#include "store/AuditRecord.h"

#include <QDateTime>
#include <QTimeZone>

#include <sodium.h>

#include <chrono>

namespace tautband::store {
namespace {

constexpr std::string_view kEntryMagic = "TBAUD1";
constexpr std::string_view kCheckpointMagic = "TBCKP1";

void putU32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void putI64(std::string& out, std::int64_t value) {
  const auto v = static_cast<std::uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void putText(std::string& out, std::string_view text) {
  putU32(out, static_cast<std::uint32_t>(text.size()));
  out.append(text);
}

}  // namespace

void appendCanonicalBytes(const AuditRecord& r, std::string& out) {
  out.append(kEntryMagic);
  putText(out, r.consoleId);
  putI64(out, r.sequence);
  putI64(out, r.utcUs);
  out.push_back(r.sessionClockUs ? '\x01' : '\x00');
  putI64(out, r.sessionClockUs.value_or(0));
  putText(out, r.actor);
  putText(out, r.role);
  putText(out, r.action);
  putText(out, r.subject);
  putText(out, r.details);
  out.append(reinterpret_cast<const char*>(r.previousHash.data()), r.previousHash.size());
}

Hash32 computeEntryHash(const AuditRecord& record, std::string& scratch) {
  scratch.clear();
  appendCanonicalBytes(record, scratch);
  Hash32 h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(scratch.data()), scratch.size(),
                     nullptr, 0);
  return h;
}

std::string checkpointMessage(std::string_view consoleId, std::int64_t sequence, const Hash32& headHash,
                              std::int64_t utcUs) {
  std::string out;
  out.append(kCheckpointMagic);
  putText(out, consoleId);
  putI64(out, sequence);
  out.append(reinterpret_cast<const char*>(headHash.data()), headHash.size());
  putI64(out, utcUs);
  return out;
}

QString toHex(const unsigned char* data, std::size_t size) {
  return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)).toHex());
}

std::int64_t utcNowUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

QString utcIsoFromUs(std::int64_t utcUs) {
  const QDateTime t = QDateTime::fromMSecsSinceEpoch(utcUs / 1000, Qt::UTC);
  return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) +
         QStringLiteral("%1Z").arg(static_cast<int>(utcUs % 1000), 3, 10, QLatin1Char('0'));
}

}  // namespace tautband::store
