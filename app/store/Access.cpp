#include "store/Access.h"

#include <QHash>

#include <pwd.h>
#include <unistd.h>

namespace tautband::store {

QString roleName(Role role) {
  switch (role) {
    case Role::Therapist: return QStringLiteral("therapist");
    case Role::Manager: return QStringLiteral("manager");
    case Role::VendorService: return QStringLiteral("vendor-service");
    case Role::Admin: return QStringLiteral("admin");
  }
  return {};
}

std::optional<Role> roleFromName(const QString& name) {
  for (Role r : {Role::Therapist, Role::Manager, Role::VendorService, Role::Admin})
    if (roleName(r) == name) return r;
  return std::nullopt;
}

QString actionName(Action a) {
  switch (a) {
    case Action::ReadPatient: return QStringLiteral("read-patient");
    case Action::EditPatient: return QStringLiteral("edit-patient");
    case Action::RunSession: return QStringLiteral("run-session");
    case Action::Needle: return QStringLiteral("needle");
    case Action::Laser: return QStringLiteral("laser");
    case Action::EStim: return QStringLiteral("e-stim");
    case Action::SignNote: return QStringLiteral("sign-note");
    case Action::AddAddendum: return QStringLiteral("add-addendum");
    case Action::ApproveSupervisor: return QStringLiteral("approve-supervisor");
    case Action::ManageUsers: return QStringLiteral("manage-users");
    case Action::ManageCredentials: return QStringLiteral("manage-credentials");
    case Action::ChangeClinicSettings: return QStringLiteral("change-clinic-settings");
    case Action::RecordPowerCheck: return QStringLiteral("record-power-check");
    case Action::ServiceDevices: return QStringLiteral("service-devices");
    case Action::ViewAudit: return QStringLiteral("view-audit");
    case Action::ExportAudit: return QStringLiteral("export-audit");
    case Action::Backup: return QStringLiteral("backup");
    case Action::Restore: return QStringLiteral("restore");
  }
  return {};
}

bool isAllowed(Role role, Action action) {
  switch (action) {
    // Clinical work: the therapist. A manager can read records and approve, not treat.
    case Action::RunSession:
    case Action::Needle:
    case Action::Laser:
    case Action::EStim:
    case Action::SignNote:
      return role == Role::Therapist;
    case Action::EditPatient:
    case Action::AddAddendum:
      return role == Role::Therapist || role == Role::Manager;
    case Action::ReadPatient:
      return role == Role::Therapist || role == Role::Manager;
    case Action::ApproveSupervisor:
      return role == Role::Therapist || role == Role::Manager;
    // Administration.
    case Action::ManageUsers:
      return role == Role::Admin || role == Role::Manager;
    case Action::ManageCredentials:
    case Action::ChangeClinicSettings:
    case Action::ViewAudit:
    case Action::ExportAudit:
      return role == Role::Manager || role == Role::Admin;
    case Action::RecordPowerCheck:
      return role == Role::Manager || role == Role::VendorService || role == Role::Therapist;
    case Action::ServiceDevices:
      return role == Role::VendorService || role == Role::Admin;
    case Action::Backup:
      return role == Role::Admin || role == Role::Manager;
    case Action::Restore:
      return role == Role::Admin;
  }
  return false;
}

Actor Actor::operatingSystemAccount() {
  // The effective account, not $USER (which anyone can set).
  QString user;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name) user = QString::fromLocal8Bit(pw->pw_name);
  if (user.isEmpty()) user = QStringLiteral("uid-%1").arg(::geteuid());
  return Actor{std::nullopt, QStringLiteral("os:") + user, QStringLiteral("os")};
}

}  // namespace tautband::store
