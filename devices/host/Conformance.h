#pragma once

#include "devices/host/DriverCatalog.h"

#include <QString>

#include <vector>

namespace tautband::devices {

// The vendor conformance kit (docs/DRIVER-SDK.md): a fixed list of checks a
// driver plugin must pass against its device (or our simulator) before it
// ships. Mandatory checks decide the verdict; informational ones report.
struct ConformanceCheck {
  enum class Result { Pass, Fail, NotApplicable, Info };
  QString id;
  QString title;
  bool mandatory = true;
  Result result = Result::Fail;
  QString detail;
};

QString conformanceResultName(ConformanceCheck::Result result);

struct ConformanceReport {
  QString pluginPath;
  QString driverId;
  QString port;
  std::vector<ConformanceCheck> checks;
  bool passed() const;
};

struct ConformanceOptions {
  QString pluginPath;
  QString port;            // the device (or simulator pty) to test against
  std::string settingsJson = "{}";
  qint32 baud = 0;         // 0: the manifest's default
  int fuzzChunks = 20000;  // random chunks in the bounded-time check
  double callBudgetMs = 10.0;
};

// Runs every check; needs a running Qt event loop thread (it spins its own).
ConformanceReport runConformance(const ConformanceOptions& options);

}  // namespace tautband::devices
