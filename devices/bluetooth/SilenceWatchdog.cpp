#include "devices/bluetooth/SilenceWatchdog.h"

namespace tautband::devices {

SilenceWatchdog::SilenceWatchdog(std::shared_ptr<BluetoothLinkControl> control, QObject* parent)
    : QObject(parent), control_(std::move(control)), timer_(this) {
  // 10 ms resolution keeps detection within limit + 10 ms.
  timer_.setInterval(10);
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, &SilenceWatchdog::check);
}

void SilenceWatchdog::start() {
  sinceHeard_.start();
  timer_.start();
}

void SilenceWatchdog::stop() {
  timer_.stop();
}

void SilenceWatchdog::heard() {
  sinceHeard_.restart();
}

void SilenceWatchdog::check() {
  const auto limit = control_ ? control_->silenceLimit().count() : 0;
  if (limit <= 0) {
    sinceHeard_.restart();  // re-armed later from the moment it is turned on
    return;
  }
  const auto silent = sinceHeard_.elapsed();
  if (silent <= limit) return;
  timer_.stop();
  control_->addStaleDetection();
  emit stale(QStringLiteral("no data from the device for %1 ms (limit %2 ms) while BlueZ still reports it "
                            "connected: stale link treated as lost")
                 .arg(silent)
                 .arg(limit));
}

}  // namespace tautband::devices
