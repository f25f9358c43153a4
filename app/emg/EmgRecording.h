#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace tautband::emg {

// A whole recording in memory: interleaved frames in µV.
struct EmgRecording {
  double sampleRateHz = 0;
  std::size_t channels = 0;
  std::vector<float> samplesUv;  // frames x channels, frame-major
  std::vector<std::string> channelNames;

  std::size_t frames() const { return channels == 0 ? 0 : samplesUv.size() / channels; }
  // One channel (0-based) as its own single-channel recording.
  EmgRecording channel(std::size_t index) const;
};

// Any file the readers cannot accept; what() is one line for the user.
class EmgReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// WFDB record: a `.hea` path or the record stem (`dir/emg_healthy`). Format 16
// only (int16 little-endian), all signals in one .dat file; gain in units per
// mV/µV/V (any case), baseline from the gain field or ADC zero.
EmgRecording readWfdb(const std::filesystem::path& pathOrStem);

// CSV written by `emg record`: header `t_s,ch1,...`, one row per frame, µV.
EmgRecording readEmgCsv(const std::filesystem::path& path);

// Picks the reader from the name: .csv -> CSV, otherwise WFDB.
EmgRecording readEmgRecording(const std::filesystem::path& path);

}  // namespace tautband::emg
