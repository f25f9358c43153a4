// QML tests of the login, lock, patient, audit and user screens against the
// real view models on a real SQLite store in a temporary directory.
//
// Screenshot mode: TAUTBAND_SCREENSHOT_DATA=<data dir holding tautband.db>
// (e.g. one built by `tautband-cli demo`) and TAUTBAND_SCREENSHOT_DIR=<out>
// make screens_screenshots.qml log in as the demo users and save PNGs.
#include "store/Store.h"
#include "ui/AuditModel.h"
#include "ui/AuthModel.h"
#include "ui/ClinicSettingsModel.h"
#include "ui/EmergencyStop.h"
#include "ui/PatientModel.h"
#include "ui/SessionModel.h"
#include "ui/UserAdminModel.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(Tautband_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Tautband_UiPlugin)

using namespace tautband;

// The hostile strings the tests look for on screen, exactly.
QString hostileFamilyName() { return QStringLiteral("O'Brien'); DROP TABLE patients;-- \"x\""); }
QString hostileGivenName() {
  return QStringLiteral("<b>bold</b> <img src=x onerror=alert(1)> &amp; \u202Eשלום\u202C مرحبا 😀👩🏽‍⚕️");
}
// Audit details carry user text too (reasons, names): the same mix.
QString hostileAuditText() {
  return QStringLiteral("<b>x</b> '); DROP TABLE patients;-- \u202Eמימין לשמאל\u202C 🩺 %1 &lt;");
}
QString hostileNotes() {
  QString notes;
  while (notes.size() < 10 * 1024) notes += QStringLiteral("Robert'); DELETE FROM audit_entries;-- <i>x</i> &lt; \u05D0 ");
  return notes;
}

class Setup : public QObject {
  Q_OBJECT
 public slots:
  // Called once per test file (each gets its own engine); the store and the
  // view models are shared by the whole process.
  void qmlEngineAvailable(QQmlEngine* engine) {
    engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    if (!store_) openStore();
    const bool screenshots = !qEnvironmentVariable("TAUTBAND_SCREENSHOT_DATA").isEmpty();
    auto* context = engine->rootContext();
    context->setContextProperty(QStringLiteral("screensServices"), services_);
    context->setContextProperty(QStringLiteral("screensAuth"), &auth_);
    context->setContextProperty(QStringLiteral("screensAudit"), &audit_);
    context->setContextProperty(QStringLiteral("screensPatients"), &patients_);
    context->setContextProperty(QStringLiteral("screensSession"), &session_);
    context->setContextProperty(QStringLiteral("screensUsers"), &users_);
    context->setContextProperty(QStringLiteral("screensSettings"), &clinicSettings_);
    context->setContextProperty(QStringLiteral("hostile"),
                                QVariantMap{{QStringLiteral("familyName"), hostileFamilyName()},
                                            {QStringLiteral("givenName"), hostileGivenName()},
                                            {QStringLiteral("notes"), hostileNotes()},
                                            {QStringLiteral("auditText"), hostileAuditText()}});
    context->setContextProperty(QStringLiteral("screenshotDir"),
                                screenshots ? qEnvironmentVariable("TAUTBAND_SCREENSHOT_DIR") : QString());
  }

 private:
  void openStore() {
    const QString shotData = qEnvironmentVariable("TAUTBAND_SCREENSHOT_DATA");
    const QString dataDir = shotData.isEmpty() ? dir_.path() : shotData;
    auto settings = store::StoreSettings::fromLocation(dataDir + QStringLiteral("/tautband.db"),
                                                       std::filesystem::path(dataDir.toStdString()));
    store_ = store::Store::open(settings, store::PasswordPolicy::minimumForTests());
    if (shotData.isEmpty()) seed();
    session_.attach(*store_);
    patients_.attach(*store_);
    audit_.attach(*store_);
    users_.attach(*store_);
    auth_.attach(*store_);
    clinicSettings_.attach(*store_);
    services_ = QVariantMap{{QStringLiteral("auth"), QVariant::fromValue(&auth_)},
                            {QStringLiteral("session"), QVariant::fromValue(&session_)},
                            {QStringLiteral("patients"), QVariant::fromValue(&patients_)},
                            {QStringLiteral("audit"), QVariant::fromValue(&audit_)},
                            {QStringLiteral("users"), QVariant::fromValue(&users_)},
                            {QStringLiteral("clinicSettings"), QVariant::fromValue(&clinicSettings_)}};
  }

  void seed() {
    auto& u = store_->users();
    auto admin = u.createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Ada Admin"), QStringLiteral("admin-pass-1")).get();
    auto manager = u.createUser(admin.actor(), QStringLiteral("manager"), QStringLiteral("Morgan Manager"),
                                store::Role::Manager, QStringLiteral("manager-pass-1")).get();
    auto therapist = u.createUser(manager.actor(), QStringLiteral("therapist"), QStringLiteral("Theo Therapist"),
                                  store::Role::Therapist, QStringLiteral("therapist-pass-1")).get();
    u.createUser(manager.actor(), QStringLiteral("lockme"), QStringLiteral("Lou Lockout"), store::Role::Therapist,
                 QStringLiteral("lockme-pass-1")).get();
    u.createUser(manager.actor(), QStringLiteral("changer"), QStringLiteral("Chris Changer"), store::Role::Therapist,
                 QStringLiteral("changer-pass-1")).get();
    u.createUser(manager.actor(), QStringLiteral("vendor"), QStringLiteral("Vic Vendor"), store::Role::VendorService,
                 QStringLiteral("vendor-pass-1")).get();
    store::PatientDraft p;
    p.mrn = QStringLiteral("H-0001");
    p.familyName = hostileFamilyName();
    p.givenName = hostileGivenName();
    p.notes = hostileNotes();
    p.heightCm = 160;
    p.weightKg = 45;
    store_->clinical().createPatient(therapist.actor(), p).get();
    // Something for each audit filter: a refusal, an approval, a failed log-in.
    store_->audit().append({QStringLiteral("therapist"), QStringLiteral("therapist"), QStringLiteral("safety.refused"),
                            QStringLiteral("session:1"), QJsonObject{{"rule", "LASER-EYE-1"}}, std::nullopt}).get();
    store_->audit().append({QStringLiteral("therapist"), QStringLiteral("therapist"), QStringLiteral("supervisor.approved"),
                            QStringLiteral("session:1"), QJsonObject{{"rule", "LUNG-1"}}, std::nullopt}).get();
    store_->audit().append({QStringLiteral("therapist"), QStringLiteral("therapist"), QStringLiteral("note.hostile-test"),
                            QStringLiteral("session:1"), QJsonObject{{"reason", hostileAuditText()}}, std::nullopt}).get();
    u.authenticate(QStringLiteral("therapist"), QStringLiteral("not-the-password")).get();
  }

  QTemporaryDir dir_;
  std::unique_ptr<store::Store> store_;  // declared before the view models: destroyed after them
  ui::AuthModel auth_;
  ui::SessionModel session_{auth_};
  ui::PatientModel patients_{auth_};
  ui::AuditModel audit_{auth_};
  ui::UserAdminModel users_{auth_};
  ui::ClinicSettingsModel clinicSettings_{auth_, anatomy::Atlas::builtin()};
  QVariantMap services_;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_screens, Setup)
#include "tst_qml_screens.moc"
