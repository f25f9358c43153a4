#pragma once

#include <vector>

namespace tautband::anatomy {

// A point in a view's normalised coordinates (x, y in [0, 1], y down).
struct Point {
  double x = 0.0;
  double y = 0.0;
  friend bool operator==(const Point&, const Point&) = default;
};

using Polygon = std::vector<Point>;

// Even-odd rule; points exactly on an edge count as inside (a tap on a zone's border
// must not slip out of the zone).
bool containsPoint(const Polygon& polygon, Point p);

// True when the segment a-b touches or crosses the polygon (either end inside, or an
// edge crossing). Used for e-stim current paths.
bool segmentTouchesPolygon(const Polygon& polygon, Point a, Point b);

// True when two polygons share any area or touch. Used when a site is given as a whole
// region (no point): every zone the region touches applies — the conservative reading.
bool polygonsOverlap(const Polygon& a, const Polygon& b);

// Vertex average; a region's anchor point for display.
Point centroidOf(const Polygon& polygon);

}  // namespace tautband::anatomy
