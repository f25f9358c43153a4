#include "report/SessionReportPdf.h"

#include "report/BodyMap.h"
#include "report/Format.h"
#include "report/PdfCanvas.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <stdexcept>

namespace tautband::report {

QPageSize pageSizeFor(const QString& requested, const QString& clinicDefault) {
  const QString choice = (requested.isEmpty() ? clinicDefault : requested).trimmed().toLower();
  if (choice.isEmpty() || choice == QLatin1String("a4")) return QPageSize(QPageSize::A4);
  if (choice == QLatin1String("letter")) return QPageSize(QPageSize::Letter);
  throw std::invalid_argument("paper must be a4 or letter, not '" + choice.toStdString() + "'");
}

namespace {

QString sideWord(const QString& side) { return side.isEmpty() ? QString() : humanize(side); }

QString siteLabel(const SessionRecord& r, qint64 siteId) {
  const SiteInfo* s = r.site(siteId);
  if (!s) return QStringLiteral("site #%1").arg(siteId);
  return QStringLiteral("%1. %2, %3").arg(s->number).arg(humanize(s->muscle), sideWord(s->side).toLower());
}

QString answerText(const QJsonValue& v) {
  if (v.isBool()) return v.toBool() ? QStringLiteral("Yes") : QStringLiteral("No");
  if (v.isDouble()) return fmt::num(v.toDouble(), 2);
  if (v.isString()) return v.toString();
  if (v.isNull() || v.isUndefined()) return QStringLiteral("—");
  return QString::fromUtf8(v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

PageFrame reportFrame(const SessionRecord& r, const PdfStyle& style, std::int64_t generatedUs, double dpi) {
  PageFrame frame;
  frame.headerPt = 18;
  frame.footerPt = 34;
  const QString who = QStringLiteral("%1 · MRN %2 · session %3 · %4")
                          .arg(r.patient.fullName(), r.patient.mrn)
                          .arg(r.id)
                          .arg(fmt::date(r.startedUs));
  frame.header = [who, style, dpi](QPainter& p, const QRectF& rect, int, int) {
    const double upt = dpi / 72.0;
    QFont f(style.family);
    f.setPointSizeF(7);
    p.setFont(f);
    p.setPen(style.muted);
    p.drawText(rect.adjusted(0, 0, 0, -4 * upt), Qt::AlignLeft | Qt::AlignTop | Qt::TextSingleLine,
               QStringLiteral("Treatment session note — ") + who);
    p.setPen(QPen(style.muted, 0.3 * upt));
    p.drawLine(QPointF(rect.left(), rect.top() + 11 * upt), QPointF(rect.right(), rect.top() + 11 * upt));
  };
  QString chain1, chain2;
  if (r.checkpoint) {
    chain1 = QStringLiteral("Audit checkpoint #%1 (%2) · console %3 · %4 · head BLAKE2b %5")
                 .arg(r.checkpoint->sequence)
                 .arg(r.checkpoint->reason, r.checkpoint->consoleId, fmt::utc(r.checkpoint->utcUs),
                      r.checkpoint->headHashHex);
    chain2 = QStringLiteral("Ed25519 signature %1").arg(r.checkpoint->signatureHex);
  } else {
    chain1 = QStringLiteral("No signed audit checkpoint covers this session yet.");
  }
  const QString printed = QStringLiteral("Printed %1").arg(fmt::utc(generatedUs));
  frame.footer = [=](QPainter& p, const QRectF& rect, int page, int pages) {
    const double upt = dpi / 72.0;
    p.setPen(QPen(style.muted, 0.3 * upt));
    p.drawLine(rect.topLeft(), rect.topRight());
    QFont mono(style.monoFamily);
    mono.setPointSizeF(5.2);
    p.setFont(mono);
    p.setPen(style.muted);
    const double line = 7 * upt;
    p.drawText(QRectF(rect.left(), rect.top() + 2 * upt, rect.width(), line), Qt::AlignLeft | Qt::TextSingleLine,
               chain1);
    p.drawText(QRectF(rect.left(), rect.top() + 2 * upt + line, rect.width(), line),
               Qt::AlignLeft | Qt::TextSingleLine, chain2);
    QFont f(style.family);
    f.setPointSizeF(7);
    p.setFont(f);
    const QRectF last(rect.left(), rect.top() + 3 * upt + 2 * line, rect.width(), 10 * upt);
    p.drawText(last, Qt::AlignLeft | Qt::TextSingleLine,
               QStringLiteral("Tautband · session %1 · %2").arg(r.id).arg(printed));
    f.setBold(true);
    p.setFont(f);
    p.drawText(last, Qt::AlignRight | Qt::TextSingleLine, QStringLiteral("Page %1 of %2").arg(page).arg(pages));
  };
  return frame;
}

void titleBlock(PdfCanvas& c, const SessionRecord& r) {
  const PdfStyle& s = c.style();
  const QString clinic = r.clinic.name.isEmpty() ? QStringLiteral("Tautband clinic") : r.clinic.name;
  QStringList contact;
  if (!r.clinic.address.isEmpty()) contact << r.clinic.address;
  if (!r.clinic.phone.isEmpty()) contact << r.clinic.phone;
  c.block(8, [&](QPainter& p, const QRectF& rect) {
    p.fillRect(QRectF(rect.left(), rect.top(), rect.width(), c.u(4)), s.accent);
  });
  c.paragraph(clinic, 15, true, s.accent);
  if (!contact.isEmpty()) c.paragraph(contact.join(QStringLiteral(" · ")), 8.5, false, s.muted);
  c.space(2);
  c.paragraph(QStringLiteral("Treatment session note — dry needling and low-level laser therapy"), 11, true);
  const QString status = r.signOff ? QStringLiteral("Signed")
                         : r.state == QLatin1String("ended") ? QStringLiteral("Ended, NOT SIGNED")
                                                              : QStringLiteral("In progress, NOT SIGNED");
  c.paragraph(QStringLiteral("Session %1 · %2 · status: %3%4")
                  .arg(r.id)
                  .arg(fmt::date(r.startedUs), status,
                       r.researchMode ? QStringLiteral(" · RESEARCH MODE") : QString()),
              8.5, false, r.signOff ? s.muted : s.warning);
  c.space(2);
}

void patientSection(PdfCanvas& c, const SessionRecord& r) {
  c.heading(QStringLiteral("Patient and session"));
  const PatientInfo& p = r.patient;
  QString born = p.birthDate.isValid() ? p.birthDate.toString(Qt::ISODate) : QStringLiteral("—");
  if (p.birthDate.isValid()) {
    const QDate on = QDateTime::fromMSecsSinceEpoch(r.startedUs / 1000, Qt::UTC).date();
    int age = on.year() - p.birthDate.year();
    if (on < p.birthDate.addYears(age)) --age;
    born += QStringLiteral(" (%1 y)").arg(age);
  }
  QString body = QStringLiteral("%1 cm · %2 kg").arg(fmt::opt(p.heightCm, QString(), 0), fmt::opt(p.weightKg, QString(), 1));
  if (auto bmi = p.bmi()) body += QStringLiteral(" · BMI %1").arg(fmt::num(*bmi, 1));
  QString end = r.endedUs ? fmt::utc(*r.endedUs) : QStringLiteral("not ended");
  QStringList devices;
  for (const auto& d : r.devices) {
    QString text = QStringLiteral("%1 %2 %3 (S/N %4, fw %5)").arg(humanize(d.kind), d.vendor, d.model, d.serial, d.firmwareVersion);
    if (d.isolated) text += *d.isolated ? QStringLiteral(", isolated") : QStringLiteral(", NOT isolated (research)");
    if (d.firmwareWatchdog) text += *d.firmwareWatchdog ? QStringLiteral(", firmware watchdog") : QStringLiteral(", no firmware watchdog");
    devices << text;
  }
  c.fields({{QStringLiteral("Patient"), p.fullName()},
            {QStringLiteral("MRN"), p.mrn},
            {QStringLiteral("Born"), born},
            {QStringLiteral("Sex"), p.sex.isEmpty() ? QStringLiteral("—") : p.sex},
            {QStringLiteral("Height / weight"), body},
            {QStringLiteral("Guardian"), p.guardianName.isEmpty() ? QStringLiteral("—") : p.guardianName},
            {QStringLiteral("Therapist"), QStringLiteral("%1 (%2)").arg(r.therapist.displayName, r.therapist.login)},
            {QStringLiteral("Treatment no."), r.treatmentNumber ? QString::number(*r.treatmentNumber) : QStringLiteral("—")},
            {QStringLiteral("Started"), fmt::utc(r.startedUs)},
            {QStringLiteral("Ended"), end},
            {QStringLiteral("Duration"), fmt::duration(r.durationClockUs)},
            {QStringLiteral("Session clock"), QStringLiteral("0:00 – %1 (times below)").arg(fmt::clock(r.durationClockUs))}});
  if (!devices.isEmpty()) c.fields({{QStringLiteral("Devices"), devices.join(QStringLiteral("\n"))}}, 1, 0, 0.174);
  if (!p.notes.isEmpty()) c.fields({{QStringLiteral("Patient notes"), p.notes}}, 1, 0, 0.174);
}

void screeningSection(PdfCanvas& c, const SessionRecord& r) {
  c.heading(QStringLiteral("Screening and consent"));
  if (r.screening) {
    std::vector<std::pair<QString, QString>> answers;
    for (auto it = r.screening->answers.begin(); it != r.screening->answers.end(); ++it) {
      answers.emplace_back(humanize(it.key()), answerText(it.value()));
    }
    c.paragraph(QStringLiteral("Contraindication screen (%1, recorded %2 by %3):")
                    .arg(r.screening->formVersion, fmt::utc(r.screening->recordedUs), r.userName(r.screening->recordedBy)),
                8.5, false, c.style().muted);
    c.fields(answers, 3, 8, 1.6);
  } else {
    c.callout(QStringLiteral("No contraindication screen is recorded for this patient."), c.style().warning,
              QColor(0xfb, 0xec, 0xea));
  }
  Table t;
  t.widths = {2.2, 1, 1.2, 1.2, 1.6};
  t.header = {QStringLiteral("Consent scope"), QStringLiteral("Text version"), QStringLiteral("Names pneumothorax"),
              QStringLiteral("Given by"), QStringLiteral("Recorded")};
  for (const auto& k : r.consents) {
    t.rows.push_back({Cell{humanize(k.scope)}, Cell{k.textVersion}, Cell{fmt::yesNo(k.namesPneumothorax)},
                      Cell{k.givenBy + (k.guardianName.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(k.guardianName))},
                      Cell{fmt::utc(k.recordedUs)}});
  }
  if (!t.rows.empty()) c.table(t);
  else c.paragraph(QStringLiteral("No consent recorded."), 0, true, c.style().warning);
  if (r.thoraxNeedled()) {
    if (r.hasPneumothoraxConsent()) {
      c.callout(QStringLiteral("The thorax was needled in this session. The consent on record names the risk of "
                               "pneumothorax; pneumothorax advice and observation apply."),
                c.style().accent, QColor(0xe9, 0xf1, 0xf8), 8.5);
    } else {
      c.callout(QStringLiteral("The thorax was needled, but no consent on record names pneumothorax."),
                c.style().warning, QColor(0xfb, 0xec, 0xea), 8.5, true);
    }
  }
}

void bodyMapSection(PdfCanvas& c, const SessionRecord& r, const anatomy::Atlas& atlas) {
  c.heading(QStringLiteral("Body map"), 1, 250);
  c.block(250, [&](QPainter& p, const QRectF& rect) { drawBodyMap(p, rect, atlas, r, c.u(1)); });
}

void sitesSection(PdfCanvas& c, const SessionRecord& r, Recordings* recordings) {
  c.heading(QStringLiteral("Treated sites, needling and twitch responses"));
  Table t;
  t.widths = {0.35, 1.6, 1.1, 2.6, 1.05, 1.05, 1.05, 0.9};
  t.header = {QStringLiteral("#"),           QStringLiteral("Muscle, side"),   QStringLiteral("Risk zone"),
              QStringLiteral("Needles"),     QStringLiteral("LTR auto confirmed"), QStringLiteral("LTR manual"),
              QStringLiteral("LTR rejected"), QStringLiteral("Pending")};
  for (const auto& s : r.sites) {
    QStringList needles;
    for (const NeedleInfo* n : r.needlesAt(s.id)) {
      QString out = n->removedClockUs ? QStringLiteral("out %1%2").arg(fmt::clock(*n->removedClockUs),
                                                                    n->removedIntact.value_or(true) ? QString()
                                                                                                    : QStringLiteral(" BROKEN"))
                                      : QStringLiteral("NOT REMOVED");
      needles << QStringLiteral("%1 × %2 mm, lot %3; %4, %5; depth %6; in %7, %8")
                     .arg(fmt::num(n->lengthMm), fmt::num(n->gaugeMm, 2), n->lot, n->technique, n->direction,
                          fmt::opt(n->depthMm, QStringLiteral(" mm")), fmt::clock(n->insertedClockUs), out);
    }
    const LtrCounts k = r.ltrCounts(s.id);
    t.rows.push_back({Cell{QString::number(s.number), true}, Cell{humanize(s.muscle) + QStringLiteral(", ") + s.side},
                      Cell{s.zone.isEmpty() ? QStringLiteral("—") : humanize(s.zone)},
                      Cell{needles.isEmpty() ? QStringLiteral("not needled") : needles.join(QStringLiteral("\n"))},
                      Cell{QString::number(k.autoConfirmed), false, Qt::black, Qt::AlignRight},
                      Cell{QString::number(k.manual), false, Qt::black, Qt::AlignRight},
                      Cell{QString::number(k.rejected), false, Qt::black, Qt::AlignRight},
                      Cell{QString::number(k.pending), false, Qt::black, Qt::AlignRight}});
  }
  const LtrCounts all = r.ltrCounts(std::nullopt);
  t.rows.push_back({Cell{}, Cell{QStringLiteral("All sites"), true}, Cell{}, Cell{QStringLiteral("%1 needle(s)").arg(r.needles.size())},
                    Cell{QString::number(all.autoConfirmed), true, Qt::black, Qt::AlignRight},
                    Cell{QString::number(all.manual), true, Qt::black, Qt::AlignRight},
                    Cell{QString::number(all.rejected), true, Qt::black, Qt::AlignRight},
                    Cell{QString::number(all.pending), true, Qt::black, Qt::AlignRight}});
  if (r.sites.empty()) c.paragraph(QStringLiteral("No sites recorded."));
  else c.table(t);

  if (r.ltrs.empty()) return;
  c.heading(QStringLiteral("Local twitch responses"), 2, 80);
  if (r.recordings.empty()) {
    c.paragraph(QStringLiteral("No EMG recording is stored for this session: trace thumbnails are not available."),
                8.5, false, c.style().muted);
  }
  Table l;
  l.widths = {0.6, 1.8, 0.7, 1.1, 0.9, 0.9, 1.3, 2.7};
  l.header = {QStringLiteral("Clock"),     QStringLiteral("Site"),     QStringLiteral("Source"),
              QStringLiteral("Decision"),  QStringLiteral("Peak"),     QStringLiteral("Decided by"),
              QStringLiteral("Detector"),  QStringLiteral("Trace, −50…+200 ms (confirmed only)")};
  l.fontPt = 7.5;
  for (const auto& e : r.ltrs) {
    Cell trace;
    const bool confirmed = e.status == QLatin1String("confirmed");
    std::int64_t start = 0;
    const emg::EmgRecording* rec = confirmed && recordings ? recordings->forLtr(r, e, &start) : nullptr;
    if (rec) {
      trace.drawingHeightPt = 22;
      const std::int64_t onset = e.clockUs;
      trace.drawing = [rec, start, onset, &c](QPainter& p, const QRectF& rect) {
        drawTraceThumbnail(p, rect, *rec, start, onset, c.u(1));
      };
    } else if (confirmed) {
      trace.text = r.recordings.empty() ? QStringLiteral("no recording") : QStringLiteral("not in a readable recording");
      trace.color = c.style().muted;
    }
    const QColor decisionColour = e.status == QLatin1String("rejected") ? c.style().muted : Qt::black;
    l.rows.push_back({Cell{fmt::clock(e.clockUs)}, Cell{e.siteId ? siteLabel(r, *e.siteId) : QStringLiteral("—")},
                      Cell{e.source}, Cell{e.status, confirmed, decisionColour},
                      Cell{fmt::opt(e.amplitudeUv, QStringLiteral(" µV"), 0)},
                      Cell{e.decidedBy ? r.users.count(*e.decidedBy) ? r.users.at(*e.decidedBy).login : r.userName(*e.decidedBy)
                                       : QStringLiteral("—")},
                      Cell{e.detectorVersion.isEmpty() ? QStringLiteral("—") : e.detectorVersion}, trace});
  }
  c.table(l);
}

void laserSection(PdfCanvas& c, const SessionRecord& r) {
  c.heading(QStringLiteral("Low-level laser doses"));
  if (r.laserDoses.empty()) {
    c.paragraph(QStringLiteral("No laser doses."));
    return;
  }
  Table t;
  t.fontPt = 7;
  t.widths = {0.8, 1.45, 1.05, 0.85, 0.6, 0.75, 0.75, 0.95, 1.05, 0.85, 0.8, 1.6};
  t.header = {QStringLiteral("Clock"),       QStringLiteral("Site"),        QStringLiteral("λ, mode"),
              QStringLiteral("Power (measured)"), QStringLiteral("Time"),   QStringLiteral("Beam area"),
              QStringLiteral("Energy"),       QStringLiteral("Fluence"),     QStringLiteral("Irradiance"),
              QStringLiteral("Points"),       QStringLiteral("Tx no., interval"), QStringLiteral("Stop; eyewear; device")};
  for (const auto& d : r.laserDoses) {
    QString mode = fmt::num(d.wavelengthNm, 0) + QStringLiteral(" nm ") + d.mode.toUpper();
    if (d.mode == QLatin1String("pulsed")) {
      mode += QStringLiteral(", %1 Hz, duty %2").arg(fmt::opt(d.pulseFrequencyHz, QString()),
                                                     d.dutyCycle ? fmt::num(*d.dutyCycle * 100, 1) + QLatin1Char('%') : QStringLiteral("—"));
    }
    QString device = QStringLiteral("device —");
    if (d.deviceId) {
      if (const DeviceInfo* dev = r.device(*d.deviceId)) device = QStringLiteral("S/N ") + dev->serial;
    }
    t.rows.push_back({Cell{fmt::clock(d.startedClockUs) + QStringLiteral("–") + fmt::clock(d.endedClockUs)},
                      Cell{siteLabel(r, d.siteId)}, Cell{mode}, Cell{fmt::num(d.measuredPowerMw) + QStringLiteral(" mW")},
                      Cell{fmt::num(d.timeS) + QStringLiteral(" s")}, Cell{fmt::num(d.beamAreaCm2, 3) + QStringLiteral(" cm²")},
                      Cell{fmt::num(d.energyJ, 2) + QStringLiteral(" J")}, Cell{fmt::num(d.fluenceJcm2, 2) + QStringLiteral(" J/cm²")},
                      Cell{fmt::num(d.irradianceMwCm2, 1) + QStringLiteral(" mW/cm²")},
                      Cell{QStringLiteral("%1 × %2").arg(d.points).arg(d.technique)},
                      Cell{QStringLiteral("#%1, %2").arg(d.treatmentNumber).arg(fmt::opt(d.intervalDays, QStringLiteral(" d")))},
                      Cell{QStringLiteral("%1; %2; %3").arg(d.stopReason, d.eyewearLabel.isEmpty() ? QStringLiteral("eyewear —") : d.eyewearLabel, device)}});
  }
  c.table(t);
  double energy = 0;
  for (const auto& d : r.laserDoses) energy += d.energyJ;
  c.paragraph(QStringLiteral("%1 dose(s), %2 J in total. Power is the measured output; energy, fluence and "
                             "irradiance are as recorded at the time of treatment.")
                  .arg(r.laserDoses.size())
                  .arg(fmt::num(energy, 2)),
              8, false, c.style().muted);
}

void estimAndPainSection(PdfCanvas& c, const SessionRecord& r) {
  c.heading(QStringLiteral("Electrical stimulation"), 1, 40);
  if (r.estim.empty()) {
    c.paragraph(QStringLiteral("No electrical stimulation."));
  } else {
    Table t;
    t.widths = {0.8, 1.2, 1.1, 0.9, 0.9, 0.9, 1.1, 0.8};
    t.header = {QStringLiteral("Start"),   QStringLiteral("Needles"),    QStringLiteral("Waveform"),
                QStringLiteral("Frequency"), QStringLiteral("Pulse width"), QStringLiteral("Current"),
                QStringLiteral("Current density"), QStringLiteral("Duration")};
    for (const auto& e : r.estim) {
      t.rows.push_back({Cell{fmt::clock(e.startedClockUs)}, Cell{QStringLiteral("#%1 ↔ #%2").arg(e.needleA).arg(e.needleB)},
                        Cell{e.waveform}, Cell{fmt::num(e.frequencyHz) + QStringLiteral(" Hz")},
                        Cell{fmt::num(e.pulseWidthUs, 0) + QStringLiteral(" µs")}, Cell{fmt::num(e.currentMa, 2) + QStringLiteral(" mA")},
                        Cell{fmt::num(e.currentDensityMaCm2, 2) + QStringLiteral(" mA/cm²")},
                        Cell{fmt::num(e.durationS, 0) + QStringLiteral(" s")}});
    }
    c.table(t);
  }
  c.heading(QStringLiteral("Pain (NPRS 0–10)"), 1, 40);
  if (r.pain.empty()) {
    c.paragraph(QStringLiteral("No pain scores recorded."));
    return;
  }
  const auto before = r.painScore(QStringLiteral("before")), after = r.painScore(QStringLiteral("after"));
  QString summary = QStringLiteral("Before %1 → after %2")
                        .arg(before ? QString::number(*before) : QStringLiteral("—"),
                             after ? QString::number(*after) : QStringLiteral("—"));
  if (before && after) summary += QStringLiteral(" (change %1%2)").arg(*after - *before > 0 ? QStringLiteral("+") : QString()).arg(*after - *before);
  c.paragraph(summary, 10.5, true);
  Table t;
  t.widths = {1, 1, 2, 1};
  t.header = {QStringLiteral("Time"), QStringLiteral("Moment"), QStringLiteral("Site"), QStringLiteral("NPRS")};
  for (const auto& p : r.pain) {
    t.rows.push_back({Cell{fmt::clock(p.clockUs)}, Cell{p.moment}, Cell{p.siteId ? siteLabel(r, *p.siteId) : QStringLiteral("whole session")},
                      Cell{QString::number(p.nprs)}});
  }
  c.table(t);
}

void adverseSection(PdfCanvas& c, const SessionRecord& r) {
  c.heading(QStringLiteral("Adverse events"), 1, 40);
  if (r.adverseEvents.empty()) {
    c.paragraph(QStringLiteral("None recorded."));
    return;
  }
  Table t;
  t.widths = {0.8, 1.2, 0.8, 4, 1.3};
  t.header = {QStringLiteral("Time"), QStringLiteral("Event"), QStringLiteral("Grade"), QStringLiteral("Description"),
              QStringLiteral("Recorded by")};
  for (const auto& a : r.adverseEvents) {
    const bool severe = a.grade != QLatin1String("mild");
    t.rows.push_back({Cell{a.clockUs ? fmt::clock(*a.clockUs) : fmt::utc(a.recordedUs)}, Cell{humanize(a.kind)},
                      Cell{a.grade, severe, severe ? c.style().warning : QColor(Qt::black)}, Cell{a.description},
                      Cell{r.userName(a.recordedBy)}});
  }
  c.table(t);
}

void safetySection(PdfCanvas& c, const SessionRecord& r) {
  c.heading(QStringLiteral("Safety decisions (from the audit trail)"));
  auto when = [](const AuditItem& a) { return a.clockUs ? fmt::clock(*a.clockUs) : fmt::utc(a.utcUs); };
  c.heading(QStringLiteral("Warnings acknowledged"), 2, 40);
  if (r.acknowledgements.empty()) {
    c.paragraph(QStringLiteral("None."));
  } else {
    Table t;
    t.widths = {0.7, 0.6, 1.6, 1.2, 4};
    t.header = {QStringLiteral("Time"), QStringLiteral("Entry"), QStringLiteral("Rule"), QStringLiteral("By"), QStringLiteral("Reason")};
    for (const auto& a : r.acknowledgements) {
      t.rows.push_back({Cell{when(a)}, Cell{QStringLiteral("#%1").arg(a.sequence)}, Cell{a.rule()}, Cell{a.actor}, Cell{a.reason()}});
    }
    c.table(t);
  }
  c.heading(QStringLiteral("Supervisor approvals"), 2, 40);
  if (r.approvals.empty()) {
    c.paragraph(QStringLiteral("None."));
  } else {
    Table t;
    t.widths = {0.7, 0.6, 1.6, 1.1, 1.1, 3.4};
    t.header = {QStringLiteral("Time"), QStringLiteral("Entry"), QStringLiteral("Rule"), QStringLiteral("Requested by"),
                QStringLiteral("Approved by"), QStringLiteral("Reason")};
    for (const auto& a : r.approvals) {
      t.rows.push_back({Cell{when(a)}, Cell{QStringLiteral("#%1").arg(a.sequence)}, Cell{a.rule()},
                        Cell{a.details.value(QStringLiteral("requester")).toString()},
                        Cell{a.actor + QStringLiteral(" (") + a.details.value(QStringLiteral("supervisor_role")).toString(a.role) + QStringLiteral(")")},
                        Cell{a.reason()}});
    }
    c.table(t);
  }
  c.heading(QStringLiteral("Refusals"), 2, 40);
  if (r.refusals.empty()) {
    c.paragraph(QStringLiteral("None."));
  } else {
    Table t;
    t.widths = {0.7, 0.6, 1.6, 1.2, 4};
    t.header = {QStringLiteral("Time"), QStringLiteral("Entry"), QStringLiteral("Rule / action"), QStringLiteral("By"),
                QStringLiteral("Inputs / reason")};
    for (const auto& a : r.refusals) {
      const QString rule = a.rule().isEmpty() ? a.action : a.rule();
      t.rows.push_back({Cell{when(a)}, Cell{QStringLiteral("#%1").arg(a.sequence)}, Cell{rule, true, c.style().warning},
                        Cell{a.actor}, Cell{a.reason()}});
    }
    c.table(t);
  }
}

void noteSection(PdfCanvas& c, const SessionRecord& r) {
  c.heading(QStringLiteral("Clinical note"), 1, 40);
  if (r.notes.empty()) c.paragraph(QStringLiteral("No note."));
  for (const auto& n : r.notes) {
    c.paragraph(QStringLiteral("%1 · %2").arg(r.userName(n.authorId), fmt::utc(n.recordedUs)), 7.5, false, c.style().muted);
    c.paragraph(n.body);
  }
  c.heading(QStringLiteral("Sign-off"), 1, 50);
  if (r.signOff) {
    c.fields({{QStringLiteral("Signed by"), r.userName(r.signOff->userId)},
              {QStringLiteral("Signed at"), fmt::utc(r.signOff->signedUs)},
              {QStringLiteral("Audit entry"), QStringLiteral("#%1").arg(r.signOff->auditSequence)},
              {QStringLiteral("Note hash"), r.signOff->recordHashHex}},
             1, 0, 0.174);
  } else {
    c.callout(QStringLiteral("This note is NOT signed. It is a draft and not part of the legal record."),
              c.style().warning, QColor(0xfb, 0xec, 0xea), 0, true);
  }
  if (!r.addenda.empty()) {
    c.heading(QStringLiteral("Addenda (later changes)"), 2, 40);
    for (const auto& a : r.addenda) {
      c.paragraph(QStringLiteral("Addendum %1 · %2 · %3").arg(a.id).arg(r.userName(a.authorId), fmt::utc(a.recordedUs)),
                  7.5, false, c.style().muted);
      c.paragraph(QStringLiteral("Reason: ") + a.reason, 0, true);
      c.paragraph(a.body);
    }
  }
}

int render(const SessionRecord& r, const PdfOptions& o, const std::function<int(const PageFrame&, const std::function<void(PdfCanvas&)>&)>& out) {
  const anatomy::Atlas& atlas = o.atlas ? *o.atlas : anatomy::Atlas::builtin();
  PdfStyle style;
  const std::int64_t generated = o.generatedUs ? o.generatedUs : QDateTime::currentMSecsSinceEpoch() * 1000;
  const PageFrame frame = reportFrame(r, style, generated, 600);
  return out(frame, [&](PdfCanvas& c) {
    titleBlock(c, r);
    patientSection(c, r);
    screeningSection(c, r);
    bodyMapSection(c, r, atlas);
    sitesSection(c, r, o.recordings);
    laserSection(c, r);
    estimAndPainSection(c, r);
    adverseSection(c, r);
    safetySection(c, r);
    noteSection(c, r);
  });
}

QString titleOf(const SessionRecord& r) {
  return QStringLiteral("Session %1 — %2 (%3)").arg(r.id).arg(r.patient.fullName(), r.patient.mrn);
}

}  // namespace

int writeSessionReport(const SessionRecord& record, const PdfOptions& options, const QString& path) {
  return render(record, options, [&](const PageFrame& frame, const std::function<void(PdfCanvas&)>& build) {
    return PdfCanvas::render(path, options.pageSize, titleOf(record), PdfStyle{}, frame, build);
  });
}

int sessionReportBytes(const SessionRecord& record, const PdfOptions& options, QByteArray& out) {
  return render(record, options, [&](const PageFrame& frame, const std::function<void(PdfCanvas&)>& build) {
    return PdfCanvas::renderToBytes(out, options.pageSize, titleOf(record), PdfStyle{}, frame, build);
  });
}

}  // namespace tautband::report
