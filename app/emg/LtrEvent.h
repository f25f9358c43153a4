#pragma once

#include <cstdint>

namespace tautband::emg {

// A local twitch response found on one channel. Times are on the session
// clock (seconds); sample indices count frames since the pipeline started.
struct LtrEvent {
  std::uint64_t id = 0;          // unique per pipeline, the same in every update of one burst
  int channel = 0;               // 0-based channel index
  std::uint64_t onsetSample = 0;
  std::uint64_t offsetSample = 0;  // valid when hasOffset
  bool hasOffset = false;
  double onsetS = 0;
  double offsetS = 0;            // valid when hasOffset
  float peakUv = 0;              // largest |filtered sample| so far
  float confidence = 0;          // 0..1 ranking score (docs/EMG.md), not a probability
  std::uint64_t emittedAtSample = 0;  // frame at which the pipeline decided (latency)
};

enum class LtrUpdate {
  kDetected,   // onset + minimum burst reached: the event is new
  kEnded,      // the burst ended: offset and final peak are known
  kRetracted,  // withdrawn (late insertion mark, or the burst grew longer than an LTR can be)
};

// Receives events synchronously from EmgPipeline::process(); implementations
// must be quick and should not block (e.g. push into a bounded queue).
class LtrEventSink {
 public:
  virtual ~LtrEventSink() = default;
  virtual void onLtr(const LtrEvent& event, LtrUpdate update) = 0;
};

}  // namespace tautband::emg
