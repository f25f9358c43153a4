#include "store/ClinicalRecord.h"

#include "store/Users.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

#include <sodium.h>

#include <utility>

namespace tautband::store {
namespace {

using Columns = std::vector<std::pair<const char*, QVariant>>;

QVariant i64(std::int64_t v) { return QVariant::fromValue<qint64>(v); }
QVariant nullableI64(const std::optional<std::int64_t>& v) {
  return v ? i64(*v) : QVariant(QMetaType::fromType<qint64>());
}
QVariant nullableReal(const std::optional<double>& v) { return v ? QVariant(*v) : QVariant(QMetaType::fromType<double>()); }
QVariant nullableText(const QString& v) { return v.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(v); }
QVariant userIdOf(const Actor& a) { return a.userId ? i64(*a.userId) : QVariant(QMetaType::fromType<qint64>()); }

// Column names come from this file only, never from input.
qint64 insertRow(WriteTransaction& tx, const char* table, const Columns& columns) {
  QStringList names, marks;
  QVariantList values;
  for (const auto& [name, value] : columns) {
    names << QString::fromLatin1(name);
    marks << QStringLiteral("?");
    values << value;
  }
  return tx.insert(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) RETURNING id")
                       .arg(QString::fromLatin1(table), names.join(QLatin1Char(',')), marks.join(QLatin1Char(','))),
                   values);
}

std::int64_t audit(WriteTransaction& tx, const Actor& by, const QString& action, const QString& subject,
                   QJsonObject details = {}, std::optional<std::int64_t> clockUs = std::nullopt) {
  return tx.audit({by.login, by.role, action, subject, std::move(details), clockUs});
}

template <class T>
std::future<T> denied(const Actor& by, Action action) {
  std::promise<T> p;
  p.set_exception(std::make_exception_ptr(
      PermissionDenied(QStringLiteral("%1 (%2) may not %3").arg(by.login, by.role, actionName(action)).toStdString())));
  return p.get_future();
}

QString sessionSubject(qint64 id) { return QStringLiteral("session:%1").arg(id); }

void requireSessionState(WriteTransaction& tx, qint64 sessionId, QStringList allowed) {
  QSqlQuery q = tx.exec(QStringLiteral("SELECT state FROM sessions WHERE id = ?"), {sessionId});
  if (!q.next()) throw StoreError("no session " + std::to_string(sessionId));
  const QString state = q.value(0).toString();
  if (!allowed.contains(state)) {
    throw StoreError(QStringLiteral("session %1 is %2").arg(sessionId).arg(state).toStdString());
  }
}

Patient patientFrom(const QSqlQuery& q) {
  Patient p;
  p.id = q.value(0).toLongLong();
  p.mrn = q.value(1).toString();
  p.familyName = q.value(2).toString();
  p.givenName = q.value(3).toString();
  p.birthDate = QDate::fromString(q.value(4).toString(), Qt::ISODate);
  p.sex = q.value(5).toString();
  if (!q.isNull(6)) p.heightCm = q.value(6).toDouble();
  if (!q.isNull(7)) p.weightKg = q.value(7).toDouble();
  p.guardianName = q.value(8).toString();
  p.notes = q.value(9).toString();
  return p;
}

constexpr auto kPatientColumns =
    "id, mrn, family_name, given_name, birth_date, sex, height_cm, weight_kg, guardian_name, notes";

}  // namespace

#define TAUTBAND_REQUIRE(ACTION, SUBJECT, TYPE) \
  if (!checkPermission(writer_, by, ACTION, SUBJECT)) return denied<TYPE>(by, ACTION)

std::future<qint64> ClinicalRecord::createPatient(Actor by, PatientDraft p) {
  TAUTBAND_REQUIRE(Action::EditPatient, QStringLiteral("patient:new"), qint64);
  return writer_.submit([by, p](WriteTransaction& tx) {
    if (p.mrn.trimmed().isEmpty()) throw StoreError("a patient needs a record number");
    const qint64 id = insertRow(tx, "patients",
                                {{"mrn", p.mrn},
                                 {"family_name", p.familyName},
                                 {"given_name", p.givenName},
                                 {"birth_date", p.birthDate.isValid() ? QVariant(p.birthDate.toString(Qt::ISODate))
                                                                      : QVariant(QMetaType::fromType<QString>())},
                                 {"sex", nullableText(p.sex)},
                                 {"height_cm", nullableReal(p.heightCm)},
                                 {"weight_kg", nullableReal(p.weightKg)},
                                 {"guardian_name", nullableText(p.guardianName)},
                                 {"notes", p.notes.isNull() ? QStringLiteral("") : p.notes},
                                 {"created_us", i64(utcNowUs())}});
    audit(tx, by, QStringLiteral("patient.created"), QStringLiteral("patient:%1").arg(id), {{"mrn", p.mrn}});
    return id;
  });
}

