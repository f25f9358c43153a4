// Live EMG trace frame time (issue #8: "scrolling at 60 fps at 48 kHz x 8 ch from the
// decimated buffer, drawn with a scene-graph item"). The real parts: EmgTraceItem in a
// QQuickWindow of the needling page's trace-area size, fed by the real EMG thread
// (EmgThread / EmgStream: LTR pipeline, DisplayDecimator) with 8 ch x 48 kHz frames
// injected at the DeviceLink's output from a paced thread in real time (1 ms frames, as
// the codec thread emits them; pre-generated so the generator's CPU is not counted),
// with LTR bursts whose detections become markers on the trace (as NeedlingPage.qml
// does). Run under Xvfb + Mesa (OpenGL through llvmpipe), not the offscreen platform.
//
// Per frame: the interval between QQuickWindow::frameSwapped, the item's updatePaintNode
// time, the scene-graph sync (GUI thread blocked) and render time; per phase: CPU % of the
// process, the decimator's dropped columns. Baseline in the same run: the same window
// with the trace fed nothing (no source, no stream). A small square spins in both phases
// (as something on the console always moves) so the render loop runs in the baseline too.
#include "BenchReport.h"
#include "../../needling/SyntheticEmg.h"
#include "devices/native/NativeSerialLink.h"
#include "emglive/EmgStream.h"
#include "ui/EmgTraceItem.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QScreen>
#include <QSGRendererInterface>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string_view>
#include <thread>

using namespace tautband;
using Clock = std::chrono::steady_clock;

namespace {

double msBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// What one phase recorded (render thread writes, main thread reads after the phase).
struct PhaseSamples {
  std::vector<Clock::time_point> swaps;
  std::vector<double> paintNodeMs, syncMs, renderMs;
  double cpuPercent = 0;
  double wallS = 0;
};

class Recorder {
 public:
  void start(PhaseSamples* phase) {
    std::lock_guard lock(mutex_);
    phase_ = phase;
  }
  void stop() {
    std::lock_guard lock(mutex_);
    phase_ = nullptr;
  }
  void swap() { with([](PhaseSamples& p) { p.swaps.push_back(Clock::now()); }); }
  void paintNode(double ms) { with([ms](PhaseSamples& p) { p.paintNodeMs.push_back(ms); }); }
  void sync(double ms) { with([ms](PhaseSamples& p) { p.syncMs.push_back(ms); }); }
  void render(double ms) { with([ms](PhaseSamples& p) { p.renderMs.push_back(ms); }); }

 private:
  template <typename F>
  void with(F f) {
    std::lock_guard lock(mutex_);
    if (phase_) f(*phase_);
  }
  std::mutex mutex_;
  PhaseSamples* phase_ = nullptr;
};

// The real item, with its updatePaintNode timed (it runs on the render thread while the
// GUI thread is blocked in the sync).
class TimedTraceItem : public ui::EmgTraceItem {
 public:
  TimedTraceItem(Recorder& recorder, QQuickItem* parent) : ui::EmgTraceItem(parent), recorder_(recorder) {}

 protected:
  QSGNode* updatePaintNode(QSGNode* old, UpdatePaintNodeData* data) override {
    const auto t0 = Clock::now();
    QSGNode* node = ui::EmgTraceItem::updatePaintNode(old, data);
    recorder_.paintNode(msBetween(t0, Clock::now()));
    return node;
  }

