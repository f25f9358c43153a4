#pragma once

#include "anatomy/Atlas.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tautband::safety {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::sys_seconds;  // UTC, whole seconds: deterministic inputs

// Everything the rules look at, gathered by the caller (store + view model) into one value.
// The evaluator never reads a clock, a file or a device: same Case, same Decision.
// JSON form: docs/SAFETY.md "Case format" (units in key names).

struct Screening {
  bool completed = false;              // screening form completed for this session
  bool consentRecorded = false;        // treatment consent
  bool consentNamesPneumothorax = false;
  std::optional<double> heightCm;
  std::optional<double> weightKg;
  std::optional<int> ageYears;
  bool lacksCapacity = false;          // cannot consent for themself
  bool guardianConsentRecorded = false;
  bool pregnant = false;
  std::optional<int> pregnancyWeeks;
  bool pacemaker = false;
  bool otherActiveImplant = false;     // neurostimulator, pump, ...
  bool implantedDefibrillator = false;
  bool cardiologyClearanceRecorded = false;  // entered by an authorised role, audited
  bool anticoagulants = false;
  bool bleedingDisorder = false;
  bool breastImplants = false;
  std::vector<std::string> lymphoedemaLimbs;  // "upper_right", "lower_left", ...
  std::vector<std::string> prostheticJoints;  // "knee_left", "hip_right", "shoulder_left", ...
  bool diabetes = false;
  bool immunosuppression = false;
  bool faintingHistory = false;
  bool metalAllergy = false;
  bool lungDisease = false;            // emphysema, COPD, ...
  bool previousPneumothorax = false;
  bool photosensitisingMedication = false;
  bool cancerHistory = false;
  bool openGrowthPlates = false;
  bool epilepsy = false;

  std::optional<double> bmi() const;   // from height and weight; nullopt when either is missing
};

struct Credential {
  std::string kind;                    // "dry_needling" | "laser"
  TimePoint expires{};
};

struct Practitioner {
  std::string userId;
  std::vector<Credential> credentials;
};

// Conditions recorded at this site (not the whole patient).
struct SiteConditions {
  bool infectionOrBrokenSkin = false;
  bool malignancy = false;
  bool radiotherapy = false;
  bool activeBleeding = false;
  bool deepVeinThrombosis = false;
  bool tattooOrDarkSkin = false;
  bool recentSteroidInjection = false;
};

// A place on the body: a region id (muscle + side), a point in a view, or both. With a
// point, zones come from the point; with a region only, every zone the region touches
// applies (conservative).
struct Site {
  std::optional<std::string> regionId;
  std::optional<anatomy::View> view;
  std::optional<anatomy::Point> point;
  SiteConditions conditions;
};

enum class Technique { Flat, Pincer, RibBracketing };
enum class Direction { Perpendicular, TowardThorax, AwayFromThorax, Tangential, TowardSpine, AwayFromSpine };
enum class PatientPosition { Lying, Sitting, Standing };

enum class Waveform { BiphasicSymmetric, BiphasicChargeBalanced, Monophasic, DirectCurrent };

struct Electrode {
  Site site;
  double lengthInTissueMm = 0.0;
  double gaugeMm = 0.0;
};

struct Estim {
  Waveform waveform = Waveform::BiphasicSymmetric;
  double currentPeakMa = 0.0;
  double pulseWidthUs = 0.0;   // per phase
  double frequencyHz = 0.0;
  double stimulatorMaxCurrentMa = 0.0;  // the stimulator's declared output cap
  Electrode a;
  Electrode b;
};

struct Amplifier {
  bool isolated = false;       // type BF/CF applied part, declared by the driver
  std::string model;
};

struct NeedlingAct {
  double needleLengthMm = 0.0;
  double needleGaugeMm = 0.0;
  std::string needleLot;
  Technique technique = Technique::Flat;
  Direction direction = Direction::Perpendicular;
  PatientPosition position = PatientPosition::Lying;
  std::optional<double> ultrasoundDepthMm;  // skin-to-pleura, measured at this site today
  std::optional<Estim> estim;
  std::optional<Amplifier> amplifier;       // connected to the needle
};

enum class LaserMode { Continuous, Pulsed };
enum class LaserTechnique { Contact, Pressure, Scanning };

struct LaserAct {
  double wavelengthNm = 0.0;
  LaserMode mode = LaserMode::Continuous;
  double powerMw = 0.0;            // CW output, or PEAK power when pulsed
  double pulseFrequencyHz = 0.0;   // pulsed only
  double pulseWidthNs = 0.0;       // pulsed only
  double spotAreaCm2 = 0.0;        // beam area at the skin
  double timeS = 0.0;              // per point
  int points = 1;
  LaserTechnique technique = LaserTechnique::Contact;
  bool eyewearConfirmed = false;   // for everyone in the room, for this wavelength and mode
  double eyewearOd = 0.0;
  bool controlledArea = false;     // door interlock closed where fitted, warning sign up
};

struct PowerCheck {
  TimePoint at{};
  double measuredMw = 0.0;
  double nominalMw = 0.0;
};

struct LaserDevice {
  double maxPowerMw = 0.0;                 // device limit (mean for pulsed devices)
  std::optional<double> reportedPowerMw;   // measured output the device reports now
  bool firmwareWatchdog = true;
  bool hardwareInterlockDeclared = false;
  std::optional<PowerCheck> lastPowerCheck;
  double requiredOd = 0.0;                 // manufacturer's OD for this wavelength and mode
};

struct SessionClose {
  int needlesIn = 0;
  int needlesOut = 0;
  int brokenNeedles = 0;
  int brokenNeedleAdverseEvents = 0;
  bool pneumothoraxAdviceGiven = false;
  double observationMinutes = 0.0;
};

struct LungFieldInsertion {
  TimePoint at{};
  anatomy::Side side = anatomy::Side::Right;
};

struct History {
  std::vector<LungFieldInsertion> lungFieldInsertions;  // this patient, any session
  bool thoracicNeedlingThisSession = false;
};

enum class ActKind { Needling, Laser, SessionClose };

struct Case {
  static constexpr int kFormatVersion = 1;

  TimePoint evaluatedAt{};
  ActKind act = ActKind::Needling;
  Screening screening;
  Practitioner practitioner;
  Site site;                                // needling and laser
  NeedlingAct needling;                     // when act == Needling
  LaserAct laser;                           // when act == Laser
  LaserDevice laserDevice;                  // when act == Laser
  SessionClose close;                       // when act == SessionClose
  History history;
  std::vector<std::string> acknowledged;        // rule ids acknowledged (with reason, audited)
  std::vector<std::string> supervisorApproved;  // rule ids approved after re-authentication
};

}  // namespace tautband::safety
