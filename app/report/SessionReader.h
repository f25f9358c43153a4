#pragma once

#include "report/SessionRecord.h"
#include "store/Access.h"
#include "store/StoreWriter.h"

#include <stdexcept>
#include <vector>

namespace tautband::report {

// A session the reader cannot find or read; what() is one line for the user.
class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One line of `tautband-cli sessions`.
struct SessionSummary {
  qint64 id = 0;
  QString state;
  std::int64_t startedUs = 0;
  std::int64_t durationClockUs = 0;
  QString patientMrn, patientName, therapistLogin;
  int sites = 0, ltrs = 0, laserDoses = 0;
};

// Reads sessions through the store's writer thread (the only connection; the
// GUI never touches the disk). Every read is audited in the same transaction,
// because a session report shows a patient's record (docs/STORE.md "Access").
class SessionReader {
 public:
  explicit SessionReader(store::StoreWriter& writer) : writer_(writer) {}

  // Newest first. Audited as "session.list".
  std::vector<SessionSummary> list(const store::Actor& by);
  // The id of the newest session; throws ReportError when there is none.
  qint64 latestId();
  // The whole record; audited as "session.exported" with `purpose` (e.g. the
  // export format). Throws ReportError for an unknown id.
  SessionRecord read(const store::Actor& by, qint64 sessionId, const QString& purpose);
  // The same record for the console's Summary page; audited as "session.viewed".
  SessionRecord view(const store::Actor& by, qint64 sessionId);

 private:
  SessionRecord readAudited(const store::Actor& by, qint64 sessionId, const QString& action, const QJsonObject& details);
  store::StoreWriter& writer_;
};

}  // namespace tautband::report
