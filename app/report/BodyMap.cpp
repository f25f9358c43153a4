#include "report/BodyMap.h"

#include <QPainterPath>

#include <array>
#include <map>

namespace tautband::report {
namespace {

QString atlasId(QString id) { return id.replace(QLatin1Char('-'), QLatin1Char('_')); }

anatomy::Side sideOf(const QString& side) {
  if (side == QLatin1String("left")) return anatomy::Side::Left;
  if (side == QLatin1String("right")) return anatomy::Side::Right;
  return anatomy::Side::Midline;
}

// Risk-zone groups drawn on the map (limb/joint/whole-region zones are left out:
// they would cover everything and hide the zones that matter for needling).
struct ZoneStyle {
  const char* label;
  QColor colour;
};
const std::map<std::string, int>& zoneGroup() {
  static const std::map<std::string, int> groups{
      {"lung_field", 0},      {"heart", 0},          {"axilla", 0},
      {"kidney", 1},          {"abdomen", 1},        {"thyroid", 1},
      {"spinal_canal", 2},    {"suboccipital", 2},   {"lateral_neck", 3},
      {"anterior_neck", 3},   {"femoral_triangle", 3}, {"popliteal_fossa", 3},
      {"median_nerve", 3},    {"ulnar_nerve", 3},    {"sciatic_nerve", 3},
      {"scapular_foramina", 3}, {"eye", 4},          {"periorbital", 4}};
  return groups;
}
const std::array<ZoneStyle, 5> kZoneStyles{{{"Lung fields / heart", QColor(0x3b, 0x82, 0xc4)},
                                            {"Organs (kidney, abdomen, thyroid)", QColor(0xd9, 0x8a, 0x1e)},
                                            {"Spinal canal / vertebral artery", QColor(0x7b, 0x4f, 0xa8)},
                                            {"Nerves and vessels", QColor(0xc0, 0x39, 0x2b)},
                                            {"Eyes", QColor(0x2e, 0x8b, 0x57)}}};

QPainterPath pathOf(const anatomy::Polygon& polygon, const QRectF& view) {
  QPainterPath path;
  for (std::size_t i = 0; i < polygon.size(); ++i) {
    const QPointF p(view.left() + polygon[i].x * view.width(), view.top() + polygon[i].y * view.height());
    if (i == 0) path.moveTo(p);
    else path.lineTo(p);
  }
  path.closeSubpath();
  return path;
}

}  // namespace

SitePlacement placeSite(const anatomy::Atlas& atlas, const SiteInfo& site) {
  const std::string muscle = atlasId(site.muscle).toStdString();
  const anatomy::Side side = sideOf(site.side);
  std::vector<const anatomy::Region*> regions;
  for (const auto& r : atlas.regions()) {
    if (r.muscleId == muscle && (r.side == side || side == anatomy::Side::Midline)) regions.push_back(&r);
  }
  SitePlacement placed;
  const bool hasPoint = site.location.contains(QStringLiteral("x")) && site.location.contains(QStringLiteral("y"));
  std::optional<anatomy::View> view;
  if (auto v = anatomy::viewFromString(site.location.value(QStringLiteral("view")).toString().toStdString())) view = v;
  if (hasPoint) {
    placed.point = {site.location.value(QStringLiteral("x")).toDouble(), site.location.value(QStringLiteral("y")).toDouble()};
    placed.exact = true;
    if (!view) {
      for (const auto* r : regions) {
        if (anatomy::containsPoint(r->polygon, placed.point)) {
          view = r->view;
          break;
        }
      }
    }
    if (!view && !regions.empty()) view = regions.front()->view;
    placed.view = view.value_or(anatomy::View::Back);
    return placed;
  }
  for (const auto* r : regions) {
    if (!view || r->view == *view) {
      placed.view = r->view;
      placed.point = anatomy::centroidOf(r->polygon);
      return placed;
    }
  }
  placed.view = view.value_or(anatomy::View::Back);
  placed.point = {0.5, 0.5};
  return placed;
}

void drawBodyMap(QPainter& painter, const QRectF& rect, const anatomy::Atlas& atlas, const SessionRecord& record,
                 double upt) {
  painter.setRenderHint(QPainter::Antialiasing, true);
  const double labelH = 14 * upt;
  const double viewH = rect.height() - labelH;
  const double viewW = viewH * 0.5;  // atlas aspect: width:height = 1:2
  const double legendW = rect.width() - 2 * viewW - 24 * upt;
  const QRectF front(rect.left(), rect.top() + labelH, viewW, viewH);
  const QRectF back(rect.left() + viewW + 12 * upt, rect.top() + labelH, viewW, viewH);
  QFont label(QStringLiteral("DejaVu Sans"));
  label.setPointSizeF(7.5);
  label.setBold(true);
  painter.setFont(label);
  painter.setPen(QColor(0x55, 0x5b, 0x61));
  painter.drawText(QRectF(front.left(), rect.top(), viewW, labelH), Qt::AlignCenter, QStringLiteral("FRONT"));
  painter.drawText(QRectF(back.left(), rect.top(), viewW, labelH), Qt::AlignCenter, QStringLiteral("BACK"));
  label.setBold(false);
  label.setPointSizeF(6.5);
  painter.setFont(label);
  // Which side is which: the front view shows the patient's right on the left.
  painter.drawText(QRectF(front.left(), front.top(), viewW * 0.25, labelH), Qt::AlignLeft, QStringLiteral("R"));
  painter.drawText(QRectF(front.right() - viewW * 0.25, front.top(), viewW * 0.25, labelH), Qt::AlignRight, QStringLiteral("L"));
  painter.drawText(QRectF(back.left(), back.top(), viewW * 0.25, labelH), Qt::AlignLeft, QStringLiteral("L"));
  painter.drawText(QRectF(back.right() - viewW * 0.25, back.top(), viewW * 0.25, labelH), Qt::AlignRight, QStringLiteral("R"));

  for (const auto view : {anatomy::View::Front, anatomy::View::Back}) {
    const QRectF r = view == anatomy::View::Front ? front : back;
    painter.setPen(QPen(QColor(0x6b, 0x72, 0x79), 0.8 * upt));
    painter.setBrush(QColor(0xfb, 0xf7, 0xf2));
    painter.drawPath(pathOf(atlas.outline(view), r));
    for (const auto& z : atlas.zones()) {
      if (z.view != view) continue;
      auto g = zoneGroup().find(z.kind);
      if (g == zoneGroup().end()) continue;
      QColor c = kZoneStyles[static_cast<std::size_t>(g->second)].colour;
      QColor fill = c;
      fill.setAlphaF(0.22);
      painter.setPen(QPen(c, 0.4 * upt));
      painter.setBrush(fill);
      painter.drawPath(pathOf(z.polygon, r));
    }
  }

  // Numbered markers; markers at the same spot are fanned out so every number shows.
  std::map<std::pair<int, int>, int> crowd;
  QFont numberFont(QStringLiteral("DejaVu Sans"));
  numberFont.setPointSizeF(6.5);
  numberFont.setBold(true);
  painter.setFont(numberFont);
  const double radius = 5.5 * upt;
  for (const auto& site : record.sites) {
    const SitePlacement p = placeSite(atlas, site);
    const QRectF r = p.view == anatomy::View::Front ? front : back;
    QPointF c(r.left() + p.point.x * r.width(), r.top() + p.point.y * r.height());
    const auto key = std::make_pair(static_cast<int>(c.x() / (radius * 2)), static_cast<int>(c.y() / (radius * 2)));
    const int already = crowd[key]++;
    c += QPointF(already * radius * 1.6, already * radius * 0.9);
    const bool needled = !record.needlesAt(site.id).empty();
    painter.setPen(QPen(Qt::white, 0.8 * upt));
    painter.setBrush(needled ? QColor(0xa1, 0x26, 0x1b) : QColor(0x1f, 0x4e, 0x79));
    painter.drawEllipse(c, radius, radius);
    painter.setPen(Qt::white);
    painter.drawText(QRectF(c.x() - radius, c.y() - radius, 2 * radius, 2 * radius), Qt::AlignCenter,
                     QString::number(site.number));
  }

  // Legend.
  if (legendW > 60 * upt) {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(7);
    painter.setFont(f);
    double y = rect.top() + labelH;
    const double x = back.right() + 16 * upt;
    auto row = [&](const QColor& fill, const QColor& edge, bool circle, const QString& text) {
      painter.setPen(QPen(edge, 0.6 * upt));
      painter.setBrush(fill);
      if (circle) painter.drawEllipse(QPointF(x + 4 * upt, y + 4.5 * upt), 4 * upt, 4 * upt);
      else painter.drawRect(QRectF(x, y + 1 * upt, 8 * upt, 7 * upt));
      painter.setPen(QColor(0x22, 0x22, 0x22));
      painter.drawText(QRectF(x + 12 * upt, y, legendW - 12 * upt, 10 * upt), Qt::AlignLeft | Qt::AlignVCenter, text);
      y += 12 * upt;
    };
    row(QColor(0xa1, 0x26, 0x1b), Qt::white, true, QStringLiteral("Trigger point, needled"));
    row(QColor(0x1f, 0x4e, 0x79), Qt::white, true, QStringLiteral("Trigger point, laser/other only"));
    y += 4 * upt;
    for (const auto& s : kZoneStyles) {
      QColor fill = s.colour;
      fill.setAlphaF(0.22);
      row(fill, s.colour, false, QString::fromLatin1(s.label));
    }
    y += 6 * upt;
    painter.setPen(QColor(0x55, 0x5b, 0x61));
    painter.drawText(QRectF(x, y, legendW, 40 * upt), Qt::AlignLeft | Qt::TextWordWrap,
                     QStringLiteral("Atlas %1. Numbers match the treated-sites table.")
                         .arg(QString::fromStdString(atlas.atlasVersion())));
  }
}

}  // namespace tautband::report
