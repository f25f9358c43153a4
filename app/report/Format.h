#pragma once

#include <QDateTime>
#include <QString>

#include <cstdint>
#include <optional>

namespace tautband::report::fmt {

// Shared wording of numbers and times in every report, so the PDF, the
// handout and the exports never disagree.
inline QString utc(std::int64_t us) {
  return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}
inline QString isoUtc(std::int64_t us) {
  return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC).toString(Qt::ISODateWithMs);
}
inline QString date(std::int64_t us) {
  return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC).toString(QStringLiteral("d MMMM yyyy"));
}
// Session clock as m:ss (or h:mm:ss).
inline QString clock(std::int64_t us) {
  const std::int64_t s = us / 1'000'000;
  if (s >= 3600) {
    return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
  }
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
inline QString duration(std::int64_t us) {
  const std::int64_t min = (us + 30'000'000) / 60'000'000;
  return min >= 60 ? QStringLiteral("%1 h %2 min").arg(min / 60).arg(min % 60) : QStringLiteral("%1 min").arg(min);
}
inline QString num(double v, int decimals = 1) {
  QString s = QString::number(v, 'f', decimals);
  if (s.contains(QLatin1Char('.'))) {
    while (s.endsWith(QLatin1Char('0'))) s.chop(1);
    if (s.endsWith(QLatin1Char('.'))) s.chop(1);
  }
  return s;
}
inline QString opt(const std::optional<double>& v, const QString& unit, int decimals = 1) {
  return v ? num(*v, decimals) + unit : QStringLiteral("—");
}
inline QString yesNo(bool v) { return v ? QStringLiteral("yes") : QStringLiteral("no"); }

}  // namespace tautband::report::fmt
