#pragma once

#include "report/SessionRecord.h"

#include "emg/EmgRecording.h"

#include <QString>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace tautband::report {

// One event on the session clock (BRIEF §4): what the EDF+ annotations and the
// events CSV hold.
struct TimedEvent {
  std::int64_t clockUs = 0;
  std::int64_t durationUs = 0;  // 0 = an instant
  QString kind;                 // ltr | laser-on | laser-off | needle-in | needle-out | estim | pain | adverse-event
  QString text;                 // the annotation text
};

// LTR onsets (with source and decision), laser on/off, needle insertions and
// removals, e-stim (with duration), pain scores and adverse events, in clock order.
std::vector<TimedEvent> sessionEvents(const SessionRecord& record);

// Where the samples come from: a recording in memory whose first frame sits at
// `firstFrameClockUs` on the session clock.
struct SignalSource {
  const emg::EmgRecording* recording = nullptr;
  std::int64_t firstFrameClockUs = 0;
  QString equipment;  // amplifier model, for the EDF header
};

struct EdfResult {
  std::int64_t dataRecords = 0;
  double recordSeconds = 0;
  int annotationSamplesPerRecord = 0;
  int annotations = 0;
};

class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// EDF+ (continuous, "EDF+C") of the EMG channels plus an "EDF Annotations"
// signal. Annotation onsets are seconds from the first sample (negative for
// events before it), so every annotation sits on the same clock as the
// samples. Header text is US-ASCII (EDF requires it): other characters in
// names become '_'; annotation texts are UTF-8 as EDF+ allows. Written
// atomically. Throws ExportError.
EdfResult writeEdfPlus(const QString& path, const SessionRecord& record, const SignalSource& source,
                       const std::vector<TimedEvent>& events);

// CSV: `path` holds `t_s,<channel>...` (t_s on the session clock, µV), and
// `path + ".events.csv"` holds `onset_s,duration_s,kind,text`. Cells are quoted
// when needed; a cell starting with = + - @ is prefixed with ' (spreadsheet
// formula injection). Returns the events file path.
QString writeSignalCsv(const QString& path, const SignalSource& source, const std::vector<TimedEvent>& events);

// Loads any recording the console or the tests have: the console's chunked
// recording file (app/emgrecord, "TBEMGR01": its frame-0 session clock is
// returned in *firstFrameClockUs; gaps are zero-filled), WFDB or CSV.
emg::EmgRecording loadRecording(const std::filesystem::path& path, std::int64_t* firstFrameClockUs);

}  // namespace tautband::report
