#pragma once

#include "store/Users.h"
#include "ui/PendingWork.h"

#include <QAbstractListModel>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <map>
#include <vector>

namespace tautband::store {
class Store;
}

namespace tautband::ui {

class AuthModel;

// User administration (managers and admins): accounts, roles, activation,
// password resets and practitioner credentials with expiry. Only an admin
// may create another admin; the store enforces it again.
class UserAdminModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(int count READ count NOTIFY countChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)
  Q_PROPERTY(QStringList assignableRoles READ assignableRoles NOTIFY permissionsChanged)
  Q_PROPERTY(bool canManageCredentials READ canManageCredentials NOTIFY permissionsChanged)
  // Counts successful changeOwnPassword calls (the dialog closes on a change).
  Q_PROPERTY(int ownPasswordChanges READ ownPasswordChanges NOTIFY ownPasswordChanged)

 public:
  enum Role { UserIdRole = Qt::UserRole + 1, LoginRole, DisplayNameRole, UserRoleRole, ActiveRole, CredentialsRole };

  UserAdminModel(AuthModel& auth, QObject* parent = nullptr);
  void attach(store::Store& store);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  int count() const { return static_cast<int>(users_.size()); }
  bool busy() const { return pending_.busy(); }
  QString message() const { return message_; }
  QStringList assignableRoles() const;
  bool canManageCredentials() const;
  int ownPasswordChanges() const { return ownPasswordChanges_; }

  Q_INVOKABLE void refresh();
  Q_INVOKABLE void clearMessage() { say({}); }
  Q_INVOKABLE void createUser(const QString& login, const QString& displayName, const QString& role,
                              const QString& password);
  Q_INVOKABLE void setActive(qint64 userId, bool active);
  // A manager or admin sets another user's password (audited "user.password-reset").
  // Never one's own (that needs the old password: changeOwnPassword), and only
  // an admin resets an admin's.
  Q_INVOKABLE void resetPassword(qint64 userId, const QString& newPassword);
  // Any logged-in user: old password, new one twice. Argon2id in the store,
  // audited "user.password-changed"; a wrong old password counts toward the
  // lockout like a failed log-in, and reaching it logs the user out.
  Q_INVOKABLE void changeOwnPassword(const QString& oldPassword, const QString& newPassword,
                                     const QString& repeated);
  // kind: dry-needling | laser | e-stim; dates YYYY-MM-DD.
  Q_INVOKABLE void addCredential(qint64 userId, const QString& kind, const QString& reference,
                                 const QString& issuedOn, const QString& expiresOn);

 signals:
  void countChanged();
  void busyChanged();
  void messageChanged();
  void permissionsChanged();
  void userCreated(qint64 userId);
  void ownPasswordChanged();

 private:
  bool start(store::Action action);
  void say(const QString& message);
  // Says how busy work ended (nothing when both are empty, e.g. a refresh).
  void finish(const QString& error, const QString& ok);
  void loadCredentials();

  AuthModel& auth_;
  store::Store* store_ = nullptr;
  PendingWork pending_{this};
  std::vector<store::UserRecord> users_;
  std::map<qint64, QStringList> validCredentials_;  // user id -> kinds valid today
  QString message_;
  int ownPasswordChanges_ = 0;
  int wrongOldPasswords_ = 0;  // since the last log-in; the store locks at LockoutPolicy::maxFailures
};

}  // namespace tautband::ui
