#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <optional>

class QQuickWindow;

namespace tautband::console {

// Things done once the first frame is on screen: report the start-up time,
// save a screenshot, schedule the quit. Kept apart from the composition root
// so `--screenshot` and the cold-start benchmark share one definition of
// "first frame".
class FirstFrameActions : public QObject {
  Q_OBJECT
 public:
  struct Settings {
    QString screenshotPath;
    std::optional<int> quitAfterMs;
    bool printStartupTime = false;
  };

  FirstFrameActions(QQuickWindow& window, Settings settings, const QElapsedTimer& sinceStart,
                    QObject* parent = nullptr);

  // Non-zero when the screenshot could not be written.
  int exitCode() const { return exitCode_; }

 private:
  void onFrameSwapped();
  void saveScreenshot();

  QQuickWindow& window_;
  Settings settings_;
  const QElapsedTimer& sinceStart_;
  bool done_ = false;
  int exitCode_ = 0;
};

}  // namespace tautband::console
