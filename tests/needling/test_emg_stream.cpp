// The EMG thread: frames injected at a DeviceLink's output (its messageReceived
// signal, emitted on another thread as the codec thread does) come out as LTRs
// on the session clock, display columns and a recording; units come from the
// device; lost frames are counted; insertion marks reject insertional bursts.
#include "SyntheticEmg.h"
#include "devices/native/NativeSerialLink.h"
#include "emglive/EmgStream.h"
#include "emgrecord/EmgChunkFile.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QTest>
#include <QThread>

using namespace tautband;
using tautband::testing::SyntheticEmg;

namespace {
std::unique_ptr<devices::DeviceLink> unopenedLink() {
  // Never opened: the test emits its messageReceived as the codec would.
  return devices::makeNativeSerialLink(QStringLiteral("emg-test"), QStringLiteral("/nonexistent/emg"), 115200);
}

std::vector<emglive::LtrRecord> drain(emglive::EmgStream& s) {
  std::vector<emglive::LtrRecord> out;
  emglive::LtrRecord r;
  while (s.takeLtr(r)) out.push_back(r);
  return out;
}

// Streams up to `seconds` of synthetic EMG in 40-frame messages, `speed` x
// real time (0 = as fast as possible).
void stream(devices::DeviceLink& link, SyntheticEmg& emg, double seconds, std::uint32_t rate, int skipEvery = 0,
            double speed = 0) {
  const auto total = static_cast<std::uint64_t>(seconds * rate);
  int n = 0;
  QElapsedTimer wall;
  wall.start();
  const std::uint64_t startFrame = emg.frame();
  while (emg.frame() < total) {
    if (speed > 0) {
      const double due = static_cast<double>(emg.frame() - startFrame) / rate / speed;
      while (static_cast<double>(wall.nsecsElapsed()) * 1e-9 < due) QThread::usleep(200);
    }
    if (skipEvery > 0 && ++n % skipEvery == 0) {
      emg.skipMessage(40);
      continue;
    }
    emit link.messageReceived(emg.next(40));
  }
}
}  // namespace

class EmgStreamTest : public QObject {
  Q_OBJECT
 private slots:
  void burstsBecomeLtrsOnTheSessionClock() {
    core::SessionClock clock;
    emglive::EmgAudioFeed audio;
    emglive::EmgStream::Options options;
    options.fallbackMicrovoltsPerUnit = 0.5;
    emglive::EmgThread thread(clock, &audio, options);
    auto link = unopenedLink();
    QSignalSpy changed(&thread.stream(), &emglive::EmgStream::streamChanged);
    thread.stream().attach(link.get());
    // The signal may come before wait() starts (it is emitted on the EMG thread).
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() > 0, 5000);

    const std::uint32_t rate = 4000;
    SyntheticEmg emg(rate, 4, 0.5);
    const std::vector<std::uint64_t> onsets{8000, 12000, 16400, 20000};  // 2 s, 3 s, 4.1 s, 5 s
    for (std::size_t i = 0; i < onsets.size(); ++i) emg.addBurst(onsets[i], static_cast<std::uint32_t>(i % 4));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.tbemg"));
    thread.stream().startRecording(path, QStringLiteral(R"({"session_id":1})"));
    stream(*link, emg, 6.0, rate, 0, 4.0);  // the recorder's ring holds 4 s
    QTRY_VERIFY_WITH_TIMEOUT(thread.stream().status().frames >= 24000, 5000);

    std::vector<emglive::LtrRecord> detected;
    for (const auto& r : drain(thread.stream()))
      if (r.update == emg::LtrUpdate::kDetected) detected.push_back(r);
    QCOMPARE(detected.size(), onsets.size());
    const auto feed = thread.stream().display();
    QVERIFY(feed != nullptr);
    for (std::size_t i = 0; i < onsets.size(); ++i) {
      QCOMPARE(detected[i].event.channel, static_cast<int>(i % 4));
      QVERIFY2(std::abs(static_cast<double>(detected[i].event.onsetSample) - static_cast<double>(onsets[i])) < 0.01 * rate,
               "onset within 10 ms");
      // Session time = the display's frame-0 time + samples / rate.
      QVERIFY(std::abs(detected[i].event.onsetS - (feed->sessionSOfFrame0 + static_cast<double>(onsets[i]) / rate)) < 0.011);
      QVERIFY(detected[i].latencyMs >= 0);
      QVERIFY(detected[i].publishedUs > 0);
    }
    QVERIFY(feed->decimator.available() > 0);
    QCOMPARE(feed->channels, std::size_t{4});
    QVERIFY(audio.queued() > 0 || audio.droppedSamples() > 0);

