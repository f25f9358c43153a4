#include "emglive/EmgStream.h"

#include "core/Logging.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace tautband::emglive {

namespace {
constexpr std::uint32_t kMaxChannels = 16;
constexpr std::uint32_t kMinRate = 100;
constexpr std::uint32_t kMaxRate = 48000;

const char* updateName(emg::LtrUpdate u) {
  switch (u) {
    case emg::LtrUpdate::kDetected: return "detected";
    case emg::LtrUpdate::kEnded: return "ended";
    case emg::LtrUpdate::kRetracted: return "retracted";
  }
  return "?";
}
}  // namespace

EmgStream::EmgStream(const core::SessionClock& clock, EmgAudioFeed* audio, Options options)
    : clock_(clock), audio_(audio), options_(std::move(options)), ltrs_(options_.ltrCapacity) {}

EmgStream::~EmgStream() {
  if (recorder_) {
    try {
      recorder_->finish();
    } catch (const std::exception& e) {
      core::logger(core::subsystem::kEmg)->error("EMG recording could not be closed: {}", e.what());
    }
  }
}

void EmgStream::attach(devices::DeviceLink* link) {
  QMetaObject::invokeMethod(this, [this, link] { attachOnThread(link); }, Qt::QueuedConnection);
}

void EmgStream::attachOnThread(devices::DeviceLink* link) {
  disconnect(messageConnection_);
  disconnect(arrivalConnection_);
  disconnect(identifiedConnection_);
  link_ = link;
  streaming_.store(false);
  if (link) {
    // Arrival stamps on the codec thread (no allocation: two atomics per frame),
    // so latency is measured from the frame reaching the host, not this thread.
    arrivalConnection_ = connect(
        link, &devices::DeviceLink::messageReceived, link,
        [this](const std::shared_ptr<const devices::proto::Envelope>& m) {
          if (!m->has_emg_frame()) return;
          auto& slot = arrivals_[m->emg_frame().sequence() % arrivals_.size()];
          slot.us.store(clock_.nowUs(), std::memory_order_relaxed);
          slot.sequence.store(m->emg_frame().sequence(), std::memory_order_release);
        },
        Qt::DirectConnection);
    messageConnection_ = connect(link, &devices::DeviceLink::messageReceived, this, &EmgStream::handleMessage,
                                 Qt::QueuedConnection);
    identifiedConnection_ = connect(link, &devices::DeviceLink::identified, this, [this] { refreshUnits(); },
                                    Qt::QueuedConnection);
    refreshUnits();
  }
  emit streamChanged();
}

double EmgStream::refreshUnits() {
  double units = 0;
  if (link_) {
    if (const auto info = link_->deviceInfo(); info && info->has_emg()) units = info->emg().microvolts_per_unit();
  }
  if (units <= 0) units = options_.fallbackMicrovoltsPerUnit;
  uvPerUnit_ = units;
  statusUnits_.store(units);
  return units;
}

void EmgStream::markInsertion() { commands_.tryPush({Command::kInsertion, clock_.nowS(), 0}); }

void EmgStream::addBlanking(double startS, double endS) { commands_.tryPush({Command::kBlanking, startS, endS}); }

std::shared_ptr<DisplayFeed> EmgStream::display() const {
  std::lock_guard lock(feedMutex_);
  return feed_;
}

EmgStream::Status EmgStream::status() const {
  Status s;
  s.streaming = streaming_.load();
  s.rateHz = statusRate_.load();
  s.channels = statusChannels_.load();
  s.microvoltsPerUnit = statusUnits_.load();
  s.frames = frames_.load();
  s.messages = messages_.load();
  s.lostFrames = lost_.load();
  s.badFrames = bad_.load();
  s.droppedLtrs = droppedLtrs_.load();
  s.detected = detected_.load();
  s.lastLatencyMs = lastLatency_.load();
  s.firstDeviceTimeUs = firstDeviceUs_.load();
  return s;
}

void EmgStream::reconfigure(std::uint32_t channels, std::uint32_t rate, std::size_t framesPerMessage,
                            std::int64_t arrivalUs) {
  auto log = core::logger(core::subsystem::kEmg);
  if (recorder_) {
    stopRecordingOnThread();
    emit recordingFailed(tr("The EMG stream changed format; the recording was closed and hashed."));
  }
  channels_ = channels;
  rate_ = rate;
  frame_ = 0;
  // The last sample of the first message has just arrived: frame 0 is that many frames earlier.
  sessionUsOfFrame0_ = arrivalUs - static_cast<std::int64_t>(static_cast<double>(framesPerMessage) * 1e6 / rate);
  pipeline_ = std::make_unique<emg::EmgPipeline>(rate, channels, options_.settings, this);
  pipeline_->setSessionTimeOfFirstSample(static_cast<double>(sessionUsOfFrame0_) * 1e-6);
  const std::size_t perColumn = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(options_.columnMs * rate / 1000.0)));
  {
    auto feed = std::make_shared<DisplayFeed>(channels, rate, perColumn, options_.displayCapacityColumns,
                                              static_cast<double>(sessionUsOfFrame0_) * 1e-6);
    std::lock_guard lock(feedMutex_);
    feed_ = std::move(feed);
  }
  uv_.assign(std::size_t{4096} * channels, 0.0f);
  zeros_.assign(std::size_t{1024} * channels, 0.0f);
  if (audio_) audio_->configure(rate);
  statusRate_.store(rate);
  statusChannels_.store(static_cast<int>(channels));
  streaming_.store(true);
  log->info("EMG stream: {} ch at {} Hz, {} µV/unit, {} frames per display column", channels, rate, uvPerUnit_,
            perColumn);
  emit streamChanged();
}