std::future<Patient> ClinicalRecord::readPatient(Actor by, qint64 patientId) {
  TAUTBAND_REQUIRE(Action::ReadPatient, QStringLiteral("patient:%1").arg(patientId), Patient);
  return writer_.submit([by, patientId](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT %1 FROM patients WHERE id = ?").arg(QLatin1String(kPatientColumns)),
                          {patientId});
    if (!q.next()) throw StoreError("no patient " + std::to_string(patientId));
    Patient p = patientFrom(q);
    audit(tx, by, QStringLiteral("patient.read"), QStringLiteral("patient:%1").arg(patientId));
    return p;
  });
}

std::future<std::vector<Patient>> ClinicalRecord::listPatients(Actor by) {
  TAUTBAND_REQUIRE(Action::ReadPatient, QStringLiteral("patients"), std::vector<Patient>);
  return writer_.submit([by](WriteTransaction& tx) {
    std::vector<Patient> out;
    QSqlQuery q = tx.exec(QStringLiteral("SELECT %1 FROM patients ORDER BY family_name, given_name, id")
                              .arg(QLatin1String(kPatientColumns)));
    while (q.next()) out.push_back(patientFrom(q));
    audit(tx, by, QStringLiteral("patient.list"), QStringLiteral("patients"),
          {{"count", static_cast<qint64>(out.size())}});
    return out;
  });
}

std::future<qint64> ClinicalRecord::recordScreening(Actor by, qint64 patientId, QJsonObject answers,
                                                    QString formVersion) {
  TAUTBAND_REQUIRE(Action::EditPatient, QStringLiteral("patient:%1").arg(patientId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    const qint64 id = insertRow(tx, "screenings",
                                {{"patient_id", patientId},
                                 {"answers_json", QString::fromUtf8(QJsonDocument(answers).toJson(QJsonDocument::Compact))},
                                 {"form_version", formVersion},
                                 {"recorded_by", userIdOf(by)},
                                 {"recorded_us", i64(utcNowUs())}});
    audit(tx, by, QStringLiteral("screening.recorded"), QStringLiteral("patient:%1").arg(patientId),
          {{"screening", id}, {"form_version", formVersion}, {"answers", answers}});
    return id;
  });
}

std::future<qint64> ClinicalRecord::recordConsent(Actor by, qint64 patientId, std::optional<qint64> sessionId,
                                                  QString scope, QString textVersion, bool namesPneumothorax,
                                                  QString givenBy, QString guardianName) {
  TAUTBAND_REQUIRE(Action::EditPatient, QStringLiteral("patient:%1").arg(patientId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    const qint64 id = insertRow(tx, "consents",
                                {{"patient_id", patientId},
                                 {"session_id", nullableI64(sessionId)},
                                 {"scope", scope},
                                 {"text_version", textVersion},
                                 {"names_pneumothorax", namesPneumothorax ? 1 : 0},
                                 {"given_by", givenBy},
                                 {"guardian_name", nullableText(guardianName)},
                                 {"recorded_by", userIdOf(by)},
                                 {"recorded_us", i64(utcNowUs())}});
    audit(tx, by, QStringLiteral("consent.recorded"), QStringLiteral("patient:%1").arg(patientId),
          {{"consent", id}, {"scope", scope}, {"names_pneumothorax", namesPneumothorax}, {"given_by", givenBy}});
    return id;
  });
}

std::future<qint64> ClinicalRecord::startSession(Actor by, qint64 patientId) {
  TAUTBAND_REQUIRE(Action::RunSession, QStringLiteral("patient:%1").arg(patientId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    if (!by.userId) throw StoreError("a session needs a logged-in therapist");
    const std::int64_t now = utcNowUs();
    QSqlQuery n = tx.exec(QStringLiteral("SELECT COUNT(*) FROM sessions WHERE patient_id = ?"), {patientId});
    const int treatmentNumber = (n.next() ? n.value(0).toInt() : 0) + 1;
    const qint64 id = insertRow(tx, "sessions",
                                {{"patient_id", patientId},
                                 {"therapist_id", *by.userId},
                                 {"console_id", QString::fromStdString(tx.consoleId())},
                                 {"state", QStringLiteral("open")},
                                 {"started_us", i64(now)},
                                 {"treatment_number", treatmentNumber}});
    insertRow(tx, "session_events",
              {{"session_id", id}, {"kind", QStringLiteral("start")}, {"utc_us", i64(now)}, {"session_clock_us", 0},
               {"user_id", userIdOf(by)}});
    audit(tx, by, QStringLiteral("session.started"), sessionSubject(id),
          {{"patient", patientId}, {"treatment_number", treatmentNumber}}, 0);
    return id;
  });
}

namespace {
void sessionTransition(WriteTransaction& tx, const Actor& by, qint64 sessionId, const QStringList& from,
                       const QString& to, const QString& kind, std::int64_t clockUs) {
  requireSessionState(tx, sessionId, from);
  tx.exec(QStringLiteral("UPDATE sessions SET state = ?, last_clock_us = ? %1 WHERE id = ?")
              .arg(to == QLatin1String("ended") ? QStringLiteral(", ended_us = %1").arg(utcNowUs()) : QString()),
          {to, i64(clockUs), sessionId});
  insertRow(tx, "session_events",
            {{"session_id", sessionId}, {"kind", kind}, {"utc_us", i64(utcNowUs())}, {"session_clock_us", i64(clockUs)},
             {"user_id", userIdOf(by)}});
  audit(tx, by, QStringLiteral("session.") + kind, sessionSubject(sessionId), {}, clockUs);
}
}  // namespace

