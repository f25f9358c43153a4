#include "store/Users.h"

#include <QSqlQuery>

#include <sodium.h>

namespace tautband::store {
namespace {

QVariant i64(std::int64_t v) { return QVariant::fromValue<qint64>(v); }

UserRecord userFrom(const QSqlQuery& q, int offset = 0) {
  UserRecord u;
  u.id = q.value(offset).toLongLong();
  u.login = q.value(offset + 1).toString();
  u.displayName = q.value(offset + 2).toString();
  u.role = roleFromName(q.value(offset + 3).toString()).value_or(Role::Therapist);
  u.active = q.value(offset + 4).toInt() != 0;
  return u;
}

void validateNewUser(const QString& login, const QString& displayName, const QString& password,
                     const PasswordPolicy& policy) {
  if (login.trimmed().isEmpty() || login.size() > 64 || login.contains(QLatin1Char(':'))) {
    throw StoreError("a login must be 1-64 characters without ':'");
  }
  if (displayName.trimmed().isEmpty()) throw StoreError("a display name is required");
  if (password.size() < policy.minLength) {
    throw StoreError("the password must have at least " + std::to_string(policy.minLength) + " characters");
  }
}

}  // namespace

PasswordPolicy PasswordPolicy::interactive() {
  return PasswordPolicy{crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}
PasswordPolicy PasswordPolicy::minimumForTests() {
  return PasswordPolicy{crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

QString PasswordHasher::hash(const QString& password) const {
  if (sodium_init() < 0) throw StoreError("libsodium failed to initialise");
  QByteArray pw = password.toUtf8();
  char out[crypto_pwhash_STRBYTES];
  const int rc = crypto_pwhash_str_alg(out, pw.constData(), static_cast<unsigned long long>(pw.size()),
                                       policy_.opsLimit, policy_.memLimit, crypto_pwhash_ALG_ARGON2ID13);
  sodium_memzero(pw.data(), static_cast<std::size_t>(pw.size()));
  if (rc != 0) throw StoreError("password hashing ran out of memory");
  return QString::fromLatin1(out);
}

bool PasswordHasher::verify(const QString& storedHash, const QString& password) const {
  if (sodium_init() < 0) return false;
  QByteArray pw = password.toUtf8();
  const QByteArray h = storedHash.toLatin1();
  const bool ok = crypto_pwhash_str_verify(h.constData(), pw.constData(), static_cast<unsigned long long>(pw.size())) == 0;
  sodium_memzero(pw.data(), static_cast<std::size_t>(pw.size()));
  return ok;
}

QString authStatusName(AuthResult::Status s) {
  switch (s) {
    case AuthResult::Status::Ok: return QStringLiteral("ok");
    case AuthResult::Status::WrongPassword: return QStringLiteral("wrong-password");
    case AuthResult::Status::UnknownUser: return QStringLiteral("unknown-user");
    case AuthResult::Status::LockedOut: return QStringLiteral("locked-out");
    case AuthResult::Status::Inactive: return QStringLiteral("inactive");
  }
  return {};
}

SignatureRefused::SignatureRefused(AuthResult::Status status, std::int64_t lockedUntilUs)
    : PermissionDenied(lockedUntilUs > 0 ? "the signer's account is locked after repeated wrong passwords"
                                         : "the signature's password is not correct (" +
                                               authStatusName(status).toStdString() + ")"),
      status_(status),
      lockedUntilUs_(lockedUntilUs) {}

namespace {
bool allowedFor(const Actor& actor, Action action) {
  const auto role = roleFromName(actor.role);
  bool allowed = role && isAllowed(*role, action);
  // The local OS account (CLI without --user) may only read the audit trail and back up/restore.
  if (!role && actor.role == QLatin1String("os")) {
    allowed = action == Action::ViewAudit || action == Action::ExportAudit || action == Action::Backup ||
              action == Action::Restore;
  }
  if (!role && actor.role == QLatin1String("system")) allowed = true;
  return allowed;
}
AuditEntryDraft deniedEntry(const Actor& actor, Action action, const QString& subject) {
  return AuditEntryDraft{actor.login, actor.role, QStringLiteral("access.denied"), subject,
                         QJsonObject{{"permission", actionName(action)}}, std::nullopt};
}
}  // namespace

bool checkPermission(AuditSink& audit, const Actor& actor, Action action, const QString& subject) {
  if (allowedFor(actor, action)) return true;
  (void)audit.append(deniedEntry(actor, action, subject));
  return false;
}

void requirePermission(AuditSink& audit, const Actor& actor, Action action, const QString& subject) {
  if (allowedFor(actor, action)) return;
  audit.append(deniedEntry(actor, action, subject)).get();
  throw PermissionDenied(QStringLiteral("%1 (%2) may not %3").arg(actor.login, actor.role, actionName(action)).toStdString());
}

UserDirectory::UserDirectory(StoreWriter& writer, PasswordPolicy passwords, LockoutPolicy lockout, Clock clock)
    : writer_(writer), hasher_(passwords), lockout_(lockout), clock_(std::move(clock)) {}

std::future<bool> UserDirectory::hasAnyUser() {
  return writer_.submit([](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT COUNT(*) FROM users"));
    return q.next() && q.value(0).toLongLong() > 0;
  });
}

std::future<UserRecord> UserDirectory::createFirstAdmin(QString login, QString displayName, QString password) {
  return worker_.post([this, login, displayName, password]() {
    validateNewUser(login, displayName, password, hasher_.policy());
    const QString hash = hasher_.hash(password);
    const std::int64_t now = clock_();
    return writer_.run([&](WriteTransaction& tx) {
      QSqlQuery q = tx.exec(QStringLiteral("SELECT COUNT(*) FROM users"));
      if (q.next() && q.value(0).toLongLong() > 0) throw StoreError("the first administrator already exists");
      UserRecord u{0, login, displayName, Role::Admin, true};
      u.id = tx.insert(QStringLiteral("INSERT INTO users (login, display_name, role, password_hash, created_us, "
                                      "password_changed_us) VALUES (?,?,?,?,?,?) RETURNING id"),
                       {login, displayName, roleName(Role::Admin), hash, i64(now), i64(now)});
      tx.audit({QStringLiteral("setup"), QStringLiteral("system"), QStringLiteral("user.created"),
                QStringLiteral("user:%1").arg(u.id),
                QJsonObject{{"login", login}, {"role", roleName(Role::Admin)}, {"first_run", true}}, std::nullopt});
      return u;
    });
  });
}

std::future<UserRecord> UserDirectory::createUser(Actor by, QString login, QString displayName, Role role,
                                                  QString password) {
  return worker_.post([this, by, login, displayName, role, password]() {
    requirePermission(writer_, by, Action::ManageUsers, QStringLiteral("user:%1").arg(login));
    if (role == Role::Admin && by.role != roleName(Role::Admin)) {
      writer_.append({by.login, by.role, QStringLiteral("access.denied"), QStringLiteral("user:%1").arg(login),
                      QJsonObject{{"permission", QStringLiteral("create-admin")}}, std::nullopt})
          .get();
      throw PermissionDenied("only an admin may create another admin");
    }
    validateNewUser(login, displayName, password, hasher_.policy());
    const QString hash = hasher_.hash(password);
    const std::int64_t now = clock_();
    return writer_.run([&](WriteTransaction& tx) {
      UserRecord u{0, login, displayName, role, true};
      u.id = tx.insert(QStringLiteral("INSERT INTO users (login, display_name, role, password_hash, created_us, "
                                      "password_changed_us) VALUES (?,?,?,?,?,?) RETURNING id"),
                       {login, displayName, roleName(role), hash, i64(now), i64(now)});
      tx.audit({by.login, by.role, QStringLiteral("user.created"), QStringLiteral("user:%1").arg(u.id),
                QJsonObject{{"login", login}, {"display_name", displayName}, {"role", roleName(role)}}, std::nullopt});
      return u;
    });
  });
}

std::future<void> UserDirectory::setActive(Actor by, qint64 userId, bool active) {
  return worker_.post([this, by, userId, active]() {
    requirePermission(writer_, by, Action::ManageUsers, QStringLiteral("user:%1").arg(userId));
    requireAdminForAdminAccount(by, userId, active ? QStringLiteral("activate-admin") : QStringLiteral("deactivate-admin"));
    writer_.run([&](WriteTransaction& tx) {
      tx.exec(QStringLiteral("UPDATE users SET active = ? WHERE id = ?"), {active ? 1 : 0, userId});
      tx.audit({by.login, by.role, active ? QStringLiteral("user.activated") : QStringLiteral("user.deactivated"),
                QStringLiteral("user:%1").arg(userId), {}, std::nullopt});
    });
  });
}

std::future<std::vector<UserRecord>> UserDirectory::listUsers(Actor by) {
  return worker_.post([this, by]() {
    requirePermission(writer_, by, Action::ManageUsers, QStringLiteral("users"));
    return writer_.run([](WriteTransaction& tx) {
      std::vector<UserRecord> out;
      QSqlQuery q = tx.exec(QStringLiteral("SELECT id, login, display_name, role, active FROM users ORDER BY login"));
      while (q.next()) out.push_back(userFrom(q));
      return out;
    });
  });
}

std::future<void> UserDirectory::changePassword(Actor by, qint64 userId, QString oldPassword, QString newPassword) {
  return worker_.post([=, this]() {
    const bool self = by.userId && *by.userId == userId;
    if (self) {
      // Re-authentication, not a log-in: audited "auth.reauthenticated" (a wrong one counts toward lockout).
      if (!reauthenticateBlocking(by, oldPassword, QStringLiteral("password-change"), QStringLiteral("user:%1").arg(userId))
               .ok()) {
        throw PermissionDenied("the current password is not correct");
      }
    } else {
      requirePermission(writer_, by, Action::ManageUsers, QStringLiteral("user:%1").arg(userId));
      requireAdminForAdminAccount(by, userId, QStringLiteral("reset-admin-password"));
    }
    if (newPassword.size() < hasher_.policy().minLength) {
      throw StoreError("the password must have at least " + std::to_string(hasher_.policy().minLength) + " characters");
    }
    const QString hash = hasher_.hash(newPassword);
    const std::int64_t now = clock_();
    writer_.run([&](WriteTransaction& tx) {
      tx.exec(QStringLiteral("UPDATE users SET password_hash = ?, password_changed_us = ?, failed_attempts = 0, "
                             "locked_until_us = 0 WHERE id = ?"),
              {hash, i64(now), userId});
      tx.audit({by.login, by.role, self ? QStringLiteral("user.password-changed") : QStringLiteral("user.password-reset"),
                QStringLiteral("user:%1").arg(userId), {}, std::nullopt});
    });
  });
}

void UserDirectory::requireAdminForAdminAccount(const Actor& by, qint64 userId, const QString& permission) {
  if (by.role == roleName(Role::Admin)) return;
  const bool targetIsAdmin = writer_.run([&](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT role FROM users WHERE id = ?"), {userId});
    return q.next() && q.value(0).toString() == roleName(Role::Admin);
  });
  if (!targetIsAdmin) return;
  writer_.append({by.login, by.role, QStringLiteral("access.denied"), QStringLiteral("user:%1").arg(userId),
                  QJsonObject{{"permission", permission}}, std::nullopt})
      .get();
  throw PermissionDenied("only an admin may change an admin's account");
}

std::future<AuthResult> UserDirectory::authenticate(QString login, QString password) {
  return worker_.post([this, login, password]() { return authenticateBlocking(login, password, QStringLiteral("login")); });
}

std::future<Reauthentication> UserDirectory::reauthenticate(Actor signer, QString password, QString purpose,
                                                            QString subject) {
  return worker_.post([=, this]() { return reauthenticateBlocking(signer, password, purpose, subject); });
}

Reauthentication UserDirectory::reauthenticateBlocking(const Actor& signer, const QString& password,
                                                       const QString& purpose, const QString& subject) {
  Reauthentication r;
  if (!signer.userId) {  // the OS account and "system" have no password to sign with
    r.status = AuthResult::Status::UnknownUser;
    writer_.append({signer.login, signer.role, QStringLiteral("auth.refused"), subject,
                    QJsonObject{{"reason", QStringLiteral("no-user-account")}, {"purpose", purpose}}, std::nullopt})
        .get();
    return r;
  }
  const AuthResult auth =
      authenticateBlocking(signer.login, password, purpose, QStringLiteral("auth.reauthenticated"), subject,
                           &r.auditSequence);
  r.status = auth.status;
  r.lockedUntilUs = auth.lockedUntilUs;
  // The login must still be the signer's account (a renamed or replaced login signs nothing).
  if (auth.ok() && (!auth.user || auth.user->id != *signer.userId)) {
    r.status = AuthResult::Status::UnknownUser;
    r.auditSequence = 0;
  }
  return r;
}

AuthResult UserDirectory::authenticateBlocking(const QString& login, const QString& password, const QString& purpose,
                                               const QString& okAction, const QString& okSubject,
                                               std::int64_t* okSequence) {
  struct Row {
    UserRecord user;
    QString hash;
    std::int64_t lockedUntil = 0;
  };
  const auto row = writer_.run([&](WriteTransaction& tx) -> std::optional<Row> {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT id, login, display_name, role, active, password_hash, locked_until_us "
                                         "FROM users WHERE login = ?"),
                          {login});
    if (!q.next()) return std::nullopt;
    return Row{userFrom(q), q.value(5).toString(), q.value(6).toLongLong()};
  });
  const std::int64_t now = clock_();
  const QString subject = QStringLiteral("login:%1").arg(login);
  AuthResult result;
  if (!row) {
    // Same work as a real check so timing does not reveal which logins exist.
    static const QString dummy = hasher_.hash(QStringLiteral("timing-equaliser"));
    hasher_.verify(dummy, password);
    result.status = AuthResult::Status::UnknownUser;
    writer_.append({login, QString(), QStringLiteral("auth.failed"), subject,
                    QJsonObject{{"reason", QStringLiteral("unknown-user")}, {"purpose", purpose}}, std::nullopt})
        .get();
    return result;
  }
  result.user = row->user;
  if (row->lockedUntil > now) {
    result.status = AuthResult::Status::LockedOut;
    result.lockedUntilUs = row->lockedUntil;
    writer_.append({login, roleName(row->user.role), QStringLiteral("auth.refused"), subject,
                    QJsonObject{{"reason", QStringLiteral("locked-out")}, {"purpose", purpose},
                                {"locked_until", utcIsoFromUs(row->lockedUntil)}},
                    std::nullopt})
        .get();
    return result;
  }
  const bool passwordOk = hasher_.verify(row->hash, password);
  if (passwordOk && !row->user.active) {
    result.status = AuthResult::Status::Inactive;
    writer_.append({login, roleName(row->user.role), QStringLiteral("auth.refused"), subject,
                    QJsonObject{{"reason", QStringLiteral("inactive")}, {"purpose", purpose}}, std::nullopt})
        .get();
    return result;
  }
  const qint64 id = row->user.id;
  const QString role = roleName(row->user.role);
  result = writer_.run([&](WriteTransaction& tx) {
    AuthResult r;
    r.user = row->user;
    if (passwordOk) {
      tx.exec(QStringLiteral("UPDATE users SET failed_attempts = 0, locked_until_us = 0 WHERE id = ?"), {id});
      QJsonObject details{{"purpose", purpose}};
      if (!okSubject.isEmpty()) details[QStringLiteral("for")] = okSubject;
      const std::int64_t seq = tx.audit({login, role, okAction, subject, details, std::nullopt});
      if (okSequence) *okSequence = seq;
      r.status = AuthResult::Status::Ok;
      return r;
    }
    // Count inside the transaction so concurrent attempts cannot undercount.
    QSqlQuery q = tx.exec(QStringLiteral("SELECT failed_attempts FROM users WHERE id = ?"), {id});
    const int failures = (q.next() ? q.value(0).toInt() : 0) + 1;
    r.status = AuthResult::Status::WrongPassword;
    tx.audit({login, role, QStringLiteral("auth.failed"), subject,
              QJsonObject{{"reason", QStringLiteral("wrong-password")}, {"purpose", purpose}, {"failures", failures}},
              std::nullopt});
    if (failures >= lockout_.maxFailures) {
      const std::int64_t until =
          now + std::chrono::duration_cast<std::chrono::microseconds>(lockout_.lockFor).count();
      tx.exec(QStringLiteral("UPDATE users SET failed_attempts = 0, locked_until_us = ? WHERE id = ?"), {i64(until), id});
      tx.audit({login, role, QStringLiteral("auth.locked-out"), subject,
                QJsonObject{{"failures", failures}, {"locked_until", utcIsoFromUs(until)}}, std::nullopt});
      r.lockedUntilUs = until;
    } else {
      tx.exec(QStringLiteral("UPDATE users SET failed_attempts = ? WHERE id = ?"), {failures, id});
    }
    return r;
  });
  return result;
}

std::future<qint64> UserDirectory::addCredential(Actor by, qint64 userId, QString kind, QString reference,
                                                 QDate issuedOn, QDate expiresOn) {
  return worker_.post([=, this]() {
    requirePermission(writer_, by, Action::ManageCredentials, QStringLiteral("user:%1").arg(userId));
    if (!issuedOn.isValid() || !expiresOn.isValid() || expiresOn < issuedOn) {
      throw StoreError("a credential needs valid issue and expiry dates, expiry not before issue");
    }
    const std::int64_t now = clock_();
    return writer_.run([&](WriteTransaction& tx) {
      const qint64 id = tx.insert(
          QStringLiteral("INSERT INTO credentials (user_id, kind, reference, issued_on, expires_on, recorded_by, "
                         "recorded_us) VALUES (?,?,?,?,?,?,?) RETURNING id"),
          {userId, kind, reference, issuedOn.toString(Qt::ISODate), expiresOn.toString(Qt::ISODate),
           by.userId ? QVariant(*by.userId) : QVariant(QMetaType::fromType<qint64>()), i64(now)});
      tx.audit({by.login, by.role, QStringLiteral("credential.added"), QStringLiteral("user:%1").arg(userId),
                QJsonObject{{"kind", kind}, {"reference", reference}, {"expires_on", expiresOn.toString(Qt::ISODate)}},
                std::nullopt});
      return id;
    });
  });
}

std::future<bool> UserDirectory::hasValidCredential(qint64 userId, QString kind, QDate on) {
  return writer_.submit([userId, kind, on](WriteTransaction& tx) {
    QSqlQuery q = tx.exec(QStringLiteral("SELECT COUNT(*) FROM credentials WHERE user_id = ? AND kind = ? AND "
                                         "issued_on <= ? AND expires_on >= ?"),
                          {userId, kind, on.toString(Qt::ISODate), on.toString(Qt::ISODate)});
    return q.next() && q.value(0).toLongLong() > 0;
  });
}

std::future<SupervisorApproval> UserDirectory::approveAsSupervisor(Actor requester, QString supervisorLogin,
                                                                   QString password, QString ruleId, QString reason,
                                                                   QJsonObject context,
                                                                   std::optional<std::int64_t> sessionClockUs) {
  return worker_.post([=, this]() {
    SupervisorApproval result;
    const QString subject = QStringLiteral("rule:%1").arg(ruleId);
    QJsonObject details{{"rule", ruleId},           {"reason", reason},
                        {"requester", requester.login}, {"requester_role", requester.role},
                        {"supervisor", supervisorLogin}, {"context", context}};
    auto refuse = [&](const QString& why) {
      result.approved = false;
      result.refusal = why;
      details[QStringLiteral("refusal")] = why;
      result.auditSequence = writer_
                                 .append({supervisorLogin, result.supervisor ? roleName(result.supervisor->role) : QString(),
                                          QStringLiteral("supervisor.refused"), subject, details, sessionClockUs})
                                 .get();
      return result;
    };
    if (reason.trimmed().isEmpty()) return refuse(QStringLiteral("a reason is required"));
    const AuthResult auth = authenticateBlocking(supervisorLogin, password, QStringLiteral("supervisor-approval"));
    if (!auth.ok()) return refuse(QStringLiteral("supervisor authentication failed: %1").arg(authStatusName(auth.status)));
    result.supervisor = auth.user;
    if (requester.userId && *requester.userId == auth.user->id) {
      return refuse(QStringLiteral("the supervisor must be a second person"));
    }
    if (!isAllowed(auth.user->role, Action::ApproveSupervisor)) {
      return refuse(QStringLiteral("role %1 may not approve").arg(roleName(auth.user->role)));
    }
    details[QStringLiteral("supervisor_role")] = roleName(auth.user->role);
    result.approved = true;
    result.auditSequence = writer_
                               .append({supervisorLogin, roleName(auth.user->role), QStringLiteral("supervisor.approved"),
                                        subject, details, sessionClockUs})
                               .get();
    return result;
  });
}

}  // namespace tautband::store
