#include "console/StoreNeedlingRecord.h"

#include "anatomy/Atlas.h"
#include "core/Logging.h"
#include "store/Store.h"

#include <QJsonDocument>
#include <QMetaObject>

#include <utility>

namespace tautband::console {
namespace {

auto log() { return core::logger(core::subsystem::kStore); }

std::optional<double> optionalNumber(const QVariant& value) {
  bool ok = false;
  const double v = value.toDouble(&ok);
  if (!value.isValid() || value.isNull() || !ok) return std::nullopt;
  return v;
}

}  // namespace

struct StoreNeedlingRecord::Ids {
  std::map<std::pair<qint64, QString>, qint64> sites;   // (session, site label) -> site id
  std::map<std::pair<qint64, int>, qint64> needles;     // (session, needle no) -> needle id
  std::map<std::pair<qint64, qint64>, qint64> ltrs;     // (session, detector's LTR id) -> LTR id
  std::map<qint64, qint64> lastSite;                    // session -> the site last needled

  std::optional<qint64> site(qint64 session, const QString& label) const {
    const auto it = sites.find({session, label});
    if (it != sites.end()) return it->second;
    const auto last = lastSite.find(session);
    if (last != lastSite.end()) return last->second;
    return std::nullopt;
  }
};

StoreNeedlingRecord::StoreNeedlingRecord(const anatomy::Atlas& atlas, const AuditContext& context,
                                         store::AuditForwarder& trail, QObject* parent)
    : QObject(parent), atlas_(atlas), context_(context), trail_(trail), ids_(std::make_unique<Ids>()), worker_([this] { run(); }) {}

StoreNeedlingRecord::~StoreNeedlingRecord() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void StoreNeedlingRecord::attach(std::shared_ptr<store::Store> store) {
  std::lock_guard lock(mutex_);
  store_ = std::move(store);
}

bool StoreNeedlingRecord::persistent() const {
  std::lock_guard lock(mutex_);
  return store_ != nullptr && context_.snapshot().sessionId.has_value();
}

void StoreNeedlingRecord::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void StoreNeedlingRecord::run() {
  for (;;) {
    Write write;
    std::shared_ptr<store::Store> store;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is written
      write = std::move(queue_.front());
      queue_.pop_front();
      store = store_;
      busy_ = true;
    }
    write(*store, *ids_);
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    idle_.notify_all();
  }
}

void StoreNeedlingRecord::unsaved(const QString& what, const QJsonObject& content, const AuditContext::Snapshot& at,
                                  const QString& why) {
  const QString message = tr("Not saved to the record: %1 (%2). It is kept in the audit trail.").arg(what, why);
  log()->critical("needling record: {} NOT stored ({}): {}", what.toStdString(), why.toStdString(),
                  QJsonDocument(content).toJson(QJsonDocument::Compact).toStdString());
  QJsonObject details{{QStringLiteral("what"), what}, {QStringLiteral("reason"), why}, {QStringLiteral("content"), content}};
  QString subject = QStringLiteral("console");
  if (at.sessionId) {
    subject = QStringLiteral("session:%1").arg(*at.sessionId);
    details.insert(QStringLiteral("session_id"), static_cast<double>(*at.sessionId));
  }
  trail_.post({at.actor.login, at.actor.role, QStringLiteral("needling.unsaved"), subject, details,
               content.value(QStringLiteral("clock_us")).isDouble()
                   ? std::optional<std::int64_t>(static_cast<std::int64_t>(content.value(QStringLiteral("clock_us")).toDouble()))
                   : std::nullopt});
  QMetaObject::invokeMethod(this, [this, message] { emit failed(message); }, Qt::QueuedConnection);
}

void StoreNeedlingRecord::enqueue(const QString& what, QJsonObject content,
                                  std::function<void(store::Store&, Ids&, const AuditContext::Snapshot&)> write) {
  const auto at = context_.snapshot();
  std::unique_lock lock(mutex_);
  const bool haveStore = store_ != nullptr;
  if (!haveStore || !at.sessionId) {
    lock.unlock();
    unsaved(what, content, at, haveStore ? tr("no session is open") : tr("the clinic database is not open"));
    return;
  }
  queue_.push_back([this, what, content = std::move(content), write = std::move(write), at](store::Store& store, Ids& ids) {
    try {
      write(store, ids, at);
    } catch (const std::exception& e) {
      unsaved(what, content, at, QString::fromUtf8(e.what()));
    }
  });
  lock.unlock();
  wake_.notify_one();
}

