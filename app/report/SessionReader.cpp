#include "report/SessionReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <set>

namespace tautband::report {
namespace {

using store::WriteTransaction;

QVariant i64(std::int64_t v) { return QVariant::fromValue<qint64>(v); }

std::optional<qint64> optId(const QVariant& v) {
  if (v.isNull()) return std::nullopt;
  return v.toLongLong();
}
std::optional<double> optReal(const QVariant& v) {
  if (v.isNull()) return std::nullopt;
  return v.toDouble();
}
std::optional<bool> optBool(const QVariant& v) {
  if (v.isNull()) return std::nullopt;
  return v.toLongLong() != 0;
}
QJsonObject parseObject(const QVariant& v) { return QJsonDocument::fromJson(v.toString().toUtf8()).object(); }

QString sessionSubject(qint64 id) { return QStringLiteral("session:%1").arg(id); }

// The session a supervisor decision names, if any: details.session /
// session_id, or the same inside details.context; a number or "session:<id>".
std::optional<qint64> decisionSessionId(const QJsonObject& details) {
  auto parse = [](const QJsonValue& v) -> std::optional<qint64> {
    if (v.isDouble() && v.toDouble() > 0) return static_cast<qint64>(v.toDouble());
    if (v.isString()) {
      QString s = v.toString();
      if (s.startsWith(QLatin1String("session:"))) s = s.mid(8);
      bool ok = false;
      const qint64 n = s.toLongLong(&ok);
      if (ok && n > 0) return n;
    }
    return std::nullopt;
  };
  const QJsonObject context = details.value(QStringLiteral("context")).toObject();
  for (const QJsonObject* o : {&details, &context}) {
    for (const char* key : {"session", "session_id"}) {
      if (auto n = parse(o->value(QLatin1String(key)))) return n;
    }
  }
  return std::nullopt;
}

// Reads in the same transaction as the audit entry that records the read.
SessionRecord readRecord(WriteTransaction& tx, qint64 id) {
  SessionRecord r;
  QSqlQuery q = tx.exec(QStringLiteral("SELECT id, patient_id, therapist_id, console_id, state, started_us, ended_us, "
                                       "last_clock_us, treatment_number, research_mode FROM sessions WHERE id = ?"),
                        {i64(id)});
  if (!q.next()) throw ReportError("no session " + std::to_string(id));
  r.id = q.value(0).toLongLong();
  const qint64 patientId = q.value(1).toLongLong();
  const qint64 therapistId = q.value(2).toLongLong();
  r.consoleId = q.value(3).toString();
  r.state = q.value(4).toString();
  r.startedUs = q.value(5).toLongLong();
  if (!q.value(6).isNull()) r.endedUs = q.value(6).toLongLong();
  r.durationClockUs = q.value(7).toLongLong();
  if (!q.value(8).isNull()) r.treatmentNumber = q.value(8).toInt();
  r.researchMode = q.value(9).toLongLong() != 0;

  q = tx.exec(QStringLiteral("SELECT session_clock_us, utc_us FROM session_events WHERE session_id = ? AND kind = 'end' "
                             "ORDER BY id DESC LIMIT 1"),
              {i64(id)});
  std::int64_t endUtc = r.endedUs.value_or(store::utcNowUs());
  if (q.next()) {
    r.durationClockUs = std::max<std::int64_t>(r.durationClockUs, q.value(0).toLongLong());
    endUtc = q.value(1).toLongLong();
  }

  q = tx.exec(QStringLiteral("SELECT key, value_json FROM clinic_settings WHERE key IN "
                             "('clinic.name','clinic.address','clinic.phone','report.paper')"));
  while (q.next()) {
    // Values are JSON; a bare string is stored as "\"text\"".
    // ClinicalRecord::setClinicSetting stores the value wrapped in a one-element array.
    const QJsonDocument doc = QJsonDocument::fromJson(q.value(1).toString().toUtf8());
    const QString value = doc.isArray() && !doc.array().isEmpty() ? doc.array().at(0).toString() : QString();
    const QString key = q.value(0).toString();
    if (key == QLatin1String("clinic.name")) r.clinic.name = value;
    else if (key == QLatin1String("clinic.address")) r.clinic.address = value;
    else if (key == QLatin1String("clinic.phone")) r.clinic.phone = value;
    else r.clinic.paper = value.toLower();
  }

  q = tx.exec(QStringLiteral("SELECT id, mrn, family_name, given_name, birth_date, sex, height_cm, weight_kg, "
                             "guardian_name, notes FROM patients WHERE id = ?"),
              {i64(patientId)});
  if (q.next()) {
    r.patient.id = q.value(0).toLongLong();
    r.patient.mrn = q.value(1).toString();
    r.patient.familyName = q.value(2).toString();
    r.patient.givenName = q.value(3).toString();
    r.patient.birthDate = QDate::fromString(q.value(4).toString(), Qt::ISODate);
    r.patient.sex = q.value(5).toString();
    r.patient.heightCm = optReal(q.value(6));
    r.patient.weightKg = optReal(q.value(7));
    r.patient.guardianName = q.value(8).toString();
    r.patient.notes = q.value(9).toString();
  }

  q = tx.exec(QStringLiteral("SELECT answers_json, form_version, recorded_us, recorded_by FROM screenings "
                             "WHERE patient_id = ? AND recorded_us <= ? ORDER BY recorded_us DESC, id DESC LIMIT 1"),
              {i64(patientId), i64(endUtc)});
  if (q.next()) {
    r.screening = ScreeningInfo{parseObject(q.value(0)), q.value(1).toString(), q.value(2).toLongLong(),
                                q.value(3).toLongLong()};
  }
  // Consents for this session, or standing consents given before it ended.
  q = tx.exec(QStringLiteral("SELECT scope, text_version, given_by, guardian_name, names_pneumothorax, recorded_us, "
                             "recorded_by FROM consents WHERE patient_id = ? AND (session_id = ? OR "
                             "(session_id IS NULL AND recorded_us <= ?)) ORDER BY recorded_us, id"),
              {i64(patientId), i64(id), i64(endUtc)});
  while (q.next()) {
    r.consents.push_back(ConsentInfo{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                                     q.value(3).toString(), q.value(4).toLongLong() != 0, q.value(5).toLongLong(),
                                     q.value(6).toLongLong()});
  }

  q = tx.exec(QStringLiteral("SELECT id, muscle, side, location_json, zone, created_us FROM sites WHERE session_id = ? "
                             "ORDER BY id"),
              {i64(id)});
  while (q.next()) {
    SiteInfo s;
    s.id = q.value(0).toLongLong();
    s.number = static_cast<int>(r.sites.size()) + 1;
    s.muscle = q.value(1).toString();
    s.side = q.value(2).toString();
    s.location = parseObject(q.value(3));
    s.zone = q.value(4).toString();
    s.createdUs = q.value(5).toLongLong();
    r.sites.push_back(std::move(s));
  }

  q = tx.exec(QStringLiteral("SELECT id, site_id, length_mm, gauge_mm, lot, technique, direction, depth_mm, "
                             "inserted_clock_us, removed_clock_us, removed_intact FROM needles WHERE session_id = ? "
                             "ORDER BY inserted_clock_us, id"),
              {i64(id)});
  while (q.next()) {
    NeedleInfo n;
    n.id = q.value(0).toLongLong();
    n.siteId = q.value(1).toLongLong();
    n.lengthMm = q.value(2).toDouble();
    n.gaugeMm = q.value(3).toDouble();
    n.lot = q.value(4).toString();
    n.technique = q.value(5).toString();
    n.direction = q.value(6).toString();
    n.depthMm = optReal(q.value(7));
    n.insertedClockUs = q.value(8).toLongLong();
    n.removedClockUs = optId(q.value(9));
    n.removedIntact = optBool(q.value(10));
    r.needles.push_back(std::move(n));
  }

  q = tx.exec(QStringLiteral("SELECT id, site_id, needle_id, recording_id, session_clock_us, source, status, "
                             "amplitude_uv, detector_version, decided_by FROM ltr_events WHERE session_id = ? "
                             "ORDER BY session_clock_us, id"),
              {i64(id)});
  while (q.next()) {
    LtrInfo l;
    l.id = q.value(0).toLongLong();
    l.siteId = optId(q.value(1));
    l.needleId = optId(q.value(2));
    l.recordingId = optId(q.value(3));
    l.clockUs = q.value(4).toLongLong();
    l.source = q.value(5).toString();
    l.status = q.value(6).toString();
    l.amplitudeUv = optReal(q.value(7));
    l.detectorVersion = q.value(8).toString();
    l.decidedBy = optId(q.value(9));
    r.ltrs.push_back(std::move(l));
  }

  q = tx.exec(QStringLiteral("SELECT d.id, d.site_id, d.device_id, d.eyewear_id, d.wavelength_nm, d.mode, "
                             "d.pulse_frequency_hz, d.duty_cycle, d.measured_power_mw, d.time_s, d.beam_area_cm2, "
                             "d.energy_j, d.fluence_j_cm2, d.irradiance_mw_cm2, d.points, d.technique, "
                             "d.treatment_number, d.interval_days, d.started_clock_us, d.ended_clock_us, "
                             "d.stop_reason, COALESCE(e.label, ''), d.recorded_by FROM laser_doses d "
                             "LEFT JOIN eyewear e ON e.id = d.eyewear_id WHERE d.session_id = ? "
                             "ORDER BY d.started_clock_us, d.id"),
              {i64(id)});
  while (q.next()) {
    LaserDoseInfo d;
    d.id = q.value(0).toLongLong();
    d.siteId = q.value(1).toLongLong();
    d.deviceId = optId(q.value(2));
    d.eyewearId = optId(q.value(3));
    d.wavelengthNm = q.value(4).toDouble();
    d.mode = q.value(5).toString();
    d.pulseFrequencyHz = optReal(q.value(6));
    d.dutyCycle = optReal(q.value(7));
    d.measuredPowerMw = q.value(8).toDouble();
    d.timeS = q.value(9).toDouble();
    d.beamAreaCm2 = q.value(10).toDouble();
    d.energyJ = q.value(11).toDouble();
    d.fluenceJcm2 = q.value(12).toDouble();
    d.irradianceMwCm2 = q.value(13).toDouble();
    d.points = q.value(14).toInt();
    d.technique = q.value(15).toString();
    d.treatmentNumber = q.value(16).toInt();
    d.intervalDays = optReal(q.value(17));
    d.startedClockUs = q.value(18).toLongLong();
    d.endedClockUs = q.value(19).toLongLong();
    d.stopReason = q.value(20).toString();
    d.eyewearLabel = q.value(21).toString();
    d.recordedBy = q.value(22).toLongLong();
    r.laserDoses.push_back(std::move(d));
  }

  q = tx.exec(QStringLiteral("SELECT id, needle_a_id, needle_b_id, waveform, frequency_hz, pulse_width_us, current_ma, "
                             "current_density_ma_cm2, duration_s, started_clock_us FROM estim WHERE session_id = ? "
                             "ORDER BY started_clock_us, id"),
              {i64(id)});
  while (q.next()) {
    r.estim.push_back(EStimInfo{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                                q.value(3).toString(), q.value(4).toDouble(), q.value(5).toDouble(),
                                q.value(6).toDouble(), q.value(7).toDouble(), q.value(8).toDouble(),
                                q.value(9).toLongLong()});
  }

  q = tx.exec(QStringLiteral("SELECT site_id, moment, nprs, session_clock_us FROM pain_scores WHERE session_id = ? "
                             "ORDER BY session_clock_us, id"),
              {i64(id)});
  while (q.next()) {
    r.pain.push_back(PainInfo{optId(q.value(0)), q.value(1).toString(), q.value(2).toInt(), q.value(3).toLongLong()});
  }

  q = tx.exec(QStringLiteral("SELECT id, kind, grade, description, recorded_by, recorded_us, session_clock_us "
                             "FROM adverse_events WHERE session_id = ? ORDER BY recorded_us, id"),
              {i64(id)});
  while (q.next()) {
    r.adverseEvents.push_back(AdverseEventInfo{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                                               q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toLongLong(),
                                               optId(q.value(6))});
  }

  q = tx.exec(QStringLiteral("SELECT id, author_id, body, recorded_us FROM notes WHERE session_id = ? ORDER BY id"),
              {i64(id)});
  while (q.next()) {
    r.notes.push_back(NoteInfo{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                               q.value(3).toLongLong()});
  }
  q = tx.exec(QStringLiteral("SELECT user_id, signed_us, audit_sequence, record_hash_hex FROM signoffs "
                             "WHERE session_id = ?"),
              {i64(id)});
  if (q.next()) {
    r.signOff = SignOffInfo{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                            q.value(3).toString()};
  }
  q = tx.exec(QStringLiteral("SELECT id, author_id, reason, body, recorded_us FROM addenda WHERE session_id = ? "
                             "ORDER BY id"),
              {i64(id)});
  while (q.next()) {
    r.addenda.push_back(AddendumInfo{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                                     q.value(3).toString(), q.value(4).toLongLong()});
  }

  // Devices: those attached to the session plus any a dose or recording names.
  q = tx.exec(QStringLiteral("SELECT id, kind, vendor, model, serial, firmware_version, driver_name, driver_version, "
                             "isolated, firmware_watchdog FROM devices WHERE id IN ("
                             " SELECT device_id FROM session_devices WHERE session_id = ?1"
                             " UNION SELECT device_id FROM laser_doses WHERE session_id = ?1 AND device_id IS NOT NULL"
                             " UNION SELECT device_id FROM emg_recordings WHERE session_id = ?1 AND device_id IS NOT NULL)"
                             " ORDER BY id")
                  .replace(QLatin1String("?1"), QString::number(id)));
  while (q.next()) {
    r.devices.push_back(DeviceInfo{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                                   q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                                   q.value(6).toString(), q.value(7).toString(), optBool(q.value(8)),
                                   optBool(q.value(9))});
  }
  q = tx.exec(QStringLiteral("SELECT id, site_id, device_id, path, hash_algorithm, hash_hex, sample_rate_hz, channels, "
                             "research, started_clock_us, ended_clock_us FROM emg_recordings WHERE session_id = ? "
                             "ORDER BY started_clock_us, id"),
              {i64(id)});
  while (q.next()) {
    r.recordings.push_back(RecordingInfo{q.value(0).toLongLong(), optId(q.value(1)), optId(q.value(2)),
                                         q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                                         q.value(6).toDouble(), q.value(7).toInt(), q.value(8).toLongLong() != 0,
                                         q.value(9).toLongLong(), optId(q.value(10))});
  }

  // Users named anywhere in the record.
  q = tx.exec(QStringLiteral("SELECT id, login, display_name, role FROM users"));
  while (q.next()) {
    UserInfo u{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()};
    r.users[u.id] = u;
  }
  if (auto it = r.users.find(therapistId); it != r.users.end()) r.therapist = it->second;
  else r.therapist.id = therapistId;

  // Safety decisions from the audit trail: entries about this session, plus
  // supervisor decisions (their subject is the rule) requested by this session's
  // therapist while it ran (start to end).
  q = tx.exec(QStringLiteral("SELECT sequence, utc_us, session_clock_us, actor, role, action, subject, details "
                             "FROM audit_entries WHERE console_id = ? AND ("
                             " subject = ? OR (action IN ('supervisor.approved','supervisor.refused') "
                             " AND utc_us BETWEEN ? AND ?)) ORDER BY sequence"),
              {r.consoleId, sessionSubject(id), i64(r.startedUs), i64(endUtc)});
  std::int64_t lastSequence = 0;
  while (q.next()) {
    AuditItem a;
    a.sequence = q.value(0).toLongLong();
    a.utcUs = q.value(1).toLongLong();
    if (!q.value(2).isNull()) a.clockUs = q.value(2).toLongLong();
    a.actor = q.value(3).toString();
    a.role = q.value(4).toString();
    a.action = q.value(5).toString();
    a.subject = q.value(6).toString();
    a.details = parseObject(q.value(7));
    if (a.action.startsWith(QLatin1String("supervisor."))) {
      // A decision that names its session belongs to that session only; older
      // entries without one are matched by requester and time window.
      if (const auto named = decisionSessionId(a.details)) {
        if (*named != id) continue;
      } else if (a.details.value(QStringLiteral("requester")).toString() != r.therapist.login) {
        continue;
      }
    }
    // Reads and exports of the record come after it was signed and are not part of it.
    const bool readOnly = a.action.endsWith(QLatin1String(".read")) || a.action.endsWith(QLatin1String(".exported")) ||
                          a.action.endsWith(QLatin1String(".list")) || a.action.endsWith(QLatin1String(".viewed"));
    if (!readOnly) lastSequence = std::max(lastSequence, a.sequence);
    if (a.action == QLatin1String("safety.acknowledged")) r.acknowledgements.push_back(std::move(a));
    else if (a.action == QLatin1String("supervisor.approved")) r.approvals.push_back(std::move(a));
    else if (a.action == QLatin1String("safety.refused") || a.action == QLatin1String("supervisor.refused") ||
             a.action == QLatin1String("access.denied")) {
      r.refusals.push_back(std::move(a));
    }
  }
  if (r.signOff) lastSequence = std::max(lastSequence, r.signOff->auditSequence);
  // The first checkpoint that covers the session's last entry (normally the
  // sign-off checkpoint); else the newest one there is.
  q = tx.exec(QStringLiteral("SELECT console_id, sequence, utc_us, head_hash, signature, reason FROM audit_checkpoints "
                             "WHERE console_id = ? AND sequence >= ? ORDER BY sequence LIMIT 1"),
              {r.consoleId, i64(lastSequence)});
  if (!q.next()) {
    q = tx.exec(QStringLiteral("SELECT console_id, sequence, utc_us, head_hash, signature, reason FROM "
                               "audit_checkpoints WHERE console_id = ? ORDER BY sequence DESC LIMIT 1"),
                {r.consoleId});
    if (!q.next()) return r;
  }
  r.checkpoint = CheckpointInfo{q.value(0).toString(),
                                q.value(1).toLongLong(),
                                q.value(2).toLongLong(),
                                QString::fromLatin1(q.value(3).toByteArray().toHex()),
                                QString::fromLatin1(q.value(4).toByteArray().toHex()),
                                q.value(5).toString()};
  return r;
}

}  // namespace

std::vector<SessionSummary> SessionReader::list(const store::Actor& by) {
  return writer_.run([by](WriteTransaction& tx) {
    std::vector<SessionSummary> out;
    QSqlQuery q = tx.exec(QStringLiteral(
        "SELECT s.id, s.state, s.started_us, s.last_clock_us, p.mrn, p.given_name || ' ' || p.family_name, u.login,"
        " (SELECT COUNT(*) FROM sites x WHERE x.session_id = s.id),"
        " (SELECT COUNT(*) FROM ltr_events x WHERE x.session_id = s.id),"
        " (SELECT COUNT(*) FROM laser_doses x WHERE x.session_id = s.id),"
        " (SELECT MAX(e.session_clock_us) FROM session_events e WHERE e.session_id = s.id AND e.kind = 'end')"
        " FROM sessions s JOIN patients p ON p.id = s.patient_id JOIN users u ON u.id = s.therapist_id"
        " ORDER BY s.started_us DESC, s.id DESC"));
    while (q.next()) {
      SessionSummary s;
      s.id = q.value(0).toLongLong();
      s.state = q.value(1).toString();
      s.startedUs = q.value(2).toLongLong();
      s.durationClockUs = std::max(q.value(3).toLongLong(), q.value(10).toLongLong());
      s.patientMrn = q.value(4).toString();
      s.patientName = q.value(5).toString();
      s.therapistLogin = q.value(6).toString();
      s.sites = q.value(7).toInt();
      s.ltrs = q.value(8).toInt();
      s.laserDoses = q.value(9).toInt();
      out.push_back(std::move(s));
    }
    tx.audit({by.login, by.role, QStringLiteral("session.list"), QStringLiteral("sessions"),
              QJsonObject{{"count", static_cast<qint64>(out.size())}}, std::nullopt});
    return out;
  });
}

qint64 SessionReader::latestId() {
  const qint64 id = writer_.run([](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT id FROM sessions ORDER BY started_us DESC, id DESC LIMIT 1"));
    return q.next() ? q.value(0).toLongLong() : qint64{0};
  });
  if (id == 0) throw ReportError("the database has no sessions");
  return id;
}

SessionRecord SessionReader::read(const store::Actor& by, qint64 sessionId, const QString& purpose) {
  return readAudited(by, sessionId, QStringLiteral("session.exported"), QJsonObject{{"purpose", purpose}});
}

SessionRecord SessionReader::view(const store::Actor& by, qint64 sessionId) {
  return readAudited(by, sessionId, QStringLiteral("session.viewed"), QJsonObject{{"purpose", QStringLiteral("summary")}});
}

SessionRecord SessionReader::readAudited(const store::Actor& by, qint64 sessionId, const QString& action,
                                         const QJsonObject& details) {
  try {
    return writer_.run([=](WriteTransaction& tx) {
      SessionRecord r = readRecord(tx, sessionId);
      QJsonObject d = details;
      d[QStringLiteral("patient")] = r.patient.id;
      tx.audit({by.login, by.role, action, sessionSubject(sessionId), d, std::nullopt});
      return r;
    });
  } catch (const ReportError&) {
    throw;
  } catch (const std::exception& e) {
    throw ReportError(std::string("cannot read session ") + std::to_string(sessionId) + ": " + e.what());
  }
}

}  // namespace tautband::report
