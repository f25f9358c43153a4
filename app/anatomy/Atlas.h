#pragma once

#include "anatomy/Geometry.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tautband::anatomy {

enum class View { Front, Back };
enum class Side { Right, Left, Midline };

std::string_view toString(View view);
std::string_view toString(Side side);
std::optional<View> viewFromString(std::string_view text);
std::optional<Side> sideFromString(std::string_view text);
// Right <-> Left; Midline stays Midline.
Side oppositeSide(Side side);

// A muscle as the rules see it: can it be lifted off the chest wall with a pincer grip,
// and is a rib palpable under it (rib bracketing)? Technique only counts where these say so.
struct Muscle {
  std::string id;
  std::string name;
  bool liftable = false;
  bool ribPalpable = false;
  std::string referralText;
};

// One muscle on one side in one view: what the therapist taps.
struct Region {
  std::string id;
  std::string muscleId;
  Side side = Side::Right;
  View view = View::Front;
  Polygon polygon;
  std::vector<std::string> referralAreaIds;  // drawn when the region is selected
};

struct ReferralArea {
  std::string id;
  Side side = Side::Right;
  View view = View::Front;
  Polygon polygon;
};

// A risk zone (lung field, kidney, nerve, ...). `kind` is what rules refer to; `structure`
// names what is at risk, in words shown to the therapist.
struct Zone {
  std::string id;
  std::string kind;
  std::string structure;
  Side side = Side::Midline;
  View view = View::Front;
  Polygon polygon;
};

// Thrown by the loader with a message naming the file part that is wrong.
class AtlasError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The loaded, validated atlas. Immutable after loading; cheap queries.
class Atlas {
 public:
  static constexpr int kFormatVersion = 1;

  // Parses and validates; throws AtlasError("atlas: <what> ...") on any defect.
  static Atlas fromJson(std::string_view jsonText);
  static Atlas fromFile(const std::string& path);
  // The atlas compiled into the binary (app/anatomy/data/atlas.json).
  static const Atlas& builtin();

  const std::string& atlasVersion() const { return atlasVersion_; }
  const std::vector<Muscle>& muscles() const { return muscles_; }
  const std::vector<Region>& regions() const { return regions_; }
  const std::vector<Zone>& zones() const { return zones_; }
  const std::vector<ReferralArea>& referralAreas() const { return referralAreas_; }
  const Polygon& outline(View view) const { return view == View::Front ? frontOutline_ : backOutline_; }

  const Muscle* muscle(std::string_view id) const;
  const Region* region(std::string_view id) const;
  const Zone* zone(std::string_view id) const;
  const ReferralArea* referralArea(std::string_view id) const;
  const Muscle* muscleOf(const Region& region) const { return muscle(region.muscleId); }

  // Hit tests: everything whose polygon contains the point in that view.
  std::vector<const Region*> regionsAt(View view, Point p) const;
  std::vector<const Zone*> zonesAt(View view, Point p) const;
  // Zones a whole region touches (used when a site names a region but no point).
  std::vector<const Zone*> zonesTouching(const Region& region) const;
  // Zones a straight line between two points of the same view touches.
  std::vector<const Zone*> zonesOnSegment(View view, Point a, Point b) const;
  std::vector<const Zone*> zonesOfKind(std::string_view kind) const;

 private:
  std::string atlasVersion_;
  Polygon frontOutline_;
  Polygon backOutline_;
  std::vector<Muscle> muscles_;
  std::vector<Region> regions_;
  std::vector<ReferralArea> referralAreas_;
  std::vector<Zone> zones_;
};

}  // namespace tautband::anatomy
