#include "report/SessionRecord.h"

#include <QJsonDocument>
#include <QStringList>

#include <algorithm>

namespace tautband::report {

QString AuditItem::rule() const {
  const QString r = details.value(QStringLiteral("rule")).toString();
  if (!r.isEmpty()) return r;
  return subject.startsWith(QLatin1String("rule:")) ? subject.mid(5) : QString();
}

QString AuditItem::reason() const {
  for (const char* key : {"reason", "refusal", "message", "why"}) {
    const QString v = details.value(QLatin1String(key)).toString();
    if (!v.isEmpty()) {
      // A refused supervisor request keeps both the requester's reason and the refusal.
      if (QLatin1String(key) == QLatin1String("reason") && details.contains(QStringLiteral("refusal"))) {
        return v + QStringLiteral(" — refused: ") + details.value(QStringLiteral("refusal")).toString();
      }
      return v;
    }
  }
  // Refusals carry the inputs that made the rule fire: show them.
  QStringList parts;
  for (auto it = details.begin(); it != details.end(); ++it) {
    if (it.key() == QLatin1String("rule") || it.key() == QLatin1String("level")) continue;
    const QJsonValue v = it.value();
    QString text = v.isString() ? v.toString()
                   : v.isBool() ? (v.toBool() ? QStringLiteral("yes") : QStringLiteral("no"))
                   : v.isDouble() ? QString::number(v.toDouble(), 'g', 6)
                                  : QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    parts << humanize(it.key()) + QStringLiteral(": ") + text;
  }
  return parts.join(QStringLiteral("; "));
}

const SiteInfo* SessionRecord::site(qint64 siteId) const {
  for (const auto& s : sites) if (s.id == siteId) return &s;
  return nullptr;
}

const DeviceInfo* SessionRecord::device(qint64 deviceId) const {
  for (const auto& d : devices) if (d.id == deviceId) return &d;
  return nullptr;
}

QString SessionRecord::userName(qint64 userId) const {
  auto it = users.find(userId);
  if (it == users.end()) return QStringLiteral("#%1").arg(userId);
  return it->second.displayName.isEmpty() ? it->second.login : it->second.displayName;
}

LtrCounts SessionRecord::ltrCounts(std::optional<qint64> siteId) const {
  LtrCounts c;
  for (const auto& l : ltrs) {
    if (siteId && l.siteId != siteId) continue;
    if (l.status == QLatin1String("rejected")) ++c.rejected;
    else if (l.status == QLatin1String("pending")) ++c.pending;
    else if (l.source == QLatin1String("manual")) ++c.manual;
    else ++c.autoConfirmed;
  }
  return c;
}

std::vector<const NeedleInfo*> SessionRecord::needlesAt(qint64 siteId) const {
  std::vector<const NeedleInfo*> out;
  for (const auto& n : needles) if (n.siteId == siteId) out.push_back(&n);
  return out;
}

std::vector<const LtrInfo*> SessionRecord::ltrsAt(qint64 siteId) const {
  std::vector<const LtrInfo*> out;
  for (const auto& l : ltrs) if (l.siteId == siteId) out.push_back(&l);
  return out;
}

std::optional<int> SessionRecord::painScore(const QString& moment) const {
  std::optional<int> score;
  for (const auto& p : pain) {
    if (p.moment == moment && !p.siteId) score = p.nprs;  // the last recorded one counts
  }
  return score;
}

namespace {
bool isThoracic(const SiteInfo& s) {
  const QString zone = QString(s.zone).replace(QLatin1Char('-'), QLatin1Char('_'));
  if (zone == QLatin1String("lung_field") || zone.startsWith(QLatin1String("thorax")) ||
      zone == QLatin1String("anterior_chest") || zone == QLatin1String("axilla") || zone == QLatin1String("breast")) {
    return true;
  }
  const QString m = QString(s.muscle).replace(QLatin1Char('-'), QLatin1Char('_'));
  static const QStringList chestWall{QStringLiteral("rhomboids"), QStringLiteral("rhomboid_major"),
                                     QStringLiteral("rhomboid_minor"), QStringLiteral("serratus_anterior"),
                                     QStringLiteral("pectoralis_major"), QStringLiteral("pectoralis_minor"),
                                     QStringLiteral("intercostals"), QStringLiteral("erector_spinae_thoracic")};
  return chestWall.contains(m);
}
}  // namespace

bool SessionRecord::thoraxNeedled() const {
  return std::any_of(needles.begin(), needles.end(), [this](const NeedleInfo& n) {
    const SiteInfo* s = site(n.siteId);
    return s && isThoracic(*s);
  });
}

bool SessionRecord::hasPneumothoraxConsent() const {
  return std::any_of(consents.begin(), consents.end(), [](const ConsentInfo& c) { return c.namesPneumothorax; });
}

QString humanize(const QString& id) {
  QString s = id;
  s.replace(QLatin1Char('_'), QLatin1Char(' ')).replace(QLatin1Char('-'), QLatin1Char(' '));
  if (!s.isEmpty()) s[0] = s[0].toUpper();
  return s;
}

}  // namespace tautband::report
