// Cold start to the first drawn frame (the login screen), measured from the
// parent's QProcess::start() to the child's "first-frame" line, so exec,
// dynamic linking and QML loading all count. Target (BRIEF.md §7): < 1.5 s.
#include "BenchReport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <vector>

namespace {

std::optional<double> timeToFirstFrame(const QString& program, const QStringList& args) {
  QProcess process;
  process.setProcessChannelMode(QProcess::SeparateChannels);
  QElapsedTimer timer;
  timer.start();
  process.start(program, args);
  if (!process.waitForStarted(10000)) return std::nullopt;
  std::optional<double> elapsed;
  QByteArray seen;
  while (!elapsed && timer.elapsed() < 20000) {
    if (!process.waitForReadyRead(20000)) break;
    seen += process.readAllStandardOutput();
    if (seen.contains("first-frame")) elapsed = static_cast<double>(timer.nsecsElapsed()) / 1e6;
  }
  if (!process.waitForFinished(10000)) process.kill();
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s TAUTBAND EMPTY_WINDOW\n", argv[0]);
    return 2;
  }
  const QString console = QString::fromLocal8Bit(argv[1]);
  const QString baseline = QString::fromLocal8Bit(argv[2]);
  QTemporaryDir dataDir;
  constexpr int kRuns = 7;

  std::vector<double> consoleMs, baselineMs;
  for (int i = 0; i < kRuns; ++i) {
    // Interleave so that drift on a shared machine hits both alike.
    const auto b = timeToFirstFrame(baseline, {});
    const auto c = timeToFirstFrame(console, {QStringLiteral("--data-dir"), dataDir.path(),
                                              QStringLiteral("--print-startup-time"),
                                              QStringLiteral("--quit-after"), QStringLiteral("0"),
                                              QStringLiteral("--log-level"), QStringLiteral("warn")});
    if (!b || !c) {
      std::fprintf(stderr, "cold_start: a run did not report its first frame\n");
      return 2;
    }
    baselineMs.push_back(*b);
    consoleMs.push_back(*c);
  }

  tautband::bench::Report report(QStringLiteral("cold_start"));
  const double baselineMedian = tautband::bench::percentile(baselineMs, 50);
  report.add({.name = QStringLiteral("first_frame"),
              .unit = QStringLiteral("ms"),
              .value = tautband::bench::percentile(consoleMs, 50),
              .stat = QStringLiteral("median"),
              .samples = kRuns,
              .baseline = tautband::bench::Baseline{QStringLiteral("empty_qt_quick_window"), baselineMedian,
                                                    QStringLiteral("ms")},
              .target = tautband::bench::Target{QStringLiteral("<"), 1500, QStringLiteral("ms")}});
  report.add({.name = QStringLiteral("first_frame_max"),
              .unit = QStringLiteral("ms"),
              .value = *std::max_element(consoleMs.begin(), consoleMs.end()),
              .stat = QStringLiteral("max"),
              .samples = kRuns,
              .baseline = std::nullopt,
              .target = std::nullopt});
  report.setNotes(QStringLiteral("Xvfb + Mesa (OpenGL); from QProcess::start to the first frameSwapped of the login screen"));
  return report.finish();
}
