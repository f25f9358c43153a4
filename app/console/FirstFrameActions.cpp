#include "console/FirstFrameActions.h"

#include "core/Logging.h"

#include <QCoreApplication>
#include <QImage>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>

namespace tautband::console {

FirstFrameActions::FirstFrameActions(QQuickWindow& window, Settings settings,
                                     const QElapsedTimer& sinceStart, QObject* parent)
    : QObject(parent), window_(window), settings_(std::move(settings)), sinceStart_(sinceStart) {
  // frameSwapped is emitted on the render thread with the threaded loop.
  connect(&window_, &QQuickWindow::frameSwapped, this, &FirstFrameActions::onFrameSwapped,
          Qt::QueuedConnection);
}

void FirstFrameActions::onFrameSwapped() {
  if (done_) return;
  done_ = true;
  const auto elapsedMs = sinceStart_.elapsed();
  auto log = core::logger(core::subsystem::kUi);
  log->info("first frame drawn {} ms after start", elapsedMs);
  if (settings_.printStartupTime) {
    std::printf("first-frame %lld\n", static_cast<long long>(elapsedMs));
    std::fflush(stdout);
  }
  // With --quit-after the screenshot shows the console just before it quits
  // (devices connected, data on screen); without, the first frame.
  const int quitAfter = settings_.quitAfterMs.value_or(0);
  if (!settings_.screenshotPath.isEmpty() || settings_.quitAfterMs) {
    QTimer::singleShot(quitAfter, QCoreApplication::instance(), [this] {
      if (!settings_.screenshotPath.isEmpty()) saveScreenshot();
      QCoreApplication::exit(exitCode_);
    });
  }
}

void FirstFrameActions::saveScreenshot() {
  auto log = core::logger(core::subsystem::kUi);
  const QImage image = window_.grabWindow();
  if (image.isNull() || !image.save(settings_.screenshotPath, "PNG")) {
    log->error("could not save screenshot to {}", settings_.screenshotPath.toStdString());
    std::fprintf(stderr, "tautband: could not save screenshot to %s\n", qPrintable(settings_.screenshotPath));
    exitCode_ = 1;
  } else {
    log->info("screenshot saved to {}", settings_.screenshotPath.toStdString());
  }
}

}  // namespace tautband::console
