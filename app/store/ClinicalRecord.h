#pragma once

#include "store/Access.h"
#include "store/StoreWriter.h"
#include "store/Users.h"

#include <QDate>
#include <QJsonObject>
#include <QString>
#include <QVariantMap>

#include <future>
#include <optional>
#include <vector>

namespace tautband::store {

struct PatientDraft {
  QString mrn;
  QString familyName;
  QString givenName;
  QDate birthDate;
  QString sex;
  std::optional<double> heightCm;
  std::optional<double> weightKg;
  QString guardianName;
  QString notes;
};

struct Patient : PatientDraft {
  qint64 id = 0;
};

struct SessionInfo {
  qint64 id = 0;
  qint64 patientId = 0;
  qint64 therapistId = 0;
  QString state;  // open | paused | ended | signed
  std::int64_t startedUs = 0;
  std::int64_t lastClockUs = 0;
};

struct NeedleDraft {
  qint64 siteId = 0;
  double lengthMm = 0;
  double gaugeMm = 0;
  QString lot;
  QString technique;
  QString direction;
  std::optional<double> depthMm;
};

// SAFETY-RULES "Record per dose" (Jenkins & Carroll 2011): every field is stored.
struct LaserDose {
  qint64 siteId = 0;
  std::optional<qint64> deviceId;
  std::optional<qint64> eyewearId;
  double wavelengthNm = 0;
  QString mode;  // cw | pulsed
  std::optional<double> pulseFrequencyHz;
  std::optional<double> dutyCycle;
  double measuredPowerMw = 0;  // measured, not nominal
  double timeS = 0;
  double beamAreaCm2 = 0;
  int points = 1;
  QString technique;  // contact | pressure | scanning
  int treatmentNumber = 1;
  std::optional<double> intervalDays;
  std::int64_t startedClockUs = 0;
  std::int64_t endedClockUs = 0;
  QString stopReason;
  // Derived, stored as computed so a report never recomputes differently.
  double energyJ() const { return measuredPowerMw / 1000.0 * timeS * points; }
  double fluenceJcm2() const { return beamAreaCm2 > 0 ? measuredPowerMw / 1000.0 * timeS / beamAreaCm2 : 0; }
  double irradianceMwCm2() const { return beamAreaCm2 > 0 ? measuredPowerMw / beamAreaCm2 : 0; }
};

struct EStimDraft {
  qint64 needleA = 0, needleB = 0;
  QString waveform;
  double frequencyHz = 0, pulseWidthUs = 0, currentMa = 0, currentDensityMaCm2 = 0, durationS = 0;
  std::int64_t startedClockUs = 0;
};

// One note or addendum of a session, with who wrote it and when.
struct SessionNoteEntry {
  qint64 id = 0;
  QString author;  // display name (login when the name is empty)
  std::int64_t recordedUs = 0;
  QString reason;  // addenda only
  QString body;
};

// A session's notes (final once signed), its sign-off and the addenda after it.
struct SessionNotes {
  std::vector<SessionNoteEntry> notes;
  std::vector<SessionNoteEntry> addenda;
  std::optional<QString> signedBy;
  std::int64_t signedUs = 0;
};

// The clinical record: patients, sessions and everything done in them. Every
// write stores the row AND its audit entry in the same transaction; reading a
// patient is audited too. Results arrive as futures once durable.
class ClinicalRecord {
 public:
  // `users` checks the signer's password for a sign-off.
  ClinicalRecord(StoreWriter& writer, UserDirectory& users) : writer_(writer), users_(users) {}

  // Patients, screening, consent.
  std::future<qint64> createPatient(Actor by, PatientDraft patient);
  std::future<Patient> readPatient(Actor by, qint64 patientId);  // audited "patient.read"
  std::future<std::vector<Patient>> listPatients(Actor by);        // audited "patient.list"
  std::future<qint64> recordScreening(Actor by, qint64 patientId, QJsonObject answers, QString formVersion);
  std::future<qint64> recordConsent(Actor by, qint64 patientId, std::optional<qint64> sessionId, QString scope,
                                    QString textVersion, bool namesPneumothorax, QString givenBy,
                                    QString guardianName = {});

