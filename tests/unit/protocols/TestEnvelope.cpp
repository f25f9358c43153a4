// Envelope helpers: every message type survives frame + parse, and bad
// envelopes give an error text instead of a half-filled message.

#include <QtTest>

#include <cstdint>
#include <vector>

#include "tautband/protocols/Envelope.h"

using namespace tautband::protocols;
namespace pb = tautband::device::v1;

namespace {

using Bytes = std::vector<std::uint8_t>;

pb::Envelope hello() {
  pb::Envelope e;
  auto* h = e.mutable_hello();
  h->set_request_id(1);
  *h->mutable_protocol() = currentProtocolVersion();
  h->set_host_name("tautband 0.1.0");
  h->set_host_time_us(123456789);
  return e;
}

pb::Envelope deviceInfo() {
  pb::Envelope e;
  auto* d = e.mutable_device_info();
  d->set_request_id(1);
  d->set_vendor("Tautband");
  d->set_model("LS-2");
  d->set_serial("SN-000123");
  d->set_firmware("2.4.1");
  *d->mutable_protocol() = currentProtocolVersion();
  auto* laser = d->mutable_laser();
  auto* s808 = laser->add_sources();
  s808->set_wavelength_nm(808);
  s808->add_modes(pb::LASER_MODE_CW);
  s808->set_max_power_mw(500);
  auto* s905 = laser->add_sources();
  s905->set_wavelength_nm(905);
  s905->add_modes(pb::LASER_MODE_PULSED);
  s905->set_max_power_mw(50);
  s905->set_min_frequency_hz(1);
  s905->set_max_frequency_hz(5000);
  laser->add_spot_diameters_um(3000);
  laser->add_spot_diameters_um(6000);
  laser->set_aiming_beam(true);
  laser->set_key_switch_input(true);
  laser->set_interlock_input(true);
  laser->set_firmware_watchdog(true);
  laser->set_watchdog_timeout_ms(300);
  auto* emg = d->mutable_emg();
  emg->set_channels(16);
  emg->add_sample_rates_hz(1000);
  emg->add_sample_rates_hz(48000);
  emg->set_microvolts_per_unit(0.0223517);
  emg->set_resolution_bits(24);
  emg->set_applied_part(pb::APPLIED_PART_BF);
  emg->set_isolation_voltage_v(4000);
  emg->set_max_samples_per_frame(48);
  return e;
}

pb::Envelope emgFrame(int channels, int samplesPerChannel) {
  pb::Envelope e;
  auto* f = e.mutable_emg_frame();
  f->set_sequence(4242);
  f->set_device_time_us(99000000);
  f->set_channel_count(static_cast<std::uint32_t>(channels));
  f->set_sample_rate_hz(48000);
  for (int i = 0; i < channels * samplesPerChannel; ++i)
    f->add_samples((i % 2 ? -1 : 1) * ((i * 7919) % 8388607));
  return e;
}

pb::Envelope laserCommand(int which) {
  pb::Envelope e;
  auto* c = e.mutable_laser_command();
  c->set_request_id(static_cast<std::uint32_t>(100 + which));
  switch (which) {
    case 0:
      c->mutable_set_wavelength()->set_wavelength_nm(905);
      break;
    case 1:
      c->mutable_set_power()->set_power_mw(250);
      break;
    case 2:
      c->mutable_set_mode()->set_mode(pb::LASER_MODE_PULSED);
      break;
    case 3:
      c->mutable_set_frequency()->set_frequency_hz(1000);
      break;
    case 4:
      c->mutable_set_duty()->set_duty_permille(500);
      break;
    case 5:
      c->mutable_arm()->set_armed(true);
      break;
    case 6:
      c->mutable_emit_on()->set_max_duration_ms(60000);
      break;
    case 7:
      c->mutable_emission_off();
      break;
    case 8:
      c->mutable_keep_alive()->set_counter(77);
      break;
  }
  return e;
}

pb::Envelope others(int which) {
  pb::Envelope e;
  switch (which) {
    case 0: {
      auto* s = e.mutable_laser_status();
      s->set_sequence(10);
      s->set_device_time_us(500000);
      s->set_emission(pb::EMISSION_STATE_EMITTING);
      s->set_measured_power_mw(249.5f);
      s->set_interlock_closed(true);
      s->set_key_on(true);
      s->set_temperature_c(31.25f);
      s->add_faults(pb::FAULT_CODE_POWER_DEVIATION);
      s->add_faults(static_cast<pb::FaultCode>(1001));  // vendor code survives
      s->set_watchdog(pb::WATCHDOG_STATE_RUNNING);
      s->set_wavelength_nm(808);
      s->set_set_power_mw(250);
      s->set_mode(pb::LASER_MODE_CW);
      break;
    }
    case 1: {
      auto* f = e.mutable_fault();
      f->set_device_time_us(600000);
      f->set_code(pb::FAULT_CODE_WATCHDOG_EXPIRED);
      f->set_active(true);
      f->set_emission_stopped(true);
      f->set_detail("no keep-alive for 300 ms");
      break;
    }
    case 2:
      e.mutable_ack()->set_request_id(108);
      e.mutable_ack()->set_counter(77);
      break;
    case 3: {
      auto* n = e.mutable_nack();
      n->set_request_id(106);
      n->set_reason(pb::NACK_REASON_INTERLOCK_OPEN);
      n->set_detail("interlock open");
      break;
    }
    case 4: {
      auto* c = e.mutable_emg_command();
      c->set_request_id(7);
      c->mutable_start()->set_sample_rate_hz(48000);
      c->mutable_start()->set_channel_count(16);
      c->mutable_start()->set_samples_per_frame(48);
      break;
    }
    case 5:
      e.mutable_emg_command()->set_request_id(8);
      e.mutable_emg_command()->mutable_stop();
      break;
  }
  return e;
}

}  // namespace

