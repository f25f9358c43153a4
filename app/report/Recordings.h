#pragma once

#include "report/SessionRecord.h"

#include "emg/EmgRecording.h"

#include <QPainter>

#include <map>
#include <memory>
#include <optional>

namespace tautband::report {

// The session's EMG recordings, loaded on first use from the paths the store
// holds (WFDB or CSV through app/emg readers), or handed in from memory. A
// missing or unreadable file is remembered with its reason so the report can
// say why a trace is absent instead of failing.
class Recordings {
 public:
  // In-memory recording for `info.id` (tests, the EDF export's --emg input).
  void add(const RecordingInfo& info, emg::EmgRecording recording);
  // The recording whose span covers the LTR (its recording id first), or null.
  const emg::EmgRecording* forLtr(const SessionRecord& record, const LtrInfo& ltr, std::int64_t* startClockUs);
  const emg::EmgRecording* load(const RecordingInfo& info);
  QString problem(qint64 recordingId) const;

 private:
  std::map<qint64, std::shared_ptr<emg::EmgRecording>> loaded_;
  std::map<qint64, QString> problems_;
};

// A small trace: [-50 ms, +200 ms] around the onset on channel 0, min/max per
// pixel column, with the onset marked.
void drawTraceThumbnail(QPainter& painter, const QRectF& rect, const emg::EmgRecording& recording,
                        std::int64_t recordingStartClockUs, std::int64_t onsetClockUs, double unitsPerPt);

}  // namespace tautband::report