  // Sessions: start, pause, resume, end; crash recovery reopens an unfinished session.
  std::future<qint64> startSession(Actor by, qint64 patientId);
  std::future<void> pauseSession(Actor by, qint64 sessionId, std::int64_t clockUs);
  std::future<void> resumeSession(Actor by, qint64 sessionId, std::int64_t clockUs);
  // Refuses while needles are still in; writes a signed checkpoint.
  std::future<void> endSession(Actor by, qint64 sessionId, std::int64_t clockUs);
  std::future<std::vector<SessionInfo>> unfinishedSessions();  // this console's open/paused sessions
  std::future<SessionInfo> recoverSession(Actor by, qint64 sessionId);

  std::future<qint64> addSite(Actor by, qint64 sessionId, QString muscle, QString side, QJsonObject location,
                              QString zone, std::int64_t clockUs);
  std::future<qint64> needleIn(Actor by, qint64 sessionId, NeedleDraft needle, std::int64_t clockUs);
  std::future<void> needleOut(Actor by, qint64 needleId, bool intact, std::int64_t clockUs);
  std::future<int> needlesStillIn(qint64 sessionId);
  std::future<qint64> recordLtr(Actor by, qint64 sessionId, std::optional<qint64> siteId,
                                std::optional<qint64> needleId, std::int64_t clockUs, bool automatic,
                                std::optional<double> amplitudeUv, QString detectorVersion);
  std::future<void> decideLtr(Actor by, qint64 ltrId, bool confirmed, std::int64_t clockUs);
  std::future<qint64> addEmgRecording(Actor by, qint64 sessionId, std::optional<qint64> siteId, QString path,
                                      QString hashAlgorithm, QString hashHex, double sampleRateHz, int channels,
                                      bool research, std::int64_t startedClockUs);
  std::future<qint64> recordLaserDose(Actor by, qint64 sessionId, LaserDose dose);
  std::future<qint64> recordEStim(Actor by, qint64 sessionId, EStimDraft stim);
  std::future<qint64> recordPain(Actor by, qint64 sessionId, std::optional<qint64> siteId, QString moment, int nprs,
                                 std::int64_t clockUs);
  std::future<qint64> recordAdverseEvent(Actor by, qint64 patientId, std::optional<qint64> sessionId, QString kind,
                                         QString grade, QString description, std::optional<std::int64_t> clockUs);
  std::future<qint64> addNote(Actor by, qint64 sessionId, QString body);
  std::future<QString> readNote(Actor by, qint64 noteId);  // audited
  // All of a session's notes, addenda and the sign-off: audited "note.read".
  std::future<SessionNotes> readSessionNotes(Actor by, qint64 sessionId);
  // Sign-off makes the note final (triggers refuse edits); later changes are
  // addenda. An electronic signature (21 CFR Part 11 §11.200): the signer
  // re-enters their own password, audited "auth.reauthenticated" (purpose
  // "sign-off"; a wrong one counts toward the lockout and throws
  // SignatureRefused), and "session.signed" names that entry. Returns the
  // sequence of "session.signed".
  std::future<std::int64_t> signOff(Actor by, qint64 sessionId, QString password);
  std::future<qint64> addAddendum(Actor by, qint64 sessionId, QString reason, QString body);

  // Devices, power checks, eyewear, clinic settings.
  std::future<qint64> registerDevice(Actor by, QVariantMap device, std::optional<qint64> sessionId);
  std::future<qint64> recordPowerCheck(Actor by, qint64 deviceId, double wavelengthNm, double nominalMw,
                                       double measuredMw, QString meter, std::int64_t nextDueUs);
  std::future<qint64> addEyewear(Actor by, QString label, QString manufacturer, double minNm, double maxNm,
                                 double opticalDensity, QString mode);
  std::future<void> setClinicSetting(Actor by, QString key, QJsonValue value);

 private:
  StoreWriter& writer_;
  UserDirectory& users_;
};

}  // namespace tautband::store
