#include "devices/sim/SimEvents.h"

#include <QJsonDocument>

#include <cstdio>

namespace tautband::devices::sim {

void EventPrinter::print(const QString& event, const QJsonObject& fields) const {
  QString text;
  if (json_) {
    QJsonObject line = fields;
    line.insert(QStringLiteral("event"), event);
    line.insert(QStringLiteral("t_ms"), static_cast<double>(clock_.nsecsElapsed()) / 1e6);
    text = QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
  } else {
    text = event;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      text += QStringLiteral(" %1=%2").arg(it.key(), it.value().toVariant().toString());
    }
  }
  std::printf("%s\n", qPrintable(text));
  std::fflush(stdout);
}

}  // namespace tautband::devices::sim