void StoreNeedlingRecord::needleIn(int needleNo, const QVariantMap& needle, std::int64_t clockUs) {
  QJsonObject content = QJsonObject::fromVariantMap(needle);
  content.insert(QStringLiteral("clock_us"), static_cast<double>(clockUs));
  // The site as the atlas knows it: the muscle id and side the reports and the rules use.
  const auto* region = atlas_.region(needle.value(QStringLiteral("regionId")).toString().toStdString());
  const QString muscle = region ? QString::fromStdString(region->muscleId) : QString();
  const QString side = region ? QString::fromLatin1(anatomy::toString(region->side).data(),
                                                    static_cast<qsizetype>(anatomy::toString(region->side).size()))
                              : QString();
  enqueue(tr("needle %1 in").arg(needleNo), content, [needleNo, needle, clockUs, muscle, side](store::Store& s, Ids& ids, const AuditContext::Snapshot& at) {
    const qint64 session = *at.sessionId;
    const QString label = needle.value(QStringLiteral("site")).toString();
    qint64 siteId = 0;
    if (const auto it = ids.sites.find({session, label}); it != ids.sites.end()) {
      siteId = it->second;
    } else {
      if (muscle.isEmpty()) throw std::runtime_error("the needle's site is not a muscle region of the body atlas");
      QJsonObject location{{QStringLiteral("label"), label}};
      for (const char* key : {"view", "x", "y"}) {
        const QString k = QString::fromLatin1(key);
        if (needle.contains(k)) location.insert(k, QJsonValue::fromVariant(needle.value(k)));
      }
      siteId = s.clinical()
                   .addSite(at.actor, session, muscle, side, location,
                            needle.value(QStringLiteral("zone")).toString(), clockUs)
                   .get();
      ids.sites[{session, label}] = siteId;
    }
    ids.lastSite[session] = siteId;
    store::NeedleDraft draft;
    draft.siteId = siteId;
    draft.lengthMm = needle.value(QStringLiteral("lengthMm")).toDouble();
    draft.gaugeMm = needle.value(QStringLiteral("gaugeMm")).toDouble();
    draft.lot = needle.value(QStringLiteral("lot")).toString();
    draft.technique = needle.value(QStringLiteral("technique")).toString();
    draft.direction = needle.value(QStringLiteral("direction")).toString();
    draft.depthMm = optionalNumber(needle.value(QStringLiteral("depthMm")));
    ids.needles[{session, needleNo}] = s.clinical().needleIn(at.actor, session, draft, clockUs).get();
  });
}

void StoreNeedlingRecord::needleOut(int needleNo, bool intact, std::int64_t clockUs) {
  const QJsonObject content{{QStringLiteral("no"), needleNo}, {QStringLiteral("intact"), intact},
                            {QStringLiteral("clock_us"), static_cast<double>(clockUs)}};
  enqueue(tr("needle %1 out").arg(needleNo), content, [needleNo, intact, clockUs](store::Store& s, Ids& ids, const AuditContext::Snapshot& at) {
    const auto it = ids.needles.find({*at.sessionId, needleNo});
    if (it == ids.needles.end()) throw std::runtime_error("needle " + std::to_string(needleNo) + " was never stored as in");
    s.clinical().needleOut(at.actor, it->second, intact, clockUs).get();
  });
}

