#pragma once

// Real laser view models for tst_laser_page.qml:
//  testLaser          a LaserSupervisor with no link and nothing known (what a fresh console has)
//  testLaserSim       a LaserSupervisor attached to `tautband-sim laser` over a pty (native
//                     protocol), with the practitioner, patient, power check and eyewear OD
//                     the store would give, so the page can go all the way to emission
//  testLaserStop      an EmergencyStop wired to testLaserSim's supervisor, as the console does
//  testLaserSimPath   the simulator's pty ("" if it did not start), so tests can skip
//  testLaserScreenshotDir  where to save pictures of the page ("" = none)
//  testAuth           the console's AuthModel over a real store (SupervisorStoreFixture.h),
//                     logged in as the practitioner; tst_needling_page.qml uses it too
//  testLaserAsk       a LaserSupervisor with no link, the store's practitioner, patient and
//                     session, and a dose outside the clinic protocol: LZ-CLINIC-PROTOCOL
//                     (SUPERVISOR) fires, for SupervisorDialog
#include "SimProcess.h"
#include "SupervisorStoreFixture.h"
#include "core/Logging.h"
#include "safety/AuditedSafety.h"
#include "safety/CaseJson.h"
#include "safety/ClinicSettings.h"
#include "ui/EmergencyStop.h"
#include "ui/LaserController.h"

#include <QJsonDocument>
#include <QQmlContext>
#include <QTimer>

#include <memory>

class LaserFixture {
 public:
  LaserFixture() = default;
  ~LaserFixture() { shutdown(); }

  // Before the application goes: the supervisor threads and the simulator stop here.
  void shutdown() {
    heartbeat_.stop();
    stop_.setHandler({});
    simLaser_.reset();
    bareLaser_.reset();
    askLaser_.reset();
    askSupervisor_.reset();
    simSupervisor_.reset();
    bareSupervisor_.reset();
    link_.reset();
    sim_.reset();
  }

  void expose(QQmlContext& context) {
    start();
    context.setContextProperty(QStringLiteral("testLaser"), bareLaser_.get());
    context.setContextProperty(QStringLiteral("testLaserSim"), simLaser_.get());
    context.setContextProperty(QStringLiteral("testLaserStop"), &stop_);
    context.setContextProperty(QStringLiteral("testLaserSimPath"), sim_ ? sim_->path() : QString());
    context.setContextProperty(QStringLiteral("testAuth"), &people_.auth());
    context.setContextProperty(QStringLiteral("testLaserAsk"), askLaser_.get());
    // Set TAUTBAND_LASER_SCREENSHOT_DIR to keep pictures of the page in each state.
    context.setContextProperty(QStringLiteral("testLaserScreenshotDir"),
                               qEnvironmentVariable("TAUTBAND_LASER_SCREENSHOT_DIR"));
  }

 private:
  class NullSink : public tautband::safety::SafetyAuditSink {
   public:
    void record(const tautband::safety::SafetyAuditRecord&) override {}
  };

  static tautband::safety::TimePoint at(const char* utc) { return *tautband::safety::parseUtc(utc); }

