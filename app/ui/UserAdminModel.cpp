#include "ui/UserAdminModel.h"

#include "store/Store.h"
#include "ui/AuthModel.h"

namespace tautband::ui {
namespace {
const QStringList kCredentialKinds{QStringLiteral("dry-needling"), QStringLiteral("laser"), QStringLiteral("e-stim")};
}

UserAdminModel::UserAdminModel(AuthModel& auth, QObject* parent) : QAbstractListModel(parent), auth_(auth) {
  pending_.onBusyChanged([this] { emit busyChanged(); });
  connect(&auth_, &AuthModel::loggedInAs, this, [this] { wrongOldPasswords_ = 0; });
  connect(&auth_, &AuthModel::userChanged, this, [this] {
    emit permissionsChanged();
    if (!auth_.allows(store::Action::ManageUsers) && !users_.empty()) {
      beginResetModel();
      users_.clear();
      validCredentials_.clear();
      endResetModel();
      emit countChanged();
    }
  });
}

void UserAdminModel::attach(store::Store& store) { store_ = &store; }

QStringList UserAdminModel::assignableRoles() const {
  if (!auth_.allows(store::Action::ManageUsers)) return {};
  QStringList roles{QStringLiteral("therapist"), QStringLiteral("manager"), QStringLiteral("vendor-service")};
  if (auth_.role() == QLatin1String("admin")) roles << QStringLiteral("admin");
  return roles;
}

bool UserAdminModel::canManageCredentials() const { return auth_.allows(store::Action::ManageCredentials); }

int UserAdminModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : count(); }

QHash<int, QByteArray> UserAdminModel::roleNames() const {
  return {{UserIdRole, "userId"}, {LoginRole, "login"},   {DisplayNameRole, "displayName"},
          {UserRoleRole, "role"}, {ActiveRole, "active"}, {CredentialsRole, "credentials"}};
}

QVariant UserAdminModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= count()) return {};
  const auto& u = users_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case UserIdRole: return u.id;
    case LoginRole: return u.login;
    case DisplayNameRole: return u.displayName;
    case UserRoleRole: return store::roleName(u.role);
    case ActiveRole: return u.active;
    case CredentialsRole: {
      const auto it = validCredentials_.find(u.id);
      return it == validCredentials_.end() ? QString() : it->second.join(QStringLiteral(", "));
    }
    default: return {};
  }
}

bool UserAdminModel::start(store::Action action) {
  if (!store_) return false;
  if (!auth_.allows(action)) {
    message_ = tr("Your role may not do this.");
    emit messageChanged();
    return false;
  }
  return true;
}

void UserAdminModel::finish(const QString& error, const QString& ok) {
  if (error.isEmpty() && ok.isEmpty()) return;  // e.g. a refresh: keep the last message
  message_ = error.isEmpty() ? ok : error;
  emit messageChanged();
}

void UserAdminModel::refresh() {
  if (!start(store::Action::ManageUsers)) return;
  pending_.whileBusy(store_->users().listUsers(*auth_.actor()), [this](const Done<std::vector<store::UserRecord>>& d) {
    if (d.ok()) {
      beginResetModel();
      users_ = *d.value;
      endResetModel();
      emit countChanged();
      loadCredentials();
    }
    finish(d.error, {});
  });
}

void UserAdminModel::loadCredentials() {
  validCredentials_.clear();
  const QDate today = QDate::currentDate();
  for (const auto& u : users_) {
    if (u.role != store::Role::Therapist) continue;
    for (const QString& kind : kCredentialKinds) {
      pending_.when(store_->users().hasValidCredential(u.id, kind, today), [this, id = u.id, kind](const Done<bool>& d) {
        if (!d.ok() || !*d.value) return;
        validCredentials_[id] << kind;
        for (int row = 0; row < count(); ++row)
          if (users_[static_cast<std::size_t>(row)].id == id) emit dataChanged(index(row), index(row), {CredentialsRole});
      });
    }
  }
}

void UserAdminModel::createUser(const QString& login, const QString& displayName, const QString& role,
                                const QString& password) {
  const auto r = store::roleFromName(role);
  if (!r || !assignableRoles().contains(role)) {
    message_ = tr("Choose a role you may assign.");
    emit messageChanged();
    return;
  }
  if (login.trimmed().isEmpty() || displayName.trimmed().isEmpty()) {
    message_ = tr("Enter a login and a name.");
    emit messageChanged();
    return;
  }
  if (!start(store::Action::ManageUsers)) return;
  pending_.whileBusy(store_->users().createUser(*auth_.actor(), login.trimmed(), displayName.trimmed(), *r, password),
                [this](const Done<store::UserRecord>& d) {
                  finish(d.ok() ? QString() : tr("Not created: %1").arg(d.error),
                         d.ok() ? tr("Created %1.").arg(d.value->login) : QString());
                  if (d.ok()) {
                    emit userCreated(d.value->id);
                    refresh();
                  }
                });
}