std::future<void> ClinicalRecord::pauseSession(Actor by, qint64 sessionId, std::int64_t clockUs) {
  TAUTBAND_REQUIRE(Action::RunSession, sessionSubject(sessionId), void);
  return writer_.submit([=](WriteTransaction& tx) {
    sessionTransition(tx, by, sessionId, {QStringLiteral("open")}, QStringLiteral("paused"), QStringLiteral("pause"),
                      clockUs);
  });
}

std::future<void> ClinicalRecord::resumeSession(Actor by, qint64 sessionId, std::int64_t clockUs) {
  TAUTBAND_REQUIRE(Action::RunSession, sessionSubject(sessionId), void);
  return writer_.submit([=](WriteTransaction& tx) {
    sessionTransition(tx, by, sessionId, {QStringLiteral("paused")}, QStringLiteral("open"), QStringLiteral("resume"),
                      clockUs);
  });
}

std::future<void> ClinicalRecord::endSession(Actor by, qint64 sessionId, std::int64_t clockUs) {
  TAUTBAND_REQUIRE(Action::RunSession, sessionSubject(sessionId), void);
  return writer_.submit([=](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT COUNT(*) FROM needles WHERE session_id = ? AND removed_us IS NULL"),
                          {sessionId});
    const int stillIn = q.next() ? q.value(0).toInt() : 0;
    if (stillIn > 0) {
      throw StoreError(QStringLiteral("%1 needle(s) still in: remove and reconcile them first").arg(stillIn).toStdString());
    }
    sessionTransition(tx, by, sessionId, {QStringLiteral("open"), QStringLiteral("paused")}, QStringLiteral("ended"),
                      QStringLiteral("end"), clockUs);
    tx.requestCheckpoint(QStringLiteral("session-end"));
  });
}

std::future<std::vector<SessionInfo>> ClinicalRecord::unfinishedSessions() {
  return writer_.submit([](WriteTransaction& tx) {
    std::vector<SessionInfo> out;
    QSqlQuery q = tx.exec(QStringLiteral("SELECT id, patient_id, therapist_id, state, started_us, last_clock_us FROM "
                                         "sessions WHERE console_id = ? AND state IN ('open','paused') ORDER BY id"),
                          {QString::fromStdString(tx.consoleId())});
    while (q.next()) {
      out.push_back(SessionInfo{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                                q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toLongLong()});
    }
    return out;
  });
}

std::future<SessionInfo> ClinicalRecord::recoverSession(Actor by, qint64 sessionId) {
  TAUTBAND_REQUIRE(Action::RunSession, sessionSubject(sessionId), SessionInfo);
  return writer_.submit([=](WriteTransaction& tx) {
    requireSessionState(tx, sessionId, {QStringLiteral("open"), QStringLiteral("paused")});
    // The clock resumes from the latest time anything in the session recorded.
    QSqlQuery c = tx.exec(QStringLiteral("SELECT MAX(session_clock_us) FROM audit_entries WHERE console_id = ? AND "
                                         "subject = ?"),
                          {QString::fromStdString(tx.consoleId()), sessionSubject(sessionId)});
    const std::int64_t clock = c.next() ? c.value(0).toLongLong() : 0;
    tx.exec(QStringLiteral("UPDATE sessions SET state = 'paused', last_clock_us = ?, recovered_count = "
                           "recovered_count + 1 WHERE id = ?"),
            {i64(clock), sessionId});
    insertRow(tx, "session_events",
              {{"session_id", sessionId}, {"kind", QStringLiteral("recovered")}, {"utc_us", i64(utcNowUs())},
               {"session_clock_us", i64(clock)}, {"user_id", userIdOf(by)}});
    audit(tx, by, QStringLiteral("session.recovered"), sessionSubject(sessionId), {{"clock_us", static_cast<qint64>(clock)}}, clock);
    QSqlQuery q = tx.exec(QStringLiteral("SELECT id, patient_id, therapist_id, state, started_us, last_clock_us FROM "
                                         "sessions WHERE id = ?"),
                          {sessionId});
    q.next();
    return SessionInfo{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                       q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toLongLong()};
  });
}

