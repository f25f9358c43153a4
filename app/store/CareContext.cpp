#include "store/CareContext.h"

#include "store/AuditRecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace tautband::store {
namespace {

QVariant i64(std::int64_t v) { return QVariant::fromValue<qint64>(v); }

std::optional<double> optionalReal(const QVariant& v) {
  if (v.isNull()) return std::nullopt;
  return v.toDouble();
}

QJsonObject objectOf(const QString& json) { return QJsonDocument::fromJson(json.toUtf8()).object(); }

}  // namespace

std::vector<StoredCredential> readCredentials(WriteTransaction& tx, qint64 userId) {
  std::vector<StoredCredential> out;
  QSqlQuery q = tx.exec(QStringLiteral("SELECT kind, expires_on FROM credentials WHERE user_id = ? ORDER BY id"),
                        {i64(userId)});
  while (q.next())
    out.push_back({q.value(0).toString(), QDate::fromString(q.value(1).toString(), Qt::ISODate)});
  return out;
}

PatientContextRecord readPatientContext(WriteTransaction& tx, const Actor& by, qint64 patientId,
                                        std::int64_t sinceUtcUs) {
  PatientContextRecord r;
  r.patientId = patientId;
  QSqlQuery p = tx.exec(QStringLiteral("SELECT family_name, given_name, birth_date, sex, height_cm, weight_kg, "
                                       "guardian_name FROM patients WHERE id = ?"),
                        {i64(patientId)});
  if (!p.next()) throw StoreError("no patient " + std::to_string(patientId));
  r.label = QStringLiteral("%1, %2").arg(p.value(0).toString(), p.value(1).toString());
  r.birthDate = QDate::fromString(p.value(2).toString(), Qt::ISODate);
  r.sex = p.value(3).toString();
  r.heightCm = optionalReal(p.value(4));
  r.weightKg = optionalReal(p.value(5));
  r.guardianName = p.value(6).toString();

  QSqlQuery s = tx.exec(QStringLiteral("SELECT answers_json, form_version, recorded_us FROM screenings "
                                       "WHERE patient_id = ? ORDER BY recorded_us DESC, id DESC LIMIT 1"),
                        {i64(patientId)});
  if (s.next()) {
    r.screening = objectOf(s.value(0).toString());
    r.screeningFormVersion = s.value(1).toString();
    r.screeningUtcUs = s.value(2).toLongLong();
  }
  QSqlQuery c = tx.exec(QStringLiteral("SELECT scope, names_pneumothorax, given_by, recorded_us FROM consents "
                                       "WHERE patient_id = ? ORDER BY recorded_us DESC, id DESC"),
                        {i64(patientId)});
  while (c.next())
    r.consents.push_back({c.value(0).toString(), c.value(1).toInt() != 0, c.value(2).toString(), c.value(3).toLongLong()});

  QSqlQuery n = tx.exec(QStringLiteral("SELECT st.muscle, st.side, st.location_json, st.zone, n.length_mm, n.technique, "
                                       "n.direction, n.inserted_us FROM needles n "
                                       "JOIN sites st ON st.id = n.site_id JOIN sessions se ON se.id = n.session_id "
                                       "WHERE se.patient_id = ? AND n.inserted_us >= ? ORDER BY n.inserted_us"),
                        {i64(patientId), i64(sinceUtcUs)});
  while (n.next()) {
    StoredNeedle needle;
    needle.muscle = n.value(0).toString();
    needle.side = n.value(1).toString();
    needle.location = objectOf(n.value(2).toString());
    needle.zone = n.value(3).toString();
    needle.lengthMm = n.value(4).toDouble();
    needle.technique = n.value(5).toString();
    needle.direction = n.value(6).toString();
    needle.insertedUtcUs = n.value(7).toLongLong();
    r.recentNeedles.push_back(needle);
  }
  tx.audit(AuditEntryDraft{by.login, by.role, QStringLiteral("patient.read"), QStringLiteral("patient:%1").arg(patientId),
                           QJsonObject{{"purpose", QStringLiteral("safety-context")},
                                       {"screened", r.screening.has_value()},
                                       {"recent_needles", static_cast<qint64>(r.recentNeedles.size())}},
                           std::nullopt});
  return r;
}

LaserDeviceRecord readLaserDevice(WriteTransaction& tx, const QString& serial) {
  LaserDeviceRecord r;
  QSqlQuery d = tx.exec(QStringLiteral("SELECT id FROM devices WHERE kind = 'laser' AND serial = ? ORDER BY id DESC LIMIT 1"),
                        {serial});
  if (d.next()) r.deviceId = d.value(0).toLongLong();
  QSqlQuery pc = tx.exec(QStringLiteral("SELECT pc.wavelength_nm, pc.nominal_mw, pc.measured_mw, pc.passed, pc.checked_us, "
                                        "pc.next_due_us FROM laser_power_checks pc JOIN devices d ON d.id = pc.device_id "
                                        "WHERE d.kind = 'laser' AND d.serial = ? ORDER BY pc.checked_us DESC, pc.id DESC "
                                        "LIMIT 1"),
                         {serial});
  if (pc.next()) {
    r.lastPowerCheck = StoredPowerCheck{pc.value(0).toDouble(), pc.value(1).toDouble(), pc.value(2).toDouble(),
                                        pc.value(3).toInt() != 0,   pc.value(4).toLongLong(), pc.value(5).toLongLong()};
  }
  QSqlQuery e = tx.exec(QStringLiteral("SELECT label, wavelength_min_nm, wavelength_max_nm, optical_density, mode "
                                       "FROM eyewear WHERE active = 1 ORDER BY id"));
  while (e.next())
    r.eyewear.push_back({e.value(0).toString(), e.value(1).toDouble(), e.value(2).toDouble(), e.value(3).toDouble(),
                         e.value(4).toString()});
  QSqlQuery od = tx.exec(QStringLiteral("SELECT value_json FROM clinic_settings WHERE key = ?"),
                         {requiredOdSettingKey(serial)});
  if (od.next()) {
    // setClinicSetting stores the value wrapped in a one-element array.
    const QJsonObject byWavelength =
        QJsonDocument::fromJson(od.value(0).toString().toUtf8()).array().at(0).toObject();
    for (auto it = byWavelength.begin(); it != byWavelength.end(); ++it) {
      bool ok = false;
      const int nm = it.key().toInt(&ok);
      if (ok && it.value().isDouble() && it.value().toDouble() > 0) r.requiredOdByWavelength[nm] = it.value().toDouble();
    }
  }
  return r;
}

QString requiredOdSettingKey(const QString& serial) { return QStringLiteral("laser.required_od.") + serial; }

}  // namespace tautband::store
