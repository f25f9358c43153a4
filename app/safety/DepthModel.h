#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tautband::safety {

// A conservative skin-to-pleura depth model for some lung-field zones: a linear regression
// on BMI (Kim et al. 2002 form: depth_cm = intercept + slope * BMI) used only inside the
// study's BMI range, and never above a population prediction bound. Parameters are data
// (rules.json "depth_models"); see docs/SAFETY.md "Needle length over the lung".
struct DepthModel {
  std::string id;
  std::string source;
  double interceptCm = 0.0;
  double slopeCmPerBmi = 0.0;
  double residualSdCm = 0.0;      // dispersion about the line (see SAFETY.md for why 0.7 cm)
  int n = 0;                      // study size
  double bmiMean = 0.0;
  double bmiSd = 0.0;
  double bmiMin = 0.0;            // data range: outside it the model is not used
  double bmiMax = 0.0;
  double tOneSided = 0.0;         // Student t, n-2 df, one-sided 95 %
  double populationMeanCm = 0.0;
  double populationSdCm = 0.0;
  std::vector<std::string> zoneIds;

  // Mean predicted depth at this BMI (no bound), cm.
  double predictedCm(double bmi) const;
  // One-sided lower prediction bound for ONE new patient at this BMI:
  //   pred - t * s * sqrt(1 + 1/n + (BMI - mean)^2 / ((n - 1) * sd^2))
  double regressionLowerBoundCm(double bmi) const;
  // Same bound ignoring BMI: mean - t * sd * sqrt(1 + 1/n).
  double populationLowerBoundCm() const;
  // min(regression bound, population bound), cm, or nullopt outside [bmiMin, bmiMax].
  // No positioning credit is ever added (Mitchell et al. 2018: do not rely on it).
  std::optional<double> conservativeDepthCm(double bmi) const;
};

}  // namespace tautband::safety
