// EmgTraceItem (the needling page's live EMG trace) in a real QQuickWindow, checked in the
// pixels grabWindow() returns (what the therapist sees) and in the window's frames:
//  - growing from 1 lane (the frames before the stream) to 8 draws every lane in lineColor
//    and the LTR markers in the marker colours (the nodes used to be appended, so lanes 2-3
//    came out in the marker colours and the markers as trace lines);
//  - a colour change after the first frame reaches the drawn lines (materials were coloured
//    only when the nodes were made);
//  - the item stops asking for frames when the stream goes away or goes quiet, and starts
//    again when columns come (its frame driver used to keep the loop at 60 fps).
// The pixels need a real renderer (the software scene graph of the offscreen platform, which
// ctest sets, draws no geometry nodes): like bench_emg_trace, the test runs itself again
// under xvfb-run on the xcb platform, where Mesa renders with OpenGL as on the panel.
// Fed through the smallest real source the item accepts: an EmgDisplaySource handing out a
// DisplayFeed whose DisplayDecimator the test pushes frames into (as the EMG thread does).
#include "emglive/EmgStream.h"
#include "ui/EmgTraceItem.h"

#include <QColor>
#include <QElapsedTimer>
#include <QImage>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QTimer>
#include <QtTest>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <atomic>
#include <cstdio>
#include <memory>
#include <vector>

using namespace tautband;

namespace {

constexpr int kChannels = 8;
constexpr double kRateHz = 1000;
constexpr std::size_t kFramesPerColumn = 2;
constexpr int kSize = 400;  // square window: 8 lanes of 50 px
constexpr double kWindowS = 2.0;

// The stream as the trace sees it: a feed while "streaming", nothing otherwise.
struct FakeStream {
  std::shared_ptr<emglive::DisplayFeed> feed;
  bool streaming = false;
  std::uint64_t frames = 0;
  std::vector<float> block;

  void start() {
    feed = std::make_shared<emglive::DisplayFeed>(kChannels, kRateHz, kFramesPerColumn, 8192, 0.0);
    streaming = true;
    frames = 0;
  }
  void stop() { streaming = false; }
  std::shared_ptr<emglive::DisplayFeed> display() const { return streaming ? feed : nullptr; }
  // A ±300 µV square wave of 10-frame half periods on every channel: each pixel column spans
  // 60 % of its lane, so every lane has plenty of trace pixels.
  void push(std::size_t n) {
    block.resize(n * kChannels);
    for (std::size_t i = 0; i < n; ++i, ++frames)
      for (int c = 0; c < kChannels; ++c) block[i * kChannels + c] = (frames / 10) % 2 ? 300.0f : -300.0f;
    feed->decimator.push(block.data(), n);
  }
  double nowS() const { return static_cast<double>(frames) / kRateHz; }
};

bool near(QRgb p, const QColor& c) {
  return std::abs(qRed(p) - c.red()) <= 24 && std::abs(qGreen(p) - c.green()) <= 24 && std::abs(qBlue(p) - c.blue()) <= 24;
}

// Pixels of `color` in lane `lane` of `lanes` (rows of the lane, excluding its edges).
int countInLane(const QImage& image, int lane, int lanes, const QColor& color) {
  const int h = image.height() / lanes;
  int n = 0;
  for (int y = lane * h + 1; y < (lane + 1) * h - 1; ++y)
    for (int x = 0; x < image.width(); ++x) n += near(image.pixel(x, y), color) ? 1 : 0;
  return n;
}

int countInRows(const QImage& image, int y0, int y1, const QColor& color) {
  int n = 0;
  for (int y = std::max(0, y0); y < std::min(image.height(), y1); ++y)
    for (int x = 0; x < image.width(); ++x) n += near(image.pixel(x, y), color) ? 1 : 0;
  return n;
}

}  // namespace

class TestEmgTraceItem : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();
  void everyLaneInLineColorAfterGrowingFromOneToEight();
  void colourChangeAfterFirstFrameIsDrawn();
  void stopsAskingForFramesWhenTheStreamStopsAndStartsAgain();

 private:
  QImage grab();
  // Frames the window swapped during `ms` of event loop.
  int framesDuring(int ms);
  void feedFor(int ms);

  const QColor line_{QStringLiteral("#00ff00")};
  const QColor marker_{QStringLiteral("#ff0000")};
  const QColor manual_{QStringLiteral("#0000ff")};
  const QColor grid_{QStringLiteral("#ff00ff")};
  std::unique_ptr<QQuickWindow> window_;
  ui::EmgTraceItem* trace_ = nullptr;
  FakeStream stream_;
  std::unique_ptr<ui::EmgDisplaySource> source_;
  std::atomic<int> swaps_{0};  // frameSwapped comes on the render thread (threaded loop)
};

