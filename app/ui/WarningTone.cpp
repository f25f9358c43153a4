#include "WarningTone.h"

#include "core/Logging.h"

#include <QAudioDevice>
#include <QFile>
#include <QMediaDevices>
#include <QSoundEffect>
#include <QUrl>
#include <QtEndian>

#include <cmath>
#include <numbers>

namespace tautband::ui {
namespace {

void appendLe32(QByteArray& out, quint32 v) {
  char b[4];
  qToLittleEndian(v, b);
  out.append(b, 4);
}
void appendLe16(QByteArray& out, quint16 v) {
  char b[2];
  qToLittleEndian(v, b);
  out.append(b, 2);
}

}  // namespace

QByteArray WarningTone::beepWav() {
  constexpr int kRate = 22050;
  constexpr double kToneHz = 880.0;
  constexpr int kBeepSamples = kRate * 150 / 1000;   // 150 ms tone
  constexpr int kCycleSamples = kRate * 500 / 1000;  // then silence to 500 ms
  QByteArray pcm;
  pcm.reserve(kCycleSamples * 2);
  for (int i = 0; i < kCycleSamples; ++i) {
    double v = 0.0;
    if (i < kBeepSamples) {
      // 5 ms fade in/out: no clicks.
      const double edge = std::min({1.0, i / (kRate * 0.005), (kBeepSamples - i) / (kRate * 0.005)});
      v = 0.6 * edge * std::sin(2.0 * std::numbers::pi * kToneHz * i / kRate);
    }
    appendLe16(pcm, static_cast<quint16>(static_cast<qint16>(std::lround(v * 32767.0))));
  }
  QByteArray wav("RIFF");
  appendLe32(wav, static_cast<quint32>(36 + pcm.size()));
  wav.append("WAVEfmt ");
  appendLe32(wav, 16);
  appendLe16(wav, 1);  // PCM
  appendLe16(wav, 1);  // mono
  appendLe32(wav, kRate);
  appendLe32(wav, kRate * 2);
  appendLe16(wav, 2);
  appendLe16(wav, 16);
  wav.append("data");
  appendLe32(wav, static_cast<quint32>(pcm.size()));
  wav.append(pcm);
  return wav;
}

WarningTone::WarningTone(QObject* parent) : QObject(parent) {
  if (QMediaDevices::defaultAudioOutput().isNull()) {
    core::logger(core::subsystem::kSafety)->warn("no sound output: the laser warning is visible only");
    return;
  }
  const QString path = dir_.filePath(QStringLiteral("laser-warning.wav"));
  QFile file(path);
  if (!dir_.isValid() || !file.open(QIODevice::WriteOnly) || file.write(beepWav()) < 0) return;
  file.close();
  effect_ = new QSoundEffect(this);
  effect_->setSource(QUrl::fromLocalFile(path));
  effect_->setLoopCount(QSoundEffect::Infinite);
  effect_->setVolume(1.0);
  available_ = true;
}

WarningTone::~WarningTone() = default;

void WarningTone::setPlaying(bool on) {
  if (on == playing_) return;
  playing_ = on;
  if (!effect_) return;
  if (on) {
    effect_->play();
  } else {
    effect_->stop();
  }
}

}  // namespace tautband::ui
