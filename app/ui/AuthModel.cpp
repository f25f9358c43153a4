#include "ui/AuthModel.h"

#include "store/Store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tautband::ui {
namespace {

using store::Action;

// Which roles see which page: the same table the store checks (store::isAllowed).
bool pageAllowed(store::Role role, const QString& key) {
  if (key == QLatin1String("login")) return true;
  if (key == QLatin1String("patient") || key == QLatin1String("summary"))
    return store::isAllowed(role, Action::ReadPatient);
  if (key == QLatin1String("bodymap") || key == QLatin1String("needling") || key == QLatin1String("laser"))
    return store::isAllowed(role, Action::RunSession);
  if (key == QLatin1String("audit")) return store::isAllowed(role, Action::ViewAudit);
  if (key == QLatin1String("users")) return store::isAllowed(role, Action::ManageUsers);
  if (key == QLatin1String("settings")) return store::isAllowed(role, Action::ChangeClinicSettings);
  // Therapists connect the devices they treat with; service staff and admins service them.
  if (key == QLatin1String("devices"))
    return store::isAllowed(role, Action::ServiceDevices) || store::isAllowed(role, Action::RunSession);
  return false;
}

const QStringList kPageOrder{QStringLiteral("login"),  QStringLiteral("patient"), QStringLiteral("bodymap"),
                             QStringLiteral("needling"), QStringLiteral("laser"), QStringLiteral("summary"),
                             QStringLiteral("audit"),  QStringLiteral("users"),   QStringLiteral("devices"),
                             QStringLiteral("settings")};

std::optional<Action> actionFromName(const QString& name) {
  for (int i = 0; i <= static_cast<int>(Action::Restore); ++i) {
    const auto action = static_cast<Action>(i);
    if (store::actionName(action) == name) return action;
  }
  return std::nullopt;
}

}  // namespace

AuthModel::AuthModel(QObject* parent) : QObject(parent) {
  idleTimer_.setSingleShot(true);
  idleTimer_.setInterval(autoLockSeconds_ * 1000);
  connect(&idleTimer_, &QTimer::timeout, this, &AuthModel::autoLockDue);
}

void AuthModel::attach(store::Store& store) {
  store_ = &store;
  checkForUsers();
}

void AuthModel::storeFailed(const QString& reason) {
  setMessage(tr("The clinic database could not be opened: %1").arg(reason));
  setStage(Stage::StoreFailed);
}

void AuthModel::setDemoCommand(const QString& program, const QStringList& arguments) {
  demoProgram_ = program;
  demoArguments_ = arguments;
  emit stageChanged();
}

void AuthModel::checkForUsers() {
  if (!store_) return;
  setBusy(true);
  pending_.when(store_->users().hasAnyUser(), [this](const Done<bool>& done) {
    setBusy(false);
    if (!done.ok()) {
      storeFailed(done.error);
      return;
    }
    setStage(*done.value ? Stage::LoggedOut : Stage::NeedsSetup);
  });
}

QString AuthModel::userSummary() const {
  if (!user_) return tr("not logged in");
  const QString who = user_->displayName.isEmpty() ? user_->login : user_->displayName;
  return locked_ ? tr("%1 · %2 (locked)").arg(who, role()) : tr("%1 · %2").arg(who, role());
}

QStringList AuthModel::allowedPages() const {
  QStringList pages;
  for (const QString& key : kPageOrder)
    if (canOpenPage(key)) pages << key;
  return pages;
}

QString AuthModel::homePage() const {
  if (!user_) return QStringLiteral("login");
  for (const char* key : {"patient", "audit", "devices", "users"})
    if (pageAllowed(user_->role, QLatin1String(key))) return QLatin1String(key);
  return QStringLiteral("login");
}

bool AuthModel::canOpenPage(const QString& key) const {
  if (key == QLatin1String("login")) return true;
  return user_.has_value() && pageAllowed(user_->role, key);
}

bool AuthModel::can(const QString& actionName) const {
  const auto action = actionFromName(actionName);
  return action && allows(*action);
}

