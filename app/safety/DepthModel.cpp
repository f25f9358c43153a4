#include "safety/DepthModel.h"

#include <algorithm>
#include <cmath>

namespace tautband::safety {

double DepthModel::predictedCm(double bmi) const { return interceptCm + slopeCmPerBmi * bmi; }

double DepthModel::regressionLowerBoundCm(double bmi) const {
  const double nn = static_cast<double>(n);
  const double sxx = (nn - 1.0) * bmiSd * bmiSd;
  const double leverage = 1.0 + 1.0 / nn + (bmi - bmiMean) * (bmi - bmiMean) / sxx;
  return predictedCm(bmi) - tOneSided * residualSdCm * std::sqrt(leverage);
}

double DepthModel::populationLowerBoundCm() const {
  return populationMeanCm - tOneSided * populationSdCm * std::sqrt(1.0 + 1.0 / static_cast<double>(n));
}

std::optional<double> DepthModel::conservativeDepthCm(double bmi) const {
  if (!(bmi >= bmiMin && bmi <= bmiMax)) return std::nullopt;  // also rejects NaN
  return std::max(0.0, std::min(regressionLowerBoundCm(bmi), populationLowerBoundCm()));
}

}  // namespace tautband::safety
