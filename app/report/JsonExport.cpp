#include "report/JsonExport.h"

#include "report/Format.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tautband::report {
namespace {

QJsonValue opt(const std::optional<double>& v) { return v ? QJsonValue(*v) : QJsonValue(); }
QJsonValue optId(const std::optional<qint64>& v) { return v ? QJsonValue(*v) : QJsonValue(); }
QJsonValue optBool(const std::optional<bool>& v) { return v ? QJsonValue(*v) : QJsonValue(); }
QJsonValue text(const QString& s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); }
double seconds(std::int64_t us) { return static_cast<double>(us) / 1e6; }
QJsonValue optSeconds(const std::optional<std::int64_t>& us) { return us ? QJsonValue(seconds(*us)) : QJsonValue(); }
QString utc(std::int64_t us) { return fmt::isoUtc(us); }

QJsonObject auditItem(const AuditItem& a) {
  return QJsonObject{{"sequence", static_cast<qint64>(a.sequence)},
                     {"utc", utc(a.utcUs)},
                     {"clock_s", optSeconds(a.clockUs)},
                     {"actor", a.actor},
                     {"role", a.role},
                     {"action", a.action},
                     {"subject", a.subject},
                     {"rule", text(a.rule())},
                     {"reason", a.reason()},
                     {"details", a.details}};
}

QString login(const SessionRecord& r, qint64 id) {
  auto it = r.users.find(id);
  return it == r.users.end() ? QStringLiteral("#%1").arg(id) : it->second.login;
}

}  // namespace