std::future<qint64> ClinicalRecord::addSite(Actor by, qint64 sessionId, QString muscle, QString side,
                                            QJsonObject location, QString zone, std::int64_t clockUs) {
  TAUTBAND_REQUIRE(Action::RunSession, sessionSubject(sessionId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    requireSessionState(tx, sessionId, {QStringLiteral("open")});
    const qint64 id = insertRow(tx, "sites",
                                {{"session_id", sessionId},
                                 {"muscle", muscle},
                                 {"side", side},
                                 {"location_json", QString::fromUtf8(QJsonDocument(location).toJson(QJsonDocument::Compact))},
                                 {"zone", nullableText(zone)},
                                 {"created_us", i64(utcNowUs())}});
    audit(tx, by, QStringLiteral("site.added"), sessionSubject(sessionId),
          {{"site", id}, {"muscle", muscle}, {"side", side}, {"zone", zone}, {"location", location}}, clockUs);
    return id;
  });
}

std::future<qint64> ClinicalRecord::needleIn(Actor by, qint64 sessionId, NeedleDraft n, std::int64_t clockUs) {
  TAUTBAND_REQUIRE(Action::Needle, sessionSubject(sessionId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    requireSessionState(tx, sessionId, {QStringLiteral("open")});
    if (n.lot.trimmed().isEmpty()) throw StoreError("the needle lot number is required");
    const qint64 id = insertRow(tx, "needles",
                                {{"session_id", sessionId},
                                 {"site_id", n.siteId},
                                 {"length_mm", n.lengthMm},
                                 {"gauge_mm", n.gaugeMm},
                                 {"lot", n.lot},
                                 {"technique", n.technique},
                                 {"direction", n.direction},
                                 {"depth_mm", nullableReal(n.depthMm)},
                                 {"inserted_us", i64(utcNowUs())},
                                 {"inserted_clock_us", i64(clockUs)},
                                 {"inserted_by", userIdOf(by)}});
    audit(tx, by, QStringLiteral("needle.in"), sessionSubject(sessionId),
          {{"needle", id}, {"site", n.siteId}, {"length_mm", n.lengthMm}, {"gauge_mm", n.gaugeMm}, {"lot", n.lot},
           {"technique", n.technique}, {"direction", n.direction}},
          clockUs);
    return id;
  });
}

std::future<void> ClinicalRecord::needleOut(Actor by, qint64 needleId, bool intact, std::int64_t clockUs) {
  TAUTBAND_REQUIRE(Action::Needle, QStringLiteral("needle:%1").arg(needleId), void);
  return writer_.submit([=](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT session_id, removed_us FROM needles WHERE id = ?"), {needleId});
    if (!q.next()) throw StoreError("no needle " + std::to_string(needleId));
    if (!q.isNull(1)) throw StoreError("needle " + std::to_string(needleId) + " is already out");
    const qint64 sessionId = q.value(0).toLongLong();
    tx.exec(QStringLiteral("UPDATE needles SET removed_us = ?, removed_clock_us = ?, removed_intact = ? WHERE id = ?"),
            {i64(utcNowUs()), i64(clockUs), intact ? 1 : 0, needleId});
    audit(tx, by, QStringLiteral("needle.out"), sessionSubject(sessionId), {{"needle", needleId}, {"intact", intact}},
          clockUs);
    if (!intact) {
      QSqlQuery p = tx.exec(QStringLiteral("SELECT patient_id FROM sessions WHERE id = ?"), {sessionId});
      p.next();
      const qint64 ae = insertRow(tx, "adverse_events",
                                  {{"patient_id", p.value(0)},
                                   {"session_id", sessionId},
                                   {"kind", QStringLiteral("broken-needle")},
                                   {"grade", QStringLiteral("moderate")},
                                   {"description", QStringLiteral("needle %1 removed broken").arg(needleId)},
                                   {"recorded_by", userIdOf(by)},
                                   {"recorded_us", i64(utcNowUs())},
                                   {"session_clock_us", i64(clockUs)}});
      audit(tx, by, QStringLiteral("adverse-event.recorded"), sessionSubject(sessionId),
            {{"adverse_event", ae}, {"kind", QStringLiteral("broken-needle")}, {"needle", needleId}}, clockUs);
    }
  });
}

std::future<int> ClinicalRecord::needlesStillIn(qint64 sessionId) {
  return writer_.submit([=](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT COUNT(*) FROM needles WHERE session_id = ? AND removed_us IS NULL"),
                          {sessionId});
    return q.next() ? q.value(0).toInt() : 0;
  });
}

std::future<qint64> ClinicalRecord::recordLtr(Actor by, qint64 sessionId, std::optional<qint64> siteId,
                                              std::optional<qint64> needleId, std::int64_t clockUs, bool automatic,
                                              std::optional<double> amplitudeUv, QString detectorVersion) {
  TAUTBAND_REQUIRE(automatic ? Action::RunSession : Action::Needle, sessionSubject(sessionId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    const qint64 id = insertRow(tx, "ltr_events",
                                {{"session_id", sessionId},
                                 {"site_id", nullableI64(siteId)},
                                 {"needle_id", nullableI64(needleId)},
                                 {"session_clock_us", i64(clockUs)},
                                 {"source", automatic ? QStringLiteral("auto") : QStringLiteral("manual")},
                                 {"status", automatic ? QStringLiteral("pending") : QStringLiteral("confirmed")},
                                 {"amplitude_uv", nullableReal(amplitudeUv)},
                                 {"detector_version", nullableText(detectorVersion)},
                                 {"decided_by", automatic ? QVariant(QMetaType::fromType<qint64>()) : userIdOf(by)}});
    audit(tx, by, automatic ? QStringLiteral("ltr.detected") : QStringLiteral("ltr.added"), sessionSubject(sessionId),
          {{"ltr", id}, {"site", siteId ? QJsonValue(*siteId) : QJsonValue()},
           {"amplitude_uv", amplitudeUv ? QJsonValue(*amplitudeUv) : QJsonValue()}},
          clockUs);
    return id;
  });
}

