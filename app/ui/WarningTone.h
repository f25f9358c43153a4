#pragma once

#include <QObject>
#include <QTemporaryDir>

class QSoundEffect;

namespace tautband::ui {

// The audible half of the pre-emission warning (21 CFR 1040.10(f)): a generated 880 Hz beep
// repeated twice a second while the supervisor is in Warning. Without a sound output the
// page says so and the visible countdown is the only warning; emission is not held back
// because the supervisor, not the GUI, decides emission.
class WarningTone : public QObject {
  Q_OBJECT
 public:
  explicit WarningTone(QObject* parent = nullptr);
  ~WarningTone() override;

  bool available() const { return available_; }
  bool playing() const { return playing_; }
  void setPlaying(bool on);

  // The WAV bytes of one beep cycle (mono, 16-bit, 22.05 kHz): tested on its own.
  static QByteArray beepWav();

 private:
  QTemporaryDir dir_;
  QSoundEffect* effect_ = nullptr;
  bool available_ = false;
  bool playing_ = false;
};

}  // namespace tautband::ui
