// Writes the saved seed corpus (tests/fuzz/corpus/<target>/): valid frames
// and envelopes of every message type plus deterministic mutations of them.
// Rebuild and rerun after a protocol change:
//   ninja -C build tautband_fuzz_make_corpus &&
//   build/tests/fuzz/tautband_fuzz_make_corpus tests/fuzz/corpus

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tautband/protocols/Envelope.h"

using namespace tautband::protocols;
namespace pb = tautband::device::v1;
using Bytes = std::vector<std::uint8_t>;

namespace {

std::vector<std::pair<std::string, pb::Envelope>> sampleEnvelopes() {
  std::vector<std::pair<std::string, pb::Envelope>> out;
  auto add = [&](std::string name) -> pb::Envelope& {
    out.emplace_back(std::move(name), pb::Envelope{});
    return out.back().second;
  };
  {
    auto* h = add("hello").mutable_hello();
    h->set_request_id(1);
    *h->mutable_protocol() = currentProtocolVersion();
    h->set_host_name("tautband");
  }
  {
    auto* d = add("device_info").mutable_device_info();
    d->set_request_id(1);
    d->set_vendor("Tautband");
    d->set_model("SIM-LASER");
    d->set_serial("SIM-0001");
    d->set_firmware("1.0.0");
    *d->mutable_protocol() = currentProtocolVersion();
    auto* s = d->mutable_laser()->add_sources();
    s->set_wavelength_nm(808);
    s->add_modes(pb::LASER_MODE_CW);
    s->set_max_power_mw(500);
    d->mutable_laser()->set_firmware_watchdog(true);
    d->mutable_laser()->set_watchdog_timeout_ms(300);
    d->mutable_emg()->set_channels(8);
    d->mutable_emg()->add_sample_rates_hz(48000);
    d->mutable_emg()->set_microvolts_per_unit(0.1);
  }
  for (int channels : {1, 8, 16}) {
    auto* f = add("emg_frame_" + std::to_string(channels) + "ch").mutable_emg_frame();
    f->set_sequence(7);
    f->set_device_time_us(1000);
    f->set_channel_count(static_cast<std::uint32_t>(channels));
    f->set_sample_rate_hz(48000);
    for (int i = 0; i < channels * 6; ++i) f->add_samples((i * 2654435761u) % 4000 - 2000);
  }
  {
    auto& e = add("emission_off");
    e.mutable_laser_command()->set_request_id(3);
    e.mutable_laser_command()->mutable_emission_off();
  }
  {
    auto& e = add("keep_alive");
    e.mutable_laser_command()->set_request_id(4);
    e.mutable_laser_command()->mutable_keep_alive()->set_counter(9);
  }
  {
    auto& e = add("set_power");
    e.mutable_laser_command()->set_request_id(5);
    e.mutable_laser_command()->mutable_set_power()->set_power_mw(200);
  }
  {
    auto& e = add("emit_on");
    e.mutable_laser_command()->set_request_id(6);
    e.mutable_laser_command()->mutable_emit_on()->set_max_duration_ms(1000);
  }
  {
    auto* s = add("laser_status").mutable_laser_status();
    s->set_sequence(1);
    s->set_emission(pb::EMISSION_STATE_ARMED);
    s->set_measured_power_mw(1.5f);
    s->set_interlock_closed(true);
    s->add_faults(pb::FAULT_CODE_KEY_OFF);
    s->set_watchdog(pb::WATCHDOG_STATE_IDLE);
  }
  {
    auto* f = add("fault").mutable_fault();
    f->set_code(pb::FAULT_CODE_WATCHDOG_EXPIRED);
    f->set_active(true);
    f->set_detail("watchdog");
  }
  add("ack").mutable_ack()->set_request_id(4);
  {
    auto* n = add("nack").mutable_nack();
    n->set_request_id(6);
    n->set_reason(pb::NACK_REASON_NOT_ARMED);
  }
  {
    auto* c = add("emg_start").mutable_emg_command();
    c->set_request_id(2);
    c->mutable_start()->set_sample_rate_hz(1000);
    c->mutable_start()->set_channel_count(4);
  }
  return out;
}

Bytes serialize(const pb::Envelope& e) {
  const std::string s = e.SerializeAsString();
  return Bytes(s.begin(), s.end());
}

void write(const std::filesystem::path& dir, const std::string& name, const Bytes& bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes mutate(Bytes b, int kind, std::mt19937& rng) {
  if (b.empty()) return b;
  switch (kind % 5) {
    case 0:
      b[rng() % b.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
      break;  // bit flip
    case 1:
      b.resize(rng() % b.size());
      break;  // truncate
    case 2:
      b.insert(b.begin() + static_cast<long>(rng() % b.size()), 0x00);
      break;  // stray zero
    case 3:
      b.erase(b.begin() + static_cast<long>(rng() % b.size()));
      break;  // dropped byte
    case 4:
      b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
      break;  // random byte
  }
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_ROOT\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root(argv[1]);
  const auto frameDir = root / "frame_decoder";
  const auto envelopeDir = root / "envelope";
  std::mt19937 rng(20261129);
  const auto samples = sampleEnvelopes();

  int count = 0;
  for (const auto& [name, envelope] : samples) {
    const Bytes payload = serialize(envelope);
    write(envelopeDir, name, payload);
    Bytes stream{0x80};  // config byte: full-size decoder
    appendSyncByte(stream);
    appendEnvelopeFrame(envelope, stream);
    write(frameDir, name, stream);
    count += 2;
  }
  for (int i = 0; i < 24; ++i) {
    const auto& [name, envelope] = samples[static_cast<std::size_t>(i) % samples.size()];
    write(envelopeDir, "mut" + std::to_string(i) + "_" + name, mutate(serialize(envelope), i, rng));
    Bytes stream{static_cast<std::uint8_t>(i % 2 ? 0x80 : 0x08 + i)};  // some with a tiny decoder
    appendSyncByte(stream);
    appendEnvelopeFrame(envelope, stream);
    appendEnvelopeFrame(samples[(static_cast<std::size_t>(i) + 3) % samples.size()].second, stream);
    write(frameDir, "mut" + std::to_string(i) + "_" + name, mutate(stream, i, rng));
    count += 2;
  }
  // Hand-made edge cases for the decoder.
  write(frameDir, "edge_empty_frames", Bytes{0x80, 0x00, 0x00, 0x00});
  write(frameDir, "edge_too_short", Bytes{0x80, 0x03, 0x11, 0x22, 0x00, 0x01, 0x00});
  write(frameDir, "edge_zero_in_block", Bytes{0x80, 0x05, 0x11, 0x00});
  Bytes full{0x80, 0xFF};
  for (int i = 1; i <= 254; ++i) full.push_back(static_cast<std::uint8_t>(i));
  full.push_back(0x01);
  full.push_back(0x00);
  write(frameDir, "edge_full_block_trailer", full);
  Bytes oversize(200, 0x41);  // config 0x41: maxPayload 2
  oversize.push_back(0x00);
  write(frameDir, "edge_oversize_small_decoder", oversize);
  count += 5;
  std::printf("wrote %d corpus files under %s\n", count, root.c_str());
  return 0;
}
