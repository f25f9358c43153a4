#include "console/ConsoleApplication.h"

#include "anatomy/Atlas.h"
#include "console/AuditContext.h"
#include "console/StoreNeedlingRecord.h"
#include "console/StoreSafetyAudit.h"
#include "store/AuditForwarder.h"
#include "store/Store.h"

#include "console/ClinicalServices.h"
#include "console/ConsoleOptions.h"
#include "console/DeviceServices.h"
#include "console/FirstFrameActions.h"
#include "console/NeedlingServices.h"
#include "core/SessionClock.h"
#include "console/StoreServices.h"
#include "console/SafetyServices.h"
#include "console/SettingsServices.h"
#include "core/BuildInfo.h"
#include "core/DataDirectory.h"
#include "core/Logging.h"
#include "ui/EmergencyStop.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

Q_IMPORT_QML_PLUGIN(Tautband_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Tautband_UiPlugin)

namespace tautband::console {
namespace {

bool hasDisplay() {
  const auto set = [](const char* name) {
    const char* value = std::getenv(name);
    return value && *value;
  };
  return set("QT_QPA_PLATFORM") || set("DISPLAY") || set("WAYLAND_DISPLAY");
}

QStringList argumentsOf(int argc, char** argv) {
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
  return arguments;
}

// Who acts and in which session follows the login and the session; the store, once open,
// receives what was posted before.
void wireAuditTrail(StoreServices& storeServices, AuditContext& context, store::AuditForwarder& trail,
                    StoreNeedlingRecord& needlingRecord) {
  QObject::connect(&storeServices, &StoreServices::storeOpened, &storeServices,
                   [&trail, &needlingRecord](std::shared_ptr<store::Store> store) {
                     trail.attach(std::shared_ptr<store::AuditSink>(store, &store->audit()));
                     needlingRecord.attach(store);
                   });
  QObject::connect(&storeServices, &StoreServices::storeFailed, &storeServices,
                   [&trail](const QString& reason) { trail.abandon(reason); });
  auto& auth = storeServices.auth();
  QObject::connect(&auth, &ui::AuthModel::userChanged, &storeServices, [&context, &auth] { context.setActor(auth.actor()); });
  auto& session = storeServices.session();
  QObject::connect(&session, &ui::SessionModel::sessionChanged, &storeServices, [&context, &session] {
    if (session.active()) context.setSession(session.sessionId(), session.patientId());
    else context.setSession(std::nullopt, std::nullopt);
  });
}

}  // namespace

int runConsoleApplication(int argc, char** argv) {
  QElapsedTimer sinceStart;
  sinceStart.start();

  // Parse before QGuiApplication exists, so --help and --version work without a display.
  const ParseOutcome parsed = parseConsoleArguments(argumentsOf(argc, argv));
  if (!parsed.options) {
    std::fputs(qPrintable(parsed.output), parsed.outputIsError ? stderr : stdout);
    return parsed.exitCode;
  }
  const ConsoleOptions& options = *parsed.options;

  if (!hasDisplay()) {
    std::fputs("tautband: no display found (DISPLAY and WAYLAND_DISPLAY are unset).\n"
               "  Start it from the touch panel's desktop session, or render one frame headless\n"
               "  with 'make screenshot OUT=shot.png'.\n",
               stderr);
    return 2;
  }

  std::filesystem::path dataDir;
  try {
    core::LoggingSettings logging;
    logging.level = options.logLevel;
    core::configureLogging(logging);
    dataDir = core::DataDirectory::resolve(options.dataDir);
    core::DataDirectory::ensureExists(dataDir);
    logging.logDirectory = core::DataDirectory::logDirectory(dataDir);
    core::configureLogging(logging);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tautband: %s\n", e.what());
    return 2;
  }
  core::routeQtMessagesToLog();
  auto log = core::logger(core::subsystem::kUi);
  log->info("Tautband {} starting, data directory {}", core::kVersion, dataDir.string());

  // A touch panel has no keyboard: text fields use Qt Virtual Keyboard (the
  // InputPanel in Main.qml) unless the environment chose an input method.
  if (qEnvironmentVariableIsEmpty("QT_IM_MODULE")) qputenv("QT_IM_MODULE", "qtvirtualkeyboard");
  // Never the keyboard's own desktop window: the InputPanel lives in the shell's overlay,
  // under the E-STOP (qml/KeyboardLayer.qml).
  if (qEnvironmentVariableIsEmpty("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE")) qputenv("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1");
  QGuiApplication app(argc, argv);
  QGuiApplication::setApplicationName(QStringLiteral("tautband"));
  QGuiApplication::setApplicationVersion(QString::fromLatin1(core::kVersion));

  DeviceServices deviceServices(QString::fromStdString(dataDir.string()), options.pluginDirs);
  if (options.simulate) deviceServices.startSimulators();
  // The one session clock (BRIEF §4): EMG samples, LTRs and needling events carry it.
  core::SessionClock sessionClock;

  // The audit trail (docs/AUDIT.md): safety decisions, supervisor events and the needling
  // record reach the store from any thread without waiting on disk, in order, including
  // what happens before the store has opened.
  AuditContext auditContext;
  store::AuditForwarder auditTrail(nullptr);
  StoreSafetyAudit safetyAudit(auditTrail, auditContext, sessionClock);
  StoreNeedlingRecord needlingRecord(anatomy::Atlas::builtin(), auditContext, auditTrail);

  NeedlingServices needlingServices(deviceServices, sessionClock, QString::fromStdString(dataDir.string()), safetyAudit,
                                    needlingRecord);
  StoreServices storeServices(QString::fromStdString(dataDir.string()), options.database);
  wireAuditTrail(storeServices, auditContext, auditTrail, needlingRecord);

  auto emergencyStop = std::make_unique<ui::EmergencyStop>();
  SafetyServices safetyServices(deviceServices.links(), *emergencyStop, safetyAudit);
  // An entry that cannot be made durable: emission off first (in the failing thread), then
  // the safety sink refuses every further decision until the console restarts.
  auditTrail.setFailureHandler([&safetyServices](const QString& reason) {
    safetyServices.supervisor().emergencyStop(QStringLiteral("audit trail failure: %1").arg(reason));
  });

  // Practitioner, patient and laser records from the store into the laser and needling pages.
  ClinicalServices clinicalServices(storeServices, safetyServices, needlingServices);
  SettingsServices settingsServices(storeServices, safetyServices, needlingServices, clinicalServices);

  // Declared after everything it shows, so it is destroyed first.
  QQmlApplicationEngine engine;
  engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
  // Every view model a page may ask for, by name (see Shell.qml).
  const QVariantMap services{{QStringLiteral("devices"), QVariant::fromValue(&deviceServices.model())},
                             {QStringLiteral("bluetooth"), QVariant::fromValue(&deviceServices.bluetooth())},
                             {QStringLiteral("needling"), QVariant::fromValue(&needlingServices.needling())},
                             {QStringLiteral("bodyMap"), QVariant::fromValue(&needlingServices.bodyMap())},
                               {QStringLiteral("auth"), QVariant::fromValue(&storeServices.auth())}, {QStringLiteral("session"), QVariant::fromValue(&storeServices.session())}, {QStringLiteral("patients"), QVariant::fromValue(&storeServices.patients())}, {QStringLiteral("audit"), QVariant::fromValue(&storeServices.audit())}, {QStringLiteral("users"), QVariant::fromValue(&storeServices.users())},
                             {QStringLiteral("summary"), QVariant::fromValue(&storeServices.summary())},
                               {QStringLiteral("laser"), QVariant::fromValue(&safetyServices.laser())},
                             {QStringLiteral("clinical"), QVariant::fromValue(&clinicalServices.context())},
                             {QStringLiteral("clinicSettings"), QVariant::fromValue(&settingsServices.model())}};
  engine.setInitialProperties({{QStringLiteral("emergencyStop"), QVariant::fromValue(emergencyStop.get())},
                               {QStringLiteral("services"), services},
                               {QStringLiteral("initialPage"), options.initialPage}});
  engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Tautband/Ui/Main.qml")));
  if (engine.rootObjects().isEmpty()) {
    log->critical("the QML shell failed to load");
    core::flushLogs();
    return 1;
  }
  auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
  if (!window) {
    log->critical("the QML root object is not a window");
    core::flushLogs();
    return 1;
  }

  FirstFrameActions firstFrame(*window,
                               {options.screenshotPath, options.quitAfterMs, options.printStartupTime},
                               sinceStart);
  const int code = app.exec();
  log->info("Tautband exiting with code {}", code);
  // Links go first: their codec threads deliver frames straight into the EMG
  // and safety services, which must not be destroyed while a frame is in flight.
  deviceServices.links().shutdown();
  auditTrail.setFailureHandler({});  // the safety services it calls go before the trail
  needlingRecord.drain();
  core::flushLogs();
  return code != 0 ? code : firstFrame.exitCode();
}

}  // namespace tautband::console
