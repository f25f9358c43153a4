#include "report/HandoutPdf.h"

#include "report/Format.h"
#include "report/PdfCanvas.h"

#include <QFile>
#include <QSet>
#include <QStringList>

#include <map>

namespace tautband::report {

QString handoutTemplate(const std::filesystem::path& dataDir, QString* source) {
  const QString clinic = QString::fromStdString((dataDir / "templates" / "handout.txt").string());
  for (const QString& path : {clinic, QStringLiteral(":/tautband/report/handout.txt")}) {
    if (dataDir.empty() && path == clinic) continue;
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) {
      if (source) *source = path;
      return QString::fromUtf8(f.readAll());
    }
  }
  throw std::runtime_error("the built-in handout template is missing");
}

QString stretchFor(const QString& muscleId) {
  static const std::map<QString, QString> stretches{
      {QStringLiteral("upper_trapezius"), QStringLiteral("Upper trapezius: sit tall, hold the seat with one hand and gently tilt your ear toward the other shoulder.")},
      {QStringLiteral("levator_scapulae"), QStringLiteral("Levator scapulae: turn your nose toward the opposite armpit and look down; a hand on the back of your head adds a light pull.")},
      {QStringLiteral("rhomboids"), QStringLiteral("Rhomboids: hug yourself, reach your hands around to your shoulder blades and round your upper back.")},
      {QStringLiteral("infraspinatus"), QStringLiteral("Infraspinatus: bring one arm across your chest and hold it there with the other arm.")},
      {QStringLiteral("supraspinatus"), QStringLiteral("Supraspinatus: put the back of your hand on your lower back and gently slide it up.")},
      {QStringLiteral("temporalis"), QStringLiteral("Temporalis: relax your jaw and open your mouth slowly as wide as is comfortable.")},
      {QStringLiteral("masseter"), QStringLiteral("Masseter: open your mouth slowly and gently massage the cheek muscle.")},
      {QStringLiteral("sternocleidomastoid"), QStringLiteral("Neck (front): tilt your head back slightly and turn it away from the treated side.")},
      {QStringLiteral("scalenes"), QStringLiteral("Scalenes: hold the seat with one hand and tilt your head away and slightly back.")},
      {QStringLiteral("suboccipitals"), QStringLiteral("Base of the skull: tuck your chin in gently, making a double chin.")},
      {QStringLiteral("quadratus_lumborum"), QStringLiteral("Low back (side): stand, reach one arm over your head and bend gently to the other side.")},
      {QStringLiteral("pectoralis_major"), QStringLiteral("Chest: stand in a doorway, forearms on the frame, and step forward.")},
      {QStringLiteral("pectoralis_minor"), QStringLiteral("Chest: stand in a doorway, forearms on the frame, and step forward.")},
      {QStringLiteral("latissimus_dorsi"), QStringLiteral("Side of the back: reach both arms up, hold one wrist and lean to the side.")},
      {QStringLiteral("gluteus_maximus"), QStringLiteral("Buttock: lying on your back, pull one knee toward the opposite shoulder.")},
      {QStringLiteral("gluteus_medius"), QStringLiteral("Hip (side): lying on your back, cross one leg over the other and let it drop.")},
      {QStringLiteral("piriformis"), QStringLiteral("Piriformis: lying on your back, ankle on the other knee, pull that thigh toward you.")},
      {QStringLiteral("hamstrings"), QStringLiteral("Back of the thigh: heel on a low step, leg straight, lean forward from the hips.")},
      {QStringLiteral("gastrocnemius_soleus"), QStringLiteral("Calf: hands on a wall, one leg back with the heel down, lean forward.")},
      {QStringLiteral("forearm_extensors"), QStringLiteral("Forearm (top): arm straight, gently bend the wrist down with the other hand.")},
      {QStringLiteral("forearm_flexors"), QStringLiteral("Forearm (palm side): arm straight, gently bend the wrist back with the other hand.")},
  };
  QString id = muscleId;
  id.replace(QLatin1Char('-'), QLatin1Char('_'));
  if (id == QLatin1String("rhomboid_major") || id == QLatin1String("rhomboid_minor")) id = QStringLiteral("rhomboids");
  auto it = stretches.find(id);
  return it != stretches.end() ? it->second
                               : QStringLiteral("%1: the gentle stretch your therapist showed you.").arg(humanize(muscleId));
}

