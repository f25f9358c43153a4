#pragma once

#include "safety/Decision.h"

#include <array>
#include <bitset>
#include <chrono>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace tautband::safety {

// Laser arming as a pure state machine (no threads, no clock, no I/O). The supervisor thread
// feeds it events with a monotonic timestamp and executes the commands it returns; it is the
// only code that turns an EmitOn command into bytes. See docs/SAFETY.md "Laser arming".
//
//   Disarmed -> Checklist -> Armed -> Warning -> Emitting <-> Paused -> Done -> Disarmed
//   any state -> Fault (link loss, device fault, E-STOP, GUI unresponsive, rule change)
//   Fault -> Disarmed only by an explicit ResetFault; never back to emission by itself.
// Warning is the pre-emission audible/visible warning (21 CFR 1040.10(f)); it is a state of
// its own so "EmitOn only after the full warning delay" is a row of the table.

enum class ArmingState { Disarmed, Checklist, Armed, Warning, Emitting, Paused, Done, Fault };

enum class ChecklistItem {
  PractitionerCredentialed,
  PatientScreened,
  SiteAllowed,
  EyewearConfirmed,        // right OD for this wavelength and mode, everyone in the room
  ControlledArea,          // door interlock closed where fitted, warning sign
  DeviceHealthy,           // connected, status fresh, no device error
  PowerCheckCurrent,       // 21 CFR 1040.11(a) check not overdue, in tolerance
  InterlockClosed,         // remote interlock connector
  KeyOn,
  ParametersInLimits,      // the rules engine's decision for this dose may proceed
  IndependentStop,         // firmware watchdog, or a declared hardware interlock loop
};
inline constexpr std::size_t kChecklistItemCount = 11;

enum class ArmingEvent {
  BeginChecklist,   // the therapist opens the arming checklist
  ItemChanged,      // one checklist item became true or false
  Arm,              // slide-to-arm
  RequestEmission,  // hold-to-emit pressed or timed emission started
  Tick,             // time passes (supervisor tick)
  Pause,            // hold released / pause pressed
  Resume,
  DoseReached,      // target dose delivered
  Stop,             // therapist ends the dose early
  Disarm,
  Fault,            // link loss, device fault, E-STOP, GUI unresponsive, rule change
  ResetFault,       // an explicit acknowledgement of the fault
  Finish,           // leave Done
};

enum class FaultReason { None, LinkLost, DeviceFault, EmergencyStop, GuiUnresponsive, RuleChanged, StatusTimeout };

enum class ArmingOutput { EmitOn, EmissionOff, StartWarning, CancelWarning, ArmRefused };

enum class Guard {
  Always,
  AllItemsHold,
  NotAllItemsHold,
  ItemLost,          // an ItemChanged that set an item false
  ItemNotLost,
  WarningElapsedAndAllHold,
  WarningNotElapsed,
};

struct Transition {
  ArmingState from;
  ArmingEvent event;
  Guard guard;
  ArmingState to;
  std::array<std::optional<ArmingOutput>, 2> outputs;
};

// The table, in priority order: the first row whose (from, event) match and guard holds wins;
// a (state, event) pair with no matching row is ignored (no change, no output).
std::span<const Transition> armingTransitionTable();

using MonotonicTime = std::chrono::steady_clock::time_point;

struct ArmingInput {
  ArmingEvent event = ArmingEvent::Tick;
  MonotonicTime now{};
  ChecklistItem item = ChecklistItem::PractitionerCredentialed;  // ItemChanged only
  bool itemValue = false;                                         // ItemChanged only
  FaultReason fault = FaultReason::None;                          // Fault only
};

struct ArmingStep {
  ArmingState from = ArmingState::Disarmed;
  ArmingState to = ArmingState::Disarmed;
  std::vector<ArmingOutput> outputs;
  bool ignored = true;  // no row matched
};

class LaserArming {
 public:
  explicit LaserArming(std::chrono::milliseconds warningDelay = std::chrono::milliseconds(2000));

  ArmingStep handle(const ArmingInput& input);

  // The delay used from the next entry into Warning on; a warning already running keeps the
  // deadline it started with. When to call it is the supervisor's policy (never mid-arming).
  void setWarningDelay(std::chrono::milliseconds delay) { warningDelay_ = delay; }
  std::chrono::milliseconds warningDelay() const { return warningDelay_; }

  ArmingState state() const { return state_; }
  bool itemHolds(ChecklistItem item) const { return items_.test(static_cast<std::size_t>(item)); }
  bool allItemsHold() const { return items_.all(); }
  std::vector<ChecklistItem> missingItems() const;
  FaultReason lastFault() const { return lastFault_; }
  std::optional<MonotonicTime> warningDeadline() const { return warningDeadline_; }

 private:
  bool guardHolds(Guard guard, const ArmingInput& input, bool itemLost) const;

  std::chrono::milliseconds warningDelay_;
  ArmingState state_ = ArmingState::Disarmed;
  std::bitset<kChecklistItemCount> items_;
  std::optional<MonotonicTime> warningDeadline_;
  FaultReason lastFault_ = FaultReason::None;
};

// The checklist items the rules engine decides for a laser case (the rest come from live
// device status): credential, screening/consent, site, eyewear, controlled area, power
// check, independent stop, and "parameters in limits" = the decision may proceed.
std::vector<std::pair<ChecklistItem, bool>> checklistFromDecision(const Decision& laserDecision);

std::string_view toString(ArmingState state);
std::string_view toString(ArmingEvent event);
std::string_view toString(ArmingOutput output);
std::string_view toString(ChecklistItem item);

}  // namespace tautband::safety