void UserAdminModel::setActive(qint64 userId, bool active) {
  if (auth_.user() && auth_.user()->id == userId && !active) {
    message_ = tr("You cannot deactivate your own account.");
    emit messageChanged();
    return;
  }
  for (const auto& u : users_) {
    if (u.id == userId && u.role == store::Role::Admin && auth_.role() != QLatin1String("admin")) {
      say(tr("Only an administrator may activate or deactivate an administrator."));
      return;
    }
  }
  if (!start(store::Action::ManageUsers)) return;
  pending_.whileBusy(store_->users().setActive(*auth_.actor(), userId, active), [this, active](const auto& d) {
    finish(d.error, active ? tr("Account activated.") : tr("Account deactivated."));
    if (d.ok()) refresh();
  });
}

void UserAdminModel::say(const QString& message) {
  message_ = message;
  emit messageChanged();
}

void UserAdminModel::resetPassword(qint64 userId, const QString& newPassword) {
  if (auth_.user() && auth_.user()->id == userId) {
    // The store would treat it as a change without the old password: a failed attempt.
    say(tr("Change your own password with \"Change password\" (it asks for the current one)."));
    return;
  }
  for (const auto& u : users_) {
    if (u.id == userId && u.role == store::Role::Admin && auth_.role() != QLatin1String("admin")) {
      say(tr("Only an administrator may reset an administrator's password."));
      return;
    }
  }
  if (!start(store::Action::ManageUsers)) return;
  pending_.whileBusy(store_->users().changePassword(*auth_.actor(), userId, QString(), newPassword), [this](const auto& d) {
    finish(d.ok() ? QString() : tr("Password not reset: %1").arg(d.error), tr("Password reset."));
  });
}

void UserAdminModel::changeOwnPassword(const QString& oldPassword, const QString& newPassword,
                                       const QString& repeated) {
  const auto me = auth_.actor();
  if (!store_ || !me || busy()) return;
  if (newPassword != repeated) {
    say(tr("The two new passwords differ."));
    return;
  }
  if (newPassword == oldPassword) {
    say(tr("Choose a new password that differs from the current one."));
    return;
  }
  pending_.whileBusy(store_->users().changePassword(*me, *me->userId, oldPassword, newPassword),
                [this, who = *me->userId](const Done<std::monostate>& d) {
                  const bool wrongOld = !d.ok() && d.error.contains(QLatin1String("current password"));
                  if (wrongOld) ++wrongOldPasswords_;
                  const int left = store::LockoutPolicy{}.maxFailures - wrongOldPasswords_;
                  if (d.ok()) {
                    finish({}, tr("Password changed."));
                    ++ownPasswordChanges_;
                    emit ownPasswordChanged();
                  } else if (wrongOld && left <= 0) {
                    finish(tr("The current password was wrong too often: the account is locked for %1 minutes.")
                               .arg(store::LockoutPolicy{}.lockFor.count()),
                           {});
                    if (auth_.user() && auth_.user()->id == who) auth_.logOut();
                  } else if (wrongOld) {
                    finish(tr("The current password is not correct (%n more failed attempt(s) lock the account).", "", left),
                           {});
                  } else {
                    finish(tr("Password not changed: %1").arg(d.error), {});
                  }
                });
}

void UserAdminModel::addCredential(qint64 userId, const QString& kind, const QString& reference,
                                   const QString& issuedOn, const QString& expiresOn) {
  const QDate issued = QDate::fromString(issuedOn.trimmed(), Qt::ISODate);
  const QDate expires = QDate::fromString(expiresOn.trimmed(), Qt::ISODate);
  if (!kCredentialKinds.contains(kind) || !issued.isValid() || !expires.isValid() || expires < issued) {
    message_ = tr("Choose the credential and give valid dates (YYYY-MM-DD, expiry after issue).");
    emit messageChanged();
    return;
  }
  if (!start(store::Action::ManageCredentials)) return;
  pending_.whileBusy(store_->users().addCredential(*auth_.actor(), userId, kind, reference.trimmed(), issued, expires),
                [this](const Done<qint64>& d) {
                  finish(d.ok() ? QString() : tr("Credential not added: %1").arg(d.error), tr("Credential added."));
                  if (d.ok()) refresh();
                });
}

}  // namespace tautband::ui
