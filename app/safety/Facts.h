#pragma once

#include "anatomy/Atlas.h"
#include "safety/Case.h"
#include "safety/ClinicSettings.h"
#include "safety/DepthModel.h"
#include "safety/LaserDose.h"

#include <optional>
#include <string>
#include <vector>

namespace tautband::safety {

// A site resolved against the atlas.
struct ResolvedSite {
  const anatomy::Region* region = nullptr;  // the muscle tapped (nullptr: none)
  const anatomy::Muscle* muscle = nullptr;
  std::optional<anatomy::View> view;
  std::optional<anatomy::Point> point;      // tapped point, or the region's centroid
  bool onBody = false;                      // inside the view's outline or on a region
  std::vector<const anatomy::Zone*> zones;
  anatomy::Side side = anatomy::Side::Midline;

  bool inZoneKind(std::string_view kind) const;
  const anatomy::Zone* firstZoneOfKind(std::string_view kind) const;
};

// The lung-field analysis of a needling act (docs/SAFETY.md "Needle length over the lung").
struct LungAssessment {
  bool overLungField = false;
  const anatomy::Zone* zone = nullptr;
  const DepthModel* model = nullptr;
  std::optional<double> limitMm;       // longest needle allowed here for this patient
  std::string limitBasis;              // "kim2002_posterior at BMI 22.1", "ultrasound 31 mm - 5 mm", ...
  std::string noLimitReason;           // why there is no limit (no model, BMI out of range, ...)
  bool techniqueProtects = false;      // pincer on a liftable muscle or rib bracketing on a palpable rib, aimed away
  std::string techniqueNote;           // why a claimed technique does (not) count
  bool lungDisease = false;
  bool countsAsLungFieldInsertion = false;  // for the bilateral 24 h rule
};

struct EstimAssessment {
  bool present = false;
  ResolvedSite a;
  ResolvedSite b;
  double exposedAreaCm2 = 0.0;      // the smaller of the two needles' exposed areas
  double currentRmsMa = 0.0;
  double densityRmsMaPerCm2 = 0.0;
  double densityPeakMaPerCm2 = 0.0;
};

// Everything a predicate may look at: the case, the settings, and what was computed from
// them once per evaluation. Pure data; predicates only read it.
struct Facts {
  const Case& input;
  const ClinicSettings& settings;
  const anatomy::Atlas& atlas;
  ResolvedSite site;
  std::optional<double> bmi;
  LungAssessment lung;
  EstimAssessment estim;
  std::optional<LaserDose> dose;
  const DoseTable* doseTable = nullptr;
};

}  // namespace tautband::safety
