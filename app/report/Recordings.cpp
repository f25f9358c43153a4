#include "report/Recordings.h"

#include "report/SignalExport.h"

#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace tautband::report {

void Recordings::add(const RecordingInfo& info, emg::EmgRecording recording) {
  loaded_[info.id] = std::make_shared<emg::EmgRecording>(std::move(recording));
  problems_.erase(info.id);
}

const emg::EmgRecording* Recordings::load(const RecordingInfo& info) {
  if (auto it = loaded_.find(info.id); it != loaded_.end()) return it->second.get();
  if (problems_.count(info.id)) return nullptr;
  try {
    auto rec = std::make_shared<emg::EmgRecording>(loadRecording(info.path.toStdString(), nullptr));
    loaded_[info.id] = rec;
    return rec.get();
  } catch (const std::exception& e) {
    problems_[info.id] = QString::fromStdString(e.what());
    return nullptr;
  }
}

QString Recordings::problem(qint64 recordingId) const {
  auto it = problems_.find(recordingId);
  return it == problems_.end() ? QString() : it->second;
}

const emg::EmgRecording* Recordings::forLtr(const SessionRecord& record, const LtrInfo& ltr,
                                            std::int64_t* startClockUs) {
  for (const auto& info : record.recordings) {
    if (ltr.recordingId && *ltr.recordingId != info.id) continue;
    if (!ltr.recordingId && info.siteId && ltr.siteId && *info.siteId != *ltr.siteId) continue;
    if (ltr.clockUs < info.startedClockUs) continue;
    const emg::EmgRecording* rec = load(info);
    if (!rec || rec->sampleRateHz <= 0) continue;
    const auto spanUs = static_cast<std::int64_t>(static_cast<double>(rec->frames()) / rec->sampleRateHz * 1e6);
    if (ltr.clockUs >= info.startedClockUs + spanUs) continue;
    if (startClockUs) *startClockUs = info.startedClockUs;
    return rec;
  }
  return nullptr;
}

void drawTraceThumbnail(QPainter& painter, const QRectF& rect, const emg::EmgRecording& rec,
                        std::int64_t recordingStartClockUs, std::int64_t onsetClockUs, double upt) {
  painter.setPen(QPen(QColor(0xc8, 0xcf, 0xd6), 0.4 * upt));
  painter.setBrush(QColor(0xfc, 0xfd, 0xfe));
  painter.drawRect(rect);
  if (rec.channels == 0 || rec.frames() == 0) return;
  const double rate = rec.sampleRateHz;
  const double onsetS = static_cast<double>(onsetClockUs - recordingStartClockUs) / 1e6;
  const auto first = static_cast<std::int64_t>(std::floor((onsetS - 0.05) * rate));
  const auto last = static_cast<std::int64_t>(std::ceil((onsetS + 0.20) * rate));
  const auto frames = static_cast<std::int64_t>(rec.frames());
  const std::int64_t a = std::clamp<std::int64_t>(first, 0, frames), b = std::clamp<std::int64_t>(last, 0, frames);
  if (b - a < 2) return;
  float peak = 1.0f;
  for (std::int64_t i = a; i < b; ++i) {
    peak = std::max(peak, std::abs(rec.samplesUv[static_cast<std::size_t>(i) * rec.channels]));
  }
  // One min/max pair per 1.5 pt column, drawn as one polyline (the cheapest
  // primitive for the PDF engine: 160 thumbnails must not dominate a report).
  const int columns = std::max(2, static_cast<int>(rect.width() / (1.5 * upt)));
  const double span = static_cast<double>(last - first);
  QPolygonF line;
  line.reserve(2 * columns);
  const double mid = rect.center().y(), half = rect.height() * 0.45;
  for (int c = 0; c < columns; ++c) {
    const auto s0 = std::max<std::int64_t>(a, first + static_cast<std::int64_t>(span * c / columns));
    const auto s1 = std::min<std::int64_t>(b, first + static_cast<std::int64_t>(span * (c + 1) / columns) + 1);
    if (s1 <= s0) continue;
    float lo = rec.samplesUv[static_cast<std::size_t>(s0) * rec.channels], hi = lo;
    for (std::int64_t i = s0; i < s1; ++i) {
      const float v = rec.samplesUv[static_cast<std::size_t>(i) * rec.channels];
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    const double x = rect.left() + rect.width() * (c + 0.5) / columns;
    line << QPointF(x, mid - half * hi / peak) << QPointF(x, mid - half * lo / peak);
  }
  const double onsetX = rect.left() + rect.width() * (onsetS * rate - static_cast<double>(first)) / span;
  painter.setPen(QPen(QColor(0xe0, 0x9a, 0x94), 0.5 * upt));
  painter.drawLine(QPointF(onsetX, rect.top()), QPointF(onsetX, rect.bottom()));
  painter.setBrush(Qt::NoBrush);
  painter.setPen(QPen(QColor(0x1f, 0x4e, 0x79), 0.5 * upt));
  painter.drawPolyline(line);
  QFont label(QStringLiteral("DejaVu Sans"));
  label.setPointSizeF(5);
  painter.setFont(label);
  painter.setPen(QColor(0x55, 0x5b, 0x61));
  painter.drawText(rect.adjusted(1.5 * upt, 0.5 * upt, -1.5 * upt, 0), Qt::AlignRight | Qt::AlignTop,
                   QStringLiteral("±%1 µV · 250 ms").arg(static_cast<int>(std::lround(peak))));
}

}  // namespace tautband::report
