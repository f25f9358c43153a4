#include "ui/BodyMapModel.h"

#include <QVariantMap>

namespace tautband::ui {

namespace {
QVariantList pointsOf(const anatomy::Polygon& polygon) {
  QVariantList points;
  points.reserve(static_cast<qsizetype>(polygon.size() + 1));
  for (const auto& p : polygon) points << QPointF(p.x, p.y);
  if (!polygon.empty()) points << QPointF(polygon.front().x, polygon.front().y);  // closed
  return points;
}
anatomy::View viewOf(const QString& view) { return view == QLatin1String("back") ? anatomy::View::Back : anatomy::View::Front; }
QString str(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
}  // namespace

QVariantList BodyMapModel::outline(const QString& view) const { return pointsOf(atlas_.outline(viewOf(view))); }

QVariantList BodyMapModel::regions(const QString& view) const {
  QVariantList out;
  for (const auto& r : atlas_.regions()) {
    if (r.view != viewOf(view)) continue;
    const auto* m = atlas_.muscleOf(r);
    out << QVariantMap{{"id", QString::fromStdString(r.id)},
                       {"name", m ? QString::fromStdString(m->name) : QString::fromStdString(r.muscleId)},
                       {"side", str(anatomy::toString(r.side))},
                       {"points", pointsOf(r.polygon)}};
  }
  return out;
}

QVariantList BodyMapModel::zones(const QString& view) const {
  QVariantList out;
  for (const auto& z : atlas_.zones()) {
    if (z.view != viewOf(view)) continue;
    out << QVariantMap{{"id", QString::fromStdString(z.id)},
                       {"kind", QString::fromStdString(z.kind)},
                       {"structure", QString::fromStdString(z.structure)},
                       {"side", str(anatomy::toString(z.side))},
                       {"points", pointsOf(z.polygon)}};
  }
  return out;
}

QVariantList BodyMapModel::referralAreas(const QString& regionId, const QString& view) const {
  QVariantList out;
  const auto* r = atlas_.region(regionId.toStdString());
  if (!r) return out;
  for (const auto& id : r->referralAreaIds) {
    const auto* area = atlas_.referralArea(id);
    if (!area || area->view != viewOf(view)) continue;
    out << QVariantMap{{"id", QString::fromStdString(area->id)}, {"points", pointsOf(area->polygon)}};
  }
  return out;
}

QString BodyMapModel::regionAt(const QString& view, double x, double y) const {
  const auto hits = atlas_.regionsAt(viewOf(view), {x, y});
  return hits.empty() ? QString() : QString::fromStdString(hits.front()->id);
}

QVariantMap BodyMapModel::region(const QString& id) const {
  const auto* r = atlas_.region(id.toStdString());
  if (!r) return {};
  const auto* m = atlas_.muscleOf(*r);
  const auto centre = anatomy::centroidOf(r->polygon);
  return {{"id", id},
          {"name", m ? QString::fromStdString(m->name) : QString::fromStdString(r->muscleId)},
          {"side", str(anatomy::toString(r->side))},
          {"view", str(anatomy::toString(r->view))},
          {"x", centre.x},
          {"y", centre.y},
          {"liftable", m && m->liftable},
          {"ribPalpable", m && m->ribPalpable},
          {"referral", m ? QString::fromStdString(m->referralText) : QString()}};
}

}  // namespace tautband::ui