 private:
  Recorder& recorder_;
};

double processCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QString loadAverage() {
  QFile f(QStringLiteral("/proc/loadavg"));
  if (!f.open(QIODevice::ReadOnly)) return QStringLiteral("?");
  return QString::fromLatin1(f.readLine()).section(QLatin1Char(' '), 0, 2);
}

// Runs the event loop for `seconds` while the recorder fills `phase`.
void runPhase(Recorder& recorder, PhaseSamples& phase, double seconds) {
  const double cpu0 = processCpuSeconds();
  QElapsedTimer wall;
  wall.start();
  recorder.start(&phase);
  QEventLoop loop;
  QTimer::singleShot(static_cast<int>(seconds * 1000), &loop, &QEventLoop::quit);
  loop.exec();
  recorder.stop();
  phase.wallS = static_cast<double>(wall.nsecsElapsed()) / 1e9;
  phase.cpuPercent = 100.0 * (processCpuSeconds() - cpu0) / phase.wallS;
}

std::vector<double> intervalsMs(const PhaseSamples& p) {
  std::vector<double> out;
  for (std::size_t i = 1; i < p.swaps.size(); ++i) out.push_back(msBetween(p.swaps[i - 1], p.swaps[i]));
  return out;
}

// Frames swapped in each whole 1 s window of the phase.
std::vector<double> fpsPerSecond(const PhaseSamples& p) {
  std::vector<double> out;
  if (p.swaps.empty()) return out;
  const auto start = p.swaps.front();
  std::size_t i = 0;
  for (int w = 0;; ++w) {
    const auto end = start + std::chrono::seconds(w + 1);
    if (end > p.swaps.back()) break;
    int n = 0;
    while (i < p.swaps.size() && p.swaps[i] < end) {
      ++n;
      ++i;
    }
    out.push_back(n);
  }
  return out;
}

double maxOf(const std::vector<double>& v) { return v.empty() ? std::nan("") : *std::max_element(v.begin(), v.end()); }
double countOver(const std::vector<double>& v, double limit) {
  return static_cast<double>(std::count_if(v.begin(), v.end(), [limit](double x) { return x > limit; }));
}

constexpr auto kWindowQml = R"(
import QtQuick
// The needling page's trace area: background, the trace (added from C++), status text
// and the LTR counter over it; the spinning square keeps the render loop running while the
// trace has nothing to draw (stopped for the live phase, where the trace drives the frames).
Rectangle {
  width: 1000; height: 500
  color: "#0d1620"
  Item { objectName: "traceArea"; anchors.fill: parent; anchors.margins: 6 }
  Text { objectName: "status"; anchors { left: parent.left; bottom: parent.bottom; margins: 8 }
         color: "#8aa0b4"; font.pixelSize: 14; text: "" }
  Text { objectName: "counter"; anchors { right: parent.right; top: parent.top; margins: 8 }
         color: "#f2b134"; font.pixelSize: 28; font.bold: true; text: "LTR 0" }
  Rectangle { id: spinner; objectName: "spinner"; property bool spinning: true
              width: 8; height: 8; color: "#34475a"; anchors { right: parent.right; bottom: parent.bottom; margins: 4 }
              RotationAnimation on rotation { from: 0; to: 360; duration: 1000; loops: Animation.Infinite; running: spinner.spinning } }
}
)";

