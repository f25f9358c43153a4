#pragma once

#include "report/SessionRecord.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace tautband::report {

// What the console's Summary page shows at a glance, derived from the same
// SessionRecord every report renders (pure functions, no database).

// One mark on the session clock: the EDF+/CSV events (needles, LTRs, laser,
// e-stim, pain, adverse events) plus the safety decisions (acknowledgements,
// supervisor approvals, refusals) from the audit trail.
struct TimelineItem {
  std::int64_t clockUs = 0;
  std::int64_t durationUs = 0;
  QString kind;      // needle-in | needle-out | ltr | laser-on | laser-off | estim | pain | adverse-event | ack | approval | refusal
  QString text;      // plain words
  QString severity;  // info | warning | danger
};
std::vector<TimelineItem> sessionTimeline(const SessionRecord& record);

// One row of the per-site table.
struct SiteRow {
  int number = 0;
  qint64 siteId = 0;
  QString muscle, side, zone;  // humanized muscle; side/zone as stored
  int needles = 0;
  LtrCounts ltrs;
  int laserDoses = 0;
  double energyJ = 0;       // sum over the site's doses (as stored)
  double fluenceJcm2 = 0;   // sum over the site's doses (as stored)
};
std::vector<SiteRow> siteRows(const SessionRecord& record);

}  // namespace tautband::report
