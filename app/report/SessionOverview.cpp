#include "report/SessionOverview.h"

#include "report/SignalExport.h"

#include <algorithm>

namespace tautband::report {

std::vector<TimelineItem> sessionTimeline(const SessionRecord& r) {
  std::vector<TimelineItem> out;
  for (const TimedEvent& e : sessionEvents(r)) {
    const bool danger = e.kind == QLatin1String("adverse-event") || e.text.contains(QLatin1String("BROKEN"));
    out.push_back({e.clockUs, e.durationUs, e.kind, e.text, danger ? QStringLiteral("danger") : QStringLiteral("info")});
  }
  // Audit entries carry the session clock when the console stamped them; an
  // older entry without it is placed by its UTC time from the session start.
  auto clockOf = [&r](const AuditItem& a) {
    return a.clockUs ? *a.clockUs : std::max<std::int64_t>(0, a.utcUs - r.startedUs);
  };
  for (const AuditItem& a : r.acknowledgements) {
    out.push_back({clockOf(a), 0, QStringLiteral("ack"),
                   QStringLiteral("Warning acknowledged by %1: %2 — %3").arg(a.actor, a.rule(), a.reason()),
                   QStringLiteral("warning")});
  }
  for (const AuditItem& a : r.approvals) {
    out.push_back({clockOf(a), 0, QStringLiteral("approval"),
                   QStringLiteral("Supervisor %1 approved %2 for %3: %4")
                       .arg(a.actor, a.rule(), a.details.value(QStringLiteral("requester")).toString(), a.reason()),
                   QStringLiteral("warning")});
  }
  for (const AuditItem& a : r.refusals) {
    out.push_back({clockOf(a), 0, QStringLiteral("refusal"),
                   QStringLiteral("Refused (%1): %2 — %3").arg(a.action, a.rule(), a.reason()), QStringLiteral("danger")});
  }
  std::stable_sort(out.begin(), out.end(), [](const TimelineItem& a, const TimelineItem& b) { return a.clockUs < b.clockUs; });
  return out;
}

std::vector<SiteRow> siteRows(const SessionRecord& r) {
  std::vector<SiteRow> rows;
  for (const SiteInfo& s : r.sites) {
    SiteRow row;
    row.number = s.number;
    row.siteId = s.id;
    row.muscle = humanize(s.muscle);
    row.side = s.side;
    row.zone = s.zone;
    row.needles = static_cast<int>(r.needlesAt(s.id).size());
    row.ltrs = r.ltrCounts(s.id);
    for (const LaserDoseInfo& d : r.laserDoses) {
      if (d.siteId != s.id) continue;
      ++row.laserDoses;
      row.energyJ += d.energyJ;
      row.fluenceJcm2 += d.fluenceJcm2;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace tautband::report
