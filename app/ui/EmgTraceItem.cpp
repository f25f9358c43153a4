#include "ui/EmgTraceItem.h"

#include <QAbstractAnimation>
#include <QQuickWindow>
#include <QSGFlatColorMaterial>
#include <QSGGeometryNode>

#include <algorithm>
#include <cmath>
#include <limits>

namespace tautband::ui {

// Drives the trace like any running QML animation: Qt's animation driver ticks it once per
// frame, paced by vsync on a panel and by Qt's own ~16 ms timer where there is none (Xvfb).
class EmgTraceItem::FrameDriver : public QAbstractAnimation {
 public:
  explicit FrameDriver(EmgTraceItem* item) : item_(item) {}
  int duration() const override { return -1; }

 protected:
  void updateCurrentTime(int) override { item_->pull(); }

 private:
  EmgTraceItem* item_;
};

namespace {
constexpr double kMaxWindowS = 20.0;
constexpr qint64 kDriverIdleMs = 500;  // no columns this long: stop asking for frames
constexpr std::size_t kPopBatch = 512;

QSGGeometryNode* makeNode(QSGGeometry::DrawingMode mode, const QColor& color) {
  auto* node = new QSGGeometryNode;
  auto* geometry = new QSGGeometry(QSGGeometry::defaultAttributes_Point2D(), 0);
  geometry->setDrawingMode(mode);
  geometry->setLineWidth(1.5f);
  node->setGeometry(geometry);
  node->setFlag(QSGNode::OwnsGeometry);
  auto* material = new QSGFlatColorMaterial;
  material->setColor(color);
  node->setMaterial(material);
  node->setFlag(QSGNode::OwnsMaterial);
  return node;
}

// Qt's batch renderer leaves a geometry node with no vertices out of its batches, and
// DirtyGeometry on a node without a batch is ignored: a marker or lane node that was empty
// would never be drawn once it fills (markers only showed when something else in the scene
// forced a batch rebuild). DirtyMaterial makes the renderer rebuild its batches.
void markFilled(QSGGeometryNode* node, bool wasEmpty) {
  const bool filled = node->geometry()->vertexCount() > 0;
  node->markDirty(wasEmpty && filled ? QSGNode::DirtyGeometry | QSGNode::DirtyMaterial : QSGNode::DirtyGeometry);
}
}  // namespace

EmgTraceItem::EmgTraceItem(QQuickItem* parent) : QQuickItem(parent), frameDriver_(std::make_unique<FrameDriver>(this)) {
  setFlag(ItemHasContents, true);
  // The driver pulls once per frame while columns come; this pulls when it is stopped (no
  // stream yet, or a pause), so the trace starts on a still page without anything else moving.
  idlePollTimer_.setSingleShot(true);
  idlePollTimer_.setInterval(50);
  connect(&idlePollTimer_, &QTimer::timeout, this, &EmgTraceItem::pull);
  // The colours are MEMBER properties: moc emits appearanceChanged only when a value changes.
  // (windowSeconds/rangeUv emit it too; recolouring a dozen materials then is harmless.)
  connect(this, &EmgTraceItem::appearanceChanged, this, [this] {
    colorsChanged_ = true;
    update();
  });
}

EmgTraceItem::~EmgTraceItem() = default;

void EmgTraceItem::setSource(EmgDisplaySource* source) {
  if (source_ == source) return;
  source_ = source;
  feed_.reset();
  if (source_) idlePollTimer_.start();
  emit sourceChanged();
}

void EmgTraceItem::setWindowSeconds(double s) {
  s = std::clamp(s, 0.5, kMaxWindowS);
  if (s == windowS_) return;
  windowS_ = s;
  dirty_ = true;
  update();
  emit appearanceChanged();
}

void EmgTraceItem::setRangeUv(double uv) {
  uv = std::max(1.0, uv);
  if (uv == rangeUv_) return;
  rangeUv_ = uv;
  dirty_ = true;
  update();
  emit appearanceChanged();
}

void EmgTraceItem::itemChange(ItemChange change, const ItemChangeData& data) {
  if (change == ItemSceneChange && !data.window) frameDriver_->stop();  // off screen: no frames to drive
  QQuickItem::itemChange(change, data);
}

void EmgTraceItem::resetHistory(const emglive::DisplayFeed& feed) {
  channels_ = feed.channels;
  rate_ = feed.rateHz;
  framesPerColumn_ = feed.framesPerColumn;
  capacity_ = static_cast<std::size_t>(std::ceil(kMaxWindowS * rate_ / static_cast<double>(framesPerColumn_))) + 1;
  minHist_.assign(capacity_ * channels_, 0.0f);
  maxHist_.assign(capacity_ * channels_, 0.0f);
  popMin_.assign(kPopBatch * channels_, 0.0f);
  popMax_.assign(kPopBatch * channels_, 0.0f);
  popFirst_.assign(kPopBatch, 0);
  head_ = count_ = 0;
  newestFirstFrame_ = 0;
  emit streamChanged();
}

void EmgTraceItem::pull() {
  if (!source_) {
    frameDriver_->stop();
    return;
  }
  idlePollTimer_.start();  // restarted by every pull: it fires only when frames stop
  auto feed = source_->display();
  if (!feed) {  // not streaming (yet, or any more): the poll watches for the stream
    frameDriver_->stop();
    return;
  }
  if (feed != feed_) {
    feed_ = feed;
    resetHistory(*feed_);
  }
  bool any = false;
  for (;;) {
    const std::size_t n = feed_->decimator.pop(popMin_.data(), popMax_.data(), popFirst_.data(), kPopBatch);
    if (n == 0) break;
    any = true;
    for (std::size_t i = 0; i < n; ++i) {
      std::copy_n(popMin_.begin() + static_cast<std::ptrdiff_t>(i * channels_), channels_,
                  minHist_.begin() + static_cast<std::ptrdiff_t>(head_ * channels_));
      std::copy_n(popMax_.begin() + static_cast<std::ptrdiff_t>(i * channels_), channels_,
                  maxHist_.begin() + static_cast<std::ptrdiff_t>(head_ * channels_));
      head_ = (head_ + 1) % capacity_;
      count_ = std::min(count_ + 1, capacity_);
      newestFirstFrame_ = popFirst_[i];
    }
    received_ += n;
    if (n < kPopBatch) break;
  }
  if (any) {
    dirty_ = true;
    update();
    sinceColumns_.start();
    if (frameDriver_->state() != QAbstractAnimation::Running && window()) frameDriver_->start();
    emit statsChanged();
  } else if (frameDriver_->state() == QAbstractAnimation::Running && sinceColumns_.hasExpired(kDriverIdleMs)) {
    frameDriver_->stop();
  }
}

double EmgTraceItem::latestSessionS() const {
  if (!feed_) return 0;
  return feed_->sessionSOfFrame0 + static_cast<double>(newestFirstFrame_ + framesPerColumn_) / rate_;
}

void EmgTraceItem::addMarker(double sessionS, int channel, bool manual) {
  markers_.push_back({sessionS, channel, manual});
  // Keep only what can still be on screen.
  const double oldest = latestSessionS() - kMaxWindowS;
  markers_.erase(std::remove_if(markers_.begin(), markers_.end(), [&](const Marker& m) { return m.sessionS < oldest; }),
                 markers_.end());
  dirty_ = true;
  update();
  emit statsChanged();
}

void EmgTraceItem::clearMarkers() {
  markers_.clear();
  dirty_ = true;
  update();
  emit statsChanged();
}

// Runs on the render thread with the GUI thread blocked: reading members is safe.
QSGNode* EmgTraceItem::updatePaintNode(QSGNode* old, UpdatePaintNodeData*) {
  auto* root = old ? old : new QSGNode;
  const int W = std::max(1, static_cast<int>(width()));
  const float H = static_cast<float>(height());
  const std::size_t C = std::max<std::size_t>(channels_, 1);
  // Children: grid, one strip per channel, automatic markers, manual markers.
  // The markers' nodes come after the lanes, so a change of channel count (the first frames
  // come before the stream: 1 lane) rebuilds them all; trimming or appending at the end left
  // the old marker nodes (amber, violet, DrawLines) as lanes 2 and 3 and drew the markers
  // with new strip nodes (seen in bench_emg_trace's screenshot).
  const auto wanted = static_cast<int>(C + 3);
  if (root->childCount() != wanted) {
    while (auto* child = root->firstChild()) {
      root->removeChildNode(child);
      delete child;
    }
  }
  while (root->childCount() < wanted) {
    const int i = root->childCount();
    if (i == 0) root->appendChildNode(makeNode(QSGGeometry::DrawLines, gridColor_));
    else if (i <= static_cast<int>(C)) root->appendChildNode(makeNode(QSGGeometry::DrawLineStrip, lineColor_));
    else root->appendChildNode(makeNode(QSGGeometry::DrawLines, i == static_cast<int>(C) + 1 ? markerColor_ : manualMarkerColor_));
  }
  if (colorsChanged_) {
    for (int i = 0; i < root->childCount(); ++i) {
      auto* node = static_cast<QSGGeometryNode*>(root->childAtIndex(i));
      const QColor& color = i == 0 ? gridColor_
                            : i <= static_cast<int>(C) ? lineColor_
                            : i == static_cast<int>(C) + 1 ? markerColor_ : manualMarkerColor_;
      auto* material = static_cast<QSGFlatColorMaterial*>(node->material());
      if (material->color() == color) continue;
      material->setColor(color);
      node->markDirty(QSGNode::DirtyMaterial);
    }
    colorsChanged_ = false;
  }
  const float lane = H / static_cast<float>(C);

  // Lane separators and zero lines.
  {
    auto* node = static_cast<QSGGeometryNode*>(root->childAtIndex(0));
    auto* g = node->geometry();
    g->allocate(static_cast<int>(C * 2 + 2));
    auto* v = g->vertexDataAsPoint2D();
    for (std::size_t c = 0; c < C; ++c) {
      const float mid = lane * (static_cast<float>(c) + 0.5f);
      v[2 * c].set(0, mid);
      v[2 * c + 1].set(static_cast<float>(W), mid);
    }
    v[2 * C].set(0, H - 0.5f);
    v[2 * C + 1].set(static_cast<float>(W), H - 0.5f);
    node->markDirty(QSGNode::DirtyGeometry);
  }

  // Each pixel column x covers a slice of the column history; newest at the right.
  const double columnsInWindow = feed_ ? windowS_ * rate_ / static_cast<double>(framesPerColumn_) : 1.0;
  const double perPixel = columnsInWindow / W;
  const float scale = lane * 0.5f / static_cast<float>(rangeUv_);
  for (std::size_t c = 0; c < C; ++c) {
    auto* node = static_cast<QSGGeometryNode*>(root->childAtIndex(static_cast<int>(c) + 1));
    auto* g = node->geometry();
    const bool wasEmpty = g->vertexCount() == 0;
    const float mid = lane * (static_cast<float>(c) + 0.5f);
    if (c >= channels_ || count_ == 0) {
      g->allocate(0);
      node->markDirty(QSGNode::DirtyGeometry);
      continue;
    }
    g->allocate(2 * W);
    auto* v = g->vertexDataAsPoint2D();
    int used = 0;
    for (int x = 0; x < W; ++x) {
      // Columns [ageLo, ageHi) back from the newest.
      const double ageHi = (W - x) * perPixel;
      const double ageLo = (W - x - 1) * perPixel;
      auto lo = static_cast<std::size_t>(ageLo);
      auto hi = std::max(lo + 1, static_cast<std::size_t>(ageHi));
      if (lo >= count_) {  // nothing recorded that long ago yet: a flat line
        v[used++].set(static_cast<float>(x), mid);
        v[used++].set(static_cast<float>(x), mid);
        continue;
      }
      hi = std::min(hi, count_);
      float mn = std::numeric_limits<float>::infinity(), mx = -mn;
      for (std::size_t age = lo; age < hi; ++age) {
        const std::size_t slot = (head_ + capacity_ - 1 - age) % capacity_;
        mn = std::min(mn, minHist_[slot * channels_ + c]);
        mx = std::max(mx, maxHist_[slot * channels_ + c]);
      }
      const float top = std::clamp(mid - mx * scale, mid - lane * 0.5f, mid + lane * 0.5f);
      const float bottom = std::clamp(mid - mn * scale, mid - lane * 0.5f, mid + lane * 0.5f);
      // Alternate the order so the strip zig-zags through each column's span.
      v[used++].set(static_cast<float>(x), (x & 1) ? top : bottom);
      v[used++].set(static_cast<float>(x), (x & 1) ? bottom : top);
    }
    markFilled(node, wasEmpty);
  }

  // Markers.
  const double latest = latestSessionS();
  for (int manual = 0; manual < 2; ++manual) {
    auto* node = static_cast<QSGGeometryNode*>(root->childAtIndex(static_cast<int>(C) + 1 + manual));
    auto* g = node->geometry();
    const bool wasEmpty = g->vertexCount() == 0;
    auto xOf = [&](const Marker& m) { return static_cast<float>(W - (latest - m.sessionS) / windowS_ * W); };
    auto shown = [&](const Marker& m) {
      const float x = xOf(m);
      return m.manual == (manual == 1) && x >= 0 && x <= static_cast<float>(W);
    };
    const auto n = std::count_if(markers_.begin(), markers_.end(), shown);
    g->allocate(static_cast<int>(2 * n));
    auto* v = g->vertexDataAsPoint2D();
    int used = 0;
    for (const auto& m : markers_) {
      if (!shown(m)) continue;
      const float x = xOf(m);
      const bool oneLane = m.channel >= 0 && static_cast<std::size_t>(m.channel) < C;
      const float y0 = oneLane ? lane * static_cast<float>(m.channel) : 0.0f;
      const float y1 = oneLane ? y0 + lane : H;
      v[used++].set(x, y0);
      v[used++].set(x, y1);
    }
    markFilled(node, wasEmpty);
  }
  ++drawn_;
  dirty_ = false;
  return root;
}

}  // namespace tautband::ui
