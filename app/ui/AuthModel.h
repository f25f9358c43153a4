#pragma once

#include "store/Access.h"
#include "store/Users.h"
#include "ui/PendingWork.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace tautband::store {
class Store;
}

namespace tautband::ui {

// Who is at the console: first-run setup, log in, lockout messages, auto-lock
// after inactivity (never while lockInhibited, i.e. during laser emission)
// with a quick password-only unlock, and supervisor re-authentication. The
// role checks here decide what QML shows; the store checks every action again.
class AuthModel : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(Stage stage READ stage NOTIFY stageChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)
  Q_PROPERTY(bool loggedIn READ loggedIn NOTIFY userChanged)
  Q_PROPERTY(bool locked READ locked NOTIFY lockedChanged)
  Q_PROPERTY(QString login READ login NOTIFY userChanged)
  Q_PROPERTY(QString displayName READ displayName NOTIFY userChanged)
  Q_PROPERTY(QString role READ role NOTIFY userChanged)
  Q_PROPERTY(QString userSummary READ userSummary NOTIFY userChanged)
  Q_PROPERTY(QStringList allowedPages READ allowedPages NOTIFY userChanged)
  Q_PROPERTY(QString homePage READ homePage NOTIFY userChanged)
  Q_PROPERTY(bool lockInhibited READ lockInhibited WRITE setLockInhibited NOTIFY lockInhibitedChanged)
  Q_PROPERTY(int autoLockSeconds READ autoLockSeconds WRITE setAutoLockSeconds NOTIFY autoLockSecondsChanged)
  Q_PROPERTY(bool demoAvailable READ demoAvailable NOTIFY stageChanged)
  Q_PROPERTY(QVariantList demoLogins READ demoLogins NOTIFY demoLoginsChanged)

 public:
  enum class Stage { Starting, StoreFailed, NeedsSetup, LoggedOut, LoggedIn };
  Q_ENUM(Stage)

  explicit AuthModel(QObject* parent = nullptr);

  // The store is opened in the background; until then the login page says "starting".
  void attach(store::Store& store);
  void storeFailed(const QString& reason);
  // `tautband-cli demo` (the CLI's own code path) run as a child process.
  void setDemoCommand(const QString& program, const QStringList& arguments);

  Stage stage() const { return stage_; }
  bool busy() const { return busy_; }
  QString message() const { return message_; }
  bool loggedIn() const { return user_.has_value(); }
  bool locked() const { return locked_; }
  QString login() const { return user_ ? user_->login : QString(); }
  QString displayName() const { return user_ ? user_->displayName : QString(); }
  QString role() const { return user_ ? store::roleName(user_->role) : QString(); }
  QString userSummary() const;
  QStringList allowedPages() const;
  QString homePage() const;
  bool lockInhibited() const { return lockInhibited_; }
  void setLockInhibited(bool inhibited);
  int autoLockSeconds() const { return autoLockSeconds_; }
  void setAutoLockSeconds(int seconds);
  bool demoAvailable() const { return !demoProgram_.isEmpty(); }
  QVariantList demoLogins() const { return demoLogins_; }

  // The logged-in user (nullopt when nobody is, or while locked).
  std::optional<store::Actor> actor() const;
  const std::optional<store::UserRecord>& user() const { return user_; }
  // The store the model is attached to (nullptr until then); read by ClinicalContext.
  store::Store* store() const { return store_; }
  bool allows(store::Action action) const { return user_ && !locked_ && store::isAllowed(user_->role, action); }

  Q_INVOKABLE void logIn(const QString& login, const QString& password);
  Q_INVOKABLE void unlock(const QString& password);
  Q_INVOKABLE void lock();
  Q_INVOKABLE void logOut();
  Q_INVOKABLE void createFirstAdmin(const QString& login, const QString& displayName, const QString& password,
                                    const QString& repeated);
  Q_INVOKABLE void createDemoClinic();
  // Action names as in store::actionName ("read-patient", "view-audit", ...).
  Q_INVOKABLE bool can(const QString& action) const;
  Q_INVOKABLE bool canOpenPage(const QString& key) const;
  // Any touch or key: restarts the inactivity timer.
  Q_INVOKABLE void noteActivity();
  // Second person for a SUPERVISOR-level rule (full login + password, every
  // time). Returns a request id echoed by supervisorFinished.
  Q_INVOKABLE int requestSupervisorApproval(const QString& ruleId, const QString& supervisorLogin,
                                            const QString& password, const QString& reason,
                                            const QVariantMap& context = {});
  Q_INVOKABLE void clearMessage() { setMessage({}); }

 signals:
  void stageChanged();
  void busyChanged();
  void messageChanged();
  void userChanged();
  void lockedChanged();
  void lockInhibitedChanged();
  void autoLockSecondsChanged();
  void demoLoginsChanged();
  void loggedInAs(const QString& login);
  void supervisorFinished(int requestId, bool approved, const QString& message, qint64 auditSequence,
                          const QString& supervisorLogin);

 private:
  void setStage(Stage stage);
  void setBusy(bool busy);
  void setMessage(const QString& message);
  void checkForUsers();
  void audit(const QString& action, const QJsonObject& details = {});
  void autoLockDue();
  QString describeFailure(const store::AuthResult& result) const;

  store::Store* store_ = nullptr;
  PendingWork pending_{this};
  Stage stage_ = Stage::Starting;
  bool busy_ = false;
  QString message_;
  std::optional<store::UserRecord> user_;
  bool locked_ = false;
  bool lockInhibited_ = false;
  int autoLockSeconds_ = 300;
  QTimer idleTimer_;
  QString demoProgram_;
  QStringList demoArguments_;
  QProcess* demo_ = nullptr;
  QVariantList demoLogins_;
  int nextRequest_ = 1;
};

}  // namespace tautband::ui