    QSignalSpy finished(&thread.stream(), &emglive::EmgStream::recordingFinished);
    thread.stream().stopRecording();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 10000);
    QCOMPARE(finished.at(0).at(0).toString(), path);
    QCOMPARE(finished.at(0).at(1).toString(), QString::fromStdString(emgrecord::hashFileBlake2b256(path.toStdString())));
    const auto rec = emgrecord::readRecording(path.toStdString());
    QVERIFY(rec.frames() >= 23000);
    QVERIFY(rec.header.metadataJson.find("\"session_id\":1") != std::string::npos);
    int ltrEvents = 0;
    for (const auto& e : rec.events) ltrEvents += e.json.find("\"detected\"") != std::string::npos;
    QCOMPARE(ltrEvents, 4);
    QCOMPARE(rec.ltrWindows.size(), std::size_t{4});
    QCOMPARE(rec.ltrWindows[0].samplesUv.size(), std::size_t{2000});  // 0.1 s before + 0.4 s after at 4 kHz
  }

  void insertionMarkRejectsTheInsertionalBurst() {
    core::SessionClock clock;
    emglive::EmgStream::Options options;
    options.fallbackMicrovoltsPerUnit = 1.0;
    emglive::EmgThread thread(clock, nullptr, options);
    auto link = unopenedLink();
    thread.stream().attach(link.get());
    QTest::qWait(50);
    const std::uint32_t rate = 2000;
    SyntheticEmg emg(rate, 1, 1.0);
    emg.addBurst(3000, 0);  // 1.5 s, right after the mark: insertional
    emg.addBurst(5000, 0);  // 2.5 s, no mark near it: an LTR
    // Real time, so the session clock and the stream agree as they do live.
    stream(*link, emg, 1.45, rate, 0, 1.0);
    thread.stream().markInsertion();  // the therapist taps just before the burst
    stream(*link, emg, 3.2, rate, 0, 1.0);
    QTRY_VERIFY_WITH_TIMEOUT(thread.stream().status().frames >= 6400, 3000);
    std::vector<std::uint64_t> onsets;
    for (const auto& r : drain(thread.stream()))
      if (r.update == emg::LtrUpdate::kDetected) onsets.push_back(r.event.onsetSample);
    QCOMPARE(onsets.size(), std::size_t{1});
    QVERIFY(onsets[0] >= 4980 && onsets[0] <= 5020);
  }

  void lostFramesAreCountedAndUnitsAreNeverGuessed() {
    core::SessionClock clock;
    emglive::EmgThread thread(clock, nullptr, {});  // no fallback units
    auto link = unopenedLink();
    thread.stream().attach(link.get());
    QTest::qWait(50);
    SyntheticEmg emg(1000, 2, 1.0);
    stream(*link, emg, 0.5, 1000);
    QTRY_COMPARE_WITH_TIMEOUT(thread.stream().status().badFrames, std::uint64_t{13}, 2000);
    QCOMPARE(thread.stream().status().frames, std::uint64_t{0});

    emglive::EmgStream::Options options;
    options.fallbackMicrovoltsPerUnit = 1.0;
    emglive::EmgThread second(clock, nullptr, options);
    second.stream().attach(link.get());
    QTest::qWait(50);
    stream(*link, emg, 2.0, 1000, 10);  // every 10th message lost
    QTRY_VERIFY_WITH_TIMEOUT(second.stream().status().frames >= 1400, 2000);
    QTest::qWait(300);  // let the last message finish
    const auto s = second.stream().status();
    QVERIFY(s.lostFrames > 0);
    QCOMPARE(s.lostFrames % 40, std::uint64_t{0});
    QCOMPARE(s.frames, s.lostFrames + (s.messages) * 40);
  }
};

QTEST_GUILESS_MAIN(EmgStreamTest)
#include "test_emg_stream.moc"