void StoreNeedlingRecord::ltr(const QVariantMap& ltr) {
  const QString status = ltr.value(QStringLiteral("status")).toString();
  const bool manual = ltr.value(QStringLiteral("manual")).toBool();
  const qint64 detectorId = ltr.value(QStringLiteral("id")).toLongLong();
  const auto clockUs = static_cast<std::int64_t>(ltr.value(QStringLiteral("onsetS")).toDouble() * 1e6);
  if (!manual && status == QLatin1String("pending") && !context_.snapshot().sessionId) {
    // The detector runs whenever an amplifier streams; outside a session its events belong
    // to nobody and are information only. A therapist's verdict or manual LTR is kept.
    log()->debug("LTR {} detected with no session open: not recorded", detectorId);
    return;
  }
  QJsonObject content = QJsonObject::fromVariantMap(ltr);
  content.insert(QStringLiteral("clock_us"), static_cast<double>(clockUs));
  enqueue(manual ? tr("manual LTR") : tr("LTR %1 (%2)").arg(detectorId).arg(status), content,
          [=](store::Store& s, Ids& ids, const AuditContext::Snapshot& at) {
            const qint64 session = *at.sessionId;
            const auto site = ids.site(session, ltr.value(QStringLiteral("site")).toString());
            if (manual) {
              // Added by hand: stored as manual and confirmed by the person who added it.
              s.clinical().recordLtr(at.actor, session, site, std::nullopt, clockUs, false, std::nullopt, {}).get();
              return;
            }
            auto known = ids.ltrs.find({session, detectorId});
            if (known == ids.ltrs.end()) {
              const qint64 id = s.clinical()
                                    .recordLtr(at.actor, session, site, std::nullopt, clockUs, true,
                                               optionalNumber(ltr.value(QStringLiteral("peakUv"))),
                                               QStringLiteral("tautband-emg"))
                                    .get();
              known = ids.ltrs.emplace(std::pair{session, detectorId}, id).first;
            }
            // The detector's own retraction is not the therapist's verdict: the event stays
            // pending in the record (the audit entry above shows it was detected).
            if (status == QLatin1String("confirmed") || status == QLatin1String("rejected")) {
              s.clinical().decideLtr(at.actor, known->second, status == QLatin1String("confirmed"), clockUs).get();
            }
          });
}

void StoreNeedlingRecord::pain(const QString& moment, int nprs, std::int64_t clockUs) {
  const QJsonObject content{{QStringLiteral("moment"), moment}, {QStringLiteral("nprs"), nprs},
                            {QStringLiteral("clock_us"), static_cast<double>(clockUs)}};
  enqueue(tr("pain score"), content, [=](store::Store& s, Ids&, const AuditContext::Snapshot& at) {
    s.clinical().recordPain(at.actor, *at.sessionId, std::nullopt, moment, nprs, clockUs).get();
  });
}

void StoreNeedlingRecord::adverseEvent(const QString& kind, const QString& grade, const QString& description,
                                       std::int64_t clockUs) {
  const QJsonObject content{{QStringLiteral("kind"), kind},
                            {QStringLiteral("grade"), grade},
                            {QStringLiteral("description"), description},
                            {QStringLiteral("clock_us"), static_cast<double>(clockUs)}};
  enqueue(tr("adverse event"), content, [=](store::Store& s, Ids&, const AuditContext::Snapshot& at) {
    if (!at.patientId) throw std::runtime_error("the session has no patient");
    s.clinical().recordAdverseEvent(at.actor, *at.patientId, at.sessionId, kind, grade, description, clockUs).get();
  });
}

void StoreNeedlingRecord::emgRecording(const QString& path, const QString& hashAlgorithm, const QString& hash,
                                       double rateHz, int channels, bool research, std::int64_t startedUs) {
  const QJsonObject content{{QStringLiteral("path"), path},          {QStringLiteral("hash_algorithm"), hashAlgorithm},
                            {QStringLiteral("hash"), hash},          {QStringLiteral("rate_hz"), rateHz},
                            {QStringLiteral("channels"), channels},  {QStringLiteral("research"), research},
                            {QStringLiteral("clock_us"), static_cast<double>(startedUs)}};
  enqueue(tr("EMG recording"), content, [=](store::Store& s, Ids& ids, const AuditContext::Snapshot& at) {
    const qint64 session = *at.sessionId;
    const auto last = ids.lastSite.find(session);
    s.clinical()
        .addEmgRecording(at.actor, session, last != ids.lastSite.end() ? std::optional<qint64>(last->second) : std::nullopt,
                         path, hashAlgorithm, hash, rateHz, channels, research, startedUs)
        .get();
  });
}

void StoreNeedlingRecord::note(const QString& text, std::int64_t clockUs) {
  // Insertion/redirection marks and the pneumothorax advice are events on the session
  // clock, not the clinical note the therapist signs: they go to the audit trail.
  const auto at = context_.snapshot();
  QJsonObject details{{QStringLiteral("event"), text}};
  QString subject = QStringLiteral("console");
  if (at.sessionId) {
    subject = QStringLiteral("session:%1").arg(*at.sessionId);
    details.insert(QStringLiteral("session_id"), static_cast<double>(*at.sessionId));
  }
  trail_.post({at.actor.login, at.actor.role, QStringLiteral("needling.event"), subject, details, clockUs});
}

}  // namespace tautband::console