std::future<void> ClinicalRecord::decideLtr(Actor by, qint64 ltrId, bool confirmed, std::int64_t clockUs) {
  TAUTBAND_REQUIRE(Action::Needle, QStringLiteral("ltr:%1").arg(ltrId), void);
  return writer_.submit([=](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT session_id FROM ltr_events WHERE id = ?"), {ltrId});
    if (!q.next()) throw StoreError("no LTR event " + std::to_string(ltrId));
    tx.exec(QStringLiteral("UPDATE ltr_events SET status = ?, decided_by = ?, decided_us = ? WHERE id = ?"),
            {confirmed ? QStringLiteral("confirmed") : QStringLiteral("rejected"), userIdOf(by), i64(utcNowUs()), ltrId});
    audit(tx, by, confirmed ? QStringLiteral("ltr.confirmed") : QStringLiteral("ltr.rejected"),
          sessionSubject(q.value(0).toLongLong()), {{"ltr", ltrId}}, clockUs);
  });
}

std::future<qint64> ClinicalRecord::addEmgRecording(Actor by, qint64 sessionId, std::optional<qint64> siteId,
                                                    QString path, QString hashAlgorithm, QString hashHex,
                                                    double sampleRateHz, int channels, bool research,
                                                    std::int64_t startedClockUs) {
  TAUTBAND_REQUIRE(Action::RunSession, sessionSubject(sessionId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    const qint64 id = insertRow(tx, "emg_recordings",
                                {{"session_id", sessionId},
                                 {"site_id", nullableI64(siteId)},
                                 {"path", path},
                                 {"hash_algorithm", hashAlgorithm},
                                 {"hash_hex", hashHex},
                                 {"sample_rate_hz", sampleRateHz},
                                 {"channels", channels},
                                 {"research", research ? 1 : 0},
                                 {"started_clock_us", i64(startedClockUs)}});
    audit(tx, by, QStringLiteral("emg.recording"), sessionSubject(sessionId),
          {{"recording", id}, {"path", path}, {hashAlgorithm, hashHex}, {"research", research}}, startedClockUs);
    return id;
  });
}

std::future<qint64> ClinicalRecord::recordLaserDose(Actor by, qint64 sessionId, LaserDose d) {
  TAUTBAND_REQUIRE(Action::Laser, sessionSubject(sessionId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    if (d.beamAreaCm2 <= 0 || d.measuredPowerMw < 0 || d.timeS < 0 || d.points < 1) {
      throw StoreError("a laser dose needs a positive beam area, power, time and at least one point");
    }
    const qint64 id = insertRow(tx, "laser_doses",
                                {{"session_id", sessionId},
                                 {"site_id", d.siteId},
                                 {"device_id", nullableI64(d.deviceId)},
                                 {"eyewear_id", nullableI64(d.eyewearId)},
                                 {"wavelength_nm", d.wavelengthNm},
                                 {"mode", d.mode},
                                 {"pulse_frequency_hz", nullableReal(d.pulseFrequencyHz)},
                                 {"duty_cycle", nullableReal(d.dutyCycle)},
                                 {"measured_power_mw", d.measuredPowerMw},
                                 {"time_s", d.timeS},
                                 {"beam_area_cm2", d.beamAreaCm2},
                                 {"energy_j", d.energyJ()},
                                 {"fluence_j_cm2", d.fluenceJcm2()},
                                 {"irradiance_mw_cm2", d.irradianceMwCm2()},
                                 {"points", d.points},
                                 {"technique", d.technique},
                                 {"treatment_number", d.treatmentNumber},
                                 {"interval_days", nullableReal(d.intervalDays)},
                                 {"started_clock_us", i64(d.startedClockUs)},
                                 {"ended_clock_us", i64(d.endedClockUs)},
                                 {"stop_reason", d.stopReason},
                                 {"recorded_by", userIdOf(by)}});
    audit(tx, by, QStringLiteral("laser.dose"), sessionSubject(sessionId),
          {{"dose", id}, {"site", d.siteId}, {"wavelength_nm", d.wavelengthNm}, {"mode", d.mode},
           {"measured_power_mw", d.measuredPowerMw}, {"time_s", d.timeS}, {"beam_area_cm2", d.beamAreaCm2},
           {"energy_j", d.energyJ()}, {"fluence_j_cm2", d.fluenceJcm2()}, {"irradiance_mw_cm2", d.irradianceMwCm2()},
           {"points", d.points}, {"technique", d.technique}, {"stop_reason", d.stopReason}},
          d.endedClockUs);
    return id;
  });
}

