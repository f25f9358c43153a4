#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QString>

#include <functional>

namespace tautband::devices::sim {

// What a simulated device reports about itself on stdout (emission on/off,
// injected LTRs, faults), so tests can check the device side independently
// of the console.
using EventSink = std::function<void(const QString& event, const QJsonObject& fields)>;

// Prints events as JSON lines (--json) or "event key=value ..." text, each
// with t_ms since the simulator started.
class EventPrinter {
 public:
  explicit EventPrinter(bool json) : json_(json) { clock_.start(); }
  void print(const QString& event, const QJsonObject& fields) const;
  EventSink sink() const {
    return [this](const QString& event, const QJsonObject& fields) { print(event, fields); };
  }

 private:
  bool json_;
  QElapsedTimer clock_;
};

}  // namespace tautband::devices::sim
