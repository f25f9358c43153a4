#pragma once

#include <QDate>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace tautband::report {

// Everything a report or export needs about one session, read once from the
// store (SessionReader) and then rendered by any number of writers. Plain data:
// the writers never touch the database, so they are testable with hand-built
// records and cannot disagree about what the session contained.
// Times: *Us = UTC microseconds since 1970; *ClockUs = the monotonic session
// clock (BRIEF §4 "one clock").

struct UserInfo {
  qint64 id = 0;
  QString login;
  QString displayName;
  QString role;
};

struct ClinicInfo {
  QString name;     // clinic setting "clinic.name"
  QString address;  // "clinic.address"
  QString phone;    // "clinic.phone"
  QString paper;    // "report.paper": "a4" | "letter" (empty = a4)
};

struct PatientInfo {
  qint64 id = 0;
  QString mrn, familyName, givenName, sex, guardianName, notes;
  QDate birthDate;
  std::optional<double> heightCm, weightKg;
  QString fullName() const { return givenName + QLatin1Char(' ') + familyName; }
  std::optional<double> bmi() const {
    if (!heightCm || !weightKg || *heightCm <= 0) return std::nullopt;
    const double m = *heightCm / 100.0;
    return *weightKg / (m * m);
  }
};

struct ScreeningInfo {
  QJsonObject answers;
  QString formVersion;
  std::int64_t recordedUs = 0;
  qint64 recordedBy = 0;
};

struct ConsentInfo {
  QString scope, textVersion, givenBy, guardianName;
  bool namesPneumothorax = false;
  std::int64_t recordedUs = 0;
  qint64 recordedBy = 0;
};

struct NeedleInfo {
  qint64 id = 0, siteId = 0;
  double lengthMm = 0, gaugeMm = 0;
  QString lot, technique, direction;
  std::optional<double> depthMm;
  std::int64_t insertedClockUs = 0;
  std::optional<std::int64_t> removedClockUs;
  std::optional<bool> removedIntact;
};

struct LtrInfo {
  qint64 id = 0;
  std::optional<qint64> siteId, needleId, recordingId;
  std::int64_t clockUs = 0;
  QString source;  // auto | manual
  QString status;  // pending | confirmed | rejected
  std::optional<double> amplitudeUv;
  QString detectorVersion;
  std::optional<qint64> decidedBy;
};

struct LtrCounts {
  int autoConfirmed = 0, manual = 0, rejected = 0, pending = 0;
  int total() const { return autoConfirmed + manual + rejected + pending; }
};

struct SiteInfo {
  qint64 id = 0;
  int number = 0;  // 1-based, in order of creation: the number on the body map
  QString muscle, side, zone;
  QJsonObject location;
  std::int64_t createdUs = 0;
};

struct LaserDoseInfo {
  qint64 id = 0, siteId = 0;
  std::optional<qint64> deviceId, eyewearId;
  double wavelengthNm = 0;
  QString mode;
  std::optional<double> pulseFrequencyHz, dutyCycle;
  double measuredPowerMw = 0, timeS = 0, beamAreaCm2 = 0;
  double energyJ = 0, fluenceJcm2 = 0, irradianceMwCm2 = 0;  // as stored, never recomputed
  int points = 1;
  QString technique;
  int treatmentNumber = 1;
  std::optional<double> intervalDays;
  std::int64_t startedClockUs = 0, endedClockUs = 0;
  QString stopReason;
  QString eyewearLabel;
  qint64 recordedBy = 0;
};

struct EStimInfo {
  qint64 id = 0, needleA = 0, needleB = 0;
  QString waveform;
  double frequencyHz = 0, pulseWidthUs = 0, currentMa = 0, currentDensityMaCm2 = 0, durationS = 0;
  std::int64_t startedClockUs = 0;
};

struct PainInfo {
  std::optional<qint64> siteId;
  QString moment;  // before | during | after
  int nprs = 0;
  std::int64_t clockUs = 0;
};

struct AdverseEventInfo {
  qint64 id = 0;
  QString kind, grade, description;
  qint64 recordedBy = 0;
  std::int64_t recordedUs = 0;
  std::optional<std::int64_t> clockUs;
};

