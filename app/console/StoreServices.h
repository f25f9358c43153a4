#pragma once

#include "ui/AuditModel.h"
#include "ui/AuthModel.h"
#include "ui/PatientModel.h"
#include "ui/SessionModel.h"
#include "ui/SummaryModel.h"
#include "ui/UserAdminModel.h"

#include <QObject>
#include <QVariantMap>

#include <memory>
#include <thread>

namespace tautband::store {
class Store;
}

namespace tautband::console {

// The console's clinical side, wired once: opens the store (SQLite in the
// data directory unless a location is given) on a background thread so the
// first frame never waits on disk, then hands it to the view models. Any
// touch or key press restarts the auto-lock timer.
class StoreServices : public QObject {
  Q_OBJECT
 public:
  // location: a SQLite path or postgresql:// URL; empty = <dataDir>/tautband.db.
  StoreServices(const QString& dataDir, const QString& location = {}, QObject* parent = nullptr);
  ~StoreServices() override;

  ui::AuthModel& auth() { return auth_; }
  ui::SessionModel& session() { return session_; }
  ui::PatientModel& patients() { return patients_; }
  ui::AuditModel& audit() { return audit_; }
  ui::UserAdminModel& users() { return users_; }
  ui::SummaryModel& summary() { return summary_; }

 signals:
  // On the GUI thread, once: the store is open (other services write to it from now on),
  // or it will not open (they must keep nothing waiting for it).
  void storeOpened(std::shared_ptr<tautband::store::Store> store);
  void storeFailed(const QString& reason);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void opened(std::shared_ptr<store::Store> store, const QString& error);

  // Declared first: destroyed after the view models that point into it.
  std::shared_ptr<store::Store> store_;
  ui::AuthModel auth_;
  ui::SessionModel session_{auth_};
  ui::PatientModel patients_{auth_};
  ui::AuditModel audit_{auth_};
  ui::UserAdminModel users_{auth_};
  ui::SummaryModel summary_{auth_, session_};
  std::thread opener_;
};

}  // namespace tautband::console
