// The vectorised filter kernels (app/emg/FilterKernel.inc): the AVX2 and the
// SSE2 kernel give bit-identical results, and a channel's results do not
// depend on how many channels share its pipeline (padding to whole vectors,
// the staged input for odd counts and for sample-and-hold, the AVX2/SSE2 split
// of the channels of one pipeline).

#include "SyntheticEmg.h"
#include "emg/EmgPipeline.h"
#include "emg/OfflineDetection.h"

#include <QTest>

#include <bit>
#include <cstdlib>
#include <memory>

using namespace tautband::emg;

namespace {

// Interleaved needle scenes (with LTRs), one seed per channel.
std::vector<float> scenes(double rate, std::size_t channels, double seconds, std::uint64_t seed) {
  const auto frames = static_cast<std::size_t>(rate * seconds);
  std::vector<float> data(frames * channels);
  for (std::size_t c = 0; c < channels; ++c) {
    const auto scene = synth::makeNeedleScene(rate, seconds, seed + c, true);
    for (std::size_t f = 0; f < frames; ++f) data[f * channels + c] = scene.samples[f];
  }
  return data;
}

struct Run {
  std::unique_ptr<EmgPipeline> pipeline;
  LtrEventCollector events;
};

// Feeds data in uneven blocks (1 frame .. past kMaxBlockFrames) with one
// insertion mark and one blanking interval (the sample-and-hold path).
void feed(Run& run, const std::vector<float>& data, std::size_t channels) {
  auto& p = *run.pipeline;
  const double rate = p.sampleRateHz();
  p.markInsertionAtSample(static_cast<std::uint64_t>(rate * 2.5));
  p.addBlanking(static_cast<std::uint64_t>(rate * 1.5), static_cast<std::uint64_t>(rate * 1.52));
  const std::size_t frames = data.size() / channels;
  const std::size_t sizes[] = {1, 480, 7, 1500, 256, 33};
  for (std::size_t f = 0, k = 0; f < frames; ++k) {
    const std::size_t n = std::min(frames - f, sizes[k % 6]);
    p.process(data.data() + f * channels, n);
    f += n;
  }
}

void startRun(Run& run, double rate, std::size_t channels, const PipelineSettings& settings) {
  run.pipeline = std::make_unique<EmgPipeline>(rate, channels, settings, &run.events);
}

bool sameBits(float a, float b) { return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b); }

void compareEvents(const std::vector<LtrEvent>& a, const std::vector<LtrEvent>& b) {
  QCOMPARE(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    QCOMPARE(a[i].channel, b[i].channel);
    QCOMPARE(a[i].onsetSample, b[i].onsetSample);
    QCOMPARE(a[i].offsetSample, b[i].offsetSample);
    QCOMPARE(a[i].emittedAtSample, b[i].emittedAtSample);
    QVERIFY(sameBits(a[i].peakUv, b[i].peakUv));
    QVERIFY(sameBits(a[i].confidence, b[i].confidence));
  }
}

class ScopedSimd {
 public:
  explicit ScopedSimd(const char* value) { ::setenv("TAUTBAND_EMG_SIMD", value, 1); }
  ~ScopedSimd() { ::unsetenv("TAUTBAND_EMG_SIMD"); }
};

}  // namespace

class EmgSimdTest : public QObject {
  Q_OBJECT

 private slots:
  void avx2AndSse2KernelsAgreeBitForBit_data() {
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("variant");
    QTest::newRow("48k x 16, default") << 48000.0 << 16 << 0;
    QTest::newRow("48k x 12 (8 avx2 + 4 sse2 lanes), TKEO") << 48000.0 << 12 << 1;
    QTest::newRow("4k x 9, order 4 + notch") << 4000.0 << 9 << 2;
    QTest::newRow("250 Hz x 3, default") << 250.0 << 3 << 0;
  }

  void avx2AndSse2KernelsAgreeBitForBit() {
    QFETCH(double, rate);
    QFETCH(int, channels);
    QFETCH(int, variant);
    const auto C = static_cast<std::size_t>(channels);
    PipelineSettings settings;
    if (variant == 1) settings.detector.energy = EnergyOperator::kTeagerKaiser;
    if (variant == 2) {
      settings.filter.highPassOrder = 4;
      settings.filter.notchHz = 50;
    }
    const double seconds = rate >= 16000 ? 6 : 30;
    const auto data = scenes(rate, C, seconds, 40 + C);

    Run wide;
    startRun(wide, rate, C, settings);
    if (std::string(wide.pipeline->simdKernel()) != "avx2") QSKIP("this CPU has no AVX2: only the SSE2 kernel runs");
    Run baseline;
    {
      ScopedSimd sse2("sse2");
      startRun(baseline, rate, C, settings);
    }
    QCOMPARE(std::string(baseline.pipeline->simdKernel()), std::string("sse2"));
    feed(wide, data, C);
    feed(baseline, data, C);

    QVERIFY(!wide.events.events().empty());
    compareEvents(wide.events.events(), baseline.events.events());
    QCOMPARE(wide.events.retractions(), baseline.events.retractions());
    const std::uint64_t end = wide.pipeline->framesProcessed();
    for (std::uint64_t n = end - 512; n < end; ++n) {
      for (std::size_t c = 0; c < C; ++c) QVERIFY(sameBits(wide.pipeline->filtered(n, c), baseline.pipeline->filtered(n, c)));
    }
    for (std::size_t c = 0; c < C; ++c) {
      QVERIFY(sameBits(wide.pipeline->onThreshold(c), baseline.pipeline->onThreshold(c)));
      QVERIFY(sameBits(wide.pipeline->offThreshold(c), baseline.pipeline->offThreshold(c)));
    }
  }

  void aChannelsResultsDoNotDependOnTheChannelCount_data() {
    QTest::addColumn<int>("channels");
    QTest::addColumn<double>("rate");
    QTest::newRow("1 ch") << 1 << 16000.0;
    QTest::newRow("5 ch") << 5 << 16000.0;
    QTest::newRow("17 ch") << 17 << 16000.0;
    QTest::newRow("6 ch, 4 kHz") << 6 << 4000.0;
  }

  void aChannelsResultsDoNotDependOnTheChannelCount() {
    QFETCH(int, channels);
    QFETCH(double, rate);
    const auto C = static_cast<std::size_t>(channels);
    const double seconds = 8;
    const auto data = scenes(rate, C, seconds, 900);
    Run all;
    startRun(all, rate, C, PipelineSettings{});
    feed(all, data, C);
    QVERIFY(!all.events.events().empty());

    const std::size_t frames = data.size() / C;
    for (std::size_t c = 0; c < C; ++c) {
      std::vector<float> mono(frames);
      for (std::size_t f = 0; f < frames; ++f) mono[f] = data[f * C + c];
      Run one;
      startRun(one, rate, 1, PipelineSettings{});
      feed(one, mono, 1);
      std::vector<LtrEvent> mine;
      for (const auto& e : all.events.events()) {
        if (e.channel == static_cast<int>(c)) {
          mine.push_back(e);
          mine.back().channel = 0;
          mine.back().id = 0;
        }
      }
      compareEvents(mine, one.events.events());
      const std::uint64_t end = all.pipeline->framesProcessed();
      for (std::uint64_t n = end - 256; n < end; ++n) QVERIFY(sameBits(all.pipeline->filtered(n, c), one.pipeline->filtered(n, 0)));
      QVERIFY(sameBits(all.pipeline->onThreshold(c), one.pipeline->onThreshold(0)));
    }
  }
};

QTEST_GUILESS_MAIN(EmgSimdTest)
#include "test_emg_simd.moc"
