#include "EmergencyStop.h"

#include "core/Logging.h"

namespace tautband::ui {

EmergencyStop::EmergencyStop(QObject* parent) : QObject(parent) {}

void EmergencyStop::setHandler(Handler handler) { handler_ = std::move(handler); }

void EmergencyStop::press() {
  ++pressCount_;
  lastPressedAt_ = QDateTime::currentDateTime();
  if (handler_) {
    lastMessage_ = handler_();
  } else {
    // No safety supervisor is wired in this build, so no device can be emitting.
    lastMessage_ = tr("E-STOP pressed. No laser or stimulator is connected in this build, "
                      "so nothing was emitting.");
  }
  core::logger(core::subsystem::kSafety)->warn("E-STOP pressed ({}): {}", pressCount_,
                                               lastMessage_.toStdString());
  emit pressed();
}

}  // namespace tautband::ui
