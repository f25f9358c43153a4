#include "emgaudio/EmgAudioOutput.h"

#include "core/Logging.h"

#include <QAudioDevice>
#include <QAudioSink>
#include <QMediaDevices>

#include <algorithm>
#include <cmath>

namespace tautband::emgaudio {

EmgAudioSource::EmgAudioSource(emglive::EmgAudioFeed& feed, int outputRateHz, double maxLagS)
    : feed_(feed), outRate_(outputRateHz), maxLagS_(maxLagS), in_(static_cast<std::size_t>(emglive::EmgAudioFeed::kMaxRateHz)) {
  open(QIODevice::ReadOnly);
}

void EmgAudioSource::render(std::int16_t* out, std::size_t count) {
  const double inRate = feed_.sampleRateHz();
  if (!(inRate > 0)) {
    std::fill_n(out, count, std::int16_t{0});
    underruns_.fetch_add(count);
    return;
  }
  // Stay near live: a backlog beyond maxLag is skipped, not played late.
  const auto maxQueued = static_cast<std::size_t>(maxLagS_ * inRate);
  if (feed_.queued() > maxQueued) {
    std::size_t skip = feed_.queued() - maxQueued / 2;
    skipped_.fetch_add(skip);
    while (skip > 0) skip -= feed_.read(in_.data(), std::min(skip, in_.size()));
  }
  const double step = inRate / outRate_;
  // Input needed for this block (plus one for interpolation).
  const auto need = static_cast<std::size_t>(std::ceil(position_ + step * static_cast<double>(count))) + 1;
  if (inCount_ < need && need <= in_.size()) inCount_ += feed_.read(in_.data() + inCount_, need - inCount_);
  const float scale = muted_.load() ? 0.0f : static_cast<float>(32767.0 / fullScaleUv_.load());
  std::size_t produced = 0;
  for (; produced < count; ++produced) {
    const auto i = static_cast<std::size_t>(position_);
    if (i + 1 >= inCount_) break;
    const double frac = position_ - static_cast<double>(i);
    const float v = static_cast<float>(in_[i] * (1.0 - frac) + in_[i + 1] * frac);
    last_ = v;
    out[produced] = static_cast<std::int16_t>(std::clamp(v * scale, -32767.0f, 32767.0f));
    position_ += step;
  }
  if (produced < count) {
    underruns_.fetch_add(count - produced);
    std::fill(out + produced, out + count, std::int16_t{0});
  }
  // Keep the unread tail at the front.
  const auto used = std::min(static_cast<std::size_t>(position_), inCount_);
  std::copy(in_.begin() + static_cast<std::ptrdiff_t>(used), in_.begin() + static_cast<std::ptrdiff_t>(inCount_), in_.begin());
  inCount_ -= used;
  position_ -= static_cast<double>(used);
}

qint64 EmgAudioSource::readData(char* data, qint64 maxSize) {
  const auto count = static_cast<std::size_t>(maxSize / 2);
  render(reinterpret_cast<std::int16_t*>(data), count);
  return static_cast<qint64>(count * 2);
}

// ---------------------------------------------------------------------------

EmgAudioOutput::EmgAudioOutput(emglive::EmgAudioFeed& feed, QObject* parent) : QObject(parent), feed_(feed) {}

EmgAudioOutput::~EmgAudioOutput() { stop(); }

bool EmgAudioOutput::start(bool forceNoDevice) {
  stop();
  auto log = core::logger(core::subsystem::kEmg);
  const QAudioDevice device = forceNoDevice ? QAudioDevice() : QMediaDevices::defaultAudioOutput();
  if (device.isNull()) {
    message_ = tr("No audio output device: the EMG is not audible. Trace and twitch detection carry on.");
    log->warn("{}", message_.toStdString());
    emit availabilityChanged();
    return false;
  }
  QAudioFormat format;
  format.setChannelCount(1);
  format.setSampleFormat(QAudioFormat::Int16);
  format.setSampleRate(device.preferredFormat().sampleRate() > 0 ? device.preferredFormat().sampleRate() : 48000);
  if (!device.isFormatSupported(format)) format.setSampleRate(48000);
  if (!device.isFormatSupported(format)) {
    message_ = tr("The audio device %1 cannot play 16-bit mono: the EMG is not audible.").arg(device.description());
    log->warn("{}", message_.toStdString());
    emit availabilityChanged();
    return false;
  }
  source_ = std::make_unique<EmgAudioSource>(feed_, format.sampleRate());
  source_->setGainUvFullScale(gain_);
  source_->setMuted(muted_);
  sink_ = new QAudioSink(device, format, this);
  sink_->setBufferSize(format.bytesForDuration(60000));  // 60 ms: low latency, few underruns
  sink_->start(source_.get());
  if (sink_->error() != QAudio::NoError) {
    message_ = tr("The audio device %1 did not start: the EMG is not audible.").arg(device.description());
    log->warn("{}", message_.toStdString());
    delete sink_;
    sink_ = nullptr;
    source_.reset();
    emit availabilityChanged();
    return false;
  }
  message_ = tr("EMG audio on %1").arg(device.description());
  log->info("{}", message_.toStdString());
  emit availabilityChanged();
  return true;
}

void EmgAudioOutput::stop() {
  if (sink_) {
    sink_->stop();
    delete sink_;
    sink_ = nullptr;
  }
  source_.reset();
}

void EmgAudioOutput::setGain(double uv) {
  gain_ = uv;
  if (source_) source_->setGainUvFullScale(uv);
}

void EmgAudioOutput::setMuted(bool muted) {
  muted_ = muted;
  if (source_) source_->setMuted(muted);
}

}  // namespace tautband::emgaudio
