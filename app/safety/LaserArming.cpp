#include "safety/LaserArming.h"

#include <algorithm>

namespace tautband::safety {
namespace {

using S = ArmingState;
using E = ArmingEvent;
using G = Guard;
using O = ArmingOutput;

// Every state change of the laser. Read a row as: in <from>, on <event>, if <guard>, go to
// <to> and output <outputs>. EmitOn appears in exactly one row.
constexpr Transition kTable[] = {
    // Opening and filling the checklist.
    {S::Disarmed, E::BeginChecklist, G::Always, S::Checklist, {}},
    {S::Checklist, E::ItemChanged, G::Always, S::Checklist, {}},
    {S::Checklist, E::Arm, G::AllItemsHold, S::Armed, {}},
    {S::Checklist, E::Arm, G::NotAllItemsHold, S::Checklist, {O::ArmRefused}},
    {S::Checklist, E::Disarm, G::Always, S::Disarmed, {}},
    // Armed: an item lost disarms (nothing is emitting, but say EmissionOff anyway).
    {S::Armed, E::ItemChanged, G::ItemLost, S::Disarmed, {O::EmissionOff}},
    {S::Armed, E::ItemChanged, G::ItemNotLost, S::Armed, {}},
    {S::Armed, E::RequestEmission, G::AllItemsHold, S::Warning, {O::StartWarning}},
    {S::Armed, E::Disarm, G::Always, S::Disarmed, {O::EmissionOff}},
    // Pre-emission warning, then emission.
    {S::Warning, E::Tick, G::WarningElapsedAndAllHold, S::Emitting, {O::EmitOn}},
    {S::Warning, E::Tick, G::WarningNotElapsed, S::Warning, {}},
    {S::Warning, E::Tick, G::NotAllItemsHold, S::Fault, {O::CancelWarning, O::EmissionOff}},
    {S::Warning, E::ItemChanged, G::ItemLost, S::Fault, {O::CancelWarning, O::EmissionOff}},
    {S::Warning, E::ItemChanged, G::ItemNotLost, S::Warning, {}},
    {S::Warning, E::Pause, G::Always, S::Paused, {O::CancelWarning, O::EmissionOff}},
    {S::Warning, E::Stop, G::Always, S::Done, {O::CancelWarning, O::EmissionOff}},
    {S::Warning, E::Disarm, G::Always, S::Disarmed, {O::CancelWarning, O::EmissionOff}},
    // Emitting.
    {S::Emitting, E::ItemChanged, G::ItemLost, S::Fault, {O::EmissionOff}},
    {S::Emitting, E::ItemChanged, G::ItemNotLost, S::Emitting, {}},
    {S::Emitting, E::Tick, G::NotAllItemsHold, S::Fault, {O::EmissionOff}},
    {S::Emitting, E::Pause, G::Always, S::Paused, {O::EmissionOff}},
    {S::Emitting, E::DoseReached, G::Always, S::Done, {O::EmissionOff}},
    {S::Emitting, E::Stop, G::Always, S::Done, {O::EmissionOff}},
    {S::Emitting, E::Disarm, G::Always, S::Disarmed, {O::EmissionOff}},
    // Paused: resuming warns again before emission restarts.
    {S::Paused, E::ItemChanged, G::ItemLost, S::Fault, {O::EmissionOff}},
    {S::Paused, E::ItemChanged, G::ItemNotLost, S::Paused, {}},
    {S::Paused, E::Resume, G::AllItemsHold, S::Warning, {O::StartWarning}},
    {S::Paused, E::Resume, G::NotAllItemsHold, S::Fault, {O::EmissionOff}},
    {S::Paused, E::Stop, G::Always, S::Done, {O::EmissionOff}},
    {S::Paused, E::Disarm, G::Always, S::Disarmed, {O::EmissionOff}},
    // Done.
    {S::Done, E::ItemChanged, G::Always, S::Done, {}},
    {S::Done, E::Finish, G::Always, S::Disarmed, {}},
    {S::Done, E::Disarm, G::Always, S::Disarmed, {}},
    // Faults from anywhere; emission off first. Only an explicit reset leaves Fault.
    {S::Disarmed, E::Fault, G::Always, S::Fault, {O::EmissionOff}},
    {S::Checklist, E::Fault, G::Always, S::Fault, {O::EmissionOff}},
    {S::Armed, E::Fault, G::Always, S::Fault, {O::EmissionOff}},
    {S::Warning, E::Fault, G::Always, S::Fault, {O::CancelWarning, O::EmissionOff}},
    {S::Emitting, E::Fault, G::Always, S::Fault, {O::EmissionOff}},
    {S::Paused, E::Fault, G::Always, S::Fault, {O::EmissionOff}},
    {S::Done, E::Fault, G::Always, S::Fault, {O::EmissionOff}},
    {S::Fault, E::Fault, G::Always, S::Fault, {O::EmissionOff}},
    {S::Fault, E::ItemChanged, G::Always, S::Fault, {}},
    {S::Fault, E::ResetFault, G::Always, S::Disarmed, {}},
    // Checklist items are tracked in Disarmed too (the checklist screen shows them live).
    {S::Disarmed, E::ItemChanged, G::Always, S::Disarmed, {}},
};

}  // namespace

std::span<const Transition> armingTransitionTable() { return kTable; }

LaserArming::LaserArming(std::chrono::milliseconds warningDelay) : warningDelay_(warningDelay) {}

bool LaserArming::guardHolds(Guard guard, const ArmingInput& input, bool itemLost) const {
  switch (guard) {
    case Guard::Always: return true;
    case Guard::AllItemsHold: return items_.all();
    case Guard::NotAllItemsHold: return !items_.all();
    case Guard::ItemLost: return itemLost;
    case Guard::ItemNotLost: return !itemLost;
    case Guard::WarningElapsedAndAllHold:
      return items_.all() && warningDeadline_ && input.now >= *warningDeadline_;
    case Guard::WarningNotElapsed: return warningDeadline_ && input.now < *warningDeadline_;
  }
  return false;
}

ArmingStep LaserArming::handle(const ArmingInput& input) {
  bool itemLost = false;
  if (input.event == ArmingEvent::ItemChanged) {
    const auto index = static_cast<std::size_t>(input.item);
    if (index < kChecklistItemCount) {
      itemLost = !input.itemValue;
      items_.set(index, input.itemValue);
    }
  }
  ArmingStep step;
  step.from = state_;
  step.to = state_;
  for (const Transition& row : kTable) {
    if (row.from != state_ || row.event != input.event || !guardHolds(row.guard, input, itemLost)) continue;
    step.ignored = false;
    step.to = row.to;
    for (const auto& output : row.outputs)
      if (output) step.outputs.push_back(*output);
    break;
  }
  if (step.ignored) return step;
  if (input.event == ArmingEvent::Fault) lastFault_ = input.fault;
  if (step.to == ArmingState::Warning && state_ != ArmingState::Warning) warningDeadline_ = input.now + warningDelay_;
  if (step.to != ArmingState::Warning) warningDeadline_.reset();
  state_ = step.to;
  return step;
}

std::vector<ChecklistItem> LaserArming::missingItems() const {
  std::vector<ChecklistItem> missing;
  for (std::size_t i = 0; i < kChecklistItemCount; ++i)
    if (!items_.test(i)) missing.push_back(static_cast<ChecklistItem>(i));
  return missing;
}

std::vector<std::pair<ChecklistItem, bool>> checklistFromDecision(const Decision& d) {
  const auto ids = d.ruleIds();
  auto none = [&](std::initializer_list<std::string_view> rules) {
    return std::none_of(ids.begin(), ids.end(), [&](const std::string& id) {
      return std::find(rules.begin(), rules.end(), id) != rules.end();
    });
  };
  return {
      {ChecklistItem::PractitionerCredentialed, none({"PR-CREDENTIAL-LASER"})},
      {ChecklistItem::PatientScreened, none({"PF-NOT-SCREENED", "PF-NO-CONSENT", "PF-GUARDIAN-CONSENT"})},
      {ChecklistItem::SiteAllowed,
       none({"SITE-LASER-OFF-BODY", "LZ-EYE", "LZ-THYROID", "LZ-PREGNANT-TRUNK", "LZ-TESTES", "LZ-MALIGNANCY-SITE",
             "LZ-RADIOTHERAPY-SITE", "LZ-BLEEDING-DVT-SITE"})},
      {ChecklistItem::EyewearConfirmed, none({"LZ-EYEWEAR"})},
      {ChecklistItem::ControlledArea, none({"LZ-CONTROLLED-AREA"})},
      {ChecklistItem::PowerCheckCurrent, none({"LZ-POWER-CHECK-OVERDUE", "LZ-POWER-OUT-OF-TOLERANCE"})},
      {ChecklistItem::IndependentStop, none({"LZ-NO-WATCHDOG"})},
      {ChecklistItem::ParametersInLimits, d.mayProceed()},
  };
}

std::string_view toString(ArmingState state) {
  static constexpr std::string_view kNames[] = {"Disarmed", "Checklist", "Armed", "Warning",
                                                "Emitting", "Paused",    "Done",  "Fault"};
  return kNames[static_cast<std::size_t>(state)];
}

std::string_view toString(ArmingEvent event) {
  static constexpr std::string_view kNames[] = {"BeginChecklist", "ItemChanged", "Arm",  "RequestEmission", "Tick",
                                                "Pause",          "Resume",      "DoseReached", "Stop",      "Disarm",
                                                "Fault",          "ResetFault",  "Finish"};
  return kNames[static_cast<std::size_t>(event)];
}

std::string_view toString(ArmingOutput output) {
  static constexpr std::string_view kNames[] = {"EmitOn", "EmissionOff", "StartWarning", "CancelWarning", "ArmRefused"};
  return kNames[static_cast<std::size_t>(output)];
}

std::string_view toString(ChecklistItem item) {
  static constexpr std::string_view kNames[] = {
      "practitioner_credentialed", "patient_screened", "site_allowed",         "eyewear_confirmed",
      "controlled_area",           "device_healthy",   "power_check_current",  "interlock_closed",
      "key_on",                    "parameters_in_limits", "independent_stop"};
  return kNames[static_cast<std::size_t>(item)];
}

}  // namespace tautband::safety
