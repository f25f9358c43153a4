#pragma once

// A real store in a temporary directory with the people a SUPERVISOR approval needs, and the
// console's AuthModel over it, logged in as the practitioner. SupervisorDialog on the laser and
// needling pages re-authenticates the second person through it (tst_laser_page.qml,
// tst_needling_page.qml), exactly as the console does.
//   therapist.qml / therapist-pass-1   the practitioner (logged in)
//   manager.qml   / manager-pass-1     may approve (role manager)
//   admin.qml     / admin-pass-1       may not approve (role admin)
// The first patient and session of the fresh database (both id 1) are the ones the test
// view models use.
#include "store/Store.h"
#include "ui/AuthModel.h"

#include <QTemporaryDir>

#include <memory>

class SupervisorStoreFixture {
 public:
  static constexpr const char* kPractitioner = "therapist.qml";

  void start() {
    using namespace tautband;
    if (store_) return;
    const auto settings = store::StoreSettings::fromLocation(dir_.filePath(QStringLiteral("tautband.db")),
                                                             std::filesystem::path(dir_.path().toStdString()));
    store_ = store::Store::open(settings, store::PasswordPolicy::minimumForTests());
    auto& users = store_->users();
    const auto admin = users.createFirstAdmin(QStringLiteral("admin.qml"), QStringLiteral("Ada Admin"),
                                              QStringLiteral("admin-pass-1")).get();
    const auto manager = users.createUser(admin.actor(), QStringLiteral("manager.qml"), QStringLiteral("Morgan Manager"),
                                          store::Role::Manager, QStringLiteral("manager-pass-1")).get();
    const auto therapist = users.createUser(manager.actor(), QString::fromLatin1(kPractitioner),
                                            QStringLiteral("Theo Therapist"), store::Role::Therapist,
                                            QStringLiteral("therapist-pass-1")).get();
    store::PatientDraft p;
    p.mrn = QStringLiteral("Q-0001");
    p.familyName = QStringLiteral("Test");
    p.givenName = QStringLiteral("Patient");
    patientId_ = store_->clinical().createPatient(therapist.actor(), p).get();
    sessionId_ = store_->clinical().startSession(therapist.actor(), patientId_).get();
    // The practitioner logs in once the model has seen the users (tests wait for loggedIn).
    QObject::connect(&auth_, &ui::AuthModel::stageChanged, &auth_, [this] {
      if (auth_.stage() == ui::AuthModel::Stage::LoggedOut && !loginAsked_) {
        loginAsked_ = true;
        auth_.logIn(QString::fromLatin1(kPractitioner), QStringLiteral("therapist-pass-1"));
      }
    });
    auth_.attach(*store_);
  }

  tautband::ui::AuthModel& auth() { return auth_; }
  qint64 patientId() const { return patientId_; }
  qint64 sessionId() const { return sessionId_; }

 private:
  QTemporaryDir dir_;
  std::shared_ptr<tautband::store::Store> store_;
  tautband::ui::AuthModel auth_;
  qint64 patientId_ = 0;
  qint64 sessionId_ = 0;
  bool loginAsked_ = false;
};