// `--xvfb XVFB_RUN ARGS...` (from the bench's CMake): run this program again under
// Xvfb on the xcb platform (ctest's environment says offscreen for every bench).
int reexecUnderXvfb(int argc, char** argv) {
  std::vector<char*> args(argv + 2, argv + argc);
  static char self[4096] = {};  // this binary's path, resolved here (not by xvfb-run's shell)
  if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) return 2;
  args.push_back(self);
  args.push_back(nullptr);
  setenv("QT_QPA_PLATFORM", "xcb", 1);
  execv(argv[2], args.data());
  std::perror("bench_emg_trace: cannot run xvfb-run");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 && std::string_view(argv[1]) == "--xvfb") return reexecUnderXvfb(argc, argv);
  QGuiApplication app(argc, argv);
  const bool quick = qEnvironmentVariableIntValue("TAUTBAND_BENCH_QUICK") != 0;
  const double baselineS = quick ? 3.0 : 6.0;
  const double streamOnlyS = quick ? 3.0 : 5.0;
  const double liveS = quick ? 5.0 : 12.0;
  const std::uint32_t rate = 48000, channels = 8, perMessage = rate / 1000;
  const QString loadBefore = loadAverage();

  // The input, generated before the clock starts: 8 ch x 48 kHz, LTR-like bursts every 0.7 s.
  const double streamS = streamOnlyS + liveS + 1.0;
  testing::SyntheticEmg emg(rate, channels, 0.1, 11);
  std::size_t bursts = 0;
  // Stream time runs 0.3 s ahead of the phases: every burst ends well inside the live one.
  // The first 1.6 s are the detector's baseline settling (as in bench_ltr_latency).
  for (double t = 1.6; t < streamOnlyS + liveS; t += 0.7, ++bursts)
    emg.addBurst(static_cast<std::uint64_t>(t * rate), static_cast<std::uint32_t>(bursts % channels), 900.0);
  std::vector<std::shared_ptr<const devices::proto::Envelope>> messages;
  const auto totalMessages = static_cast<std::size_t>(streamS * 1000);
  messages.reserve(totalMessages);
  for (std::size_t i = 0; i < totalMessages; ++i) messages.push_back(emg.next(perMessage));

  core::SessionClock clock;
  emglive::EmgAudioFeed audio;
  emglive::EmgStream::Options options;
  options.fallbackMicrovoltsPerUnit = 0.1;
  emglive::EmgThread thread(clock, &audio, options);
  auto link = devices::makeNativeSerialLink(QStringLiteral("bench"), QStringLiteral("/nonexistent/bench"), 115200);
  thread.stream().attach(link.get());

  Recorder recorder;
  QQmlEngine engine;
  QQmlComponent component(&engine);
  component.setData(kWindowQml, QUrl(QStringLiteral("qrc:/bench/TraceWindow.qml")));
  std::unique_ptr<QObject> rootObject(component.create());
  auto* root = qobject_cast<QQuickItem*>(rootObject.get());
  if (!root) {
    std::fprintf(stderr, "bench_emg_trace: %s\n", qPrintable(component.errorString()));
    return 2;
  }
  QQuickWindow window;
  window.resize(1000, 500);
  root->setParentItem(window.contentItem());
  auto* area = root->findChild<QQuickItem*>(QStringLiteral("traceArea"));
  auto* counter = root->findChild<QObject*>(QStringLiteral("counter"));
  // Parented after construction, as QML does: EmgTraceItem hooks the window's frames in
  // itemChange(ItemSceneChange), which a constructor's parent would reach before the
  // subclass exists.
  auto* trace = new TimedTraceItem(recorder, nullptr);
  trace->setParent(area);
  trace->setParentItem(area);
  trace->setSize(area->size());
  QObject::connect(area, &QQuickItem::widthChanged, trace, [=] { trace->setWidth(area->width()); });
  QObject::connect(area, &QQuickItem::heightChanged, trace, [=] { trace->setHeight(area->height()); });
  trace->setWindowSeconds(5);
  trace->setRangeUv(500);

  std::atomic<bool> swapsOnGuiThread{false};
  QObject::connect(&window, &QQuickWindow::frameSwapped, &window, [&] {
    swapsOnGuiThread = QThread::currentThread() == app.thread();
    recorder.swap();
  }, Qt::DirectConnection);
  thread_local Clock::time_point syncStart, renderStart;
  QObject::connect(&window, &QQuickWindow::beforeSynchronizing, &window, [] { syncStart = Clock::now(); }, Qt::DirectConnection);
  QObject::connect(&window, &QQuickWindow::afterSynchronizing, &window, [&] { recorder.sync(msBetween(syncStart, Clock::now())); }, Qt::DirectConnection);
  QObject::connect(&window, &QQuickWindow::beforeRendering, &window, [] { renderStart = Clock::now(); }, Qt::DirectConnection);
  QObject::connect(&window, &QQuickWindow::afterRendering, &window, [&] { recorder.render(msBetween(renderStart, Clock::now())); }, Qt::DirectConnection);

  // LTR markers as NeedlingPage.qml places them (NeedlingModel::takeLtrs -> addMarker).
  int markers = 0;
  QObject::connect(&thread.stream(), &emglive::EmgStream::ltrAvailable, trace, [&] {
    emglive::LtrRecord r;
    while (thread.stream().takeLtr(r)) {
      if (r.update != emg::LtrUpdate::kDetected) continue;
      trace->addMarker(r.event.onsetS, static_cast<int>(r.event.channel), false);
      counter->setProperty("text", QStringLiteral("LTR %1").arg(++markers));
    }
  }, Qt::QueuedConnection);

  window.show();
  {  // warm up: first frames, shader compilation
    QEventLoop loop;
    QTimer::singleShot(1000, &loop, &QEventLoop::quit);
    loop.exec();
  }
  const auto* rif = window.rendererInterface();
  const bool openGl = rif && rif->graphicsApi() == QSGRendererInterface::OpenGL;
  const double refreshHz = window.screen() ? window.screen()->refreshRate() : std::nan("");

  PhaseSamples baseline, streamOnly, live, afterStream;
  runPhase(recorder, baseline, baselineS);

  // Then the "codec thread" emits 1 ms frames in real time: first with the trace still
  // unfed (what the EMG thread alone costs), then with the trace reading the EMG thread's
  // decimated columns (live).
  std::atomic<bool> stopFeeding{false};
  std::thread codec([&] {
    const auto start = Clock::now();
    for (std::size_t i = 0; i < messages.size() && !stopFeeding; ++i) {
      std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<std::int64_t>((i + 1) * 1000)));
      emit link->messageReceived(messages[i]);
    }
  });
  QThread::msleep(300);  // the stream configures itself on the first frames
  runPhase(recorder, streamOnly, streamOnlyS);
  ui::EmgDisplaySource source([&thread] { return thread.stream().display(); });
  trace->setSource(&source);
  // The needling page is otherwise still (the status bar's clock ticks once a second): the
  // trace alone asks for the frames. TAUTBAND_BENCH_SPIN=1 keeps the square spinning.
  if (!qEnvironmentVariableIntValue("TAUTBAND_BENCH_SPIN")) root->findChild<QObject*>(QStringLiteral("spinner"))->setProperty("spinning", false);
  runPhase(recorder, live, liveS);
  // To look at what was measured: TAUTBAND_BENCH_SCREENSHOT=/tmp/trace.png.
  if (const QString shot = qEnvironmentVariable("TAUTBAND_BENCH_SCREENSHOT"); !shot.isEmpty()) window.grabWindow().save(shot);
  stopFeeding = true;
  codec.join();
  // The stream has stopped and nothing else moves: the trace must stop asking for frames
  // (its driver stops after 0.5 s without columns); frames in the last second are counted.
  runPhase(recorder, afterStream, 2.0);
  const double idleFps = static_cast<double>(std::count_if(afterStream.swaps.begin(), afterStream.swaps.end(),
      [end = Clock::now()](Clock::time_point t) { return t > end - std::chrono::seconds(1); }));
  const auto feed = thread.stream().display();
  const double dropped = feed ? static_cast<double>(feed->decimator.droppedColumns()) : std::nan("");
  const auto status = thread.stream().status();
  const QString loadAfter = loadAverage();

  const auto liveIntervals = intervalsMs(live), baseIntervals = intervalsMs(baseline);
  const auto liveFps = fpsPerSecond(live), baseFps = fpsPerSecond(baseline);
  auto ms = QStringLiteral("ms");
  auto fig = [](QString name, QString unit, double value, QString stat, std::size_t n, std::optional<bench::Baseline> b,
                std::optional<bench::Target> t) {
    return bench::Figure{std::move(name), std::move(unit), value, std::move(stat), static_cast<int>(n), std::move(b), std::move(t)};
  };
  auto base = [](const char* name, double v, QString unit) { return bench::Baseline{QString::fromLatin1(name), v, std::move(unit)}; };

  bench::Report report(QStringLiteral("emg_trace"));
  report.add(fig(QStringLiteral("fps"), QStringLiteral("fps"), bench::percentile(liveFps, 50), QStringLiteral("median of 1 s windows"),
                 liveFps.size(), base("trace fed nothing", bench::percentile(baseFps, 50), QStringLiteral("fps")),
                 // 60 Hz: jitter alone moves a frame across a 1 s window's edge (59-61 counted).
                 bench::Target{QStringLiteral(">="), 59, QStringLiteral("fps")}));
  report.add(fig(QStringLiteral("fps_min_1s"), QStringLiteral("fps"), liveFps.empty() ? std::nan("") : *std::min_element(liveFps.begin(), liveFps.end()),
                 QStringLiteral("min of 1 s windows"), liveFps.size(),
                 base("trace fed nothing", baseFps.empty() ? std::nan("") : *std::min_element(baseFps.begin(), baseFps.end()), QStringLiteral("fps")),
                 std::nullopt));
  report.add(fig(QStringLiteral("frame_interval_p50"), ms, bench::percentile(liveIntervals, 50), QStringLiteral("p50"), liveIntervals.size(),
                 base("trace fed nothing", bench::percentile(baseIntervals, 50), ms), std::nullopt));
  report.add(fig(QStringLiteral("frame_interval_p99"), ms, bench::percentile(liveIntervals, 99), QStringLiteral("p99"), liveIntervals.size(),
                 base("trace fed nothing", bench::percentile(baseIntervals, 99), ms), std::nullopt));
  report.add(fig(QStringLiteral("frame_interval_max"), ms, maxOf(liveIntervals), QStringLiteral("max"), liveIntervals.size(),
                 base("trace fed nothing", maxOf(baseIntervals), ms), std::nullopt));
  report.add(fig(QStringLiteral("frames_over_33ms"), QStringLiteral("count"), countOver(liveIntervals, 33.3), QStringLiteral("count"),
                 liveIntervals.size(), base("trace fed nothing", countOver(baseIntervals, 33.3), QStringLiteral("count")), std::nullopt));
  report.add(fig(QStringLiteral("update_paint_node_p50"), ms, bench::percentile(live.paintNodeMs, 50), QStringLiteral("p50"),
                 live.paintNodeMs.size(), std::nullopt, std::nullopt));
  report.add(fig(QStringLiteral("update_paint_node_p99"), ms, bench::percentile(live.paintNodeMs, 99), QStringLiteral("p99"),
                 live.paintNodeMs.size(), std::nullopt, bench::Target{QStringLiteral("<"), 8.0, ms}));
  report.add(fig(QStringLiteral("sync_p99"), ms, bench::percentile(live.syncMs, 99), QStringLiteral("p99"), live.syncMs.size(),
                 base("trace fed nothing", bench::percentile(baseline.syncMs, 99), ms), std::nullopt));
  report.add(fig(QStringLiteral("render_p99"), ms, bench::percentile(live.renderMs, 99), QStringLiteral("p99"), live.renderMs.size(),
                 base("trace fed nothing", bench::percentile(baseline.renderMs, 99), ms), std::nullopt));
  report.add(fig(QStringLiteral("cpu"), QStringLiteral("%"), live.cpuPercent, QStringLiteral("process, whole phase"), 1,
                 base("trace fed nothing, no stream", baseline.cpuPercent, QStringLiteral("%")), std::nullopt));
  report.add(fig(QStringLiteral("cpu_stream_only"), QStringLiteral("%"), streamOnly.cpuPercent, QStringLiteral("process, whole phase"), 1,
                 base("trace fed nothing, no stream", baseline.cpuPercent, QStringLiteral("%")), std::nullopt));
  report.add(fig(QStringLiteral("fps_stream_only"), QStringLiteral("fps"), bench::percentile(fpsPerSecond(streamOnly), 50),
                 QStringLiteral("median of 1 s windows"), fpsPerSecond(streamOnly).size(),
                 base("trace fed nothing, no stream", bench::percentile(baseFps, 50), QStringLiteral("fps")), std::nullopt));
  // More frames than the panel shows are CPU the EMG, audio and safety threads need.
  const double repaintsPerS = static_cast<double>(live.paintNodeMs.size()) / live.wallS;
  report.add(fig(QStringLiteral("trace_repaints_per_s"), QStringLiteral("1/s"), repaintsPerS, QStringLiteral("mean over the phase"),
                 live.paintNodeMs.size(), base("screen refresh rate", refreshHz, QStringLiteral("Hz")),
                 bench::Target{QStringLiteral("<="), 66, QStringLiteral("1/s")}));
  report.add(fig(QStringLiteral("dropped_columns"), QStringLiteral("count"), dropped, QStringLiteral("count"),
                 static_cast<std::size_t>(trace->columnsReceived()), std::nullopt, bench::Target{QStringLiteral("<="), 0, QStringLiteral("count")}));
  report.add(fig(QStringLiteral("fps_after_stream_stops"), QStringLiteral("fps"), idleFps, QStringLiteral("frames in the last 1 s of 2 s"), 1,
                 std::nullopt, bench::Target{QStringLiteral("<="), 2, QStringLiteral("fps")}));
  report.add(fig(QStringLiteral("ltr_markers"), QStringLiteral("count"), markers, QStringLiteral("count"), bursts, std::nullopt, std::nullopt));
  report.setNotes(
      QStringLiteral("EmgTraceItem %1x%2 px in a %3x%4 QQuickWindow under %5 (%6, %7 render loop: frameSwapped on the %8 thread), "
                     "window 5 s, 8 ch x 48 kHz through the real EmgThread (2 ms display columns), 1 ms frames injected at the "
                     "DeviceLink's output in real time, pre-generated. Baseline phase %9 s (trace without a source, no stream), "
                     "then %19 s streaming with the trace unfed (the *_stream_only figures), then the live phase %10 s. "
                     "Live: %11 frames, %12 lost, %13 columns received, %14 frames drawn, %15 LTR markers for %16 bursts. "
                     "Frames are driven by a spinning 8 px square in the first two phases and by the trace alone in the live "
                     "phase (square %20). Xvfb has no vsync: the swap "
                     "returns at once; Qt paces animation frames with its own timer (~16 ms), frames asked for with update() "
                     "are not paced by the swap, so the fps is Qt's and the trace's pacing, not a display's. Load average "
                     "before %17, after %18.")
          .arg(trace->width()).arg(trace->height()).arg(window.width()).arg(window.height())
          .arg(QGuiApplication::platformName())
          .arg(openGl ? QStringLiteral("OpenGL") : QStringLiteral("non-OpenGL RHI"))
          .arg(swapsOnGuiThread ? QStringLiteral("basic") : QStringLiteral("threaded"))
          .arg(swapsOnGuiThread ? QStringLiteral("GUI") : QStringLiteral("render"))
          .arg(baseline.wallS, 0, 'f', 1).arg(live.wallS, 0, 'f', 1)
          .arg(status.frames).arg(status.lostFrames).arg(trace->columnsReceived()).arg(trace->framesDrawn())
          .arg(markers).arg(bursts).arg(loadBefore, loadAfter).arg(streamOnly.wallS, 0, 'f', 1)
          .arg(qEnvironmentVariableIntValue("TAUTBAND_BENCH_SPIN") ? QStringLiteral("still spinning: TAUTBAND_BENCH_SPIN") : QStringLiteral("stopped")));
  const int rc = report.finish();
  window.hide();
  thread.stream().attach(nullptr);
  return rc;
}