std::optional<store::Actor> AuthModel::actor() const {
  if (!user_ || locked_) return std::nullopt;
  return user_->actor();
}

void AuthModel::setStage(Stage stage) {
  if (stage_ == stage) return;
  stage_ = stage;
  emit stageChanged();
}

void AuthModel::setBusy(bool busy) {
  if (busy_ == busy) return;
  busy_ = busy;
  emit busyChanged();
}

void AuthModel::setMessage(const QString& message) {
  if (message_ == message) return;
  message_ = message;
  emit messageChanged();
}

void AuthModel::setLockInhibited(bool inhibited) {
  if (lockInhibited_ == inhibited) return;
  lockInhibited_ = inhibited;
  // Emission over: the inactivity clock starts again from now.
  if (!inhibited && user_ && !locked_) idleTimer_.start();
  emit lockInhibitedChanged();
}

void AuthModel::setAutoLockSeconds(int seconds) {
  seconds = std::max(1, seconds);
  if (autoLockSeconds_ == seconds) return;
  autoLockSeconds_ = seconds;
  idleTimer_.setInterval(seconds * 1000);
  if (idleTimer_.isActive()) idleTimer_.start();
  emit autoLockSecondsChanged();
}

void AuthModel::noteActivity() {
  if (user_ && !locked_) idleTimer_.start();
}

void AuthModel::autoLockDue() {
  if (!user_ || locked_) return;
  // Never during laser emission: look again after another period.
  if (lockInhibited_) {
    idleTimer_.start();
    return;
  }
  lock();
}

QString AuthModel::describeFailure(const store::AuthResult& result) const {
  using Status = store::AuthResult::Status;
  if (result.lockedUntilUs > 0 && (result.status == Status::LockedOut || result.status == Status::WrongPassword)) {
    const QDateTime until = QDateTime::fromMSecsSinceEpoch(result.lockedUntilUs / 1000).toLocalTime();
    return result.status == Status::LockedOut
               ? tr("This account is locked after 5 failed attempts. Try again after %1, or ask a manager.")
                     .arg(until.toString(QStringLiteral("HH:mm")))
               : tr("Wrong password. This account is now locked for 15 minutes (until %1) after 5 failed "
                    "attempts.")
                     .arg(until.toString(QStringLiteral("HH:mm")));
  }
  switch (result.status) {
    case Status::Inactive: return tr("This account has been deactivated. Ask a manager.");
    // The same words for an unknown login and a wrong password: no hint which logins exist.
    case Status::UnknownUser:
    case Status::WrongPassword: return tr("Login or password is wrong. After 5 failed attempts the account locks for 15 minutes.");
    default: return tr("Log in failed.");
  }
}

void AuthModel::logIn(const QString& login, const QString& password) {
  if (!store_ || busy_) return;
  if (login.trimmed().isEmpty() || password.isEmpty()) {
    setMessage(tr("Enter your login and password."));
    return;
  }
  setBusy(true);
  setMessage({});
  pending_.when(store_->users().authenticate(login.trimmed(), password), [this](const Done<store::AuthResult>& done) {
    setBusy(false);
    if (!done.ok()) {
      setMessage(tr("Log in failed: %1").arg(done.error));
      return;
    }
    if (!done.value->ok()) {
      setMessage(describeFailure(*done.value));
      return;
    }
    const bool wasLocked = locked_;
    user_ = done.value->user;
    locked_ = false;
    setStage(Stage::LoggedIn);
    idleTimer_.start();
    emit userChanged();
    if (wasLocked) emit lockedChanged();
    emit loggedInAs(user_->login);
  });
}

void AuthModel::unlock(const QString& password) {
  if (!user_ || !locked_) return;
  logIn(user_->login, password);
}

void AuthModel::audit(const QString& action, const QJsonObject& details) {
  if (!store_ || !user_) return;
  // Fire and forget: durable with the next group commit, nothing waits.
  (void)store_->audit().append(
      {user_->login, store::roleName(user_->role), action, QStringLiteral("user:%1").arg(user_->id), details, std::nullopt});
}

