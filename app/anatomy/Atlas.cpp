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

template <typename T, typename Predicate>
std::vector<const T*> matching(const std::vector<T>& items, Predicate predicate) {
  std::vector<const T*> hits;
  for (const T& item : items)
    if (predicate(item)) hits.push_back(&item);
  return hits;
}

// One section of the atlas (muscles, referral areas, regions, zones): each
// entry's id first, unique across the atlas, then its own fields, read by
// readFields(object, where, item) with `where` naming it in messages
// (e.g. `zone "lung-r"`).
template <typename Item, typename ReadFields>
void readSection(const QJsonObject& root, const char* section, const char* label, std::set<std::string>& ids,
                 std::vector<Item>& into, ReadFields readFields) {
  for (const QJsonValue& value : array(root, section, "root")) {
    const QJsonObject object = value.toObject();
    Item item;
    item.id = text(object, "id", section);
    const std::string where = std::string(label) + " \"" + item.id + "\"";
    requireUnique(ids, item.id, section);
    readFields(object, where, item);
    into.push_back(std::move(item));
  }
}

// Referral areas, regions and zones are shapes placed on a view.
template <typename Shape>
void readPlacement(const QJsonObject& object, const std::string& where, Shape& shape) {
  shape.side = sideOf(object, where);
  shape.view = viewOf(object, where);
  shape.polygon = polygonFrom(array(object, "polygon", where), where);
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
  readSection(root, "muscles", "muscle", ids, atlas.muscles_,
              [](const QJsonObject& object, const std::string& where, Muscle& muscle) {
                muscle.name = text(object, "name", where);
                muscle.liftable = flag(object, "liftable", where);
                muscle.ribPalpable = flag(object, "rib_palpable", where);
                muscle.referralText = text(object, "referral_text", where);
              });
  readSection(root, "referral_areas", "referral area", ids, atlas.referralAreas_,
              readPlacement<ReferralArea>);
  readSection(root, "regions", "region", ids, atlas.regions_,
              [&](const QJsonObject& object, const std::string& where, Region& region) {
                region.muscleId = text(object, "muscle", where);
                if (!findById(atlas.muscles_, region.muscleId))
                  fail(where + ": unknown muscle \"" + region.muscleId + "\"");
                readPlacement(object, where, region);
                for (const QJsonValue& area : array(object, "referral_areas", where)) {
                  const std::string areaId = area.toString().toStdString();
                  if (!findById(atlas.referralAreas_, areaId))
                    fail(where + ": unknown referral area \"" + areaId + "\"");
                  region.referralAreaIds.push_back(areaId);
                }
              });
  readSection(root, "zones", "zone", ids, atlas.zones_,
              [](const QJsonObject& object, const std::string& where, Zone& zone) {
                zone.kind = text(object, "kind", where);
                zone.structure = text(object, "structure", where);
                readPlacement(object, where, zone);
              });
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
  return matching(regions_, [&](const Region& r) { return r.view == view && containsPoint(r.polygon, p); });
}

std::vector<const Zone*> Atlas::zonesAt(View view, Point p) const {
  return matching(zones_, [&](const Zone& z) { return z.view == view && containsPoint(z.polygon, p); });
}

std::vector<const Zone*> Atlas::zonesTouching(const Region& region) const {
  return matching(zones_, [&](const Zone& z) {
    return z.view == region.view && polygonsOverlap(z.polygon, region.polygon);
  });
}

std::vector<const Zone*> Atlas::zonesOnSegment(View view, Point a, Point b) const {
  return matching(zones_, [&](const Zone& z) { return z.view == view && segmentTouchesPolygon(z.polygon, a, b); });
}

std::vector<const Zone*> Atlas::zonesOfKind(std::string_view kind) const {
  return matching(zones_, [&](const Zone& z) { return z.kind == kind; });
}

}  // namespace tautband::anatomy
