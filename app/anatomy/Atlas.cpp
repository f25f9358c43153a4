#include "anatomy/Atlas.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <set>

namespace tautband::anatomy {
namespace {

[[noreturn]] void fail(const std::string& what) { throw AtlasError("atlas: " + what); }

std::string text(const QJsonObject& object, const char* key, const std::string& where) {
  const QJsonValue value = object.value(QLatin1String(key));
  if (!value.isString() || value.toString().isEmpty())
    fail(where + ": \"" + key + "\" must be a non-empty string");
  return value.toString().toStdString();
}

bool flag(const QJsonObject& object, const char* key, const std::string& where) {
  const QJsonValue value = object.value(QLatin1String(key));
  if (!value.isBool()) fail(where + ": \"" + key + "\" must be true or false");
  return value.toBool();
}

QJsonArray array(const QJsonObject& object, const char* key, const std::string& where) {
  const QJsonValue value = object.value(QLatin1String(key));
  if (!value.isArray()) fail(where + ": \"" + key + "\" must be an array");
  return value.toArray();
}

Polygon polygonFrom(const QJsonArray& points, const std::string& where) {
  if (points.size() < 3) fail(where + ": a polygon needs at least 3 points");
  Polygon polygon;
  polygon.reserve(static_cast<std::size_t>(points.size()));
  for (const QJsonValue& value : points) {
    const QJsonArray pair = value.toArray();
    if (!value.isArray() || pair.size() != 2 || !pair[0].isDouble() || !pair[1].isDouble())
      fail(where + ": each point must be [x, y] numbers");
    const Point p{pair[0].toDouble(), pair[1].toDouble()};
    if (p.x < 0.0 || p.x > 1.0 || p.y < 0.0 || p.y > 1.0)
      fail(where + ": point outside the normalised [0, 1] view");
    polygon.push_back(p);
  }
  return polygon;
}

View viewOf(const QJsonObject& object, const std::string& where) {
  const auto view = viewFromString(text(object, "view", where));
  if (!view) fail(where + ": \"view\" must be \"front\" or \"back\"");
  return *view;
}

Side sideOf(const QJsonObject& object, const std::string& where) {
  const auto side = sideFromString(text(object, "side", where));
  if (!side) fail(where + ": \"side\" must be \"right\", \"left\" or \"midline\"");
  return *side;
}

void requireUnique(std::set<std::string>& ids, const std::string& id, const std::string& where) {
  if (!ids.insert(id).second) fail(where + ": duplicate id \"" + id + "\"");
}

template <typename T>
const T* findById(const std::vector<T>& items, std::string_view id) {
  for (const T& item : items)
    if (item.id == id) return &item;
  return nullptr;
}

}  // namespace

std::string_view toString(View view) { return view == View::Front ? "front" : "back"; }

std::string_view toString(Side side) {
  switch (side) {
    case Side::Right: return "right";
    case Side::Left: return "left";
    case Side::Midline: return "midline";
  }
  return "midline";
}

std::optional<View> viewFromString(std::string_view text) {
  if (text == "front") return View::Front;
  if (text == "back") return View::Back;
  return std::nullopt;
}

std::optional<Side> sideFromString(std::string_view text) {
  if (text == "right") return Side::Right;
  if (text == "left") return Side::Left;
  if (text == "midline") return Side::Midline;
  return std::nullopt;
}

Side oppositeSide(Side side) {
  if (side == Side::Right) return Side::Left;
  if (side == Side::Left) return Side::Right;
  return Side::Midline;
}

Atlas Atlas::fromJson(std::string_view jsonText) {
  QJsonParseError error{};
  const QJsonDocument document =
      QJsonDocument::fromJson(QByteArray(jsonText.data(), static_cast<qsizetype>(jsonText.size())), &error);
  if (error.error != QJsonParseError::NoError)
    fail("not valid JSON at offset " + std::to_string(error.offset) + ": " + error.errorString().toStdString());
  if (!document.isObject()) fail("the top level must be an object");
  const QJsonObject root = document.object();
  if (root.value(QLatin1String("format")).toString() != QLatin1String("tautband.atlas"))
    fail("\"format\" must be \"tautband.atlas\"");
  if (root.value(QLatin1String("format_version")).toInt(-1) != kFormatVersion)
    fail("\"format_version\" must be " + std::to_string(kFormatVersion));

  Atlas atlas;
  atlas.atlasVersion_ = text(root, "atlas_version", "root");

  bool haveFront = false;
  bool haveBack = false;
  for (const QJsonValue& value : array(root, "views", "root")) {
    const QJsonObject view = value.toObject();
    const View id = viewOf(QJsonObject{{"view", view.value(QLatin1String("id"))}}, "views");
    Polygon outline = polygonFrom(array(view, "outline", "views"), "views outline");
    (id == View::Front ? atlas.frontOutline_ : atlas.backOutline_) = std::move(outline);
    (id == View::Front ? haveFront : haveBack) = true;
  }
  if (!haveFront || !haveBack) fail("\"views\" must contain both \"front\" and \"back\"");

  std::set<std::string> ids;
  for (const QJsonValue& value : array(root, "muscles", "root")) {
    const QJsonObject object = value.toObject();
    Muscle muscle;
    muscle.id = text(object, "id", "muscles");
    const std::string where = "muscle \"" + muscle.id + "\"";
    requireUnique(ids, muscle.id, "muscles");
    muscle.name = text(object, "name", where);
    muscle.liftable = flag(object, "liftable", where);
    muscle.ribPalpable = flag(object, "rib_palpable", where);
    muscle.referralText = text(object, "referral_text", where);
    atlas.muscles_.push_back(std::move(muscle));
  }

  for (const QJsonValue& value : array(root, "referral_areas", "root")) {
    const QJsonObject object = value.toObject();
    ReferralArea area;
    area.id = text(object, "id", "referral_areas");
    const std::string where = "referral area \"" + area.id + "\"";
    requireUnique(ids, area.id, "referral_areas");
    area.side = sideOf(object, where);
    area.view = viewOf(object, where);
    area.polygon = polygonFrom(array(object, "polygon", where), where);
    atlas.referralAreas_.push_back(std::move(area));
  }

  for (const QJsonValue& value : array(root, "regions", "root")) {
    const QJsonObject object = value.toObject();
    Region region;
    region.id = text(object, "id", "regions");
    const std::string where = "region \"" + region.id + "\"";
    requireUnique(ids, region.id, "regions");
    region.muscleId = text(object, "muscle", where);
    if (!findById(atlas.muscles_, region.muscleId)) fail(where + ": unknown muscle \"" + region.muscleId + "\"");
    region.side = sideOf(object, where);
    region.view = viewOf(object, where);
    region.polygon = polygonFrom(array(object, "polygon", where), where);
    for (const QJsonValue& area : array(object, "referral_areas", where)) {
      const std::string areaId = area.toString().toStdString();
      if (!findById(atlas.referralAreas_, areaId)) fail(where + ": unknown referral area \"" + areaId + "\"");
      region.referralAreaIds.push_back(areaId);
    }
    atlas.regions_.push_back(std::move(region));
  }

  for (const QJsonValue& value : array(root, "zones", "root")) {
    const QJsonObject object = value.toObject();
    Zone zone;
    zone.id = text(object, "id", "zones");
    const std::string where = "zone \"" + zone.id + "\"";
    requireUnique(ids, zone.id, "zones");
    zone.kind = text(object, "kind", where);
    zone.structure = text(object, "structure", where);
    zone.side = sideOf(object, where);
    zone.view = viewOf(object, where);
    zone.polygon = polygonFrom(array(object, "polygon", where), where);
    atlas.zones_.push_back(std::move(zone));
  }
  if (atlas.regions_.empty()) fail("no regions");
  if (atlas.zones_.empty()) fail("no risk zones");
  return atlas;
}

Atlas Atlas::fromFile(const std::string& path) {
  QFile file(QString::fromStdString(path));
  if (!file.open(QIODevice::ReadOnly)) fail("cannot open " + path + ": " + file.errorString().toStdString());
  const QByteArray bytes = file.readAll();
  return fromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

const Atlas& Atlas::builtin() {
  // Loaded once from the compiled-in resource; a defect here is a build defect and the
  // unit tests load the same bytes, so it never reaches a clinic.
  static const Atlas atlas = fromFile(":/tautband/anatomy/atlas.json");
  return atlas;
}

const Muscle* Atlas::muscle(std::string_view id) const { return findById(muscles_, id); }
const Region* Atlas::region(std::string_view id) const { return findById(regions_, id); }
const Zone* Atlas::zone(std::string_view id) const { return findById(zones_, id); }
const ReferralArea* Atlas::referralArea(std::string_view id) const { return findById(referralAreas_, id); }

std::vector<const Region*> Atlas::regionsAt(View view, Point p) const {
  std::vector<const Region*> hits;
  for (const Region& region : regions_)
    if (region.view == view && containsPoint(region.polygon, p)) hits.push_back(&region);
  return hits;
}

std::vector<const Zone*> Atlas::zonesAt(View view, Point p) const {
  std::vector<const Zone*> hits;
  for (const Zone& zone : zones_)
    if (zone.view == view && containsPoint(zone.polygon, p)) hits.push_back(&zone);
  return hits;
}

std::vector<const Zone*> Atlas::zonesTouching(const Region& region) const {
  std::vector<const Zone*> hits;
  for (const Zone& zone : zones_)
    if (zone.view == region.view && polygonsOverlap(zone.polygon, region.polygon)) hits.push_back(&zone);
  return hits;
}

std::vector<const Zone*> Atlas::zonesOnSegment(View view, Point a, Point b) const {
  std::vector<const Zone*> hits;
  for (const Zone& zone : zones_)
    if (zone.view == view && segmentTouchesPolygon(zone.polygon, a, b)) hits.push_back(&zone);
  return hits;
}

std::vector<const Zone*> Atlas::zonesOfKind(std::string_view kind) const {
  std::vector<const Zone*> hits;
  for (const Zone& zone : zones_)
    if (zone.kind == kind) hits.push_back(&zone);
  return hits;
}

}  // namespace tautband::anatomy