void TestEmgTraceItem::init() {
  stream_ = FakeStream{};
  window_ = std::make_unique<QQuickWindow>();
  window_->setColor(Qt::black);
  window_->resize(kSize, kSize);
  // Parented after construction, as QML does.
  trace_ = new ui::EmgTraceItem;
  trace_->setParentItem(window_->contentItem());
  trace_->setSize(QSizeF(kSize, kSize));
  trace_->setWindowSeconds(kWindowS);
  trace_->setRangeUv(500);
  trace_->setProperty("lineColor", line_);
  trace_->setProperty("markerColor", marker_);
  trace_->setProperty("manualMarkerColor", manual_);
  trace_->setProperty("gridColor", grid_);
  source_ = std::make_unique<ui::EmgDisplaySource>([this] { return stream_.display(); });
  swaps_ = 0;
  connect(window_.get(), &QQuickWindow::frameSwapped, this, [this] { ++swaps_; }, Qt::DirectConnection);
  window_->show();
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TestEmgTraceItem::cleanup() {
  delete trace_;
  trace_ = nullptr;
  window_.reset();
  source_.reset();
}

QImage TestEmgTraceItem::grab() {
  return window_->grabWindow().convertToFormat(QImage::Format_RGB32).scaled(kSize, kSize);
}

int TestEmgTraceItem::framesDuring(int ms) {
  const int before = swaps_;
  QTest::qWait(ms);
  return swaps_ - before;
}

// Pushes frames in real time (20 ms blocks) while the event loop runs for `ms`.
void TestEmgTraceItem::feedFor(int ms) {
  QElapsedTimer t;
  t.start();
  while (!t.hasExpired(ms)) {
    stream_.push(20);
    QTest::qWait(20);
  }
}

void TestEmgTraceItem::everyLaneInLineColorAfterGrowingFromOneToEight() {
  // A software scene graph draws no geometry nodes: the pixels below need a real renderer.
  QVERIFY2(window_->rendererInterface()->graphicsApi() != QSGRendererInterface::Software,
           "the trace's line nodes are not drawn by the software scene graph");
  // First frames before the stream: one (empty) lane.
  trace_->setSource(source_.get());
  QTRY_VERIFY(trace_->framesDrawn() >= 1);
  grab();
  QCOMPARE(trace_->channels(), 0);
  const qint64 drawnBefore = trace_->framesDrawn();

  // The stream starts with 8 channels; 3 s of signal fill the 2 s window.
  stream_.start();
  stream_.push(3000);
  QTRY_COMPARE(trace_->channels(), kChannels);
  QTRY_COMPARE(trace_->columnsReceived(), qint64{1500});  // all pulled: markers are placed on the newest column
  // An LTR on channel 5 and a manual marker over all lanes, both in the middle of the window.
  trace_->addMarker(stream_.nowS() - kWindowS / 2, 5, false);
  trace_->addMarker(stream_.nowS() - kWindowS / 4, -1, true);
  const QImage image = grab();
  // To look at it: TAUTBAND_TEST_SCREENSHOT=/tmp/trace.png.
  if (const QString shot = qEnvironmentVariable("TAUTBAND_TEST_SCREENSHOT"); !shot.isEmpty()) image.save(shot);
  QVERIFY(trace_->framesDrawn() > drawnBefore);

  for (int lane = 0; lane < kChannels; ++lane) {
    const int lineN = countInLane(image, lane, kChannels, line_);
    const int markerN = countInLane(image, lane, kChannels, marker_);
    const int manualN = countInLane(image, lane, kChannels, manual_);
    qInfo("lane %d: line %d, marker %d, manual %d px", lane, lineN, markerN, manualN);
    // 400 columns, each spanning ~30 px of its lane.
    QVERIFY2(lineN >= 2000, qPrintable(QStringLiteral("lane %1 has only %2 trace pixels").arg(lane).arg(lineN)));
    // The LTR's line is one lane tall (~48 px) on its channel only.
    if (lane == 5) QVERIFY2(markerN >= 20, qPrintable(QStringLiteral("LTR marker missing: %1 px").arg(markerN)));
    else QVERIFY2(markerN <= 4, qPrintable(QStringLiteral("lane %1 has %2 marker-coloured pixels").arg(lane).arg(markerN)));
    // The manual marker crosses every lane.
    QVERIFY2(manualN >= 20, qPrintable(QStringLiteral("lane %1: manual marker %2 px").arg(lane).arg(manualN)));
  }
}

void TestEmgTraceItem::colourChangeAfterFirstFrameIsDrawn() {
  QVERIFY2(window_->rendererInterface()->graphicsApi() != QSGRendererInterface::Software,
           "the trace's line nodes are not drawn by the software scene graph");
  trace_->setSource(source_.get());
  stream_.start();
  stream_.push(3000);
  QTRY_COMPARE(trace_->columnsReceived(), qint64{1500});  // all pulled: markers are placed on the newest column
  trace_->addMarker(stream_.nowS() - kWindowS / 2, 2, false);
  const QImage first = grab();
  QVERIFY(countInLane(first, 0, kChannels, line_) >= 2000);
  QVERIFY(countInLane(first, 2, kChannels, marker_) >= 20);
  QVERIFY(countInRows(first, kSize - 2, kSize, grid_) >= kSize / 2);  // the bottom grid line

  const QColor line2(QStringLiteral("#ffff00")), marker2(QStringLiteral("#00ffff")), grid2(QStringLiteral("#ffffff"));
  trace_->setProperty("lineColor", line2);
  trace_->setProperty("markerColor", marker2);
  trace_->setProperty("gridColor", grid2);
  const QImage second = grab();
  for (int lane = 0; lane < kChannels; ++lane) {
    QVERIFY2(countInLane(second, lane, kChannels, line2) >= 2000,
             qPrintable(QStringLiteral("lane %1 not in the new lineColor").arg(lane)));
    QCOMPARE(countInLane(second, lane, kChannels, line_), 0);
  }
  QVERIFY2(countInLane(second, 2, kChannels, marker2) >= 20, "the LTR marker is not in the new markerColor");
  QCOMPARE(countInLane(second, 2, kChannels, marker_), 0);
  QVERIFY2(countInRows(second, kSize - 2, kSize, grid2) >= kSize / 2, "the grid is not in the new gridColor");
  QCOMPARE(countInRows(second, kSize - 2, kSize, grid_), 0);
}

void TestEmgTraceItem::stopsAskingForFramesWhenTheStreamStopsAndStartsAgain() {
  trace_->setSource(source_.get());
  stream_.start();
  QTest::qWait(200);  // first frames
  // Columns coming: the item asks for frames (several per 100 ms of columns).
  int swaps = swaps_;
  feedFor(1000);
  const int whileStreaming = swaps_ - swaps;
  qInfo("frames while streaming: %d per 1 s", whileStreaming);
  QVERIFY2(whileStreaming >= 10, qPrintable(QStringLiteral("only %1 frames while streaming").arg(whileStreaming)));

  // The stream goes away (EmgStream::display() returns nothing once detached): after a short
  // settle, no more frames.
  stream_.stop();
  QTest::qWait(700);
  const int afterStop = framesDuring(1000);
  qInfo("frames in 1 s after the stream stopped: %d", afterStop);
  QVERIFY2(afterStop <= 2, qPrintable(QStringLiteral("%1 frames in 1 s with no stream").arg(afterStop)));

  // A new stream: frames come again while columns come.
  const qint64 drawn = trace_->framesDrawn();
  stream_.start();
  swaps = swaps_;
  feedFor(1000);
  const int restarted = swaps_ - swaps;
  qInfo("frames in 1 s after the stream restarted: %d", restarted);
  QVERIFY2(restarted >= 10, qPrintable(QStringLiteral("only %1 frames after the stream restarted").arg(restarted)));
  QVERIFY(trace_->framesDrawn() > drawn);

  // The stream stays but goes quiet (a pause): frames stop too.
  QTest::qWait(700);
  const int quiet = framesDuring(1000);
  qInfo("frames in 1 s of a quiet stream: %d", quiet);
  QVERIFY2(quiet <= 2, qPrintable(QStringLiteral("%1 frames in 1 s of a quiet stream").arg(quiet)));

  // The source goes away (the page's services are torn down): no frames either.
  feedFor(300);
  trace_->setSource(nullptr);
  QTest::qWait(700);
  const int noSource = framesDuring(1000);
  qInfo("frames in 1 s without a source: %d", noSource);
  QVERIFY2(noSource <= 2, qPrintable(QStringLiteral("%1 frames in 1 s without a source").arg(noSource)));
}

// Runs this binary again under xvfb-run (path from CMake) on the xcb platform.
int reexecUnderXvfb(char** argv) {
  static char self[4096] = {};
  if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) return 2;
  std::vector<char*> args{const_cast<char*>(TAUTBAND_XVFB_RUN), const_cast<char*>("-a"), const_cast<char*>("-s"),
                          const_cast<char*>("-screen 0 1280x800x24"), self};
  for (char** a = argv + 1; *a; ++a) args.push_back(*a);
  args.push_back(nullptr);
  setenv("TAUTBAND_TRACE_TEST_UNDER_XVFB", "1", 1);
  setenv("QT_QPA_PLATFORM", "xcb", 1);
  execv(TAUTBAND_XVFB_RUN, args.data());
  std::perror("test_emg_trace_item: cannot run xvfb-run");
  return 2;
}

int main(int argc, char** argv) {
  if (!qEnvironmentVariableIsSet("TAUTBAND_TRACE_TEST_UNDER_XVFB")) return reexecUnderXvfb(argv);
  QGuiApplication app(argc, argv);
  TestEmgTraceItem test;
  return QTest::qExec(&test, argc, argv);
}
#include "test_emg_trace_item.moc"