std::future<qint64> ClinicalRecord::recordEStim(Actor by, qint64 sessionId, EStimDraft s) {
  TAUTBAND_REQUIRE(Action::EStim, sessionSubject(sessionId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    const qint64 id = insertRow(tx, "estim",
                                {{"session_id", sessionId},
                                 {"needle_a_id", s.needleA},
                                 {"needle_b_id", s.needleB},
                                 {"waveform", s.waveform},
                                 {"frequency_hz", s.frequencyHz},
                                 {"pulse_width_us", s.pulseWidthUs},
                                 {"current_ma", s.currentMa},
                                 {"current_density_ma_cm2", s.currentDensityMaCm2},
                                 {"duration_s", s.durationS},
                                 {"started_clock_us", i64(s.startedClockUs)},
                                 {"recorded_by", userIdOf(by)}});
    audit(tx, by, QStringLiteral("estim.recorded"), sessionSubject(sessionId),
          {{"estim", id}, {"current_ma", s.currentMa}, {"current_density_ma_cm2", s.currentDensityMaCm2},
           {"frequency_hz", s.frequencyHz}},
          s.startedClockUs);
    return id;
  });
}

std::future<qint64> ClinicalRecord::recordPain(Actor by, qint64 sessionId, std::optional<qint64> siteId,
                                               QString moment, int nprs, std::int64_t clockUs) {
  TAUTBAND_REQUIRE(Action::RunSession, sessionSubject(sessionId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    if (nprs < 0 || nprs > 10) throw StoreError("NPRS is 0..10");
    const qint64 id = insertRow(tx, "pain_scores",
                                {{"session_id", sessionId},
                                 {"site_id", nullableI64(siteId)},
                                 {"moment", moment},
                                 {"nprs", nprs},
                                 {"session_clock_us", i64(clockUs)}});
    audit(tx, by, QStringLiteral("pain.recorded"), sessionSubject(sessionId), {{"moment", moment}, {"nprs", nprs}},
          clockUs);
    return id;
  });
}

std::future<qint64> ClinicalRecord::recordAdverseEvent(Actor by, qint64 patientId, std::optional<qint64> sessionId,
                                                       QString kind, QString grade, QString description,
                                                       std::optional<std::int64_t> clockUs) {
  TAUTBAND_REQUIRE(Action::RunSession, QStringLiteral("patient:%1").arg(patientId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    const qint64 id = insertRow(tx, "adverse_events",
                                {{"patient_id", patientId},
                                 {"session_id", nullableI64(sessionId)},
                                 {"kind", kind},
                                 {"grade", grade},
                                 {"description", description},
                                 {"recorded_by", userIdOf(by)},
                                 {"recorded_us", i64(utcNowUs())},
                                 {"session_clock_us", nullableI64(clockUs)}});
    audit(tx, by, QStringLiteral("adverse-event.recorded"),
          sessionId ? sessionSubject(*sessionId) : QStringLiteral("patient:%1").arg(patientId),
          {{"adverse_event", id}, {"kind", kind}, {"grade", grade}}, clockUs);
    return id;
  });
}

std::future<qint64> ClinicalRecord::addNote(Actor by, qint64 sessionId, QString body) {
  TAUTBAND_REQUIRE(Action::RunSession, sessionSubject(sessionId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    const qint64 id = insertRow(tx, "notes",
                                {{"session_id", sessionId}, {"author_id", userIdOf(by)}, {"body", body},
                                 {"recorded_us", i64(utcNowUs())}});
    audit(tx, by, QStringLiteral("note.added"), sessionSubject(sessionId),
          {{"note", id}, {"chars", static_cast<qint64>(body.size())}});
    return id;
  });
}

std::future<QString> ClinicalRecord::readNote(Actor by, qint64 noteId) {
  TAUTBAND_REQUIRE(Action::ReadPatient, QStringLiteral("note:%1").arg(noteId), QString);
  return writer_.submit([=](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT body, session_id FROM notes WHERE id = ?"), {noteId});
    if (!q.next()) throw StoreError("no note " + std::to_string(noteId));
    const QString body = q.value(0).toString();
    audit(tx, by, QStringLiteral("note.read"), sessionSubject(q.value(1).toLongLong()), {{"note", noteId}});
    return body;
  });
}

