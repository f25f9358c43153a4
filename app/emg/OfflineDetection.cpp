#include "emg/OfflineDetection.h"

#include <algorithm>

namespace tautband::emg {

void LtrEventCollector::onLtr(const LtrEvent& event, LtrUpdate update) {
  auto same = [&](const LtrEvent& e) { return e.id == event.id; };
  switch (update) {
    case LtrUpdate::kDetected:
      events_.push_back(event);
      break;
    case LtrUpdate::kEnded:
      if (auto it = std::find_if(events_.rbegin(), events_.rend(), same); it != events_.rend()) *it = event;
      break;
    case LtrUpdate::kRetracted:
      if (auto it = std::find_if(events_.rbegin(), events_.rend(), same); it != events_.rend()) {
        events_.erase(std::next(it).base());
        ++retractions_;
      }
      break;
  }
}

DetectionResult detectLtrs(const EmgRecording& recording, const PipelineSettings& settings,
                           const std::vector<std::uint64_t>& insertionMarks, std::size_t blockFrames) {
  LtrEventCollector collector;
  EmgPipeline pipeline(recording.sampleRateHz, recording.channels, settings, &collector);
  std::vector<std::uint64_t> marks = insertionMarks;
  std::sort(marks.begin(), marks.end());
  std::size_t nextMark = 0;
  const std::size_t frames = recording.frames();
  blockFrames = std::max<std::size_t>(1, blockFrames);
  for (std::size_t f = 0; f < frames; f += blockFrames) {
    const std::size_t n = std::min(blockFrames, frames - f);
    while (nextMark < marks.size() && marks[nextMark] < f + n) pipeline.markInsertionAtSample(marks[nextMark++]);
    pipeline.process(recording.samplesUv.data() + f * recording.channels, n);
  }
  DetectionResult result;
  result.events = collector.events();
  std::sort(result.events.begin(), result.events.end(),
            [](const LtrEvent& a, const LtrEvent& b) { return a.onsetSample < b.onsetSample; });
  result.statistics = pipeline.statistics();
  result.durationS = static_cast<double>(frames) / recording.sampleRateHz;
  return result;
}

}  // namespace tautband::emg
