// A child writes a recording through EmgRecorder; SIGKILL at random moments.
// The file must still read, its samples must be exactly what was written, in
// one contiguous run from frame 0, and at most the chunk being filled may be
// missing from what the recorder had reported written.
#include "emgrecord/EmgChunkFile.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace tautband::emgrecord;

class EmgRecordingCrashTest : public QObject {
  Q_OBJECT
 private slots:
  void killedWriterLeavesAReadableFile() {
    QTemporaryDir dir;
    QRandomGenerator rng(20261129);
    int cutTails = 0;
    for (int run = 0; run < 25; ++run) {
      const QString path = dir.filePath(QStringLiteral("run%1.tbemg").arg(run));
      QProcess child;
      child.start(QStringLiteral(RECORDING_CHILD), {path});
      QVERIFY(child.waitForStarted(5000));
      QTest::qWait(static_cast<int>(60 + rng.bounded(400)));
      ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
      QVERIFY(child.waitForFinished(5000));
      const QList<QByteArray> lines = child.readAllStandardOutput().split('\n');
      std::uint64_t reported = 0;
      for (const auto& line : lines)
        if (!line.trimmed().isEmpty()) reported = std::max<std::uint64_t>(reported, line.trimmed().toULongLong());

      const auto r = readRecording(path.toStdString());
      QCOMPARE(r.header.channels, 4u);
      QVERIFY2(r.damagedRegions <= 1, "damage only at the cut");
      if (!r.cleanEnd) ++cutTails;
      QVERIFY2(r.segments.size() <= 1, "one contiguous run");
      const std::uint64_t frames = r.frames();
      // The recorder reports frames handed to the writer; at most the one
      // chunk it was still filling (400 frames) may be missing.
      QVERIFY2(frames + 400 >= reported, qPrintable(QStringLiteral("run %1: %2 frames on disk, %3 reported written")
                                                  .arg(run).arg(frames).arg(reported)));
      if (!r.segments.empty()) QCOMPARE(r.segments[0].firstFrame, std::uint64_t{0});
      for (std::uint64_t f = 0; f < frames; f += 37)
        for (std::uint32_t c = 0; c < 4; ++c)
          QCOMPARE(r.samplesUv[f * 4 + c], static_cast<float>(f % 100000) + 0.5f * c);
    }
    qInfo("25 kills, %d left a partial chunk at the end", cutTails);
  }
};

QTEST_GUILESS_MAIN(EmgRecordingCrashTest)
#include "test_emg_recording_crash.moc"
