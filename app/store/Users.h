#pragma once

#include "store/Access.h"
#include "store/SerialWorker.h"
#include "store/StoreWriter.h"

#include <QDate>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <type_traits>
#include <vector>

namespace tautband::store {

// Argon2id (libsodium crypto_pwhash_str_alg). The interactive limits are the
// default; tests use the minimum so they stay fast.
struct PasswordPolicy {
  unsigned long long opsLimit;
  std::size_t memLimit;
  int minLength = 8;
  static PasswordPolicy interactive();
  static PasswordPolicy minimumForTests();
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordPolicy policy) : policy_(policy) {}
  QString hash(const QString& password) const;  // "$argon2id$v=19$..."; the password is wiped after use
  bool verify(const QString& storedHash, const QString& password) const;
  const PasswordPolicy& policy() const { return policy_; }

 private:
  PasswordPolicy policy_;
};

struct LockoutPolicy {
  int maxFailures = 5;
  std::chrono::minutes lockFor{15};
};

struct UserRecord {
  qint64 id = 0;
  QString login;
  QString displayName;
  Role role = Role::Therapist;
  bool active = true;
  Actor actor() const { return Actor{id, login, roleName(role)}; }
};

struct AuthResult {
  enum class Status { Ok, WrongPassword, UnknownUser, LockedOut, Inactive };
  Status status = Status::WrongPassword;
  std::optional<UserRecord> user;
  std::int64_t lockedUntilUs = 0;
  bool ok() const { return status == Status::Ok; }
};
QString authStatusName(AuthResult::Status status);

// A signer re-entering their own password for one act (21 CFR Part 11
// §11.200(a)(1)(i)): audited "auth.reauthenticated" with the purpose and the
// subject, never as a log-in. A wrong password counts toward the lockout.
struct Reauthentication {
  AuthResult::Status status = AuthResult::Status::WrongPassword;
  std::int64_t auditSequence = 0;  // of "auth.reauthenticated" when ok
  std::int64_t lockedUntilUs = 0;  // set when this attempt (or an earlier one) locked the account
  bool ok() const { return status == AuthResult::Status::Ok; }
};

// Thrown (through the future) when a signature's password check fails.
class SignatureRefused : public PermissionDenied {
 public:
  SignatureRefused(AuthResult::Status status, std::int64_t lockedUntilUs);
  AuthResult::Status status() const { return status_; }
  bool lockedOut() const { return lockedUntilUs_ > 0; }

 private:
  AuthResult::Status status_;
  std::int64_t lockedUntilUs_;
};

struct SupervisorApproval {
  bool approved = false;
  QString refusal;           // why not, when !approved (shown to the users)
  std::int64_t auditSequence = 0;
  std::optional<UserRecord> supervisor;
};

// Users, passwords, lockout, credentials and supervisor approval. Every
// outcome is audited; no password (or hash) ever reaches the audit or a log.
// The Argon2id work runs on the directory's own worker thread (one check at a
// time, which also slows guessing), never on the store thread or the GUI; the
// returned futures may be dropped without blocking.
class UserDirectory {
 public:
  using Clock = std::function<std::int64_t()>;  // UTC microseconds; tests move time
  UserDirectory(StoreWriter& writer, PasswordPolicy passwords, LockoutPolicy lockout = {}, Clock clock = utcNowUs);

  std::future<bool> hasAnyUser();
  // First run: creates the admin if (and only if) there are no users yet.
  std::future<UserRecord> createFirstAdmin(QString login, QString displayName, QString password);
  // Needs Action::ManageUsers; only an admin may create another admin.
  std::future<UserRecord> createUser(Actor by, QString login, QString displayName, Role role, QString password);
  std::future<AuthResult> authenticate(QString login, QString password);
  // `signer` re-enters their own password for `purpose` (e.g. "sign-off") on
  // `subject`. Not a log-in: audited "auth.reauthenticated" on success.
  std::future<Reauthentication> reauthenticate(Actor signer, QString password, QString purpose, QString subject);
  // Re-authenticates `signer`, then runs `act(reauthentication)` on the
  // directory's worker (it may block on the store writer); a failed check
  // throws SignatureRefused through the future and `act` never runs.
  template <class F>
  auto afterReauthentication(Actor signer, QString password, QString purpose, QString subject, F act)
      -> std::future<std::invoke_result_t<F, const Reauthentication&>> {
    return worker_.post([this, signer, password, purpose, subject, act = std::move(act)]() {
      const Reauthentication r = reauthenticateBlocking(signer, password, purpose, subject);
      if (!r.ok()) throw SignatureRefused(r.status, r.lockedUntilUs);
      return act(r);
    });
  }
  std::future<void> setActive(Actor by, qint64 userId, bool active);
  // For user administration (Action::ManageUsers); never returns password hashes.
  std::future<std::vector<UserRecord>> listUsers(Actor by);
  // The user changes their own password (old one required) or an admin/manager
  // resets another's. Only an admin resets (or, in setActive, deactivates) an
  // admin's account: a manager could otherwise take over the admin.
  std::future<void> changePassword(Actor by, qint64 userId, QString oldPassword, QString newPassword);

  // A credential (dry-needling, laser, e-stim) with an expiry (SAFETY-RULES "Practitioner").
  std::future<qint64> addCredential(Actor by, qint64 userId, QString kind, QString reference, QDate issuedOn,
                                    QDate expiresOn);
  std::future<bool> hasValidCredential(qint64 userId, QString kind, QDate on);

  // SUPERVISOR level (21 CFR Part 11 §11.200 pattern): a second authorised user
  // re-enters full ID and password each time. Approval or refusal, both users,
  // the rule and the reason are audited; failed passwords count to lockout.
  std::future<SupervisorApproval> approveAsSupervisor(Actor requester, QString supervisorLogin, QString password,
                                                      QString ruleId, QString reason, QJsonObject context = {},
                                                      std::optional<std::int64_t> sessionClockUs = std::nullopt);

 private:
  AuthResult authenticateBlocking(const QString& login, const QString& password, const QString& purpose,
                                  const QString& okAction = QStringLiteral("auth.ok"), const QString& subject = {},
                                  std::int64_t* okSequence = nullptr);
  Reauthentication reauthenticateBlocking(const Actor& signer, const QString& password, const QString& purpose,
                                          const QString& subject);
  // Throws PermissionDenied (audited) when a non-admin acts on an admin's account.
  void requireAdminForAdminAccount(const Actor& by, qint64 userId, const QString& permission);

  StoreWriter& writer_;
  PasswordHasher hasher_;
  LockoutPolicy lockout_;
  Clock clock_;
  SerialWorker worker_;  // last: joined first, while the members above still exist
};

// Checks the role table; a refusal is audited ("access.denied") before
// PermissionDenied is thrown. Call it before submitting the work.
void requirePermission(AuditSink& audit, const Actor& actor, Action action, const QString& subject);
// Non-blocking form for GUI-facing APIs: returns false after queuing the
// "access.denied" audit entry (it becomes durable with the next group commit).
bool checkPermission(AuditSink& audit, const Actor& actor, Action action, const QString& subject);

}  // namespace tautband::store
