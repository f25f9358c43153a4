#include "report/SignalExport.h"

#include "report/Format.h"

#include "emgrecord/EmgChunkFile.h"

#include <QDateTime>
#include <QSaveFile>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

namespace tautband::report {

std::vector<TimedEvent> sessionEvents(const SessionRecord& r) {
  std::vector<TimedEvent> out;
  auto siteName = [&](std::optional<qint64> id) {
    const SiteInfo* s = id ? r.site(*id) : nullptr;
    return s ? QStringLiteral("site %1 %2 %3").arg(s->number).arg(s->muscle, s->side) : QStringLiteral("no site");
  };
  for (const auto& n : r.needles) {
    out.push_back({n.insertedClockUs, 0, QStringLiteral("needle-in"),
                   QStringLiteral("Needle in: %1, %2x%3 mm, lot %4").arg(siteName(n.siteId), fmt::num(n.lengthMm), fmt::num(n.gaugeMm, 2), n.lot)});
    if (n.removedClockUs) {
      out.push_back({*n.removedClockUs, 0, QStringLiteral("needle-out"),
                     QStringLiteral("Needle out: %1%2").arg(siteName(n.siteId), n.removedIntact.value_or(true) ? QString() : QStringLiteral(" (BROKEN)"))});
    }
  }
  for (const auto& l : r.ltrs) {
    out.push_back({l.clockUs, 0, QStringLiteral("ltr"),
                   QStringLiteral("LTR %1 %2: %3").arg(l.source, l.status, siteName(l.siteId))});
  }
  for (const auto& d : r.laserDoses) {
    out.push_back({d.startedClockUs, d.endedClockUs - d.startedClockUs, QStringLiteral("laser-on"),
                   QStringLiteral("Laser on: %1, %2 nm %3, %4 mW, %5 J").arg(siteName(d.siteId), fmt::num(d.wavelengthNm, 0), d.mode,
                                                                            fmt::num(d.measuredPowerMw), fmt::num(d.energyJ, 2))});
    out.push_back({d.endedClockUs, 0, QStringLiteral("laser-off"), QStringLiteral("Laser off: %1").arg(d.stopReason)});
  }
  for (const auto& e : r.estim) {
    out.push_back({e.startedClockUs, static_cast<std::int64_t>(e.durationS * 1e6), QStringLiteral("estim"),
                   QStringLiteral("E-stim: needles %1-%2, %3, %4 Hz, %5 mA").arg(e.needleA).arg(e.needleB).arg(e.waveform, fmt::num(e.frequencyHz), fmt::num(e.currentMa, 2))});
  }
  for (const auto& p : r.pain) {
    out.push_back({p.clockUs, 0, QStringLiteral("pain"), QStringLiteral("Pain NPRS %1 (%2)").arg(p.nprs).arg(p.moment)});
  }
  for (const auto& a : r.adverseEvents) {
    if (a.clockUs) out.push_back({*a.clockUs, 0, QStringLiteral("adverse-event"), QStringLiteral("Adverse event: %1 (%2)").arg(a.kind, a.grade)});
  }
  std::stable_sort(out.begin(), out.end(), [](const TimedEvent& a, const TimedEvent& b) { return a.clockUs < b.clockUs; });
  return out;
}

namespace {

// EDF header fields are fixed-width, space-padded, printable US-ASCII.
QByteArray field(const QString& text, int width) {
  QByteArray b;
  for (QChar c : text) {
    const ushort u = c.unicode();
    b.append(u >= 0x20 && u < 0x7f ? static_cast<char>(u) : '_');
  }
  b = b.left(width);
  b.append(QByteArray(width - b.size(), ' '));
  return b;
}
QString token(const QString& s) {  // EDF+ subfields: no spaces inside
  QString t = s.trimmed();
  t.replace(QLatin1Char(' '), QLatin1Char('_'));
  return t.isEmpty() ? QStringLiteral("X") : t;
}
// A number in at most 8 characters (EDF physical min/max).
QString number8(double v) {
  for (int decimals = 6; decimals >= 0; --decimals) {
    QString s = QString::number(v, 'f', decimals);
    if (s.contains(QLatin1Char('.'))) {
      while (s.endsWith(QLatin1Char('0'))) s.chop(1);
      if (s.endsWith(QLatin1Char('.'))) s.chop(1);
    }
    if (s.size() <= 8) return s;
  }
  throw ExportError("EDF physical range too large: " + std::to_string(v));
}
QString edfDate(const QDate& d) {  // dd-MMM-yyyy, English month, upper case
  static const char* months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  return QStringLiteral("%1-%2-%3").arg(d.day(), 2, 10, QLatin1Char('0')).arg(QLatin1String(months[d.month() - 1])).arg(d.year());
}
QByteArray talText(const QString& text) {
  QByteArray t = text.toUtf8();
  t.replace('\x14', ' ').replace('\x15', ' ').replace('\0', ' ');
  return t;
}
QByteArray onsetText(double seconds) {
  QString s = QString::number(std::abs(seconds), 'f', 6);
  while (s.endsWith(QLatin1Char('0'))) s.chop(1);
  if (s.endsWith(QLatin1Char('.'))) s.chop(1);
  return (seconds < 0 ? "-" : "+") + s.toLatin1();
}

}  // namespace

EdfResult writeEdfPlus(const QString& path, const SessionRecord& r, const SignalSource& source,
                       const std::vector<TimedEvent>& events) {
  if (!source.recording || source.recording->channels == 0 || source.recording->frames() == 0) {
    throw ExportError("no EMG samples to export (the session has no readable recording; pass --emg FILE)");
  }
  const emg::EmgRecording& rec = *source.recording;
  const double rate = rec.sampleRateHz;
  // Record duration: 1 s, or shorter so that a record holds a whole number of samples.
  double recordS = 0;
  for (double d : {1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001}) {
    if (std::abs(rate * d - std::round(rate * d)) < 1e-6 && rate * d >= 1) {
      recordS = d;
      break;
    }
  }
  if (recordS == 0) throw ExportError("sample rate " + std::to_string(rate) + " Hz has no whole number of samples per EDF record");
  const auto perRecord = static_cast<std::size_t>(std::llround(rate * recordS));
  const std::size_t frames = rec.frames();
  const std::size_t records = (frames + perRecord - 1) / perRecord;
  const std::size_t ch = rec.channels;

  // Annotations per record (by onset); the first TAL of each record keeps time.
  std::vector<std::vector<const TimedEvent*>> byRecord(records);
  for (const auto& e : events) {
    const double t = static_cast<double>(e.clockUs - source.firstFrameClockUs) / 1e6;
    const auto idx = static_cast<std::int64_t>(std::floor(t / recordS));
    byRecord[static_cast<std::size_t>(std::clamp<std::int64_t>(idx, 0, static_cast<std::int64_t>(records) - 1))].push_back(&e);
  }
  std::vector<QByteArray> tals(records);
  std::size_t maxBytes = 0;
  for (std::size_t i = 0; i < records; ++i) {
    QByteArray& b = tals[i];
    b = onsetText(static_cast<double>(i) * recordS) + "\x14\x14" + QByteArray(1, '\0');
    for (const TimedEvent* e : byRecord[i]) {
      b += onsetText(static_cast<double>(e->clockUs - source.firstFrameClockUs) / 1e6);
      if (e->durationUs > 0) b += "\x15" + onsetText(static_cast<double>(e->durationUs) / 1e6).mid(1);
      b += "\x14" + talText(e->text) + "\x14" + QByteArray(1, '\0');
    }
    maxBytes = std::max<std::size_t>(maxBytes, static_cast<std::size_t>(b.size()));
  }
  const std::size_t annSamples = (maxBytes + 1) / 2;

  // Physical range per channel: symmetric around 0, from the data.
  std::vector<double> peak(ch, 1.0);
  for (std::size_t f = 0; f < frames; ++f) {
    for (std::size_t c = 0; c < ch; ++c) peak[c] = std::max(peak[c], static_cast<double>(std::abs(rec.samplesUv[f * ch + c])));
  }
  std::vector<double> physMax(ch), scale(ch);
  for (std::size_t c = 0; c < ch; ++c) {
    physMax[c] = number8(std::ceil(peak[c])).toDouble();
    scale[c] = 65535.0 / (2.0 * physMax[c]);
  }

  const int ns = static_cast<int>(ch) + 1;
  const QDateTime start = QDateTime::fromMSecsSinceEpoch((r.startedUs + source.firstFrameClockUs) / 1000, Qt::UTC);
  const PatientInfo& p = r.patient;
  QString sex = p.sex.trimmed().toUpper().left(1);
  if (sex != QLatin1String("M") && sex != QLatin1String("F")) sex = QStringLiteral("X");
  QByteArray h;
  h += field(QStringLiteral("0"), 8);
  h += field(QStringLiteral("%1 %2 %3 %4").arg(token(p.mrn), sex, p.birthDate.isValid() ? edfDate(p.birthDate) : QStringLiteral("X"),
                                              token(p.familyName + QLatin1Char('_') + p.givenName)),
             80);
  h += field(QStringLiteral("Startdate %1 session-%2 %3 %4").arg(edfDate(start.date())).arg(r.id).arg(token(r.therapist.login),
                                                                                                       token(source.equipment)),
             80);
  h += field(start.toString(QStringLiteral("dd.MM.yy")), 8);
  h += field(start.toString(QStringLiteral("HH.mm.ss")), 8);
  h += field(QString::number(256 * (ns + 1)), 8);
  h += field(QStringLiteral("EDF+C"), 44);
  h += field(QString::number(records), 8);
  h += field(number8(recordS), 8);
  h += field(QString::number(ns), 4);
  auto perSignal = [&](auto&& value, int width) {
    for (int s = 0; s < ns; ++s) h += field(value(s), width);
  };
  const bool ann = true;
  (void)ann;
  perSignal([&](int s) {
    if (s == ns - 1) return QStringLiteral("EDF Annotations");
    const auto c = static_cast<std::size_t>(s);
    return c < rec.channelNames.size() && !rec.channelNames[c].empty() ? QStringLiteral("EMG ") + QString::fromStdString(rec.channelNames[c])
                                                                       : QStringLiteral("EMG %1").arg(s + 1);
  }, 16);
  perSignal([&](int s) { return s == ns - 1 ? QString() : QStringLiteral("needle electrode"); }, 80);
  perSignal([&](int s) { return s == ns - 1 ? QString() : QStringLiteral("uV"); }, 8);
  perSignal([&](int s) { return s == ns - 1 ? QStringLiteral("-1") : number8(-physMax[static_cast<std::size_t>(s)]); }, 8);
  perSignal([&](int s) { return s == ns - 1 ? QStringLiteral("1") : number8(physMax[static_cast<std::size_t>(s)]); }, 8);
  perSignal([&](int) { return QStringLiteral("-32768"); }, 8);
  perSignal([&](int) { return QStringLiteral("32767"); }, 8);
  perSignal([&](int s) { return s == ns - 1 ? QString() : QStringLiteral("raw (console filters not applied)"); }, 80);
  perSignal([&](int s) { return QString::number(s == ns - 1 ? annSamples : perRecord); }, 8);
  perSignal([&](int) { return QString(); }, 32);

  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) throw ExportError("cannot write " + path.toStdString());
  file.write(h);
  QByteArray block(static_cast<qsizetype>((perRecord * ch + annSamples) * 2), '\0');
  for (std::size_t i = 0; i < records; ++i) {
    char* out = block.data();
    for (std::size_t c = 0; c < ch; ++c) {
      for (std::size_t k = 0; k < perRecord; ++k) {
        const std::size_t f = i * perRecord + k;
        // EDF's mapping: physical = (digital - dmin) * (pmax - pmin) / (dmax - dmin) + pmin, with
        // dmin/dmax = -32768/32767 and pmin/pmax = -P/P. The last record is zero-padded.
        const double v = f < frames ? static_cast<double>(rec.samplesUv[f * ch + c]) : 0.0;
        const double digital = (v + physMax[c]) * scale[c] - 32768.0;
        const auto d = static_cast<std::int16_t>(std::clamp<long>(std::lround(digital), -32768, 32767));
        *out++ = static_cast<char>(d & 0xff);
        *out++ = static_cast<char>((d >> 8) & 0xff);
      }
    }
    std::fill(out, block.data() + block.size(), '\0');
    std::copy(tals[i].begin(), tals[i].end(), out);
    file.write(block);
  }
  if (!file.commit()) throw ExportError("cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
  return EdfResult{static_cast<std::int64_t>(records), recordS, static_cast<int>(annSamples), static_cast<int>(events.size())};
}

namespace {
QString csvCell(const QString& s) {
  QString v = s;
  if (!v.isEmpty() && (v[0] == QLatin1Char('=') || v[0] == QLatin1Char('+') || v[0] == QLatin1Char('-') || v[0] == QLatin1Char('@'))) {
    v.prepend(QLatin1Char('\''));
  }
  if (v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n')) || v.contains(QLatin1Char('\r'))) {
    v.replace(QLatin1String("\""), QLatin1String("\"\""));
    v = QLatin1Char('"') + v + QLatin1Char('"');
  }
  return v;
}
}  // namespace

QString writeSignalCsv(const QString& path, const SignalSource& source, const std::vector<TimedEvent>& events) {
  if (!source.recording || source.recording->channels == 0) throw ExportError("no EMG samples to export (pass --emg FILE)");
  const emg::EmgRecording& rec = *source.recording;
  {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) throw ExportError("cannot write " + path.toStdString());
    QByteArray line = "t_s";
    for (std::size_t c = 0; c < rec.channels; ++c) {
      line += ',' + (c < rec.channelNames.size() && !rec.channelNames[c].empty() ? csvCell(QString::fromStdString(rec.channelNames[c])).toUtf8()
                                                                                   : QByteArray("ch") + QByteArray::number(static_cast<qulonglong>(c + 1)));
    }
    line += '\n';
    file.write(line);
    const double t0 = static_cast<double>(source.firstFrameClockUs) / 1e6;
    QByteArray buf;
    buf.reserve(1 << 20);
    char cell[64];
    for (std::size_t f = 0; f < rec.frames(); ++f) {
      int n = std::snprintf(cell, sizeof cell, "%.6f", t0 + static_cast<double>(f) / rec.sampleRateHz);
      buf.append(cell, n);
      for (std::size_t c = 0; c < rec.channels; ++c) {
        n = std::snprintf(cell, sizeof cell, ",%.3f", static_cast<double>(rec.samplesUv[f * rec.channels + c]));
        buf.append(cell, n);
      }
      buf.append('\n');
      if (buf.size() > (1 << 20) - 512) {
        file.write(buf);
        buf.clear();
      }
    }
    file.write(buf);
    if (!file.commit()) throw ExportError("cannot write " + path.toStdString());
  }
  const QString eventsPath = path + QStringLiteral(".events.csv");
  QSaveFile file(eventsPath);
  if (!file.open(QIODevice::WriteOnly)) throw ExportError("cannot write " + eventsPath.toStdString());
  QByteArray out = "onset_s,duration_s,kind,text\n";
  for (const auto& e : events) {
    out += QStringLiteral("%1,%2,%3,%4\n")
               .arg(QString::number(static_cast<double>(e.clockUs) / 1e6, 'f', 6),
                    QString::number(static_cast<double>(e.durationUs) / 1e6, 'f', 6), csvCell(e.kind), csvCell(e.text))
               .toUtf8();
  }
  file.write(out);
  if (!file.commit()) throw ExportError("cannot write " + eventsPath.toStdString());
  return eventsPath;
}

emg::EmgRecording loadRecording(const std::filesystem::path& path, std::int64_t* firstFrameClockUs) {
  char magic[8] = {};
  {
    std::ifstream in(path, std::ios::binary);
    in.read(magic, sizeof magic);
  }
  if (std::equal(magic, magic + 8, emgrecord::kFileMagic)) {
    const emgrecord::RecordingContents contents = emgrecord::readRecording(path);
    emg::EmgRecording rec;
    rec.sampleRateHz = contents.header.sampleRateHz;
    rec.channels = contents.header.channels;
    rec.samplesUv = contents.contiguous();
    if (firstFrameClockUs) *firstFrameClockUs = contents.header.sessionUsOfFrame0;
    return rec;
  }
  if (firstFrameClockUs) *firstFrameClockUs = 0;
  return emg::readEmgRecording(path);
}

}  // namespace tautband::report
