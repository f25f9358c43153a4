// Decode throughput of the shipped driver plugins, loaded with dlopen as the
// host loads them and fed through their C tables in 4 KiB chunks (a typical
// serial read). Figure: samples per second (one sample = all channels at one
// instant; SCPI: one laser status). Baseline, measured in the same run: a
// memcpy of the same bytes in the same chunks, expressed in the same unit,
// so the ratio says how far the codec is from "free".

#include "BenchReport.h"
#include "tautband/driver.h"

#include <QElapsedTimer>

#include <dlfcn.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using tautband::bench::Baseline;
using tautband::bench::Figure;
using tautband::bench::Report;
using tautband::bench::Target;

constexpr std::size_t kChunk = 4096;
constexpr int kRepeats = 7;

struct Counter {
  std::uint64_t samples = 0;
  std::uint64_t statuses = 0;
  std::string sent;  // SCPI: the queries to answer
  tb_host host{};
  Counter() {
    host.struct_size = sizeof host;
    host.context = this;
    host.device_info = [](void*, const tb_device_info*) {};
    host.emg_block = [](void* c, const tb_emg_block* b) {
      static_cast<Counter*>(c)->samples += b->sample_count;
    };
    host.laser_status = [](void* c, const tb_laser_status*) { ++static_cast<Counter*>(c)->statuses; };
    host.fault = [](void*, std::uint32_t, std::int32_t, const char*) {};
    host.reply = [](void*, std::uint32_t, std::int32_t, const char*) {};
    host.send = [](void* c, const std::uint8_t* b, std::size_t n) {
      static_cast<Counter*>(c)->sent.append(reinterpret_cast<const char*>(b), n);
    };
    host.log = [](void*, tb_log_level, const char*) {};
  }
};

struct Case {
  QString name;
  const char* plugin;
  std::string settings;
  std::string identity;  // what the device answers to start()
  bool startStreaming;   // encode TB_CMD_EMG_START first
  std::vector<std::uint8_t> stream;
  std::uint64_t expectedSamples;
  double realTimeRate;  // samples/s of the real device
};

std::vector<std::uint8_t> cytonStream(std::size_t packets) {
  std::mt19937 rng(1);
  std::vector<std::uint8_t> s;
  s.reserve(packets * 33);
  for (std::size_t k = 0; k < packets; ++k) {
    s.push_back(0xA0);
    s.push_back(static_cast<std::uint8_t>(k));
    for (int i = 0; i < 24; ++i) s.push_back(static_cast<std::uint8_t>(rng()));
    s.insert(s.end(), 6, 0);
    s.push_back(0xC0);
  }
  return s;
}

