#include "report/FhirExport.h"

#include "report/Format.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

namespace tautband::report {
namespace {

const QString kSystem = QStringLiteral("https://tautband.example/fhir");
const QUuid kNamespace = QUuid(QStringLiteral("{6f1c7c1e-9a52-4c8e-9b0a-7461757462d1}"));

QString instant(std::int64_t us) { return fmt::isoUtc(us); }

QJsonObject coding(const QString& system, const QString& code, const QString& display) {
  return QJsonObject{{"system", system}, {"code", code}, {"display", display}};
}
QJsonObject codeable(const QString& system, const QString& code, const QString& display, const QString& text = {}) {
  return QJsonObject{{"coding", QJsonArray{coding(system, code, display)}}, {"text", text.isEmpty() ? display : text}};
}
QJsonObject textConcept(const QString& text) { return QJsonObject{{"text", text}}; }
QJsonObject ref(const QString& fullUrl, const QString& display = {}) {
  QJsonObject r{{"reference", fullUrl}};
  if (!display.isEmpty()) r["display"] = display;
  return r;
}

class BundleBuilder {
 public:
  BundleBuilder(const SessionRecord& r) : r_(r) {}
  QString url(const QString& key) const {
    return QStringLiteral("urn:uuid:") +
           QUuid::createUuidV5(kNamespace, QStringLiteral("%1/session/%2/%3").arg(r_.consoleId).arg(r_.id).arg(key))
               .toString(QUuid::WithoutBraces);
  }
  void add(const QString& key, QJsonObject resource) {
    const QString fullUrl = url(key);
    resource["id"] = fullUrl.mid(9);
    entries_.append(QJsonObject{{"fullUrl", fullUrl}, {"resource", resource}});
    targets_.append(ref(fullUrl));
  }
  QJsonArray entries_;
  QJsonArray targets_;

