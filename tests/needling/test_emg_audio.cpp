// EMG audio: the console without a sound card says so and the pipeline carries
// on; the pull source resamples, applies gain and mute, plays silence when the
// feed runs dry and never makes the EMG thread wait (the feed drops and counts).
#include "emgaudio/EmgAudioOutput.h"

#include <QAudioDevice>
#include <QCoreApplication>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <numbers>

using namespace tautband;

class EmgAudioTest : public QObject {
  Q_OBJECT
 private slots:
  void withoutAnAudioDeviceItSaysSoAndStepsAside() {
    emglive::EmgAudioFeed feed;
    feed.configure(4000);
    emgaudio::EmgAudioOutput out(feed);
    QSignalSpy changed(&out, &emgaudio::EmgAudioOutput::availabilityChanged);
    QVERIFY(!out.start(/*forceNoDevice=*/true));
    QVERIFY(!out.available());
    QVERIFY(out.message().contains(QStringLiteral("No audio output device")));
    QCOMPARE(changed.count(), 1);
    // The EMG thread keeps pushing; nobody reads: the feed drops and counts, never blocks.
    std::vector<float> block(400 * 2, 100.0f);
    for (int i = 0; i < 200; ++i) feed.push(block.data(), 400, 2);
    QVERIFY(feed.droppedSamples() > 0);
    QVERIFY(feed.queued() <= static_cast<std::size_t>(emglive::EmgAudioFeed::kMaxRateHz * 0.5));
  }

  void onThisMachineTheDefaultDeviceDecides() {
    // CI has no sound card: then start() must fail cleanly with a message; with
    // one it must start. Either way no exception and no hang.
    emglive::EmgAudioFeed feed;
    feed.configure(4000);
    emgaudio::EmgAudioOutput out(feed);
    const bool hasDevice = !QMediaDevices::defaultAudioOutput().isNull();
    QCOMPARE(out.start(), hasDevice && out.available());
    QVERIFY(!out.message().isEmpty());
    if (!hasDevice) QVERIFY(!out.available());
  }

  void sourceResamplesWithGainAndMute() {
    emglive::EmgAudioFeed feed(1.0);
    feed.configure(8000);
    // 200 Hz sine, 400 µV, through the band-limiting filters.
    std::vector<float> in(8000);
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = 400.0f * static_cast<float>(std::sin(2 * std::numbers::pi * 200.0 * i / 8000.0));
    feed.push(in.data(), in.size(), 1);
    emgaudio::EmgAudioSource source(feed, 48000, /*maxLagS=*/2.0);
    source.setGainUvFullScale(800);
    std::vector<std::int16_t> out(48000 / 2);
    source.render(out.data(), out.size());
    // Half a second of 48 kHz from 8 kHz: no underrun, amplitude ≈ 400/800 full scale.
    QCOMPARE(source.underrunSamples(), std::uint64_t{0});
    int peak = 0;
    for (std::size_t i = 4800; i < out.size(); ++i) peak = std::max(peak, std::abs(static_cast<int>(out[i])));
    QVERIFY2(peak > 14000 && peak < 18000, qPrintable(QString::number(peak)));
    // 200 Hz at 48 kHz: 240 output samples per period; count zero crossings.
    int crossings = 0;
    for (std::size_t i = 4801; i < out.size(); ++i) crossings += (out[i - 1] < 0) != (out[i] < 0);
    const double freq = crossings / 2.0 / (static_cast<double>(out.size() - 4801) / 48000.0);
    QVERIFY2(std::abs(freq - 200.0) < 5.0, qPrintable(QString::number(freq)));

    source.setMuted(true);
    source.render(out.data(), 4800);
    for (std::size_t i = 0; i < 4800; ++i) QCOMPARE(out[i], std::int16_t{0});
    // The feed runs dry: silence, counted.
    source.setMuted(false);
    source.render(out.data(), out.size());
    source.render(out.data(), out.size());
    QVERIFY(source.underrunSamples() > 0);
  }
};

QTEST_MAIN(EmgAudioTest)
#include "test_emg_audio.moc"