std::uint8_t crc4(const std::uint8_t* f, std::size_t n) {
  std::uint32_t reg = 0;
  auto in = [&](std::uint32_t nibble) {
    for (int bit = 3; bit >= 0; --bit) {
      reg = (reg << 1) | ((nibble >> bit) & 1);
      if (reg & 0x10) reg ^= 0x13;
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    in(f[i] >> 4);
    in(i + 1 < n ? (f[i] & 0x0F) : 0);
  }
  return static_cast<std::uint8_t>(reg);
}

std::vector<std::uint8_t> bitalinoStream(std::size_t frames) {
  // 4 channels (A1-A4, the 10-bit ones): 7-byte frames.
  std::mt19937 rng(2);
  std::vector<std::uint8_t> s;
  s.reserve(frames * 7);
  for (std::size_t k = 0; k < frames; ++k) {
    std::uint8_t f[7];
    for (auto& b : f) b = static_cast<std::uint8_t>(rng());
    f[6] = static_cast<std::uint8_t>((k & 0x0F) << 4);
    f[6] |= crc4(f, 7);
    s.insert(s.end(), f, f + 7);
  }
  return s;
}

std::vector<std::uint8_t> scpiStream(std::size_t polls) {
  std::vector<std::uint8_t> s;
  for (std::size_t k = 0; k < polls; ++k) {
    const std::string answers = "1024\r\n" + std::to_string(300 + static_cast<double>(k % 100) / 10) + "\r\n";
    s.insert(s.end(), answers.begin(), answers.end());
  }
  return s;
}

// Seconds to decode the whole stream once; `count` gets the samples/statuses seen.
double decodeOnce(const tb_driver_api& api, const Case& c, std::uint64_t& count, std::size_t scpiPolls) {
  Counter counter;
  char error[256];
  tb_driver* driver = api.create(&counter.host, c.settings.c_str(), error, sizeof error);
  if (!driver) {
    std::fprintf(stderr, "%s: create failed: %s\n", qPrintable(c.name), error);
    std::exit(2);
  }
  std::uint8_t out[512];
  std::size_t written = 0;
  api.start(driver, out, sizeof out, &written);
  api.receive(driver, reinterpret_cast<const std::uint8_t*>(c.identity.data()), c.identity.size());
  if (c.startStreaming) {
    const tb_command start{TB_CMD_EMG_START, 1, 0, 0};
    api.encode(driver, &start, out, sizeof out, &written);
  }
  QElapsedTimer timer;
  timer.start();
  if (scpiPolls) {
    // The SCPI driver matches answers to the queries it sent: one poll (tick)
    // at a time, each query answered as the source would.
    static const std::string cond = "1024\r\n", ldi = "349.95\r\n", setLdi = "350.00\r\n";
    for (std::size_t k = 0; k < scpiPolls; ++k) {
      counter.sent.clear();
      api.tick(driver, 1'000'000 + k * 60'000);
      for (std::size_t at = 0; (at = counter.sent.find('?', at)) != std::string::npos; ++at) {
        const std::string& answer = counter.sent.compare(at - 4, 4, "COND") == 0      ? cond
                                    : counter.sent.compare(at - 7, 7, "SET:LDI") == 0 ? setLdi
                                                                                      : ldi;
        api.receive(driver, reinterpret_cast<const std::uint8_t*>(answer.data()), answer.size());
      }
    }
  } else {
    for (std::size_t at = 0; at < c.stream.size(); at += kChunk) {
      api.receive(driver, c.stream.data() + at, std::min(kChunk, c.stream.size() - at));
    }
  }
  const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
  count = scpiPolls ? counter.statuses : counter.samples;
  api.destroy(driver);
  return seconds;
}

double memcpyOnce(const std::vector<std::uint8_t>& stream) {
  std::vector<std::uint8_t> sink(kChunk);
  volatile std::uint8_t guard = 0;
  QElapsedTimer timer;
  timer.start();
  for (std::size_t at = 0; at < stream.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, stream.size() - at);
    std::memcpy(sink.data(), stream.data() + at, n);
    guard = guard + sink[n - 1];
  }
  return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

}  // namespace

int main() {
  Report report(QStringLiteral("drivers_decode"));
  const std::size_t scpiPolls = 200'000;
  std::vector<Case> cases = {
      {QStringLiteral("cyton_decode"), CYTON_PLUGIN, "{}",
       "OpenBCI V3 8-16 channel\nOn Board ADS1299 Device ID: 0x3E\nFirmware: v3.1.2\n$$$", true,
       cytonStream(1'000'000), 1'000'000, 250},
      {QStringLiteral("bitalino_decode"), BITALINO_PLUGIN, R"({"channels": ["A1", "A2", "A3", "A4"]})",
       "BITalino_v5.1\n", true, bitalinoStream(2'000'000), 2'000'000, 1000},
      {QStringLiteral("scpi_laser_status_decode"), SCPI_LASER_PLUGIN,
       R"({"calibration": [[0, 0], [100, 0], [600, 500]]})", "Arroyo,4304,1,1.0\r\n", false,
       scpiStream(scpiPolls), scpiPolls, 20},
  };
  QStringList notes;
  for (const auto& c : cases) {
    void* handle = ::dlopen(c.plugin, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      std::fprintf(stderr, "cannot load %s: %s\n", c.plugin, ::dlerror());
      return 2;
    }
    const auto entry = reinterpret_cast<tb_driver_entry_fn>(::dlsym(handle, TB_DRIVER_ENTRY_SYMBOL));
    const tb_driver_api& api = *entry(TB_DRIVER_API_MAJOR, TB_DRIVER_API_MINOR);
    const bool scpi = c.name.startsWith(QLatin1String("scpi"));
    std::vector<double> rates, baselines;
    std::uint64_t count = 0;
    for (int r = 0; r < kRepeats; ++r) {
      const double seconds = decodeOnce(api, c, count, scpi ? scpiPolls : 0);
      if (count < c.expectedSamples * 99 / 100) {
        std::fprintf(stderr, "%s: decoded %llu of %llu\n", qPrintable(c.name),
                     static_cast<unsigned long long>(count),
                     static_cast<unsigned long long>(c.expectedSamples));
        return 1;
      }
      rates.push_back(static_cast<double>(count) / seconds);
      baselines.push_back(static_cast<double>(count) / memcpyOnce(c.stream));
    }
    Figure f;
    f.name = c.name;
    f.unit = QStringLiteral("samples/s");
    f.value = tautband::bench::percentile(rates, 50);
    f.samples = kRepeats;
    f.baseline = Baseline{QStringLiteral("memcpy_same_bytes"), tautband::bench::percentile(baselines, 50),
                          QStringLiteral("samples/s")};
    // A codec thread must keep up with the device with room to spare: >= 1000x real time.
    f.target = Target{QStringLiteral(">="), 1000 * c.realTimeRate, QStringLiteral("samples/s")};
    report.add(f);
    notes << QStringLiteral("%1: %2 bytes, %3 real-time samples/s")
                 .arg(c.name)
                 .arg(c.stream.size())
                 .arg(c.realTimeRate);
    ::dlclose(handle);
  }
  report.setNotes(QStringLiteral("Plugins loaded with dlopen, fed through the C table in 4 KiB chunks "
                                 "(SCPI: one poll tick + its two answer lines per status). ") +
                  notes.join(QStringLiteral("; ")));
  return report.finish();
}