namespace {

std::map<QString, QString> values(const SessionRecord& r) {
  QStringList muscles;
  for (const auto& s : r.sites) {
    const QString m = QStringLiteral("%1 (%2)").arg(humanize(s.muscle).toLower(), s.side);
    if (!muscles.contains(m)) muscles << m;
  }
  QStringList treatments;
  if (!r.needles.empty()) treatments << QStringLiteral("dry needling");
  if (!r.laserDoses.empty()) treatments << QStringLiteral("low-level laser");
  if (!r.estim.empty()) treatments << QStringLiteral("electrical stimulation through the needles");
  return {{QStringLiteral("patient_given_name"), r.patient.givenName},
          {QStringLiteral("patient_name"), r.patient.fullName()},
          {QStringLiteral("date"), fmt::date(r.startedUs)},
          {QStringLiteral("therapist"), r.therapist.displayName.isEmpty() ? r.therapist.login : r.therapist.displayName},
          {QStringLiteral("treated_muscles"), muscles.isEmpty() ? QStringLiteral("no muscles recorded") : muscles.join(QStringLiteral(", "))},
          {QStringLiteral("treatments"), treatments.isEmpty() ? QStringLiteral("manual therapy") : treatments.join(QStringLiteral(", "))},
          {QStringLiteral("clinic_name"), r.clinic.name.isEmpty() ? QStringLiteral("Your clinic") : r.clinic.name},
          {QStringLiteral("clinic_phone"), r.clinic.phone}};
}

// Substitutes placeholders in one pass, so a value containing "{{...}}" stays as typed.
QString substitute(const QString& line, const std::map<QString, QString>& vals) {
  QString out;
  int i = 0;
  while (i < line.size()) {
    const int open = line.indexOf(QLatin1String("{{"), i);
    if (open < 0) break;
    const int close = line.indexOf(QLatin1String("}}"), open + 2);
    if (close < 0) break;
    out += line.mid(i, open - i);
    auto it = vals.find(line.mid(open + 2, close - open - 2).trimmed());
    out += it != vals.end() ? it->second : line.mid(open, close - open + 2);
    i = close + 2;
  }
  return out + line.mid(i);
}

int render(const SessionRecord& r, const PdfOptions& o, const QString& templateText,
           const std::function<int(const PageFrame&, const std::function<void(PdfCanvas&)>&)>& out) {
  PdfStyle style;
  style.bodyPt = 14;
  PageFrame frame;
  frame.footerPt = 20;
  const QString footer = QStringLiteral("%1 · %2 · %3")
                             .arg(r.clinic.name.isEmpty() ? QStringLiteral("Tautband") : r.clinic.name, r.patient.fullName(),
                                  fmt::date(r.startedUs));
  frame.footer = [footer, style](QPainter& p, const QRectF& rect, int page, int pages) {
    QFont f(style.family);
    f.setPointSizeF(10);
    p.setFont(f);
    p.setPen(style.muted);
    p.drawText(rect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, footer);
    p.drawText(rect, Qt::AlignRight | Qt::AlignVCenter | Qt::TextSingleLine, QStringLiteral("Page %1 of %2").arg(page).arg(pages));
  };
  const auto vals = values(r);
  const bool thoracic = r.thoraxNeedled();
  QSet<QString> seen;
  QStringList stretchLines;
  for (const auto& s : r.sites) {
    const QString text = stretchFor(s.muscle);
    if (!seen.contains(text)) {
      seen.insert(text);
      stretchLines << text;
    }
  }
  (void)o;
  return out(frame, [&](PdfCanvas& c) {
    bool skipping = false;
    bool first = true;
    for (const QString& raw : templateText.split(QLatin1Char('\n'))) {
      const QString line = raw.trimmed();
      if (line == QLatin1String("{{#thoracic}}")) { skipping = !thoracic; continue; }
      if (line == QLatin1String("{{/thoracic}}")) { skipping = false; continue; }
      if (skipping || line.isEmpty()) continue;
      if (line == QLatin1String("{{stretch_list}}")) {
        for (const QString& s : stretchLines) c.paragraph(QStringLiteral("    • ") + s, 13, false, Qt::black, 18);
        continue;
      }
      const QString text = substitute(line, vals);
      if (line.startsWith(QLatin1String("# "))) {
        if (first) {
          c.paragraph(text.mid(2), 22, true, style.accent);
          c.space(4);
        } else {
          c.heading(text.mid(2), 1, 60);
        }
        first = false;
      } else if (line.startsWith(QLatin1String("- "))) {
        c.paragraph(QStringLiteral("•  ") + text.mid(2), 14, false, Qt::black, 0);
      } else if (line.startsWith(QLatin1String("! "))) {
        c.callout(text.mid(2), style.warning, QColor(0xfb, 0xec, 0xea), 15, true);
      } else {
        c.paragraph(text, 14);
      }
    }
  });
}

}  // namespace

int writeHandout(const SessionRecord& record, const PdfOptions& options, const QString& templateText, const QString& path) {
  return render(record, options, templateText, [&](const PageFrame& frame, const std::function<void(PdfCanvas&)>& build) {
    PdfStyle style;
    style.bodyPt = 14;
    return PdfCanvas::render(path, options.pageSize, QStringLiteral("After your treatment"), style, frame, build);
  });
}

int handoutBytes(const SessionRecord& record, const PdfOptions& options, const QString& templateText, QByteArray& out) {
  return render(record, options, templateText, [&](const PageFrame& frame, const std::function<void(PdfCanvas&)>& build) {
    PdfStyle style;
    style.bodyPt = 14;
    return PdfCanvas::renderToBytes(out, options.pageSize, QStringLiteral("After your treatment"), style, frame, build);
  });
}

}  // namespace tautband::report
