// The chunked EMG recording: round trip, gaps, damage in the middle and at the
// end, bad headers, thumbnails and the file hash.
#include "emgrecord/EmgChunkFile.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace tautband::emgrecord;

namespace {
float value(std::uint64_t frame, std::uint32_t channel) { return static_cast<float>(frame % 1000) + 0.25f * channel; }

RecordingHeader header(std::uint32_t channels = 3) {
  RecordingHeader h;
  h.channels = channels;
  h.sampleRateHz = 4000;
  h.sessionUsOfFrame0 = 123456;
  h.metadataJson = R"({"session_id":7})";
  return h;
}

void writeFrames(ChunkWriter& w, std::uint64_t first, std::size_t frames, std::uint32_t channels) {
  std::vector<float> data(frames * channels);
  for (std::size_t f = 0; f < frames; ++f)
    for (std::uint32_t c = 0; c < channels; ++c) data[f * channels + c] = value(first + f, c);
  w.appendFrames(first, data.data(), frames);
}

void flipByte(const std::string& path, std::streamoff at) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(at);
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5A);
  f.seekp(at);
  f.write(&c, 1);
}
}  // namespace

class EmgRecordingTest : public QObject {
  Q_OBJECT
 private slots:
  void roundTripKeepsEverySampleEventAndWindow() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("a.tbemg").toStdString();
    {
      ChunkWriter w(path, header(), 100);
      writeFrames(w, 0, 250, 3);  // 2 full chunks + 50 pending
      w.appendEvent(120, R"({"kind":"ltr"})");
      const float window[4] = {1, 2, 3, 4};
      w.appendLtrWindow(2, 110, window, 4);
      writeFrames(w, 250, 30, 3);
      w.close();
    }
    const auto r = readRecording(path);
    QCOMPARE(r.header.channels, 3u);
    QCOMPARE(r.header.sampleRateHz, 4000.0);
    QCOMPARE(r.header.sessionUsOfFrame0, std::int64_t{123456});
    QCOMPARE(r.header.metadataJson, std::string(R"({"session_id":7})"));
    QCOMPARE(r.frames(), std::uint64_t{280});
    QCOMPARE(r.segments.size(), std::size_t{1});
    QVERIFY(r.cleanEnd);
    QCOMPARE(r.damagedRegions, 0u);
    const auto all = r.contiguous();
    for (std::uint64_t f = 0; f < 280; ++f)
      for (std::uint32_t c = 0; c < 3; ++c) QCOMPARE(all[f * 3 + c], value(f, c));
    QCOMPARE(r.events.size(), std::size_t{1});
    QCOMPARE(r.events[0].frame, std::uint64_t{120});
    QCOMPARE(r.ltrWindows.size(), std::size_t{1});
    QCOMPARE(r.ltrWindows[0].channel, 2u);
    QCOMPARE(r.ltrWindows[0].samplesUv, (std::vector<float>{1, 2, 3, 4}));
  }

  void gapsAreSegmentsAndZeroFilled() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("g.tbemg").toStdString();
    {
      ChunkWriter w(path, header(1), 64);
      writeFrames(w, 0, 10, 1);
      writeFrames(w, 20, 10, 1);
    }
    const auto r = readRecording(path);
    QCOMPARE(r.segments.size(), std::size_t{2});
    std::uint64_t gap = 0;
    const auto all = r.contiguous(&gap);
    QCOMPARE(all.size(), std::size_t{30});
    QCOMPARE(gap, std::uint64_t{10});
    QCOMPARE(all[15], 0.0f);
    QCOMPARE(all[25], value(25, 0));
  }

  void damagedMiddleChunkIsSkippedAndTheRestReads() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("d.tbemg").toStdString();
    std::uint64_t headerBytes = 0;
    {
      ChunkWriter w(path, header(2), 50);
      headerBytes = w.bytesWritten();
      writeFrames(w, 0, 200, 2);  // 4 chunks of 50 frames
    }
    const std::uint64_t chunkBytes = kChunkHeaderBytes + 50 * 2 * 4 + 4;
    flipByte(path, static_cast<std::streamoff>(headerBytes + chunkBytes + 40));  // inside chunk 1's payload
    const auto r = readRecording(path);
    QCOMPARE(r.chunks, 3u);
    QCOMPARE(r.damagedRegions, 1u);
    QCOMPARE(r.damagedBytes, chunkBytes);
    QVERIFY(r.cleanEnd);
    QCOMPARE(r.frames(), std::uint64_t{150});
    QCOMPARE(r.segments.size(), std::size_t{2});
    QCOMPARE(r.segments[1].firstFrame, std::uint64_t{100});
  }

  void cutTailLosesOnlyThePartialChunk() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("t.tbemg").toStdString();
    {
      ChunkWriter w(path, header(2), 50);
      writeFrames(w, 0, 150, 2);
    }
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size - 17);
    const auto r = readRecording(path);
    QCOMPARE(r.frames(), std::uint64_t{100});
    QVERIFY(!r.cleanEnd);
    QCOMPARE(r.damagedRegions, 1u);
  }

  void badFilesAreRefusedWithAClearMessage() {
    QTemporaryDir dir;
    const std::string notRec = dir.filePath("x.tbemg").toStdString();
    std::ofstream(notRec) << "hello, this is not a recording at all, not even close";
    QVERIFY_THROWS_EXCEPTION(RecordingError, readRecording(notRec));
    QVERIFY_THROWS_EXCEPTION(RecordingError, readRecording(dir.filePath("missing").toStdString()));
    const std::string path = dir.filePath("h.tbemg").toStdString();
    { ChunkWriter w(path, header(), 10); }
    flipByte(path, 20);  // inside the rate
    try {
      readRecording(path);
      QFAIL("a damaged header must be refused");
    } catch (const RecordingError& e) {
      QVERIFY(std::string(e.what()).find("checksum") != std::string::npos);
    }
    QVERIFY_THROWS_EXCEPTION(RecordingError, ChunkWriter(path, header(), 10));  // never overwrites
    RecordingHeader zero = header();
    zero.channels = 0;
    QVERIFY_THROWS_EXCEPTION(RecordingError, ChunkWriter(dir.filePath("z").toStdString(), zero, 10));
  }

  void hashChangesWithOneByte() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.tbemg").toStdString();
    {
      ChunkWriter w(path, header(1), 10);
      writeFrames(w, 0, 30, 1);
    }
    const auto h1 = hashFileBlake2b256(path);
    QCOMPARE(h1.size(), std::size_t{64});
    QCOMPARE(hashFileBlake2b256(path), h1);
    flipByte(path, 100);
    QVERIFY(hashFileBlake2b256(path) != h1);
  }

  void crc32cMatchesTheKnownCheckValue() {
    // CRC-32C("123456789") = 0xE3069283 (RFC 3720 appendix).
    QCOMPARE(crc32c("123456789", 9), 0xE3069283u);
  }
};

QTEST_GUILESS_MAIN(EmgRecordingTest)
#include "test_emg_recording.moc"