  void start() {
    using namespace tautband;
    if (bareLaser_) return;
    evaluator_ = std::make_unique<safety::Evaluator>(anatomy::Atlas::builtin(), safety::RuleTable::builtin(),
                                                     safety::defaultClinicSettings());
    audited_ = std::make_unique<safety::AuditedSafety>(*evaluator_, sink_);
    supervisor::LaserSupervisor::Options options;
    options.warningDelay = std::chrono::milliseconds(300);
    // The page's behaviour, not starvation on a busy CI machine, is under test here.
    options.statusTimeout = std::chrono::milliseconds(1000);
    // The supervisors' audit goes to the debug log (TAUTBAND_LOG_LEVEL=debug to follow a test).
    const auto trace = [](const char* which) {
      return [which](const QString& action, const QJsonObject& details) {
        core::logger(core::subsystem::kSafety)
            ->debug("{} {} {}", which, action.toStdString(),
                    QJsonDocument(details).toJson(QJsonDocument::Compact).toStdString());
      };
    };
    bareSupervisor_ = std::make_unique<supervisor::LaserSupervisor>(options, trace("bare"));
    simSupervisor_ = std::make_unique<supervisor::LaserSupervisor>(options, trace("sim"));
    bareLaser_ = std::make_unique<ui::LaserController>(*bareSupervisor_, *audited_, anatomy::Atlas::builtin());
    simLaser_ = std::make_unique<ui::LaserController>(*simSupervisor_, *audited_, anatomy::Atlas::builtin());
    const auto clock = [] { return at("2026-11-29T10:00:00Z"); };
    bareLaser_->setClock(clock);
    simLaser_->setClock(clock);

    safety::Practitioner p;
    p.userId = "therapist.qml";
    p.credentials.push_back({"laser", at("2027-06-30T00:00:00Z")});
    simLaser_->setPractitioner(p);
    ui::LaserController::Patient patient;
    patient.label = QStringLiteral("QML test patient");
    patient.screening.completed = true;
    patient.screening.consentRecorded = true;
    patient.screening.ageYears = 40;
    simLaser_->setPatient(patient);
    ui::LaserController::DeviceProfile profile;
    profile.requiredOdByWavelength = {{808, 4.0}, {905, 4.0}};
    profile.lastPowerCheck = safety::PowerCheck{at("2026-11-19T09:00:00Z"), 99.0, 100.0};
    simLaser_->setDeviceProfile(profile);
    // The site a therapist would tap on the body map (tst_laser_page taps the bare one).
    simLaser_->setSiteId(QStringLiteral("upper_trapezius_right"));

    startAsk(options, profile);

    heartbeat_.setInterval(100);
    QObject::connect(&heartbeat_, &QTimer::timeout, [this] {
      bareSupervisor_->guiHeartbeat();
      simSupervisor_->guiHeartbeat();
      askSupervisor_->guiHeartbeat();
    });
    heartbeat_.start();
    stop_.setHandler([this] { return simSupervisor_->emergencyStop(QStringLiteral("E-STOP button")); });

    sim_ = std::make_unique<SimProcess>(QStringList{QStringLiteral("laser")});
    if (sim_->path().isEmpty()) return;
    link_ = devices::makeNativeSerialLink(QStringLiteral("laser"), sim_->path(), 115200);
    QObject::connect(link_.get(), &devices::DeviceLink::identified, simLaser_.get(),
                     [this](const device::v1::DeviceInfo& info) {
                       simSupervisor_->attachLink(link_.get());
                       simLaser_->setDeviceInfo(info);
                     });
    link_->open();
  }

  // The store's practitioner in the store's session, a dose of 100 mW for 100 s (10 J per
  // point: outside the default clinic protocol, inside the device and WALT bounds).
  void startAsk(const tautband::supervisor::LaserSupervisor::Options& options,
                const tautband::ui::LaserController::DeviceProfile& profile) {
    using namespace tautband;
    people_.start();
    askSupervisor_ = std::make_unique<supervisor::LaserSupervisor>(options, nullptr);
    askLaser_ = std::make_unique<ui::LaserController>(*askSupervisor_, *audited_, anatomy::Atlas::builtin());
    askLaser_->setClock([] { return at("2026-11-29T10:00:00Z"); });
    ui::CaseInputs inputs;
    safety::Practitioner p;
    p.userId = SupervisorStoreFixture::kPractitioner;
    p.credentials.push_back({"laser", at("2027-06-30T00:00:00Z")});
    inputs.practitioner = p;
    ui::PatientFacts patient;
    patient.patientId = people_.patientId();
    patient.label = QStringLiteral("Test Patient");
    patient.screening.completed = true;
    patient.screening.consentRecorded = true;
    patient.screening.ageYears = 40;
    inputs.patient = patient;
    inputs.sessionId = people_.sessionId();
    askLaser_->setCaseInputs(inputs);
    askLaser_->setDeviceProfile(profile);
    device::v1::DeviceInfo info;
    info.set_vendor("Test");
    auto* source = info.mutable_laser()->add_sources();
    source->set_wavelength_nm(808);
    source->set_max_power_mw(500);
    info.mutable_laser()->set_firmware_watchdog(true);
    askLaser_->setDeviceInfo(info);
    askLaser_->setSiteId(QStringLiteral("upper_trapezius_right"));
    askLaser_->setTargetIsEnergy(false);
    askLaser_->setTargetTimeS(100);
    askLaser_->evaluateNow();
  }

  SupervisorStoreFixture people_;
  std::unique_ptr<tautband::supervisor::LaserSupervisor> askSupervisor_;
  std::unique_ptr<tautband::ui::LaserController> askLaser_;
  NullSink sink_;
  std::unique_ptr<tautband::safety::Evaluator> evaluator_;
  std::unique_ptr<tautband::safety::AuditedSafety> audited_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<tautband::devices::DeviceLink> link_;
  std::unique_ptr<tautband::supervisor::LaserSupervisor> bareSupervisor_;
  std::unique_ptr<tautband::supervisor::LaserSupervisor> simSupervisor_;
  std::unique_ptr<tautband::ui::LaserController> bareLaser_;
  std::unique_ptr<tautband::ui::LaserController> simLaser_;
  tautband::ui::EmergencyStop stop_;
  QTimer heartbeat_;
};
