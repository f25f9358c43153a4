// Filters against analytic responses, TKEO, baseline robustness, the detector
// on synthetic bursts of known onset, rejection rules and the display decimator.

#include "SyntheticEmg.h"
#include "emg/Baseline.h"
#include "emg/Biquad.h"
#include "emg/DisplayDecimator.h"
#include "emg/EmgPipeline.h"
#include "emg/Energy.h"
#include "emg/OfflineDetection.h"

#include <QTest>

#include <cmath>
#include <numbers>

using namespace tautband::emg;

namespace {

// Amplitude of the pipeline's filtered output for a steady sinusoid.
double measuredGain(double rate, double hz, const FilterSettings& filter) {
  PipelineSettings s;
  s.filter = filter;
  EmgPipeline p(rate, 1, s, nullptr);
  const std::size_t settle = static_cast<std::size_t>(rate * 2.0);
  const std::size_t total = settle + static_cast<std::size_t>(rate);  // measure over 1 s = whole periods
  std::vector<float> x(total);
  for (std::size_t n = 0; n < total; ++n) x[n] = static_cast<float>(100.0 * std::sin(2 * std::numbers::pi * hz * n / rate));
  double sumSquares = 0;
  for (std::size_t n = 0; n < total; n += 256) {
    const std::size_t len = std::min<std::size_t>(256, total - n);
    p.process(x.data() + n, len);
    for (std::size_t k = n; k < n + len; ++k) {
      if (k >= settle) sumSquares += std::pow(static_cast<double>(p.filtered(k, 0)), 2);
    }
  }
  return std::sqrt(2.0 * sumSquares / static_cast<double>(total - settle)) / 100.0;
}

EmgRecording mono(std::vector<float> x, double rate) {
  EmgRecording r;
  r.sampleRateHz = rate;
  r.channels = 1;
  r.samplesUv = std::move(x);
  return r;
}

std::vector<float> quietBackground(double rate, double seconds, std::uint64_t seed) {
  synth::Rng rng(seed);
  std::vector<float> x(static_cast<std::size_t>(rate * seconds), 0.f);
  synth::addEndplateNoise(x, rate, rng);
  return x;
}

}  // namespace

class EmgPipelineTest : public QObject {
  Q_OBJECT

