#pragma once

#include "core/SessionClock.h"
#include "devices/link/DeviceLink.h"
#include "emg/DisplayDecimator.h"
#include "emg/EmgPipeline.h"
#include "emglive/EmgAudioFeed.h"
#include "emglive/EmgRecorder.h"
#include "emglive/SpscRing.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>

namespace tautband::emglive {

// An LTR as the EMG thread publishes it (to the GUI and the recording).
struct LtrRecord {
  emg::LtrEvent event;
  emg::LtrUpdate update = emg::LtrUpdate::kDetected;
  std::int64_t publishedUs = 0;  // session clock when the EMG thread put it on the log
  double latencyMs = -1;         // publishedUs - arrival of the frame holding the onset (-1 unknown)
};

// What the trace reads: min/max columns, recreated when the stream's rate or
// channel count changes (the GUI keeps its shared_ptr until it asks again).
struct DisplayFeed {
  DisplayFeed(std::size_t channels, double rateHz, std::size_t framesPerColumn, std::size_t capacity,
              double sessionSOfFrame0)
      : decimator(channels, framesPerColumn, capacity), channels(channels), rateHz(rateHz),
        framesPerColumn(framesPerColumn), sessionSOfFrame0(sessionSOfFrame0) {}
  emg::DisplayDecimator decimator;
  const std::size_t channels;
  const double rateHz;
  const std::size_t framesPerColumn;
  const double sessionSOfFrame0;
};

// The EMG pipeline thread's worker: receives EmgFrame envelopes from the EMG
// device link (queued onto this object's thread), converts device units to
// µV with the DeviceInfo's microvolts_per_unit, feeds the LTR pipeline, the
// display decimator, the audio feed and the recorder, and publishes LTRs on
// the session clock. The hot path does not allocate (buffers are sized when
// the stream's format changes) and never waits for the GUI: every hand-over
// is a bounded lock-free ring that drops and counts.
class EmgStream : public QObject, public emg::LtrEventSink {
  Q_OBJECT
 public:
  struct Options {
    emg::PipelineSettings settings;
    double columnMs = 2.0;                   // display decimation: one min/max column per this
    std::size_t displayCapacityColumns = 8192;
    std::size_t ltrCapacity = 256;
    // Used only when the link has no DeviceInfo with EMG capabilities (test
    // harnesses injecting frames); 0 = drop frames until the units are known.
    double fallbackMicrovoltsPerUnit = 0;
  };
  struct Status {
    bool streaming = false;
    double rateHz = 0;
    int channels = 0;
    double microvoltsPerUnit = 0;
    std::uint64_t frames = 0;         // sample frames processed
    std::uint64_t messages = 0;       // EmgFrame envelopes
    std::uint64_t lostFrames = 0;     // device frames missing (sequence gaps), filled and blanked
    std::uint64_t badFrames = 0;      // malformed envelopes dropped
    std::uint64_t droppedLtrs = 0;    // LTR records the GUI did not take in time
    std::uint64_t detected = 0;
    std::uint64_t recorderDroppedFrames = 0;
    double lastLatencyMs = -1;
    std::uint64_t firstDeviceTimeUs = 0;  // device clock of frame 0 (maps device events to frames)
  };

  EmgStream(const core::SessionClock& clock, EmgAudioFeed* audio, Options options);
  ~EmgStream() override;

  // Any thread: listen to this link from now on (nullptr detaches).
  void attach(devices::DeviceLink* link);

  // GUI thread (single producer): an insertion/redirection now; an e-stim
  // pulse train over [startS, endS) of session time (before it happens).
  void markInsertion();
  void addBlanking(double startSessionS, double endSessionS);

  // GUI thread (single consumer).
  bool takeLtr(LtrRecord& out) { return ltrs_.tryPop(out); }
  std::shared_ptr<DisplayFeed> display() const;
  Status status() const;

  // Any thread: record the raw stream to `path` from the next frame (the
  // file is created on the EMG thread); stop returns through recordingFinished.
  void startRecording(const QString& path, const QString& metadataJson);
  void stopRecording();

  const core::SessionClock& clock() const { return clock_; }

 signals:
  void ltrAvailable();   // records are waiting in takeLtr (coalesced)
  void streamChanged();  // rate, channels or attachment changed
  void recordingStarted(const QString& path, double rateHz, int channels, qint64 sessionUsOfFrame0);
  void recordingFinished(const QString& path, const QString& blake2b256, double rateHz, int channels,
                         qint64 sessionUsOfFrame0, quint64 droppedFrames);
  void recordingFailed(const QString& reason);

 private:
  struct Command {
    enum Kind : std::uint8_t { kInsertion, kBlanking } kind = kInsertion;
    double a = 0, b = 0;
  };
  struct Arrival {
    std::atomic<std::uint64_t> sequence{0};
    std::atomic<std::int64_t> us{0};
  };
  struct Processed {
    std::uint64_t firstFrame = 0, frames = 0;
    std::int64_t arrivalUs = 0;
  };

  void onLtr(const emg::LtrEvent& event, emg::LtrUpdate update) override;  // pipeline callback (EMG thread)
  void attachOnThread(devices::DeviceLink* link);
  void handleMessage(const std::shared_ptr<const devices::proto::Envelope>& message);
  void reconfigure(std::uint32_t channels, std::uint32_t rate, std::size_t framesPerMessage, std::int64_t arrivalUs);
  void drainCommands();
  void feed(const float* uv, std::size_t frames);
  void startRecordingOnThread(const QString& path, const QString& metadataJson);
  void stopRecordingOnThread();
  double refreshUnits();

  const core::SessionClock& clock_;
  EmgAudioFeed* audio_;
  Options options_;
  QPointer<devices::DeviceLink> link_;
  QMetaObject::Connection messageConnection_, arrivalConnection_, identifiedConnection_;

  std::unique_ptr<emg::EmgPipeline> pipeline_;
  std::shared_ptr<DisplayFeed> feed_;
  mutable std::mutex feedMutex_;  // guards the pointer only, never held while drawing
  std::unique_ptr<EmgRecorder> recorder_;
  std::vector<float> uv_, zeros_;
  std::uint32_t channels_ = 0, rate_ = 0;
  double uvPerUnit_ = 0;
  std::uint64_t frame_ = 0;
  std::uint64_t lastSequence_ = 0;
  std::int64_t sessionUsOfFrame0_ = 0;
  bool ltrPending_ = false;
  std::int64_t currentArrivalUs_ = 0;
  std::uint64_t recordFirstFrame_ = 0;
  QString pendingRecordPath_, pendingRecordMeta_;

  SpscRing<Command> commands_{256};
  SpscRing<LtrRecord> ltrs_;
  std::array<Arrival, 1024> arrivals_;
  std::array<Processed, 512> processed_{};
  std::size_t processedNext_ = 0;

  std::atomic<bool> streaming_{false};
  std::atomic<double> statusRate_{0}, statusUnits_{0}, lastLatency_{-1};
  std::atomic<int> statusChannels_{0};
  std::atomic<std::uint64_t> firstDeviceUs_{0};
  std::atomic<std::uint64_t> frames_{0}, messages_{0}, lost_{0}, bad_{0}, droppedLtrs_{0}, detected_{0};
};

// The EMG pipeline thread: owns a QThread and the EmgStream living on it.
class EmgThread {
 public:
  EmgThread(const core::SessionClock& clock, EmgAudioFeed* audio, EmgStream::Options options = {});
  ~EmgThread();
  EmgStream& stream() { return *stream_; }

 private:
  QThread thread_;
  EmgStream* stream_;
};

}  // namespace tautband::emglive
