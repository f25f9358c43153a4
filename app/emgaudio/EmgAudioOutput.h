#pragma once

#include "emglive/EmgAudioFeed.h"

#include <QAudioFormat>
#include <QIODevice>
#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QAudioSink;
QT_END_NAMESPACE

namespace tautband::emgaudio {

// The pull side of the EMG sound: QAudioSink reads int16 mono from here on
// its own schedule. Resamples the feed's rate to the output rate (linear),
// applies gain and mute, keeps the sound near live (drops backlog above
// maxLagS) and plays silence when the feed runs dry (counted). Never touches
// the EMG thread: it only reads the lock-free feed.
class EmgAudioSource : public QIODevice {
 public:
  EmgAudioSource(emglive::EmgAudioFeed& feed, int outputRateHz, double maxLagS = 0.15);

  void setGainUvFullScale(double uv) { fullScaleUv_.store(uv > 1 ? uv : 1); }  // µV that reach full scale
  void setMuted(bool muted) { muted_.store(muted); }
  std::uint64_t underrunSamples() const { return underruns_.load(); }
  std::uint64_t skippedSamples() const { return skipped_.load(); }

  // Fills `count` output samples (the QIODevice path calls this; tests too).
  void render(std::int16_t* out, std::size_t count);

 protected:
  qint64 readData(char* data, qint64 maxSize) override;
  qint64 writeData(const char*, qint64) override { return -1; }
  qint64 bytesAvailable() const override { return 4096 + QIODevice::bytesAvailable(); }
  bool isSequential() const override { return true; }

 private:
  emglive::EmgAudioFeed& feed_;
  int outRate_;
  double maxLagS_;
  std::atomic<double> fullScaleUv_{500.0};
  std::atomic<bool> muted_{false};
  std::atomic<std::uint64_t> underruns_{0}, skipped_{0};
  std::vector<float> in_;
  double position_ = 0;  // fractional read position into in_
  std::size_t inCount_ = 0;
  float last_ = 0;
};

// Plays the EMG through the default audio output. Without an audio device it
// says so (available() false, message()) and the console carries on: the
// pipeline does not depend on this object at all.
class EmgAudioOutput : public QObject {
  Q_OBJECT
 public:
  EmgAudioOutput(emglive::EmgAudioFeed& feed, QObject* parent = nullptr);
  ~EmgAudioOutput() override;

  // Looks for the default output and starts it; false (with message()) when
  // there is none or it cannot start. forceNoDevice simulates a machine
  // without sound hardware (tests).
  bool start(bool forceNoDevice = false);
  void stop();

  bool available() const { return sink_ != nullptr; }
  const QString& message() const { return message_; }
  void setGain(double uvFullScale);
  void setMuted(bool muted);
  EmgAudioSource* source() const { return source_.get(); }

 signals:
  void availabilityChanged();

 private:
  emglive::EmgAudioFeed& feed_;
  std::unique_ptr<EmgAudioSource> source_;
  QAudioSink* sink_ = nullptr;
  QString message_;
  double gain_ = 500;
  bool muted_ = false;
};

}  // namespace tautband::emgaudio