class TestEnvelope : public QObject {
  Q_OBJECT

 private slots:
  void roundTrip_data() {
    QTest::addColumn<QByteArray>("serialized");
    auto add = [](const char* name, const pb::Envelope& e) {
      const std::string s = e.SerializeAsString();
      QTest::newRow(name) << QByteArray(s.data(), static_cast<qsizetype>(s.size()));
    };
    add("hello", hello());
    add("device_info", deviceInfo());
    add("emg_frame 16x48", emgFrame(16, 48));
    add("emg_frame 1x1", emgFrame(1, 1));
    const char* commands[] = {"set_wavelength", "set_power",    "set_mode",
                              "set_frequency",  "set_duty",     "arm",
                              "emit_on",        "emission_off", "keep_alive"};
    for (int i = 0; i < 9; ++i) add(commands[i], laserCommand(i));
    const char* rest[] = {"laser_status", "fault", "ack", "nack", "emg_command start", "emg_command stop"};
    for (int i = 0; i < 6; ++i) add(rest[i], others(i));
  }

  void roundTrip() {
    QFETCH(QByteArray, serialized);
    pb::Envelope original;
    QVERIFY(original.ParseFromArray(serialized.constData(), static_cast<int>(serialized.size())));
    QVERIFY(original.body_case() != pb::Envelope::BODY_NOT_SET);

    Bytes stream;
    appendSyncByte(stream);
    QVERIFY(appendEnvelopeFrame(original, stream));
    FrameDecoder decoder;
    int frames = 0;
    decoder.feed(stream, [&](std::span<const std::uint8_t> payload) {
      ++frames;
      pb::Envelope parsed;
      const auto error = parseEnvelope(payload, parsed);
      QVERIFY2(!error, error ? error->c_str() : "");
      QCOMPARE(parsed.body_case(), original.body_case());
      QCOMPARE(parsed.SerializeAsString(), original.SerializeAsString());
      QCOMPARE(QString::fromStdString(parsed.DebugString()), QString::fromStdString(original.DebugString()));
    });
    QCOMPARE(frames, 1);
  }

  void emgFrameOf16x48FitsWithWorstCaseSamples() {
    pb::Envelope e = emgFrame(16, 48);
    auto* samples = e.mutable_emg_frame()->mutable_samples();
    for (int i = 0; i < samples->size(); ++i)
      samples->Set(i, i % 2 ? INT32_MIN : INT32_MAX);  // 5-byte varints
    QVERIFY(e.ByteSizeLong() <= kMaxPayloadBytes);
    Bytes out;
    QVERIFY(appendEnvelopeFrame(e, out));
    QVERIFY(out.size() <= kMaxEncodedFrameBytes);
  }

  void oversizeAndEmptyEnvelopesAreNotFramed() {
    Bytes out{0xAB};
    QVERIFY(!appendEnvelopeFrame(emgFrame(16, 200), out));
    QVERIFY(!appendEnvelopeFrame(pb::Envelope{}, out));
    QCOMPARE(out, Bytes{0xAB});
  }

  void parseErrorsAreReported() {
    pb::Envelope out = hello();
    QVERIFY(parseEnvelope(Bytes{0xFF, 0xFF, 0xFF}, out).has_value());  // not protobuf
    QCOMPARE(out.body_case(), pb::Envelope::BODY_NOT_SET);             // no half-filled message
    QVERIFY(parseEnvelope(Bytes{}, out).has_value());                  // no body
    QVERIFY(parseEnvelope(Bytes{0xF8, 0x07, 0x01}, out).has_value());  // only an unknown field (127)
    QVERIFY(parseEnvelope(Bytes(kMaxPayloadBytes + 1, 0x00), out).has_value());

    pb::Envelope bad = emgFrame(3, 4);
    bad.mutable_emg_frame()->add_samples(1);  // 13 samples for 3 channels
    std::string s = bad.SerializeAsString();
    auto error = parseEnvelope(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()), out);
    QVERIFY(error.has_value());
    QVERIFY(error->find("multiple") != std::string::npos);

    bad = emgFrame(1, 4);
    bad.mutable_emg_frame()->set_channel_count(0);
    s = bad.SerializeAsString();
    error = parseEnvelope(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()), out);
    QVERIFY(error.has_value());
    QVERIFY(error->find("channel_count") != std::string::npos);
  }

  void unknownFieldsInKnownBodyAreIgnored() {
    // A newer minor version may add fields: an older host still parses.
    pb::Envelope e = laserCommand(8);
    std::string s = e.SerializeAsString();
    s.push_back(static_cast<char>(0xF8));  // field 127, varint
    s.push_back(0x07);
    s.push_back(0x05);
    pb::Envelope out;
    QVERIFY(!parseEnvelope(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()), out));
    QCOMPARE(out.laser_command().keep_alive().counter(), 77u);
  }

  void bodyNames() {
    QCOMPARE(QString(bodyName(hello())), QStringLiteral("hello"));
    QCOMPARE(QString(bodyName(laserCommand(7))), QStringLiteral("laser_command"));
    QCOMPARE(QString(bodyName(pb::Envelope{})), QStringLiteral("none"));
  }

  void versionCompatibility() {
    QVERIFY(isCompatible(kProtocolVersion, {kProtocolVersion.major, kProtocolVersion.minor + 3}));
    QVERIFY(!isCompatible(kProtocolVersion, {kProtocolVersion.major + 1, 0}));
    QCOMPARE(currentProtocolVersion().major(), 1u);
    QCOMPARE(currentProtocolVersion().minor(), 0u);
  }
};

QTEST_APPLESS_MAIN(TestEnvelope)
#include "TestEnvelope.moc"