void EmgStream::drainCommands() {
  Command c;
  while (commands_.tryPop(c)) {
    if (!pipeline_) continue;
    if (c.kind == Command::kInsertion) {
      pipeline_->markInsertionAtTime(c.a);
      if (recorder_) {
        const std::uint64_t at = pipeline_->sampleAtTime(c.a);
        recorder_->pushEvent({at >= recordFirstFrame_ ? at - recordFirstFrame_ : 0, QStringLiteral(R"({"kind":"insertion","session_s":%1})")
                                                               .arg(c.a, 0, 'f', 6).toStdString()});
      }
    } else {
      pipeline_->addBlankingTime(c.a, c.b);
    }
  }
}

void EmgStream::feed(const float* uv, std::size_t frames) {
  pipeline_->process(uv, frames);
  if (auto* f = feed_.get()) f->decimator.push(uv, frames);
  if (audio_) audio_->push(uv, frames, channels_);
  if (recorder_) recorder_->pushFrames(frame_ - recordFirstFrame_, uv, frames);
  frame_ += frames;
}

void EmgStream::handleMessage(const std::shared_ptr<const devices::proto::Envelope>& message) {
  if (!message->has_emg_frame()) return;
  const auto& f = message->emg_frame();
  messages_.fetch_add(1, std::memory_order_relaxed);
  const std::uint32_t C = f.channel_count();
  const std::uint32_t rate = f.sample_rate_hz();
  if (C == 0 || C > kMaxChannels || rate < kMinRate || rate > kMaxRate || f.samples_size() % C != 0) {
    bad_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (uvPerUnit_ <= 0 && refreshUnits() <= 0) {
    bad_.fetch_add(1, std::memory_order_relaxed);  // no DeviceInfo yet: units unknown, never guess
    return;
  }
  const std::size_t n = static_cast<std::size_t>(f.samples_size()) / C;
  const auto& slot = arrivals_[f.sequence() % arrivals_.size()];
  currentArrivalUs_ = slot.sequence.load(std::memory_order_acquire) == f.sequence()
                          ? slot.us.load(std::memory_order_relaxed)
                          : clock_.nowUs();
  if (!pipeline_ || C != channels_ || rate != rate_) {
    reconfigure(C, rate, n, currentArrivalUs_);
    firstDeviceUs_.store(f.device_time_us());
    lastSequence_ = f.sequence();
  } else if (f.sequence() > lastSequence_ + 1) {
    // Lost device frames: keep sample indices on device time with blanked zeros
    // (at most one second), so later events keep their true times.
    const std::uint64_t lost = (f.sequence() - lastSequence_ - 1) * n;
    lost_.fetch_add(lost, std::memory_order_relaxed);
    std::uint64_t fill = std::min<std::uint64_t>(lost, rate_);
    pipeline_->addBlanking(frame_, frame_ + fill);
    while (fill > 0) {
      const std::size_t k = std::min<std::size_t>(fill, zeros_.size() / C);
      feed(zeros_.data(), k);
      fill -= k;
    }
  }
  lastSequence_ = f.sequence();
  if (!pendingRecordPath_.isEmpty()) {
    const QString path = std::exchange(pendingRecordPath_, QString());
    startRecordingOnThread(path, std::exchange(pendingRecordMeta_, QString()));
  }
  drainCommands();

  processed_[processedNext_] = {frame_, n, currentArrivalUs_};
  processedNext_ = (processedNext_ + 1) % processed_.size();

  const std::int32_t* raw = f.samples().data();
  const auto scale = static_cast<float>(uvPerUnit_);
  std::size_t left = n;
  while (left > 0) {
    const std::size_t k = std::min(left, uv_.size() / C);
    for (std::size_t i = 0; i < k * C; ++i) uv_[i] = static_cast<float>(raw[i]) * scale;
    feed(uv_.data(), k);
    raw += k * C;
    left -= k;
  }
  frames_.store(frame_, std::memory_order_relaxed);
  if (ltrPending_) {
    ltrPending_ = false;
    emit ltrAvailable();
  }
}

void EmgStream::onLtr(const emg::LtrEvent& event, emg::LtrUpdate update) {
  LtrRecord record{event, update, clock_.nowUs(), -1};
  for (const auto& p : processed_) {
    if (p.frames > 0 && event.onsetSample >= p.firstFrame && event.onsetSample < p.firstFrame + p.frames) {
      record.latencyMs = static_cast<double>(record.publishedUs - p.arrivalUs) / 1000.0;
      break;
    }
  }
  if (update == emg::LtrUpdate::kDetected) {
    detected_.fetch_add(1, std::memory_order_relaxed);
    if (record.latencyMs >= 0) lastLatency_.store(record.latencyMs);
  }
  if (!ltrs_.tryPush(record)) droppedLtrs_.fetch_add(1, std::memory_order_relaxed);
  ltrPending_ = true;
  if (recorder_) {
    // One small JSON per LTR update (not per sample); the recorder cuts the thumbnail window.
    const std::uint64_t recordFrame = event.onsetSample >= recordFirstFrame_ ? event.onsetSample - recordFirstFrame_ : 0;
    const QJsonObject json{{"kind", "ltr"},
                           {"update", updateName(update)},
                           {"id", static_cast<double>(event.id)},
                           {"channel", event.channel + 1},
                           {"onset_s", event.onsetS},
                           {"offset_s", event.hasOffset ? QJsonValue(event.offsetS) : QJsonValue()},
                           {"peak_uv", static_cast<double>(event.peakUv)},
                           {"confidence", static_cast<double>(event.confidence)},
                           {"automatic", true}};
    recorder_->pushEvent({recordFrame, QJsonDocument(json).toJson(QJsonDocument::Compact).toStdString(),
                          update == emg::LtrUpdate::kDetected, static_cast<std::uint32_t>(event.channel)});
  }
}

void EmgStream::startRecording(const QString& path, const QString& metadataJson) {
  QMetaObject::invokeMethod(
      this, [this, path, metadataJson] {
        if (!pipeline_) {  // no stream yet: start with the first frame
          pendingRecordPath_ = path;
          pendingRecordMeta_ = metadataJson;
          return;
        }
        startRecordingOnThread(path, metadataJson);
      },
      Qt::QueuedConnection);
}

void EmgStream::stopRecording() {
  QMetaObject::invokeMethod(this, [this] {
    pendingRecordPath_.clear();
    stopRecordingOnThread();
  }, Qt::QueuedConnection);
}

void EmgStream::startRecordingOnThread(const QString& path, const QString& metadataJson) {
  if (recorder_) stopRecordingOnThread();
  emgrecord::RecordingHeader header;
  header.channels = channels_;
  header.sampleRateHz = rate_;
  recordFirstFrame_ = frame_;
  header.sessionUsOfFrame0 = sessionUsOfFrame0_ + static_cast<std::int64_t>(static_cast<double>(frame_) * 1e6 / rate_);
  QJsonObject meta = QJsonDocument::fromJson(metadataJson.toUtf8()).object();
  meta.insert(QStringLiteral("microvolts_per_unit"), uvPerUnit_);
  if (link_) {
    if (const auto info = link_->deviceInfo()) {
      meta.insert(QStringLiteral("device"), QJsonObject{{"vendor", QString::fromStdString(info->vendor())},
                                                        {"model", QString::fromStdString(info->model())},
                                                        {"serial", QString::fromStdString(info->serial())},
                                                        {"firmware", QString::fromStdString(info->firmware())}});
    }
  }
  header.metadataJson = QJsonDocument(meta).toJson(QJsonDocument::Compact).toStdString();
  try {
    recorder_ = std::make_unique<EmgRecorder>(path.toStdString(), header, EmgRecorder::Options{});
    emit recordingStarted(path, rate_, static_cast<int>(channels_), header.sessionUsOfFrame0);
  } catch (const std::exception& e) {
    emit recordingFailed(QString::fromStdString(e.what()));
  }
}

void EmgStream::stopRecordingOnThread() {
  if (!recorder_) return;
  auto recorder = std::move(recorder_);
  const std::int64_t startUs = sessionUsOfFrame0_ + static_cast<std::int64_t>(static_cast<double>(recordFirstFrame_) * 1e6 / rate_);
  try {
    const std::string hash = recorder->finish();
    emit recordingFinished(QString::fromStdString(recorder->path().string()), QString::fromStdString(hash), rate_,
                           static_cast<int>(channels_), startUs, recorder->droppedFrames());
  } catch (const std::exception& e) {
    emit recordingFailed(QString::fromStdString(e.what()));
  }
}

// ---------------------------------------------------------------------------

EmgThread::EmgThread(const core::SessionClock& clock, EmgAudioFeed* audio, EmgStream::Options options)
    : stream_(new EmgStream(clock, audio, std::move(options))) {
  thread_.setObjectName(QStringLiteral("emg"));
  stream_->moveToThread(&thread_);
  QObject::connect(&thread_, &QThread::finished, stream_, &QObject::deleteLater);
  thread_.start(QThread::HighPriority);
}

EmgThread::~EmgThread() {
  thread_.quit();
  thread_.wait();
}

}  // namespace tautband::emglive
