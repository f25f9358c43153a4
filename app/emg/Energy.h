#pragma once

namespace tautband::emg {

// Teager-Kaiser energy of the middle sample: x[n]^2 - x[n-1] x[n+1]. For
// A cos(Ωn + φ) it is exactly A² sin²(Ω) whatever the phase. (Templated so
// tests can check it in double.)
template <typename T>
constexpr T teagerKaiser(T previous, T current, T next) {
  return current * current - previous * next;
}

}  // namespace tautband::emg
