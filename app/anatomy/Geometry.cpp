#include "anatomy/Geometry.h"

#include <algorithm>
#include <cmath>

namespace tautband::anatomy {
namespace {

constexpr double kEpsilon = 1e-12;

double cross(Point o, Point a, Point b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

bool onSegment(Point a, Point b, Point p) {
  return std::abs(cross(a, b, p)) <= kEpsilon && p.x >= std::min(a.x, b.x) - kEpsilon &&
         p.x <= std::max(a.x, b.x) + kEpsilon && p.y >= std::min(a.y, b.y) - kEpsilon &&
         p.y <= std::max(a.y, b.y) + kEpsilon;
}

int sign(double v) { return v > kEpsilon ? 1 : (v < -kEpsilon ? -1 : 0); }

bool segmentsIntersect(Point p1, Point p2, Point q1, Point q2) {
  const int d1 = sign(cross(q1, q2, p1));
  const int d2 = sign(cross(q1, q2, p2));
  const int d3 = sign(cross(p1, p2, q1));
  const int d4 = sign(cross(p1, p2, q2));
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2)) ||
         (d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2));
}

}  // namespace

bool containsPoint(const Polygon& polygon, Point p) {
  const std::size_t n = polygon.size();
  if (n < 3) return false;
  bool inside = false;
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const Point a = polygon[i];
    const Point b = polygon[j];
    if (onSegment(a, b, p)) return true;
    if ((a.y > p.y) != (b.y > p.y)) {
      const double xCross = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
      if (p.x < xCross) inside = !inside;
    }
  }
  return inside;
}

bool segmentTouchesPolygon(const Polygon& polygon, Point a, Point b) {
  if (containsPoint(polygon, a) || containsPoint(polygon, b)) return true;
  const std::size_t n = polygon.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    if (segmentsIntersect(a, b, polygon[j], polygon[i])) return true;
  }
  return false;
}

bool polygonsOverlap(const Polygon& a, const Polygon& b) {
  if (a.size() < 3 || b.size() < 3) return false;
  for (Point p : a)
    if (containsPoint(b, p)) return true;
  for (Point p : b)
    if (containsPoint(a, p)) return true;
  for (std::size_t i = 0, j = a.size() - 1; i < a.size(); j = i++) {
    if (segmentTouchesPolygon(b, a[j], a[i])) return true;
  }
  return false;
}

Point centroidOf(const Polygon& polygon) {
  Point c;
  if (polygon.empty()) return c;
  for (Point p : polygon) {
    c.x += p.x;
    c.y += p.y;
  }
  c.x /= static_cast<double>(polygon.size());
  c.y /= static_cast<double>(polygon.size());
  return c;
}

}  // namespace tautband::anatomy
