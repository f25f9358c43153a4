#pragma once

#include "safety/Case.h"

#include <optional>

namespace tautband::safety {

// Dose figures for one point (Jenkins & Carroll 2011 record set), from MEASURED power:
// the device's current report if it gives one, else the requested power scaled by the last
// power check (measured / nominal). Pulsed: mean power = peak * duty (width * frequency).
struct LaserDose {
  double requestedMeanPowerMw = 0.0;
  double effectiveMeanPowerMw = 0.0;   // what reaches the skin, per the measurements
  bool fromMeasurement = false;        // false: no report and no power check (nominal used)
  double dutyCycle = 1.0;
  double energyJ = 0.0;                // per point
  double totalEnergyJ = 0.0;           // all points
  double fluenceJPerCm2 = 0.0;
  double irradianceMwPerCm2 = 0.0;

  // Time to deliver `energyJ` at the effective power, s (how the emission auto-stops).
  double timeForEnergyS(double energyJ) const;
};

LaserDose computeLaserDose(const LaserAct& act, const LaserDevice& device);

}  // namespace tautband::safety
