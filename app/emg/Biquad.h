#pragma once

#include <array>
#include <complex>
#include <vector>

namespace tautband::emg {

// Normalised biquad coefficients (a0 = 1), transfer function
// H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2).
struct BiquadCoefficients {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;

  // Complex response at frequencyHz for a sample rate sampleRateHz.
  std::complex<double> response(double frequencyHz, double sampleRateHz) const;
};

// Designs (RBJ audio-EQ cookbook = bilinear transform prewarped at the corner)
// at run time for the actual sample rate. Throw std::invalid_argument when the
// frequency is not inside (0, Nyquist).
BiquadCoefficients designHighPass(double cornerHz, double q, double sampleRateHz);
BiquadCoefficients designNotch(double centreHz, double q, double sampleRateHz);

// Butterworth high-pass of order 2 or 4 as a cascade of biquads (-3 dB at cornerHz).
std::vector<BiquadCoefficients> designButterworthHighPass(double cornerHz, int order, double sampleRateHz);

// Magnitude of a cascade at one frequency.
double cascadeGain(const std::vector<BiquadCoefficients>& sections, double frequencyHz, double sampleRateHz);

}  // namespace tautband::emg
