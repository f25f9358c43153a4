#pragma once

// One shape for every benchmark's JSON (docs/BENCHMARKS.md):
// {
//   "name": "...", "schema": 1,
//   "figures": [ { "name", "unit", "value", "stat", "samples",
//                  "baseline": { "name", "value", "unit" } | null, "ratio": x | null,
//                  "target": { "op": "<"|"<="|">"|">=", "value", "unit" } | null,
//                  "pass": true|false|null } ],
//   "notes": "...", "pass": true|false
// }
// The baseline is measured in the same run, so ratios survive a slower or
// busier machine; absolute targets come from BRIEF.md §7.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace tautband::bench {

struct Baseline {
  QString name;
  double value = 0;
  QString unit;
};

struct Target {
  QString op;  // "<", "<=", ">", ">="
  double value = 0;
  QString unit;

  bool met(double v) const {
    if (op == QLatin1String("<")) return v < value;
    if (op == QLatin1String("<=")) return v <= value;
    if (op == QLatin1String(">")) return v > value;
    return v >= value;
  }
};

struct Figure {
  QString name;
  QString unit;
  double value = 0;
  QString stat = QStringLiteral("median");
  int samples = 1;
  std::optional<Baseline> baseline;
  std::optional<Target> target;
};

inline double percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double rank = p / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const auto hi = static_cast<std::size_t>(std::ceil(rank));
  return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

class Report {
 public:
  explicit Report(QString name) : name_(std::move(name)) {}

  void add(Figure figure) { figures_.push_back(std::move(figure)); }
  void setNotes(QString notes) { notes_ = std::move(notes); }

  bool passed() const {
    return std::all_of(figures_.begin(), figures_.end(), [](const Figure& f) {
      return !f.target || f.target->met(f.value);
    });
  }

  QJsonObject toJson() const {
    QJsonArray figures;
    for (const auto& f : figures_) {
      QJsonObject o{{"name", f.name}, {"unit", f.unit}, {"value", f.value},
                    {"stat", f.stat}, {"samples", f.samples}};
      if (f.baseline) {
        o["baseline"] = QJsonObject{{"name", f.baseline->name}, {"value", f.baseline->value},
                                    {"unit", f.baseline->unit}};
        o["ratio"] = f.baseline->value != 0 ? f.value / f.baseline->value : QJsonValue();
      } else {
        o["baseline"] = QJsonValue();
        o["ratio"] = QJsonValue();
      }
      if (f.target) {
        o["target"] = QJsonObject{{"op", f.target->op}, {"value", f.target->value}, {"unit", f.target->unit}};
        o["pass"] = f.target->met(f.value);
      } else {
        o["target"] = QJsonValue();
        o["pass"] = QJsonValue();
      }
      figures.append(o);
    }
    return QJsonObject{{"name", name_}, {"schema", 1}, {"figures", figures}, {"notes", notes_},
                       {"pass", passed()}};
  }

  // Writes $TAUTBAND_BENCH_OUT/<name>.json (or ./bench/<name>.json), prints a
  // one-line summary, and returns the process exit code (1 if a target is missed).
  int finish() const {
    QString dir = qEnvironmentVariable("TAUTBAND_BENCH_OUT");
    if (dir.isEmpty()) dir = QStringLiteral("bench");
    QDir().mkpath(dir);
    QFile file(dir + QLatin1Char('/') + name_ + QStringLiteral(".json"));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
      std::fprintf(stderr, "bench %s: cannot write %s\n", qPrintable(name_), qPrintable(file.fileName()));
      return 2;
    }
    file.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    QStringList parts;
    for (const auto& f : figures_) {
      QString part = QStringLiteral("%1=%2 %3").arg(f.name).arg(f.value, 0, 'g', 4).arg(f.unit);
      if (f.baseline && f.baseline->value != 0) {
        part += QStringLiteral(" (x%1 vs %2)").arg(f.value / f.baseline->value, 0, 'f', 2).arg(f.baseline->name);
      }
      if (f.target) {
        part += QStringLiteral(" [target %1 %2: %3]")
                    .arg(f.target->op)
                    .arg(f.target->value)
                    .arg(f.target->met(f.value) ? QStringLiteral("pass") : QStringLiteral("FAIL"));
      }
      parts << part;
    }
    std::printf("bench %s: %s -> %s\n", qPrintable(name_), qPrintable(parts.join(QStringLiteral("; "))),
                passed() ? "pass" : "FAIL");
    std::fflush(stdout);
    return passed() ? 0 : 1;
  }

 private:
  QString name_;
  std::vector<Figure> figures_;
  QString notes_;
};

}  // namespace tautband::bench
