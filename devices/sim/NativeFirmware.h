#pragma once

#include "devices/sim/DeviceFirmware.h"
#include "devices/sim/EmgModel.h"
#include "devices/sim/LaserModel.h"
#include "tautband/protocols/Framing.h"

#include <memory>

namespace tautband::devices::sim {

// The native protocol's firmware models (LaserModel, EmgModel) behind the
// byte interface: COBS/CRC frames in, envelopes to the model, envelopes out
// as one frame per unit. Behaviour is that of the original simulator host.
class NativeFirmware : public DeviceFirmware {
 public:
  explicit NativeFirmware(std::unique_ptr<LaserModel> laser);
  explicit NativeFirmware(std::unique_ptr<EmgModel> emg);

  QString kind() const override;
  void onConnect(const SimTime& time, FirmwareOutput& out) override;
  void onBytes(std::span<const std::uint8_t> bytes, const SimTime& time, FirmwareOutput& out) override;
  void tick(const SimTime& time, FirmwareOutput& out) override;
  CommandOutcome command(const QString& verb, const QString& arg, const SimTime& time,
                         FirmwareOutput& out) override;
  void corrupt(std::span<std::uint8_t> unit) override;
  void setSlowFactor(double factor) override;
  bool injectLtr() override;

 private:
  void flush(FirmwareOutput& out);

  std::unique_ptr<LaserModel> laser_;
  std::unique_ptr<EmgModel> emg_;
  protocols::FrameDecoder decoder_;
  proto::Envelope incoming_;
  std::vector<proto::Envelope> outgoing_;
};

}  // namespace tautband::devices::sim