struct NoteInfo {
  qint64 id = 0, authorId = 0;
  QString body;
  std::int64_t recordedUs = 0;
};

struct SignOffInfo {
  qint64 userId = 0;
  std::int64_t signedUs = 0;
  std::int64_t auditSequence = 0;
  QString recordHashHex;
};

struct AddendumInfo {
  qint64 id = 0, authorId = 0;
  QString reason, body;
  std::int64_t recordedUs = 0;
};

struct DeviceInfo {
  qint64 id = 0;
  QString kind, vendor, model, serial, firmwareVersion, driverName, driverVersion;
  std::optional<bool> isolated, firmwareWatchdog;
};

struct RecordingInfo {
  qint64 id = 0;
  std::optional<qint64> siteId, deviceId;
  QString path, hashAlgorithm, hashHex;
  double sampleRateHz = 0;
  int channels = 0;
  bool research = false;
  std::int64_t startedClockUs = 0;
  std::optional<std::int64_t> endedClockUs;
};

// One audit entry about the session (acknowledgement, approval, refusal).
struct AuditItem {
  std::int64_t sequence = 0, utcUs = 0;
  std::optional<std::int64_t> clockUs;
  QString actor, role, action, subject;
  QJsonObject details;
  QString rule() const;    // details.rule, or the subject's "rule:" part
  QString reason() const;  // details.reason / refusal, or a summary of the inputs
};

struct CheckpointInfo {
  QString consoleId;
  std::int64_t sequence = 0, utcUs = 0;
  QString headHashHex, signatureHex, reason;
};

struct SessionRecord {
  QString consoleId;
  qint64 id = 0;
  QString state;  // open | paused | ended | signed
  std::int64_t startedUs = 0;
  std::optional<std::int64_t> endedUs;
  std::int64_t durationClockUs = 0;  // session clock at the end (or the last clock reached)
  std::optional<int> treatmentNumber;
  bool researchMode = false;

  ClinicInfo clinic;
  PatientInfo patient;
  UserInfo therapist;
  std::map<qint64, UserInfo> users;  // everyone named anywhere in the record

  std::optional<ScreeningInfo> screening;  // latest before the session ended
  std::vector<ConsentInfo> consents;
  std::vector<SiteInfo> sites;
  std::vector<NeedleInfo> needles;
  std::vector<LtrInfo> ltrs;
  std::vector<LaserDoseInfo> laserDoses;
  std::vector<EStimInfo> estim;
  std::vector<PainInfo> pain;
  std::vector<AdverseEventInfo> adverseEvents;
  std::vector<NoteInfo> notes;
  std::optional<SignOffInfo> signOff;
  std::vector<AddendumInfo> addenda;
  std::vector<DeviceInfo> devices;
  std::vector<RecordingInfo> recordings;

  std::vector<AuditItem> acknowledgements;  // safety.acknowledged
  std::vector<AuditItem> approvals;         // supervisor.approved
  std::vector<AuditItem> refusals;          // safety.refused, supervisor.refused, access.denied
  std::optional<CheckpointInfo> checkpoint; // first signed checkpoint covering the session's last entry

  // Derived views (pure functions of the data above).
  const SiteInfo* site(qint64 siteId) const;
  const DeviceInfo* device(qint64 deviceId) const;
  QString userName(qint64 userId) const;  // display name, or "#id"
  LtrCounts ltrCounts(std::optional<qint64> siteId) const;  // nullopt = whole session
  std::vector<const NeedleInfo*> needlesAt(qint64 siteId) const;
  std::vector<const LtrInfo*> ltrsAt(qint64 siteId) const;
  std::optional<int> painScore(const QString& moment) const;  // session-level score (no site)
  // True when a needle went into a site over the thorax (lung field / thorax zone, or
  // a muscle of the chest wall): pneumothorax consent and advice apply.
  bool thoraxNeedled() const;
  bool hasPneumothoraxConsent() const;
};

// Human words for ids stored in the record ("upper-trapezius" -> "Upper trapezius").
QString humanize(const QString& id);

}  // namespace tautband::report
