#pragma once

#include "emglive/EmgStream.h"

#include <QColor>
#include <QElapsedTimer>
#include <QQuickItem>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>
#include <vector>

namespace tautband::ui {

// Where a trace gets its min/max columns: the EMG thread's display feed
// (EmgStream::display()), handed over by the composition root.
class EmgDisplaySource : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
 public:
  using Getter = std::function<std::shared_ptr<emglive::DisplayFeed>()>;
  explicit EmgDisplaySource(Getter getter, QObject* parent = nullptr) : QObject(parent), getter_(std::move(getter)) {}
  std::shared_ptr<emglive::DisplayFeed> display() const { return getter_ ? getter_() : nullptr; }

 private:
  Getter getter_;
};

// The live needle-EMG trace: one lane per channel, scrolling right to left,
// drawn with scene-graph line strips (two vertices per pixel column: the
// column's min and max) from the EMG thread's decimated columns, pulled once
// per frame on the GUI thread (never waiting on the EMG thread: the columns
// come through a lock-free ring that drops when the GUI is late). LTR markers
// are vertical lines at their onset on the session clock.
class EmgTraceItem : public QQuickItem {
  Q_OBJECT
  QML_ELEMENT
  Q_PROPERTY(tautband::ui::EmgDisplaySource* source READ source WRITE setSource NOTIFY sourceChanged)
  Q_PROPERTY(double windowSeconds READ windowSeconds WRITE setWindowSeconds NOTIFY appearanceChanged)
  Q_PROPERTY(double rangeUv READ rangeUv WRITE setRangeUv NOTIFY appearanceChanged)
  Q_PROPERTY(QColor lineColor MEMBER lineColor_ NOTIFY appearanceChanged)
  Q_PROPERTY(QColor markerColor MEMBER markerColor_ NOTIFY appearanceChanged)
  Q_PROPERTY(QColor manualMarkerColor MEMBER manualMarkerColor_ NOTIFY appearanceChanged)
  Q_PROPERTY(QColor gridColor MEMBER gridColor_ NOTIFY appearanceChanged)
  Q_PROPERTY(int channels READ channels NOTIFY streamChanged)
  Q_PROPERTY(double rateHz READ rateHz NOTIFY streamChanged)
  Q_PROPERTY(qint64 columnsReceived READ columnsReceived NOTIFY statsChanged)
  Q_PROPERTY(qint64 framesDrawn READ framesDrawn NOTIFY statsChanged)
  Q_PROPERTY(int markerCount READ markerCount NOTIFY statsChanged)

 public:
  explicit EmgTraceItem(QQuickItem* parent = nullptr);
  ~EmgTraceItem() override;

  EmgDisplaySource* source() const { return source_; }
  void setSource(EmgDisplaySource* source);
  double windowSeconds() const { return windowS_; }
  void setWindowSeconds(double s);
  double rangeUv() const { return rangeUv_; }
  void setRangeUv(double uv);
  int channels() const { return static_cast<int>(channels_); }
  double rateHz() const { return rate_; }
  qint64 columnsReceived() const { return static_cast<qint64>(received_); }
  qint64 framesDrawn() const { return static_cast<qint64>(drawn_); }
  int markerCount() const { return static_cast<int>(markers_.size()); }

  // An LTR (or a manual one) at a session time on a 0-based channel (-1: all lanes).
  Q_INVOKABLE void addMarker(double sessionS, int channel, bool manual);
  Q_INVOKABLE void clearMarkers();
  // Pulls what the EMG thread has decimated (called every frame; tests call it).
  Q_INVOKABLE void pull();

 signals:
  void sourceChanged();
  void appearanceChanged();
  void streamChanged();
  void statsChanged();

 protected:
  QSGNode* updatePaintNode(QSGNode* old, UpdatePaintNodeData*) override;
  void itemChange(ItemChange change, const ItemChangeData& data) override;

 private:
  struct Marker {
    double sessionS;
    int channel;
    bool manual;
  };
  void resetHistory(const emglive::DisplayFeed& feed);
  double latestSessionS() const;

  EmgDisplaySource* source_ = nullptr;
  std::shared_ptr<emglive::DisplayFeed> feed_;
  double windowS_ = 5.0;
  double rangeUv_ = 500.0;
  QColor lineColor_{QStringLiteral("#7fd8ff")};
  QColor markerColor_{QStringLiteral("#f2b134")};
  QColor manualMarkerColor_{QStringLiteral("#c58cff")};
  QColor gridColor_{QStringLiteral("#34475a")};

  // Column history (GUI thread): capacity x channels, newest at head_-1.
  std::size_t channels_ = 0;
  double rate_ = 0;
  std::size_t framesPerColumn_ = 1;
  std::size_t capacity_ = 0;
  std::vector<float> minHist_, maxHist_;
  std::size_t head_ = 0, count_ = 0;
  std::uint64_t newestFirstFrame_ = 0;
  std::vector<float> popMin_, popMax_;
  std::vector<std::uint64_t> popFirst_;
  std::vector<Marker> markers_;
  std::uint64_t received_ = 0, drawn_ = 0;
  bool dirty_ = false;
  // A colour property changed since the last paint: the nodes' materials are recoloured once
  // (materials get their colour only when nodes are made; a change after the first frame
  // never reached the drawn lines). Nothing is done per frame while no colour changes.
  bool colorsChanged_ = false;
  // Frames: a running animation while columns come (one pull and at most one repaint per
  // frame, at the display's pace). An update() per pull from afterAnimating (the first
  // version) asked for the next frame at once: without vsync the render loop then spun at
  // 83-179 fps for 48-87 % CPU (bench_emg_trace).
  class FrameDriver;
  std::unique_ptr<FrameDriver> frameDriver_;
  QElapsedTimer sinceColumns_;
  QTimer idlePollTimer_;
};

}  // namespace tautband::ui