std::future<SessionNotes> ClinicalRecord::readSessionNotes(Actor by, qint64 sessionId) {
  TAUTBAND_REQUIRE(Action::ReadPatient, sessionSubject(sessionId), SessionNotes);
  return writer_.submit([by, sessionId](WriteTransaction& tx) {
    SessionNotes out;
    const auto author = [](const QSqlQuery& q, int name, int login) {
      const QString display = q.value(name).toString();
      return display.isEmpty() ? q.value(login).toString() : display;
    };
    QSqlQuery q = tx.exec(QStringLiteral("SELECT id FROM sessions WHERE id = ?"), {sessionId});
    if (!q.next()) throw StoreError("no session " + std::to_string(sessionId));
    q = tx.exec(QStringLiteral("SELECT n.id, u.display_name, u.login, n.recorded_us, n.body FROM notes n "
                               "LEFT JOIN users u ON u.id = n.author_id WHERE n.session_id = ? ORDER BY n.id"),
                {sessionId});
    while (q.next())
      out.notes.push_back({q.value(0).toLongLong(), author(q, 1, 2), q.value(3).toLongLong(), {}, q.value(4).toString()});
    q = tx.exec(QStringLiteral("SELECT a.id, u.display_name, u.login, a.recorded_us, a.reason, a.body FROM addenda a "
                               "LEFT JOIN users u ON u.id = a.author_id WHERE a.session_id = ? ORDER BY a.id"),
                {sessionId});
    while (q.next())
      out.addenda.push_back({q.value(0).toLongLong(), author(q, 1, 2), q.value(3).toLongLong(), q.value(4).toString(),
                             q.value(5).toString()});
    q = tx.exec(QStringLiteral("SELECT u.display_name, u.login, s.signed_us FROM signoffs s "
                               "LEFT JOIN users u ON u.id = s.user_id WHERE s.session_id = ?"),
                {sessionId});
    if (q.next()) {
      out.signedBy = author(q, 0, 1);
      out.signedUs = q.value(2).toLongLong();
    }
    audit(tx, by, QStringLiteral("note.read"), sessionSubject(sessionId),
          {{"notes", static_cast<qint64>(out.notes.size())}, {"addenda", static_cast<qint64>(out.addenda.size())}});
    return out;
  });
}

std::future<std::int64_t> ClinicalRecord::signOff(Actor by, qint64 sessionId, QString password) {
  TAUTBAND_REQUIRE(Action::SignNote, sessionSubject(sessionId), std::int64_t);
  // The password check runs on the user directory's worker (Argon2id, never on
  // the store thread); the sign-off transaction follows only when it passed.
  return users_.afterReauthentication(
      by, std::move(password), QStringLiteral("sign-off"), sessionSubject(sessionId),
      [&writer = writer_, by, sessionId](const Reauthentication& signature) {
        return writer.run([&](WriteTransaction& tx) {
          requireSessionState(tx, sessionId, {QStringLiteral("ended")});
          // Hash of the note as signed, so an addendum can never pass for the original.
          QSqlQuery q =
              tx.exec(QStringLiteral("SELECT id, body FROM notes WHERE session_id = ? ORDER BY id"), {sessionId});
          QCryptographicHash h(QCryptographicHash::Blake2b_256);
          while (q.next()) {
            h.addData(q.value(0).toString().toUtf8() + '\0');
            h.addData(q.value(1).toString().toUtf8() + '\0');
          }
          const QString recordHash = QString::fromLatin1(h.result().toHex());
          const std::int64_t seq =
              audit(tx, by, QStringLiteral("session.signed"), sessionSubject(sessionId),
                    {{"note_hash", recordHash},
                     {"signature", QStringLiteral("password")},
                     {"reauthentication", static_cast<qint64>(signature.auditSequence)}});
          insertRow(tx, "session_events",
                    {{"session_id", sessionId}, {"kind", QStringLiteral("sign-off")}, {"utc_us", i64(utcNowUs())},
                     {"session_clock_us", 0}, {"user_id", userIdOf(by)}});
          tx.exec(QStringLiteral("INSERT INTO signoffs (session_id, user_id, signed_us, audit_sequence, "
                                 "record_hash_hex) VALUES (?,?,?,?,?)"),
                  {sessionId, userIdOf(by), i64(utcNowUs()), i64(seq), recordHash});
          tx.exec(QStringLiteral("UPDATE sessions SET state = 'signed' WHERE id = ?"), {sessionId});
          tx.requestCheckpoint(QStringLiteral("sign-off"));
          return seq;
        });
      });
}

std::future<qint64> ClinicalRecord::addAddendum(Actor by, qint64 sessionId, QString reason, QString body) {
  TAUTBAND_REQUIRE(Action::AddAddendum, sessionSubject(sessionId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    if (reason.trimmed().isEmpty()) throw StoreError("an addendum needs a reason");
    const qint64 id = insertRow(tx, "addenda",
                                {{"session_id", sessionId}, {"author_id", userIdOf(by)}, {"reason", reason},
                                 {"body", body}, {"recorded_us", i64(utcNowUs())}});
    audit(tx, by, QStringLiteral("addendum.added"), sessionSubject(sessionId), {{"addendum", id}, {"reason", reason}});
    return id;
  });
}

