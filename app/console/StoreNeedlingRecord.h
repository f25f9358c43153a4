#pragma once

#include "console/AuditContext.h"
#include "store/AuditForwarder.h"
#include "ui/NeedlingModel.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace tautband::anatomy {
class Atlas;
}
namespace tautband::store {
class Store;
}

namespace tautband::console {

// The needling page's record (needles in/out with lot, LTRs and the therapist's verdicts,
// pain, adverse events, EMG recordings, insertion events) written into the store's
// clinical record for the open session.
//
// The store answers with row ids (a needle's id is needed to take it out, an LTR's to
// confirm it), so the writes run in order on one worker thread that waits for each id;
// the GUI thread only queues. Anything that cannot be stored (store error, refused by role,
// or no session open by the time it is written) is never dropped: the full content goes to
// the audit trail as `needling.unsaved` and to the log, and `failed` tells the page in words.
//
// "No session" is decided once on each side: the page (NeedlingModel) records nothing the
// therapist does without a session and says so; this class alone decides about the
// amplifier's detector, which runs whenever an amplifier streams: its LTRs outside a session
// belong to nobody and are information only (not stored, not an error).
class StoreNeedlingRecord : public QObject, public ui::NeedlingRecordSink {
  Q_OBJECT
 public:
  // The atlas names the muscle and side of the region a needle went into.
  StoreNeedlingRecord(const anatomy::Atlas& atlas, const AuditContext& context, store::AuditForwarder& trail,
                      QObject* parent = nullptr);
  ~StoreNeedlingRecord() override;  // finishes what is queued

  // GUI thread, once the store is open.
  void attach(std::shared_ptr<store::Store> store);
  // Blocks until every queued write finished (tests, shutdown).
  void drain();

  bool persistent() const override;
  void needleIn(int needleNo, const QVariantMap& needle, std::int64_t clockUs) override;
  void needleOut(int needleNo, bool intact, std::int64_t clockUs) override;
  void ltr(const QVariantMap& ltr) override;
  void pain(const QString& moment, int nprs, std::int64_t clockUs) override;
  void adverseEvent(const QString& kind, const QString& grade, const QString& description, std::int64_t clockUs) override;
  void emgRecording(const QString& path, const QString& hashAlgorithm, const QString& hash, double rateHz, int channels,
                    bool research, std::int64_t startedUs) override;
  void note(const QString& text, std::int64_t clockUs) override;

 signals:
  void failed(const QString& message);  // queued to the GUI thread

 private:
  struct Ids;  // worker-thread state: the store's ids for this console's sites, needles, LTRs
  using Write = std::function<void(store::Store&, Ids&)>;

  // Queues one write for the open session; `what` names it in the failure message and the
  // unsaved entry carries `content`.
  void enqueue(const QString& what, QJsonObject content, std::function<void(store::Store&, Ids&, const AuditContext::Snapshot&)> write);
  void unsaved(const QString& what, const QJsonObject& content, const AuditContext::Snapshot& at, const QString& why);
  void run();

  const anatomy::Atlas& atlas_;
  const AuditContext& context_;
  store::AuditForwarder& trail_;
  std::shared_ptr<store::Store> store_;  // written on the GUI thread before any job uses it

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Write> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::unique_ptr<Ids> ids_;
  std::thread worker_;
};

}  // namespace tautband::console
