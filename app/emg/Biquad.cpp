#include "emg/Biquad.h"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace tautband::emg {

namespace {

void checkFrequency(const char* what, double hz, double sampleRateHz) {
  if (!(sampleRateHz > 0) || !(hz > 0) || !(hz < sampleRateHz / 2)) {
    throw std::invalid_argument(std::string(what) + " frequency " + std::to_string(hz) +
                                " Hz is not between 0 and Nyquist (" + std::to_string(sampleRateHz / 2) +
                                " Hz)");
  }
}

}  // namespace

std::complex<double> BiquadCoefficients::response(double frequencyHz, double sampleRateHz) const {
  const double w = 2 * std::numbers::pi * frequencyHz / sampleRateHz;
  const std::complex<double> z1 = std::polar(1.0, -w);
  const std::complex<double> z2 = z1 * z1;
  return (b0 + b1 * z1 + b2 * z2) / (1.0 + a1 * z1 + a2 * z2);
}

BiquadCoefficients designHighPass(double cornerHz, double q, double sampleRateHz) {
  checkFrequency("high-pass", cornerHz, sampleRateHz);
  const double w0 = 2 * std::numbers::pi * cornerHz / sampleRateHz;
  const double cosw = std::cos(w0);
  const double alpha = std::sin(w0) / (2 * q);
  const double a0 = 1 + alpha;
  return {(1 + cosw) / 2 / a0, -(1 + cosw) / a0, (1 + cosw) / 2 / a0, -2 * cosw / a0, (1 - alpha) / a0};
}

BiquadCoefficients designNotch(double centreHz, double q, double sampleRateHz) {
  checkFrequency("notch", centreHz, sampleRateHz);
  if (!(q > 0)) throw std::invalid_argument("notch Q must be positive");
  const double w0 = 2 * std::numbers::pi * centreHz / sampleRateHz;
  const double cosw = std::cos(w0);
  const double alpha = std::sin(w0) / (2 * q);
  const double a0 = 1 + alpha;
  return {1 / a0, -2 * cosw / a0, 1 / a0, -2 * cosw / a0, (1 - alpha) / a0};
}

std::vector<BiquadCoefficients> designButterworthHighPass(double cornerHz, int order, double sampleRateHz) {
  // Section Qs of an analog Butterworth: 1 / (2 sin((2k-1) pi / (2N))).
  if (order != 2 && order != 4) throw std::invalid_argument("high-pass order must be 2 or 4");
  std::vector<BiquadCoefficients> sections;
  for (int k = 1; k <= order / 2; ++k) {
    const double q = 1.0 / (2.0 * std::sin((2.0 * k - 1.0) * std::numbers::pi / (2.0 * order)));
    sections.push_back(designHighPass(cornerHz, q, sampleRateHz));
  }
  return sections;
}

double cascadeGain(const std::vector<BiquadCoefficients>& sections, double frequencyHz, double sampleRateHz) {
  std::complex<double> h = 1.0;
  for (const auto& s : sections) h *= s.response(frequencyHz, sampleRateHz);
  return std::abs(h);
}

}  // namespace tautband::emg
