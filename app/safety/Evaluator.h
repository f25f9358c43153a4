#pragma once

#include "anatomy/Atlas.h"
#include "safety/AuditRecord.h"
#include "safety/Case.h"
#include "safety/ClinicSettings.h"
#include "safety/Decision.h"
#include "safety/Facts.h"
#include "safety/RuleTable.h"

namespace tautband::safety {

struct Evaluation {
  Decision decision;
  SafetyAuditRecord audit;  // what must reach the audit trail for this evaluation
};

// The rules engine. Pure and deterministic: no clock, no I/O, no globals; the same Case
// with the same atlas, rule table and settings always gives the same Decision. Cheap to call
// on every parameter change (a few dozen predicates over precomputed facts).
class Evaluator {
 public:
  Evaluator(const anatomy::Atlas& atlas, const RuleTable& rules, ClinicSettings settings);

  Evaluation evaluate(const Case& input) const;
  Decision decide(const Case& input) const { return evaluate(input).decision; }

  // The analysis behind a decision (resolved site, lung limit, dose, e-stim density): the
  // view models show these figures live. The Facts refer to `input` and to this evaluator's
  // atlas and settings: keep them alive while using the result.
  Facts analyse(const Case& input) const;

  const anatomy::Atlas& atlas() const { return atlas_; }
  const RuleTable& rules() const { return rules_; }
  const ClinicSettings& settings() const { return settings_; }

  // A manager changed the clinic's settings: validated, then used by every later
  // evaluation. Not thread-safe: call it on the thread that evaluates (the console's GUI
  // thread; the laser supervisor thread never evaluates). Facts from analyse() taken
  // before the call must not be used after it. Throws SettingsError and keeps the old ones.
  void replaceSettings(ClinicSettings settings);

 private:
  const anatomy::Atlas& atlas_;
  const RuleTable& rules_;
  ClinicSettings settings_;
};

// Resolves a site against the atlas (exposed for the body-map view model).
ResolvedSite resolveSite(const anatomy::Atlas& atlas, const Site& site);

}  // namespace tautband::safety
