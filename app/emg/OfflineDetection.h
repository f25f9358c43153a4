#pragma once

#include "emg/EmgPipeline.h"
#include "emg/EmgRecording.h"
#include "emg/LtrEvent.h"

#include <cstdint>
#include <vector>

namespace tautband::emg {

// Keeps the final state of every event: ended ones carry their offset,
// retracted ones are removed. For offline runs and tests; live code uses its
// own sink (a bounded queue to the GUI/store threads).
class LtrEventCollector final : public LtrEventSink {
 public:
  void onLtr(const LtrEvent& event, LtrUpdate update) override;
  const std::vector<LtrEvent>& events() const { return events_; }
  std::size_t retractions() const { return retractions_; }

 private:
  std::vector<LtrEvent> events_;
  std::size_t retractions_ = 0;
};

struct DetectionResult {
  std::vector<LtrEvent> events;  // sorted by onset
  EmgPipeline::Statistics statistics;
  double durationS = 0;
};

// Runs the live pipeline over a whole recording in blocks of blockFrames, as a
// device would deliver it. insertionMarks are frame indices, handed to the
// pipeline when the stream reaches them (so late-mark retraction is exercised).
DetectionResult detectLtrs(const EmgRecording& recording, const PipelineSettings& settings,
                           const std::vector<std::uint64_t>& insertionMarks = {}, std::size_t blockFrames = 256);

}  // namespace tautband::emg
