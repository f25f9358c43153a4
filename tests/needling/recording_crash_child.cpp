// Child for test_emg_recording_crash: writes a recording through EmgRecorder
// (the console's path) as fast as the disk allows, printing how many frames
// the recorder has written after each block, until it is killed.
#include "emglive/EmgRecorder.h"

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  tautband::emgrecord::RecordingHeader header;
  header.channels = 4;
  header.sampleRateHz = 8000;
  tautband::emglive::EmgRecorder::Options options;
  options.chunkFrames = 400;
  tautband::emglive::EmgRecorder recorder(argv[1], header, options);
  std::vector<float> block(200 * 4);
  for (std::uint64_t first = 0;; first += 200) {
    for (std::size_t f = 0; f < 200; ++f)
      for (std::size_t c = 0; c < 4; ++c) block[f * 4 + c] = static_cast<float>((first + f) % 100000) + 0.5f * c;
    while (!recorder.pushFrames(first, block.data(), 200)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::printf("%llu\n", static_cast<unsigned long long>(recorder.framesWritten()));
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}
