#pragma once

#include <QString>

#include <optional>

namespace tautband::store {

enum class Role { Therapist, Manager, VendorService, Admin };

QString roleName(Role role);                          // "therapist", "manager", "vendor-service", "admin"
std::optional<Role> roleFromName(const QString& name);

// Every action in the console and the CLI that touches data or devices.
enum class Action {
  ReadPatient,
  EditPatient,
  RunSession,        // start/pause/end sessions, record sites, pain scores, notes
  Needle,            // needles in/out, LTR confirm/reject (plus a dry-needling credential)
  Laser,             // laser doses (plus a laser credential)
  EStim,
  SignNote,
  AddAddendum,
  ApproveSupervisor, // second person for SUPERVISOR-level rules
  ManageUsers,
  ManageCredentials,
  ChangeClinicSettings,
  RecordPowerCheck,
  ServiceDevices,
  ViewAudit,
  ExportAudit,
  Backup,
  Restore,
};

QString actionName(Action action);
// The role table (docs/STORE.md "Access"): one place, tested per action.
bool isAllowed(Role role, Action action);

// Who is doing something: a logged-in user, or the local operating-system
// account for CLI commands that run without --user (audited as such).
struct Actor {
  std::optional<qint64> userId;  // nullopt for os/system actors
  QString login;                 // user login, "os:<account>" or "system"
  QString role;                  // roleName() or "os" / "system"
  static Actor system() { return Actor{std::nullopt, QStringLiteral("system"), QStringLiteral("system")}; }
  static Actor operatingSystemAccount();  // "os:<USER>"
};

}  // namespace tautband::store
