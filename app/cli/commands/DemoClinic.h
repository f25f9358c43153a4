#pragma once

#include "store/Store.h"

#include <QJsonArray>
#include <QString>

#include <vector>

namespace tautband::cli {

// The demo clinic `tautband-cli demo` writes (and tests build), through the store's public
// API only. Every id it writes is the one the rest of the console reads: atlas region ids
// for sites, the screening form's keys and version, real rule ids in the audit entries, the
// serial number of `tautband-sim laser` for the laser, its power check and required OD.
struct DemoSite {
  const char* regionId;  // atlas region (muscle + side), e.g. "upper_trapezius_left"; placed at its centre
};
const std::vector<DemoSite>& demoSites();

struct DemoUserLogin {
  QString login, password, role;
};
const std::vector<DemoUserLogin>& demoLogins();

// The screening answers the demo records for patient `index`: form version 2 as
// PatientModel::screeningJson writes it (every topic; a "yes" with its follow-up).
QJsonObject demoScreeningAnswers(std::size_t index);
inline constexpr const char* kDemoScreeningFormVersion = "contraindications-2";  // PatientModel's form
inline constexpr const char* kDemoLaserSerial = "SIM-LASER-0001";               // tautband-sim laser
// The demo clinic's own laser protocol (clinic setting safety.clinic_settings): in the
// 780-860 nm dose table the clinic allows at most this mean power (WALT: 500 mW).
inline constexpr const char* kDemoProtocolTable = "780-860nm";
inline constexpr double kDemoProtocolMaxPowerMw = 300;

struct DemoSummary {
  int sessions = 0, needles = 0, ltrs = 0, doses = 0;
};
// Needs a store without users. Throws on any store error.
DemoSummary buildDemoClinic(store::Store& store, int latestSessionMinutes, unsigned seed);

}  // namespace tautband::cli