void AuthModel::lock() {
  if (!user_ || locked_) return;
  locked_ = true;
  idleTimer_.stop();
  audit(QStringLiteral("auth.screen-locked"));
  emit lockedChanged();
  emit userChanged();
}

void AuthModel::logOut() {
  if (!user_) return;
  audit(QStringLiteral("auth.logout"));
  user_.reset();
  const bool wasLocked = locked_;
  locked_ = false;
  idleTimer_.stop();
  setMessage({});
  setStage(Stage::LoggedOut);
  emit userChanged();
  if (wasLocked) emit lockedChanged();
}

void AuthModel::createFirstAdmin(const QString& login, const QString& displayName, const QString& password,
                                 const QString& repeated) {
  if (!store_ || busy_ || stage_ != Stage::NeedsSetup) return;
  if (login.trimmed().isEmpty() || displayName.trimmed().isEmpty()) {
    setMessage(tr("Enter a login and the administrator's name."));
    return;
  }
  if (password != repeated) {
    setMessage(tr("The two passwords differ."));
    return;
  }
  setBusy(true);
  setMessage({});
  pending_.when(store_->users().createFirstAdmin(login.trimmed(), displayName.trimmed(), password),
                [this](const Done<store::UserRecord>& done) {
                  setBusy(false);
                  if (!done.ok()) {
                    setMessage(tr("The administrator was not created: %1").arg(done.error));
                    return;
                  }
                  user_ = *done.value;
                  locked_ = false;
                  setStage(Stage::LoggedIn);
                  idleTimer_.start();
                  emit userChanged();
                  emit loggedInAs(user_->login);
                });
}

void AuthModel::createDemoClinic() {
  if (demoProgram_.isEmpty() || busy_ || stage_ != Stage::NeedsSetup) return;
  setBusy(true);
  setMessage(tr("Building the demo clinic…"));
  demo_ = new QProcess(this);
  connect(demo_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    const QByteArray out = demo_->readAllStandardOutput();
    const QString err = QString::fromUtf8(demo_->readAllStandardError()).trimmed();
    demo_->deleteLater();
    demo_ = nullptr;
    setBusy(false);
    if (status != QProcess::NormalExit || code != 0) {
      setMessage(tr("The demo clinic was not built: %1").arg(err.isEmpty() ? tr("exit code %1").arg(code) : err));
      return;
    }
    demoLogins_ = QJsonDocument::fromJson(out).object().value(QStringLiteral("logins")).toArray().toVariantList();
    emit demoLoginsChanged();
    setMessage(tr("Demo clinic ready. Log in with one of the demo accounts below."));
    checkForUsers();
  });
  connect(demo_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart || !demo_) return;
    setBusy(false);
    setMessage(tr("The demo builder (%1) could not be started.").arg(demoProgram_));
    demo_->deleteLater();
    demo_ = nullptr;
  });
  demo_->start(demoProgram_, demoArguments_);
}

int AuthModel::requestSupervisorApproval(const QString& ruleId, const QString& supervisorLogin,
                                         const QString& password, const QString& reason,
                                         const QVariantMap& context) {
  const int id = nextRequest_++;
  const auto requester = actor();
  if (!store_ || !requester) {
    QMetaObject::invokeMethod(
        this, [this, id] { emit supervisorFinished(id, false, tr("Nobody is logged in."), 0, {}); },
        Qt::QueuedConnection);
    return id;
  }
  pending_.when(store_->users().approveAsSupervisor(*requester, supervisorLogin.trimmed(), password, ruleId,
                                                    reason.trimmed(), QJsonObject::fromVariantMap(context)),
                [this, id, supervisorLogin](const Done<store::SupervisorApproval>& done) {
                  if (!done.ok()) {
                    emit supervisorFinished(id, false, done.error, 0, supervisorLogin);
                    return;
                  }
                  const auto& a = *done.value;
                  emit supervisorFinished(id, a.approved,
                                          a.approved ? tr("Approved by %1.").arg(a.supervisor ? a.supervisor->displayName
                                                                                              : supervisorLogin)
                                                     : a.refusal,
                                          a.auditSequence, supervisorLogin);
                });
  return id;
}

}  // namespace tautband::ui
