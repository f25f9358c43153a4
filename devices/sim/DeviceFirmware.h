#pragma once

#include <QString>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tautband::devices::sim {

// What a firmware sends, as whole units (a frame, a packet, a text line), so
// the host's fault injection drops or corrupts whole units. One flat buffer:
// no allocation per unit once it has grown.
class FirmwareOutput {
 public:
  void add(std::span<const std::uint8_t> unit) {
    bytes_.insert(bytes_.end(), unit.begin(), unit.end());
    ends_.push_back(bytes_.size());
  }
  void add(std::string_view text) {
    add(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  // For encoders that append in place: write into buffer(), then endUnit().
  std::vector<std::uint8_t>& buffer() { return bytes_; }
  void endUnit() { ends_.push_back(bytes_.size()); }

  std::size_t units() const { return ends_.size(); }
  std::span<std::uint8_t> unit(std::size_t i) {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return {bytes_.data() + begin, ends_[i] - begin};
  }
  bool empty() const { return ends_.empty(); }
  void clear() {
    bytes_.clear();
    ends_.clear();
  }

 private:
  std::vector<std::uint8_t> bytes_;
  std::vector<std::size_t> ends_;
};

// Both clocks a firmware may need: real time since the simulator started,
// and device time, which runs slower under the `slow FACTOR` fault.
struct SimTime {
  std::int64_t nowUs = 0;
  std::int64_t deviceUs = 0;
};

// The answer to a stdin command the host did not handle itself.
struct CommandOutcome {
  enum Status { Done, Unknown, Failed } status = Unknown;
  QString message;  // for Failed
};

// The firmware of one simulated device speaking any byte protocol. Pure: time
// comes in as an argument and bytes go out into a FirmwareOutput, so every
// firmware is unit-tested without a pty. SimulatorHost puts one behind a pty.
class DeviceFirmware {
 public:
  virtual ~DeviceFirmware() = default;

  // "laser", "emg", "cyton", "bitalino", "scpi-laser": the --json first line's kind.
  virtual QString kind() const = 0;
  // The pty was (re)opened.
  virtual void onConnect(const SimTime& /*time*/, FirmwareOutput& /*out*/) {}
  // Bytes from the host, in any chunking.
  virtual void onBytes(std::span<const std::uint8_t> bytes, const SimTime& time, FirmwareOutput& out) = 0;
  // About every millisecond.
  virtual void tick(const SimTime& time, FirmwareOutput& out) = 0;
  // Device-specific stdin commands (interlock, key, fault, clear, ltr).
  virtual CommandOutcome command(const QString& /*verb*/, const QString& /*arg*/, const SimTime& /*time*/,
                                 FirmwareOutput& /*out*/) {
    return {};
  }
  // Damages one unit so that the host's decoder must notice (CRC, framing).
  virtual void corrupt(std::span<std::uint8_t> unit) {
    if (!unit.empty()) unit[unit.size() / 2] ^= 0x01;
  }
  // `slow FACTOR`: device time already runs slower; periodic reports may follow.
  virtual void setSlowFactor(double /*factor*/) {}
  // Starts an LTR burst (EMG firmwares); false when the device has none.
  virtual bool injectLtr() { return false; }
};

}  // namespace tautband::devices::sim
