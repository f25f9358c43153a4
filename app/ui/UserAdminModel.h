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

 public:
  enum Role { UserIdRole = Qt::UserRole + 1, LoginRole, DisplayNameRole, UserRoleRole, ActiveRole, CredentialsRole };

  UserAdminModel(AuthModel& auth, QObject* parent = nullptr);
  void attach(store::Store& store);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  int count() const { return static_cast<int>(users_.size()); }
  bool busy() const { return busy_ > 0; }
  QString message() const { return message_; }
  QStringList assignableRoles() const;
  bool canManageCredentials() const;

  Q_INVOKABLE void refresh();
  Q_INVOKABLE void createUser(const QString& login, const QString& displayName, const QString& role,
                              const QString& password);
  Q_INVOKABLE void setActive(qint64 userId, bool active);
  Q_INVOKABLE void resetPassword(qint64 userId, const QString& newPassword);
  // kind: dry-needling | laser | e-stim; dates YYYY-MM-DD.
  Q_INVOKABLE void addCredential(qint64 userId, const QString& kind, const QString& reference,
                                 const QString& issuedOn, const QString& expiresOn);

 signals:
  void countChanged();
  void busyChanged();
  void messageChanged();
  void permissionsChanged();
  void userCreated(qint64 userId);

 private:
  bool start(store::Action action);
  void finish(const QString& error, const QString& ok);
  void loadCredentials();

  AuthModel& auth_;
  store::Store* store_ = nullptr;
  PendingWork pending_{this};
  std::vector<store::UserRecord> users_;
  std::map<qint64, QStringList> validCredentials_;  // user id -> kinds valid today
  int busy_ = 0;
  QString message_;
};

}  // namespace tautband::ui