std::future<qint64> ClinicalRecord::registerDevice(Actor by, QVariantMap d, std::optional<qint64> sessionId) {
  return writer_.submit([=](WriteTransaction& tx) {
    auto text = [&](const char* k) { return d.value(QString::fromLatin1(k)).toString(); };
    QSqlQuery q = tx.exec(QStringLiteral("SELECT id FROM devices WHERE vendor = ? AND model = ? AND serial = ? AND "
                                         "firmware_version = ? AND driver_version = ?"),
                          {text("vendor"), text("model"), text("serial"), text("firmware_version"),
                           text("driver_version")});
    qint64 id = 0;
    if (q.next()) {
      id = q.value(0).toLongLong();
    } else {
      auto flag = [&](const char* k) {
        const QVariant v = d.value(QString::fromLatin1(k));
        return v.isValid() ? QVariant(v.toBool() ? 1 : 0) : QVariant(QMetaType::fromType<int>());
      };
      id = insertRow(tx, "devices",
                     {{"kind", text("kind")}, {"vendor", text("vendor")}, {"model", text("model")},
                      {"serial", text("serial")}, {"firmware_version", text("firmware_version")},
                      {"driver_name", text("driver_name")}, {"driver_version", text("driver_version")},
                      {"isolated", flag("isolated")}, {"firmware_watchdog", flag("firmware_watchdog")},
                      {"first_seen_us", i64(utcNowUs())}});
      audit(tx, by, QStringLiteral("device.registered"), QStringLiteral("device:%1").arg(id),
            QJsonObject::fromVariantMap(d));
    }
    if (sessionId) {
      tx.exec(QStringLiteral("INSERT INTO session_devices (session_id, device_id) VALUES (?, ?) ON CONFLICT DO NOTHING"),
              {*sessionId, id});
    }
    return id;
  });
}

std::future<qint64> ClinicalRecord::recordPowerCheck(Actor by, qint64 deviceId, double wavelengthNm, double nominalMw,
                                                     double measuredMw, QString meter, std::int64_t nextDueUs) {
  TAUTBAND_REQUIRE(Action::RecordPowerCheck, QStringLiteral("device:%1").arg(deviceId), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    if (nominalMw <= 0) throw StoreError("nominal power must be positive");
    const double deviation = (measuredMw - nominalMw) / nominalMw * 100.0;
    const bool passed = std::abs(deviation) <= 20.0;  // 21 CFR 1040.11(a): within +/-20 %
    const qint64 id = insertRow(tx, "laser_power_checks",
                                {{"device_id", deviceId}, {"wavelength_nm", wavelengthNm}, {"nominal_mw", nominalMw},
                                 {"measured_mw", measuredMw}, {"deviation_pct", deviation}, {"passed", passed ? 1 : 0},
                                 {"meter", meter}, {"checked_by", userIdOf(by)}, {"checked_us", i64(utcNowUs())},
                                 {"next_due_us", i64(nextDueUs)}});
    audit(tx, by, QStringLiteral("laser.power-check"), QStringLiteral("device:%1").arg(deviceId),
          {{"check", id}, {"nominal_mw", nominalMw}, {"measured_mw", measuredMw}, {"deviation_pct", deviation},
           {"passed", passed}});
    return id;
  });
}

std::future<qint64> ClinicalRecord::addEyewear(Actor by, QString label, QString manufacturer, double minNm,
                                               double maxNm, double opticalDensity, QString mode) {
  TAUTBAND_REQUIRE(Action::ChangeClinicSettings, QStringLiteral("eyewear"), qint64);
  return writer_.submit([=](WriteTransaction& tx) {
    const qint64 id = insertRow(tx, "eyewear",
                                {{"label", label}, {"manufacturer", manufacturer}, {"wavelength_min_nm", minNm},
                                 {"wavelength_max_nm", maxNm}, {"optical_density", opticalDensity}, {"mode", mode},
                                 {"recorded_by", userIdOf(by)}, {"recorded_us", i64(utcNowUs())}});
    audit(tx, by, QStringLiteral("eyewear.added"), QStringLiteral("eyewear:%1").arg(id),
          {{"label", label}, {"od", opticalDensity}, {"min_nm", minNm}, {"max_nm", maxNm}, {"mode", mode}});
    return id;
  });
}

std::future<void> ClinicalRecord::setClinicSetting(Actor by, QString key, QJsonValue value) {
  TAUTBAND_REQUIRE(Action::ChangeClinicSettings, QStringLiteral("setting:%1").arg(key), void);
  return writer_.submit([=](WriteTransaction& tx) {
    const QString json = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
    QSqlQuery old = tx.exec(QStringLiteral("SELECT value_json FROM clinic_settings WHERE key = ?"), {key});
    const QString previous = old.next() ? old.value(0).toString() : QString();
    tx.exec(QStringLiteral("INSERT INTO clinic_settings (key, value_json, changed_by, changed_us) VALUES (?,?,?,?) "
                           "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, changed_by = "
                           "excluded.changed_by, changed_us = excluded.changed_us"),
            {key, json, userIdOf(by), i64(utcNowUs())});
    audit(tx, by, QStringLiteral("setting.changed"), QStringLiteral("setting:%1").arg(key),
          {{"previous", previous}, {"value", json}});
  });
}

}  // namespace tautband::store
