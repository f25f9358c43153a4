#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

namespace tautband::devices {

// Shared between a Bluetooth link's transports (I/O thread) and whoever
// knows what the device should be saying (the console, any thread).
//
// Bluetooth reports a lost link only after the supervision timeout (seconds,
// chosen by the peripheral), and until then a device that walked out of
// range looks "connected". So the console watches the data instead: when a
// device is expected to talk (a laser sends status every 50 ms; an EMG
// amplifier streams while started), silence longer than silenceLimit means the
// link is treated as lost at once: emission-off is attempted, the link's
// safety path is cleared and it reconnects. 0 turns the check off (an idle
// EMG amplifier legitimately says nothing).
class BluetoothLinkControl {
 public:
  void setSilenceLimit(std::chrono::milliseconds limit) { silenceLimitMs_.store(limit.count()); }
  std::chrono::milliseconds silenceLimit() const { return std::chrono::milliseconds(silenceLimitMs_.load()); }

  // Published by the transport when a connection is ready.
  void setPayloadBytes(int bytes) { payloadBytes_.store(bytes); }
  int payloadBytes() const { return payloadBytes_.load(); }
  void setQtReportedMtu(int mtu) { qtMtu_.store(mtu); }
  int qtReportedMtu() const { return qtMtu_.load(); }
  void addStaleDetection() { staleDetections_.fetch_add(1); }
  std::uint64_t staleDetections() const { return staleDetections_.load(); }

  // Run by the transport when it declares a stale link lost, before it
  // closes: the link builder sets it to "write emission-off through the safety
  // path", so emission-off goes first (it may not arrive: the device's own
  // watchdog is the layer that does not depend on the radio).
  void setStaleHook(std::function<void()> hook) {
    std::lock_guard lock(hookMutex_);
    staleHook_ = std::move(hook);
  }
  void runStaleHook() {
    std::function<void()> hook;
    {
      std::lock_guard lock(hookMutex_);
      hook = staleHook_;
    }
    if (hook) hook();
  }

 private:
  std::atomic<std::int64_t> silenceLimitMs_{0};
  std::atomic<int> payloadBytes_{0};
  std::atomic<int> qtMtu_{0};
  std::atomic<std::uint64_t> staleDetections_{0};
  std::mutex hookMutex_;
  std::function<void()> staleHook_;
};

}  // namespace tautband::devices