 private slots:
  void highPassDesignMatchesButterworth() {
    for (double rate : {250.0, 4000.0, 48000.0}) {
      for (int order : {2, 4}) {
        const auto hp = designButterworthHighPass(20.0, order, rate);
        QVERIFY(cascadeGain(hp, 0.0, rate) < 1e-9);
        QVERIFY(std::fabs(cascadeGain(hp, rate / 2, rate) - 1.0) < 1e-9);
        QVERIFY(std::fabs(cascadeGain(hp, 20.0, rate) - std::sqrt(0.5)) < 1e-6);
        // One octave below the corner: Butterworth 1/sqrt(1 + (fc/f)^(2N)), bilinear-warped.
        const double warp = std::tan(std::numbers::pi * 10.0 / rate) / std::tan(std::numbers::pi * 20.0 / rate);
        const double analytic = 1.0 / std::sqrt(1.0 + std::pow(1.0 / warp, 2 * order));
        QVERIFY(std::fabs(cascadeGain(hp, 10.0, rate) - analytic) < 1e-6);
      }
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, designHighPass(200.0, 0.7, 250.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, designButterworthHighPass(20.0, 3, 4000.0));
  }

  void streamingFilterGainsAtSeveralRates() {
    for (double rate : {250.0, 4000.0, 48000.0}) {
      FilterSettings f;
      QVERIFY2(std::fabs(measuredGain(rate, 20.0, f) - std::sqrt(0.5)) < 0.01, qPrintable(QString::number(rate)));
      QVERIFY(measuredGain(rate, 2.0, f) < 0.015);                 // ~ (2/20)^2
      const auto hp = designButterworthHighPass(20.0, 2, rate);
      QVERIFY(std::fabs(measuredGain(rate, rate / 4, f) - cascadeGain(hp, rate / 4, rate)) < 0.01);
      f.notchHz = 50;
      // float coefficients at 48 kHz limit the depth to about -32 dB: ask for -26 dB.
      QVERIFY2(measuredGain(rate, 50.0, f) < 0.05, qPrintable(QString::number(measuredGain(rate, 50.0, f))));
      auto withNotch = hp;
      withNotch.push_back(designNotch(50.0, 30.0, rate));
      QVERIFY(std::fabs(measuredGain(rate, rate / 4, f) - cascadeGain(withNotch, rate / 4, rate)) < 0.01);
      const auto notch = designNotch(60.0, 30.0, rate);
      QVERIFY(std::abs(notch.response(60.0, rate)) < 1e-9);
      QVERIFY(std::fabs(std::abs(notch.response(0.0, rate)) - 1.0) < 1e-9);
      QVERIFY(std::fabs(std::abs(notch.response(rate / 2, rate)) - 1.0) < 1e-9);
      // Narrow: 5 Hz away the notch passes almost everything (Q = 30).
      QVERIFY(std::abs(notch.response(65.0, rate)) > 0.9);
    }
  }

  void teagerKaiserOfASinusoidIsASquaredSinOmega() {
    for (double omega : {0.05, 0.3, 1.0, 2.5}) {
      for (double phase : {0.0, 0.7, 2.0}) {
        const double a = 37.5;
        auto x = [&](int n) { return a * std::cos(omega * n + phase); };
        for (int n = 1; n < 20; ++n) {
          const double expected = a * a * std::sin(omega) * std::sin(omega);
          QVERIFY(std::fabs(teagerKaiser(x(n - 1), x(n), x(n + 1)) - expected) < 1e-9 * a * a);
        }
      }
    }
  }

  void quietPercentileIsNotFooledByAHeavyTail() {
    // 25 % of the blocks hold big MUAPs (energy x50): median + k*MAD puts its
    // threshold under them (every MUAP would trigger); the quiet percentile does not.
    DetectorSettings quiet;
    DetectorSettings mad;
    mad.baseline = BaselineMethod::kMedianMad;
    AdaptiveBaseline a(quiet, 200, 50), b(mad, 200, 50);
    synth::Rng rng(3);
    for (int i = 0; i < 400; ++i) {
      const float e = rng.coin(0.25) ? static_cast<float>(rng.uniform(4000, 6000)) : static_cast<float>(rng.uniform(80, 120));
      a.push(e);
      b.push(e);
    }
    QVERIFY(a.ready() && b.ready());
    QVERIFY2(a.onThreshold() > 6000, qPrintable(QString::number(a.onThreshold())));
    QVERIFY2(b.onThreshold() < 4000, qPrintable(QString::number(b.onThreshold())));
    // A few LTR-sized blocks hardly move the percentile.
    const float before = a.onThreshold();
    for (int i = 0; i < 5; ++i) a.push(1e6f);
    QVERIFY(a.onThreshold() < 1.2f * before);
  }

  void detectsASyntheticBurstAtItsOnset() {
    const double rate = 4000;
    auto x = quietBackground(rate, 10, 5);
    synth::Rng rng(6);
    synth::addPolyphasicBurst(x, rate, 5.0, 0.06, 800, rng);
    const auto r = detectLtrs(mono(std::move(x), rate), PipelineSettings{});
    QCOMPARE(r.events.size(), std::size_t{1});
    const auto& e = r.events.front();
    QVERIFY2(std::fabs(e.onsetS - 5.0) < 0.005, qPrintable(QString::number(e.onsetS, 'f', 4)));
    const double latency = static_cast<double>(e.emittedAtSample) / rate - 5.0;
    QVERIFY2(latency <= 0.030, qPrintable(QString::number(latency)));
    QVERIFY(e.hasOffset && e.offsetS > 5.04 && e.offsetS < 5.09);
    QVERIFY(e.peakUv > 700 && e.peakUv < 900);
    QVERIFY(e.confidence > 0.3f && e.confidence <= 1.0f);
  }

  // An LTR while the baseline warms up (no threshold yet to mark its blocks
  // busy) must not stay in the background history and hide the next LTRs.
  void anLtrDuringWarmUpDoesNotHideTheNextOnes() {
    const double rate = 4000;
    synth::Rng rng(21);
    std::vector<float> x(static_cast<std::size_t>(rate * 5));
    for (auto& v : x) v = static_cast<float>(rng.normal(12.0));
    for (double t : {0.78, 0.84, 1.75, 2.6, 3.5}) synth::addPolyphasicBurst(x, rate, t, 0.06, 600, rng);
    const auto r = detectLtrs(mono(std::move(x), rate), PipelineSettings{});
    for (double t : {1.75, 2.6, 3.5}) {
      const bool found = std::any_of(r.events.begin(), r.events.end(),
                                     [t](const LtrEvent& e) { return std::fabs(e.onsetS - t) < 0.01; });
      QVERIFY2(found, qPrintable(QStringLiteral("LTR at %1 s not detected").arg(t)));
    }
  }

  void multichannelEventKeepsItsChannel() {
    const double rate = 48000;
    const std::size_t channels = 16;
    EmgRecording rec;
    rec.sampleRateHz = rate;
    rec.channels = channels;
    std::vector<std::vector<float>> ch;
    for (std::size_t c = 0; c < channels; ++c) ch.push_back(quietBackground(rate, 4, 100 + c));
    synth::Rng rng(7);
    synth::addPolyphasicBurst(ch[6], rate, 2.5, 0.05, 600, rng);
    rec.samplesUv.resize(ch[0].size() * channels);
    for (std::size_t f = 0; f < ch[0].size(); ++f)
      for (std::size_t c = 0; c < channels; ++c) rec.samplesUv[f * channels + c] = ch[c][f];
    const auto r = detectLtrs(rec, PipelineSettings{}, {}, 480);
    QCOMPARE(r.events.size(), std::size_t{1});
    QCOMPARE(r.events.front().channel, 6);
    QVERIFY(std::fabs(r.events.front().onsetS - 2.5) < 0.005);
  }

  void insertionBurstsAreRejectedEvenWhenMarkedLate() {
    const double rate = 4000;
    auto x = quietBackground(rate, 8, 8);
    synth::Rng rng(9);
    synth::addPolyphasicBurst(x, rate, 4.01, 0.15, 1500, rng, 900);
    const auto rec = mono(x, rate);
    QCOMPARE(detectLtrs(rec, PipelineSettings{}).events.size(), std::size_t{1});  // unmarked: looks like an LTR
    QCOMPARE(detectLtrs(rec, PipelineSettings{}, {4 * 4000}).events.size(), std::size_t{0});

    // The mark arrives 100 ms after the burst started: the event is retracted.
    LtrEventCollector sink;
    EmgPipeline p(rate, 1, PipelineSettings{}, &sink);
    p.process(x.data(), static_cast<std::size_t>(4.11 * rate));
    QCOMPARE(sink.events().size(), std::size_t{1});
    p.markInsertionAtTime(4.0);
    p.process(x.data() + static_cast<std::size_t>(4.11 * rate), x.size() - static_cast<std::size_t>(4.11 * rate));
    QCOMPARE(sink.events().size(), std::size_t{0});
    QCOMPARE(sink.retractions(), std::size_t{1});
  }

  void endplateSpikeTrainsAreRejectedButLtrsAfterThemAreNot() {
    const double rate = 4000;
    auto x = quietBackground(rate, 12, 10);
    synth::Rng rng(11);
    for (double t = 3.0; t < 7.0; t += rng.uniform(0.02, 0.04)) {
      synth::addPotential(x, rate, t, 0.7e-3, rng.uniform(180, 250), synth::Shape::kBiphasicNegativeFirst);
    }
    synth::addPolyphasicBurst(x, rate, 9.0, 0.05, 600, rng);
    const auto rec = mono(std::move(x), rate);
    PipelineSettings noRules;  // without the spike-train and sustained-discharge rules the train triggers
    noRules.detector.spikeTrainMaxPeakUv = 0;
    noRules.detector.minActiveMs = 0;
    QVERIFY(detectLtrs(rec, noRules).events.size() > 1);
    const auto r = detectLtrs(rec, PipelineSettings{});
    QCOMPARE(r.events.size(), std::size_t{1});
    QVERIFY(std::fabs(r.events.front().onsetS - 9.0) < 0.005);
  }

  void refractoryMergesCloseBursts() {
    const double rate = 4000;
    for (const auto& [gapS, expected] : {std::pair{0.15, 1}, std::pair{0.6, 2}}) {
      auto x = quietBackground(rate, 8, 12);
      synth::Rng rng(13);
      synth::addPolyphasicBurst(x, rate, 4.0, 0.04, 900, rng);
      synth::addPolyphasicBurst(x, rate, 4.04 + gapS, 0.04, 900, rng);
      const auto r = detectLtrs(mono(std::move(x), rate), PipelineSettings{});
      QCOMPARE(static_cast<int>(r.events.size()), expected);
    }
  }

  void blankingHidesStimulusArtefacts() {
    const double rate = 4000;
    auto x = quietBackground(rate, 8, 14);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> pulses;
    for (double t = 2.5; t < 7.5; t += 0.5) {  // 2 Hz e-stim, 5 mV, 2 ms, with a decaying tail
      const auto first = static_cast<std::uint64_t>(t * rate);
      for (std::uint64_t n = first; n < first + 8; ++n) x[n] += 5000.f;
      for (std::uint64_t n = first + 8; n < first + 120; ++n)
        x[n] += static_cast<float>(-800.0 * std::exp(-static_cast<double>(n - first - 8) / 20.0));
      pulses.emplace_back(first - 4, first + 160);
    }
    LtrEventCollector open, blanked;
    EmgPipeline a(rate, 1, PipelineSettings{}, &open);
    EmgPipeline b(rate, 1, PipelineSettings{}, &blanked);
    for (const auto& [first, end] : pulses) b.addBlanking(first, end);
    a.process(x.data(), x.size());
    b.process(x.data(), x.size());
    QVERIFY2(!open.events().empty(), "the artefact should look like bursts without blanking");
    QCOMPARE(blanked.events().size(), std::size_t{0});
  }

  void rejectsImpossibleConfigurations() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EmgPipeline(50.0, 1, PipelineSettings{}, nullptr));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EmgPipeline(4000.0, 0, PipelineSettings{}, nullptr));
    PipelineSettings s;
    s.filter.notchHz = 150;  // above Nyquist at 250 Hz
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EmgPipeline(250.0, 1, s, nullptr));
  }

  void displayDecimatorKeepsMinMaxAndCountsDrops() {
    DisplayDecimator d(2, 4, 3);
    std::vector<float> x;
    for (int f = 0; f < 20; ++f) {
      x.push_back(static_cast<float>(f));
      x.push_back(static_cast<float>(-f));
    }
    d.push(x.data(), 20);  // 5 columns, room for 3
    QCOMPARE(d.available(), std::size_t{3});
    QCOMPARE(d.droppedColumns(), std::uint64_t{2});
    float mn[6], mx[6];
    std::uint64_t first[3];
    QCOMPARE(d.pop(mn, mx, first, 3), std::size_t{3});
    QCOMPARE(first[1], std::uint64_t{4});
    QCOMPARE(mn[2], 4.f);   // column 1, channel 0
    QCOMPARE(mx[2], 7.f);
    QCOMPARE(mn[3], -7.f);  // column 1, channel 1
    QCOMPARE(mx[3], -4.f);
    QCOMPARE(d.available(), std::size_t{0});
  }
};

QTEST_GUILESS_MAIN(EmgPipelineTest)
#include "test_emg_pipeline.moc"