QJsonObject sessionToJson(const SessionRecord& r, std::int64_t exportedUs) {
  QJsonObject o;
  o["format"] = QStringLiteral("tautband-session-export");
  o["format_version"] = kSessionExportVersion;
  o["exported_utc"] = utc(exportedUs);
  o["console_id"] = r.consoleId;
  o["clinic"] = QJsonObject{{"name", text(r.clinic.name)}, {"address", text(r.clinic.address)}, {"phone", text(r.clinic.phone)}};
  o["session"] = QJsonObject{{"id", r.id},
                             {"state", r.state},
                             {"started_utc", utc(r.startedUs)},
                             {"ended_utc", r.endedUs ? QJsonValue(utc(*r.endedUs)) : QJsonValue()},
                             {"duration_s", seconds(r.durationClockUs)},
                             {"treatment_number", r.treatmentNumber ? QJsonValue(*r.treatmentNumber) : QJsonValue()},
                             {"research_mode", r.researchMode}};
  const PatientInfo& p = r.patient;
  o["patient"] = QJsonObject{{"id", p.id},
                             {"mrn", p.mrn},
                             {"family_name", p.familyName},
                             {"given_name", p.givenName},
                             {"birth_date", p.birthDate.isValid() ? QJsonValue(p.birthDate.toString(Qt::ISODate)) : QJsonValue()},
                             {"sex", text(p.sex)},
                             {"height_cm", opt(p.heightCm)},
                             {"weight_kg", opt(p.weightKg)},
                             {"bmi", opt(p.bmi())},
                             {"guardian_name", text(p.guardianName)},
                             {"notes", p.notes}};
  o["therapist"] = QJsonObject{{"id", r.therapist.id}, {"login", r.therapist.login}, {"display_name", r.therapist.displayName}};
  o["screening"] = r.screening ? QJsonValue(QJsonObject{{"form_version", r.screening->formVersion},
                                                         {"recorded_utc", utc(r.screening->recordedUs)},
                                                         {"recorded_by", login(r, r.screening->recordedBy)},
                                                         {"answers", r.screening->answers}})
                               : QJsonValue();
  QJsonArray consents;
  for (const auto& c : r.consents) {
    consents.append(QJsonObject{{"scope", c.scope}, {"text_version", c.textVersion},
                                {"names_pneumothorax", c.namesPneumothorax}, {"given_by", c.givenBy},
                                {"guardian_name", text(c.guardianName)}, {"recorded_utc", utc(c.recordedUs)},
                                {"recorded_by", login(r, c.recordedBy)}});
  }
  o["consents"] = consents;
  o["thorax_needled"] = r.thoraxNeedled();

  QJsonArray sites;
  for (const auto& s : r.sites) {
    const LtrCounts k = r.ltrCounts(s.id);
    sites.append(QJsonObject{{"id", s.id}, {"number", s.number}, {"muscle", s.muscle}, {"side", s.side},
                             {"zone", text(s.zone)}, {"location", s.location},
                             {"ltr_counts", QJsonObject{{"auto_confirmed", k.autoConfirmed}, {"manual", k.manual},
                                                        {"rejected", k.rejected}, {"pending", k.pending}}}});
  }
  o["sites"] = sites;
  QJsonArray needles;
  for (const auto& n : r.needles) {
    needles.append(QJsonObject{{"id", n.id}, {"site_id", n.siteId}, {"length_mm", n.lengthMm}, {"gauge_mm", n.gaugeMm},
                               {"lot", n.lot}, {"technique", n.technique}, {"direction", n.direction},
                               {"depth_mm", opt(n.depthMm)}, {"inserted_clock_s", seconds(n.insertedClockUs)},
                               {"removed_clock_s", optSeconds(n.removedClockUs)}, {"removed_intact", optBool(n.removedIntact)}});
  }
  o["needles"] = needles;
  QJsonArray ltrs;
  for (const auto& l : r.ltrs) {
    ltrs.append(QJsonObject{{"id", l.id}, {"site_id", optId(l.siteId)}, {"needle_id", optId(l.needleId)},
                            {"recording_id", optId(l.recordingId)}, {"clock_s", seconds(l.clockUs)},
                            {"source", l.source}, {"status", l.status}, {"amplitude_uv", opt(l.amplitudeUv)},
                            {"detector_version", text(l.detectorVersion)},
                            {"decided_by", l.decidedBy ? QJsonValue(login(r, *l.decidedBy)) : QJsonValue()}});
  }
  o["ltrs"] = ltrs;
  QJsonArray doses;
  for (const auto& d : r.laserDoses) {
    doses.append(QJsonObject{{"id", d.id}, {"site_id", d.siteId}, {"device_id", optId(d.deviceId)},
                             {"eyewear_id", optId(d.eyewearId)}, {"eyewear", text(d.eyewearLabel)},
                             {"wavelength_nm", d.wavelengthNm}, {"mode", d.mode},
                             {"pulse_frequency_hz", opt(d.pulseFrequencyHz)}, {"duty_cycle", opt(d.dutyCycle)},
                             {"measured_power_mw", d.measuredPowerMw}, {"time_s", d.timeS},
                             {"beam_area_cm2", d.beamAreaCm2}, {"energy_j", d.energyJ},
                             {"fluence_j_cm2", d.fluenceJcm2}, {"irradiance_mw_cm2", d.irradianceMwCm2},
                             {"points", d.points}, {"technique", d.technique}, {"treatment_number", d.treatmentNumber},
                             {"interval_days", opt(d.intervalDays)}, {"started_clock_s", seconds(d.startedClockUs)},
                             {"ended_clock_s", seconds(d.endedClockUs)}, {"stop_reason", d.stopReason},
                             {"recorded_by", login(r, d.recordedBy)}});
  }
  o["laser_doses"] = doses;
  QJsonArray estim;
  for (const auto& e : r.estim) {
    estim.append(QJsonObject{{"id", e.id}, {"needle_a_id", e.needleA}, {"needle_b_id", e.needleB},
                             {"waveform", e.waveform}, {"frequency_hz", e.frequencyHz},
                             {"pulse_width_us", e.pulseWidthUs}, {"current_ma", e.currentMa},
                             {"current_density_ma_cm2", e.currentDensityMaCm2}, {"duration_s", e.durationS},
                             {"started_clock_s", seconds(e.startedClockUs)}});
  }
  o["estim"] = estim;
  QJsonArray pain;
  for (const auto& s : r.pain) {
    pain.append(QJsonObject{{"site_id", optId(s.siteId)}, {"moment", s.moment}, {"nprs", s.nprs},
                            {"clock_s", seconds(s.clockUs)}});
  }
  o["pain"] = pain;
  QJsonArray adverse;
  for (const auto& a : r.adverseEvents) {
    adverse.append(QJsonObject{{"id", a.id}, {"kind", a.kind}, {"grade", a.grade}, {"description", a.description},
                               {"recorded_by", login(r, a.recordedBy)}, {"recorded_utc", utc(a.recordedUs)},
                               {"clock_s", optSeconds(a.clockUs)}});
  }
  o["adverse_events"] = adverse;
  QJsonArray notes;
  for (const auto& n : r.notes) {
    notes.append(QJsonObject{{"id", n.id}, {"author", login(r, n.authorId)}, {"body", n.body},
                             {"recorded_utc", utc(n.recordedUs)}});
  }
  o["notes"] = notes;
  o["sign_off"] = r.signOff ? QJsonValue(QJsonObject{{"user", login(r, r.signOff->userId)},
                                                      {"signed_utc", utc(r.signOff->signedUs)},
                                                      {"audit_sequence", static_cast<qint64>(r.signOff->auditSequence)},
                                                      {"note_hash", r.signOff->recordHashHex}})
                            : QJsonValue();
  QJsonArray addenda;
  for (const auto& a : r.addenda) {
    addenda.append(QJsonObject{{"id", a.id}, {"author", login(r, a.authorId)}, {"reason", a.reason}, {"body", a.body},
                               {"recorded_utc", utc(a.recordedUs)}});
  }
  o["addenda"] = addenda;
  QJsonArray devices;
  for (const auto& d : r.devices) {
    devices.append(QJsonObject{{"id", d.id}, {"kind", d.kind}, {"vendor", d.vendor}, {"model", d.model},
                               {"serial", d.serial}, {"firmware_version", d.firmwareVersion},
                               {"driver_name", d.driverName}, {"driver_version", d.driverVersion},
                               {"isolated", optBool(d.isolated)}, {"firmware_watchdog", optBool(d.firmwareWatchdog)}});
  }
  o["devices"] = devices;
  QJsonArray recordings;
  for (const auto& rec : r.recordings) {
    recordings.append(QJsonObject{{"id", rec.id}, {"site_id", optId(rec.siteId)}, {"device_id", optId(rec.deviceId)},
                                  {"path", rec.path}, {"hash_algorithm", rec.hashAlgorithm}, {"hash", rec.hashHex},
                                  {"sample_rate_hz", rec.sampleRateHz}, {"channels", rec.channels},
                                  {"research", rec.research}, {"started_clock_s", seconds(rec.startedClockUs)},
                                  {"ended_clock_s", optSeconds(rec.endedClockUs)}});
  }
  o["recordings"] = recordings;
  QJsonArray acks, approvals, refusals;
  for (const auto& a : r.acknowledgements) acks.append(auditItem(a));
  for (const auto& a : r.approvals) approvals.append(auditItem(a));
  for (const auto& a : r.refusals) refusals.append(auditItem(a));
  o["safety"] = QJsonObject{{"acknowledgements", acks}, {"approvals", approvals}, {"refusals", refusals}};
  o["audit_checkpoint"] = r.checkpoint ? QJsonValue(QJsonObject{{"console_id", r.checkpoint->consoleId},
                                                                 {"sequence", static_cast<qint64>(r.checkpoint->sequence)},
                                                                 {"utc", utc(r.checkpoint->utcUs)},
                                                                 {"head_hash", r.checkpoint->headHashHex},
                                                                 {"signature", r.checkpoint->signatureHex},
                                                                 {"reason", r.checkpoint->reason}})
                                       : QJsonValue();
  return o;
}

QByteArray sessionJsonBytes(const SessionRecord& record, std::int64_t exportedUs) {
  return QJsonDocument(sessionToJson(record, exportedUs)).toJson(QJsonDocument::Indented);
}

}  // namespace tautband::report