 private:
  const SessionRecord& r_;
};

QString fhirGender(const QString& sex) {
  const QString s = sex.trimmed().toLower();
  if (s == QLatin1String("m") || s == QLatin1String("male")) return QStringLiteral("male");
  if (s == QLatin1String("f") || s == QLatin1String("female")) return QStringLiteral("female");
  if (s == QLatin1String("other") || s == QLatin1String("x")) return QStringLiteral("other");
  return QStringLiteral("unknown");
}

QJsonObject bodySite(const SiteInfo& s) {
  QJsonObject site = codeable(kSystem + QStringLiteral("/CodeSystem/atlas-muscle"),
                             QString(s.muscle).replace(QLatin1Char('-'), QLatin1Char('_')), humanize(s.muscle),
                             QStringLiteral("%1, %2 (trigger point %3)").arg(humanize(s.muscle), s.side).arg(s.number));
  return site;
}

}  // namespace

QJsonObject sessionToFhir(const SessionRecord& r, std::int64_t exportedUs) {
  BundleBuilder b(r);
  const QString patientUrl = b.url(QStringLiteral("patient"));
  const QString therapistUrl = b.url(QStringLiteral("practitioner/%1").arg(r.therapist.id));
  const QString encounterUrl = b.url(QStringLiteral("encounter"));
  const QString patientName = r.patient.fullName();
  const QString therapistName = r.therapist.displayName.isEmpty() ? r.therapist.login : r.therapist.displayName;

  // Patient.
  QJsonObject patient{{"resourceType", "Patient"},
                      {"identifier", QJsonArray{QJsonObject{{"system", kSystem + QStringLiteral("/mrn")}, {"value", r.patient.mrn}}}},
                      {"name", QJsonArray{QJsonObject{{"use", "official"},
                                                      {"family", r.patient.familyName},
                                                      {"given", QJsonArray{r.patient.givenName}},
                                                      {"text", patientName}}}},
                      {"gender", fhirGender(r.patient.sex)}};
  if (r.patient.birthDate.isValid()) patient["birthDate"] = r.patient.birthDate.toString(Qt::ISODate);
  if (!r.patient.guardianName.isEmpty()) {
    patient["contact"] = QJsonArray{QJsonObject{{"relationship", QJsonArray{codeable(
                                                    QStringLiteral("http://terminology.hl7.org/CodeSystem/v2-0131"),
                                                    QStringLiteral("N"), QStringLiteral("Next-of-Kin"), QStringLiteral("Guardian"))}},
                                                {"name", QJsonObject{{"text", r.patient.guardianName}}}}};
  }
  b.add(QStringLiteral("patient"), patient);

  // Practitioners: the therapist, plus every supervisor who approved something.
  b.add(QStringLiteral("practitioner/%1").arg(r.therapist.id),
        QJsonObject{{"resourceType", "Practitioner"},
                    {"identifier", QJsonArray{QJsonObject{{"system", kSystem + QStringLiteral("/login")}, {"value", r.therapist.login}}}},
                    {"name", QJsonArray{QJsonObject{{"text", therapistName}}}}});

  // Devices.
  for (const auto& d : r.devices) {
    QJsonObject device{{"resourceType", "Device"},
                       {"identifier", QJsonArray{QJsonObject{{"system", kSystem + QStringLiteral("/device-serial")}, {"value", d.serial}}}},
                       {"status", "active"},
                       {"manufacturer", d.vendor},
                       {"serialNumber", d.serial},
                       {"deviceName", QJsonArray{QJsonObject{{"name", d.model}, {"type", "model-name"}}}},
                       {"type", textConcept(d.kind == QLatin1String("laser")       ? QStringLiteral("Low-level therapeutic laser")
                                            : d.kind == QLatin1String("amplifier") ? QStringLiteral("Needle EMG amplifier")
                                                                                   : humanize(d.kind))}};
    QJsonArray versions;
    if (!d.firmwareVersion.isEmpty()) versions.append(QJsonObject{{"type", textConcept(QStringLiteral("firmware"))}, {"value", d.firmwareVersion}});
    if (!d.driverVersion.isEmpty()) {
      versions.append(QJsonObject{{"type", textConcept(QStringLiteral("driver ") + d.driverName)}, {"value", d.driverVersion}});
    }
    if (!versions.isEmpty()) device["version"] = versions;
    QJsonArray props;
    if (d.isolated) props.append(QJsonObject{{"type", textConcept(QStringLiteral("isolated applied part (IEC 60601-1 BF/CF)"))},
                                             {"valueCode", QJsonArray{textConcept(*d.isolated ? QStringLiteral("yes") : QStringLiteral("no"))}}});
    if (d.firmwareWatchdog) props.append(QJsonObject{{"type", textConcept(QStringLiteral("firmware emission watchdog"))},
                                                     {"valueCode", QJsonArray{textConcept(*d.firmwareWatchdog ? QStringLiteral("yes") : QStringLiteral("no"))}}});
    if (!props.isEmpty()) device["property"] = props;
    b.add(QStringLiteral("device/%1").arg(d.id), device);
  }

  // Encounter.
  QJsonObject period{{"start", instant(r.startedUs)}};
  if (r.endedUs) period["end"] = instant(*r.endedUs);
  const bool finished = r.state == QLatin1String("ended") || r.state == QLatin1String("signed");
  b.add(QStringLiteral("encounter"),
        QJsonObject{{"resourceType", "Encounter"},
                    {"identifier", QJsonArray{QJsonObject{{"system", kSystem + QStringLiteral("/session/") + r.consoleId},
                                                          {"value", QString::number(r.id)}}}},
                    {"status", finished ? "finished" : "in-progress"},
                    {"class", coding(QStringLiteral("http://terminology.hl7.org/CodeSystem/v3-ActCode"), QStringLiteral("AMB"),
                                     QStringLiteral("ambulatory"))},
                    {"type", QJsonArray{textConcept(QStringLiteral("Myofascial trigger point treatment (dry needling, low-level laser)"))}},
                    {"subject", ref(patientUrl, patientName)},
                    {"participant", QJsonArray{QJsonObject{{"individual", ref(therapistUrl, therapistName)}}}},
                    {"period", period},
                    {"length", QJsonObject{{"value", static_cast<double>(r.durationClockUs) / 60e6},
                                           {"unit", "min"},
                                           {"system", "http://unitsofmeasure.org"},
                                           {"code", "min"}}}});

  auto clockInstant = [&](std::int64_t clockUs) { return instant(r.startedUs + clockUs); };

  // Procedures: one per needle (dry needling), one per laser dose.
  for (const auto& n : r.needles) {
    const SiteInfo* s = r.site(n.siteId);
    QJsonObject performed{{"start", clockInstant(n.insertedClockUs)}};
    if (n.removedClockUs) performed["end"] = clockInstant(*n.removedClockUs);
    QJsonObject p{{"resourceType", "Procedure"},
                  {"status", "completed"},
                  {"code", codeable(kSystem + QStringLiteral("/CodeSystem/procedure"), QStringLiteral("dry-needling"),
                                   QStringLiteral("Dry needling of myofascial trigger point"))},
                  {"subject", ref(patientUrl)},
                  {"encounter", ref(encounterUrl)},
                  {"performedPeriod", performed},
                  {"performer", QJsonArray{QJsonObject{{"actor", ref(therapistUrl, therapistName)}}}},
                  {"note", QJsonArray{QJsonObject{{"text", QStringLiteral("Needle %1 x %2 mm, lot %3; technique %4; direction %5; depth %6; removed %7.")
                                                              .arg(fmt::num(n.lengthMm), fmt::num(n.gaugeMm, 2), n.lot, n.technique, n.direction,
                                                                   fmt::opt(n.depthMm, QStringLiteral(" mm")),
                                                                   !n.removedClockUs ? QStringLiteral("no")
                                                                   : n.removedIntact.value_or(true) ? QStringLiteral("intact")
                                                                                                    : QStringLiteral("BROKEN"))}}}}};
    if (s) p["bodySite"] = QJsonArray{bodySite(*s)};
    b.add(QStringLiteral("needle/%1").arg(n.id), p);
  }
  for (const auto& d : r.laserDoses) {
    const SiteInfo* s = r.site(d.siteId);
    QString params = QStringLiteral("%1 nm %2").arg(fmt::num(d.wavelengthNm, 0), d.mode);
    if (d.mode == QLatin1String("pulsed")) {
      params += QStringLiteral(" %1 Hz duty %2").arg(fmt::opt(d.pulseFrequencyHz, QString()), fmt::opt(d.dutyCycle, QString(), 3));
    }
    params += QStringLiteral("; measured power %1 mW; time %2 s; beam area %3 cm2; energy %4 J; fluence %5 J/cm2; "
                             "irradiance %6 mW/cm2; points %7; technique %8; treatment %9; interval %10; stop %11.")
                  .arg(fmt::num(d.measuredPowerMw), fmt::num(d.timeS), fmt::num(d.beamAreaCm2, 3), fmt::num(d.energyJ, 3),
                       fmt::num(d.fluenceJcm2, 3), fmt::num(d.irradianceMwCm2, 2), QString::number(d.points), d.technique,
                       QString::number(d.treatmentNumber))
                  .arg(fmt::opt(d.intervalDays, QStringLiteral(" d")), d.stopReason);
    QJsonObject p{{"resourceType", "Procedure"},
                  {"status", "completed"},
                  {"code", codeable(kSystem + QStringLiteral("/CodeSystem/procedure"), QStringLiteral("laser-therapy"),
                                   QStringLiteral("Low-level laser therapy"))},
                  {"subject", ref(patientUrl)},
                  {"encounter", ref(encounterUrl)},
                  {"performedPeriod", QJsonObject{{"start", clockInstant(d.startedClockUs)}, {"end", clockInstant(d.endedClockUs)}}},
                  {"performer", QJsonArray{QJsonObject{{"actor", ref(therapistUrl, therapistName)}}}},
                  {"note", QJsonArray{QJsonObject{{"text", params}}}}};
    if (s) p["bodySite"] = QJsonArray{bodySite(*s)};
    if (d.deviceId && r.device(*d.deviceId)) {
      p["focalDevice"] = QJsonArray{QJsonObject{{"action", textConcept(QStringLiteral("used"))},
                                                {"manipulated", ref(b.url(QStringLiteral("device/%1").arg(*d.deviceId)))}}};
    }
    b.add(QStringLiteral("laser/%1").arg(d.id), p);
  }

  // Observations: pain (LOINC 72514-3, NPRS 0-10) and LTR counts per site.
  int painIndex = 0;
  for (const auto& s : r.pain) {
    QJsonObject o{{"resourceType", "Observation"},
                  {"status", "final"},
                  {"category", QJsonArray{codeable(QStringLiteral("http://terminology.hl7.org/CodeSystem/observation-category"),
                                                  QStringLiteral("survey"), QStringLiteral("Survey"))}},
                  {"code", codeable(QStringLiteral("http://loinc.org"), QStringLiteral("72514-3"),
                                   QStringLiteral("Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
                                   QStringLiteral("Pain NPRS (%1)").arg(s.moment))},
                  {"subject", ref(patientUrl)},
                  {"encounter", ref(encounterUrl)},
                  {"effectiveDateTime", clockInstant(s.clockUs)},
                  {"valueInteger", s.nprs}};
    if (s.siteId) {
      if (const SiteInfo* site = r.site(*s.siteId)) o["bodySite"] = bodySite(*site);
    }
    b.add(QStringLiteral("pain/%1").arg(painIndex++), o);
  }
  for (const auto& s : r.sites) {
    const LtrCounts k = r.ltrCounts(s.id);
    auto component = [&](const QString& code, const QString& text, int value) {
      return QJsonObject{{"code", codeable(kSystem + QStringLiteral("/CodeSystem/ltr"), code, text)},
                         {"valueInteger", value}};
    };
    b.add(QStringLiteral("ltr-count/%1").arg(s.id),
          QJsonObject{{"resourceType", "Observation"},
                      {"status", "final"},
                      {"category", QJsonArray{codeable(QStringLiteral("http://terminology.hl7.org/CodeSystem/observation-category"),
                                                      QStringLiteral("procedure"), QStringLiteral("Procedure"))}},
                      {"code", codeable(kSystem + QStringLiteral("/CodeSystem/ltr"), QStringLiteral("ltr-count"),
                                       QStringLiteral("Local twitch responses counted (auto confirmed + manual)"))},
                      {"subject", ref(patientUrl)},
                      {"encounter", ref(encounterUrl)},
                      {"effectiveDateTime", instant(s.createdUs)},
                      {"bodySite", bodySite(s)},
                      {"valueInteger", k.autoConfirmed + k.manual},
                      {"component", QJsonArray{component(QStringLiteral("auto-confirmed"), QStringLiteral("Detected and confirmed"), k.autoConfirmed),
                                               component(QStringLiteral("manual"), QStringLiteral("Added by hand"), k.manual),
                                               component(QStringLiteral("rejected"), QStringLiteral("Detected and rejected"), k.rejected),
                                               component(QStringLiteral("pending"), QStringLiteral("Not decided"), k.pending)}}});
  }

  // Adverse events.
  for (const auto& a : r.adverseEvents) {
    QJsonObject e{{"resourceType", "AdverseEvent"},
                  {"actuality", "actual"},
                  {"category", QJsonArray{codeable(QStringLiteral("http://terminology.hl7.org/CodeSystem/adverse-event-category"),
                                                  QStringLiteral("procedure-mishap"), QStringLiteral("Procedure Mishap"))}},
                  {"event", textConcept(humanize(a.kind) + QStringLiteral(": ") + a.description)},
                  {"subject", ref(patientUrl)},
                  {"encounter", ref(encounterUrl)},
                  {"date", a.clockUs ? clockInstant(*a.clockUs) : instant(a.recordedUs)},
                  {"recordedDate", instant(a.recordedUs)},
                  {"severity", codeable(QStringLiteral("http://terminology.hl7.org/CodeSystem/adverse-event-severity"),
                                       a.grade, humanize(a.grade))}};
    if (a.recordedBy == r.therapist.id) e["recorder"] = ref(therapistUrl);
    b.add(QStringLiteral("adverse/%1").arg(a.id), e);
  }

  // Provenance: who made it, and the signed audit checkpoint that covers it.
  QJsonObject provenance{{"resourceType", "Provenance"},
                         {"target", b.targets_},
                         {"recorded", instant(r.signOff ? r.signOff->signedUs : exportedUs)},
                         {"activity", codeable(QStringLiteral("http://terminology.hl7.org/CodeSystem/v3-DataOperation"),
                                              QStringLiteral("CREATE"), QStringLiteral("create"))},
                         {"agent", QJsonArray{QJsonObject{{"type", codeable(QStringLiteral("http://terminology.hl7.org/CodeSystem/provenance-participant-type"),
                                                                           QStringLiteral("author"), QStringLiteral("Author"))},
                                                          {"who", ref(therapistUrl, therapistName)}}}}};
  if (r.checkpoint) {
    provenance["policy"] = QJsonArray{QStringLiteral("https://tautband.example/docs/AUDIT.md")};
    provenance["signature"] = QJsonArray{QJsonObject{
        {"type", QJsonArray{coding(QStringLiteral("urn:iso-astm:E1762-95:2013"), QStringLiteral("1.2.840.10065.1.12.1.14"),
                                   QStringLiteral("Source Signature"))}},
        {"when", instant(r.checkpoint->utcUs)},
        {"who", QJsonObject{{"display", QStringLiteral("Tautband console %1").arg(r.checkpoint->consoleId)}}},
        {"sigFormat", "application/octet-stream"},
        {"data", QString::fromLatin1(QByteArray::fromHex(r.checkpoint->signatureHex.toLatin1()).toBase64())}}};
    provenance["reason"] = QJsonArray{textConcept(QStringLiteral("Ed25519 checkpoint #%1 over audit chain head %2 (docs/AUDIT.md)")
                                                      .arg(r.checkpoint->sequence)
                                                      .arg(r.checkpoint->headHashHex))};
  }
  b.add(QStringLiteral("provenance"), provenance);

  return QJsonObject{{"resourceType", "Bundle"},
                     {"id", b.url(QStringLiteral("bundle")).mid(9)},
                     {"type", "collection"},
                     {"timestamp", instant(exportedUs)},
                     {"entry", b.entries_}};
}

QByteArray sessionFhirBytes(const SessionRecord& record, std::int64_t exportedUs) {
  return QJsonDocument(sessionToFhir(record, exportedUs)).toJson(QJsonDocument::Indented);
}

}  // namespace tautband::report
