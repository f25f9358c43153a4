#pragma once

#include "report/SessionRecord.h"

#include "anatomy/Atlas.h"

#include <QPainter>

namespace tautband::report {

// Where a treated site sits on the atlas: the view and the point (normalised).
struct SitePlacement {
  anatomy::View view = anatomy::View::Back;
  anatomy::Point point;
  bool exact = false;  // from the site's stored location, not a region's centre
};

// Places a site: its stored location ({x, y[, view]}) when present, in the view
// where the muscle's region on that side contains it; else the centre of the
// muscle's region; else the middle of the back view. Record ids may use '-'
// where the atlas uses '_' ("upper-trapezius" = "upper_trapezius").
SitePlacement placeSite(const anatomy::Atlas& atlas, const SiteInfo& site);

// Draws the front and back outlines side by side with the risk zones the
// needles and lasers respect, and every treated site as a numbered marker.
void drawBodyMap(QPainter& painter, const QRectF& rect, const anatomy::Atlas& atlas, const SessionRecord& record,
                 double unitsPerPt);

}  // namespace tautband::report
