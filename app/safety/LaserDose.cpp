#include "safety/LaserDose.h"

namespace tautband::safety {

double LaserDose::timeForEnergyS(double energy) const {
  return effectiveMeanPowerMw > 0.0 ? energy / (effectiveMeanPowerMw / 1000.0) : 0.0;
}

LaserDose computeLaserDose(const LaserAct& act, const LaserDevice& device) {
  LaserDose dose;
  if (act.mode == LaserMode::Pulsed) dose.dutyCycle = act.pulseWidthNs * 1e-9 * act.pulseFrequencyHz;
  dose.requestedMeanPowerMw = act.powerMw * dose.dutyCycle;
  dose.effectiveMeanPowerMw = dose.requestedMeanPowerMw;
  if (device.reportedPowerMw) {
    dose.effectiveMeanPowerMw = *device.reportedPowerMw;
    dose.fromMeasurement = true;
  } else if (device.lastPowerCheck && device.lastPowerCheck->nominalMw > 0.0) {
    dose.effectiveMeanPowerMw =
        dose.requestedMeanPowerMw * device.lastPowerCheck->measuredMw / device.lastPowerCheck->nominalMw;
    dose.fromMeasurement = true;
  }
  dose.energyJ = dose.effectiveMeanPowerMw / 1000.0 * act.timeS;
  dose.totalEnergyJ = dose.energyJ * act.points;
  if (act.spotAreaCm2 > 0.0) {
    dose.fluenceJPerCm2 = dose.energyJ / act.spotAreaCm2;
    dose.irradianceMwPerCm2 = dose.effectiveMeanPowerMw / act.spotAreaCm2;
  }
  return dose;
}

}  // namespace tautband::safety
