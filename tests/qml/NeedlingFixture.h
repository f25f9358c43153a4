#pragma once

// The needling page's real view models for QML tests: the built-in rules
// engine and atlas, no EMG link (the trace stays empty), decisions kept in
// memory. Exposed as testNeedling and testBodyMap, and testNeedlingAsk: the
// practitioner, patient (lung disease) and session of the store that
// LaserFixture's SupervisorStoreFixture makes (ids 1), no amplifier, so that
// lung-field needling fires DN-LUNG-DISEASE (SUPERVISOR) for SupervisorDialog.
#include "safety/ClinicSettings.h"
#include "safety/RuleTable.h"
#include "ui/BodyMapModel.h"
#include "ui/NeedlingModel.h"

#include <QQmlContext>

class NeedlingFixture {
 public:
  void expose(QQmlContext& context) {
    context.setContextProperty(QStringLiteral("testNeedling"), &model_);
    context.setContextProperty(QStringLiteral("testBodyMap"), &bodyMap_);
    context.setContextProperty(QStringLiteral("testNeedlingAsk"), &askModel_);
    tautband::ui::CaseInputs inputs;
    tautband::safety::Practitioner p;
    p.userId = "therapist.qml";  // SupervisorStoreFixture::kPractitioner
    p.credentials.push_back({"dry_needling", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
                                                 std::chrono::hours(24 * 365)});
    inputs.practitioner = p;
    tautband::ui::PatientFacts patient;
    patient.patientId = 1;
    patient.label = QStringLiteral("Test Patient");
    auto& s = patient.screening;
    s.completed = s.consentRecorded = s.consentNamesPneumothorax = true;
    s.heightCm = 170.0;
    s.weightKg = 63.6;
    s.ageYears = 42;
    s.lungDisease = true;
    inputs.patient = patient;
    inputs.sessionId = 1;
    askModel_.setCaseInputs(inputs);
    askModel_.setNeedleLot(QStringLiteral("LOT-QML-1"));
  }

 private:
  struct Audit : tautband::safety::SafetyAuditSink {
    void record(const tautband::safety::SafetyAuditRecord&) override {}
  };
  struct Record : tautband::ui::NeedlingRecordSink {
    bool persistent() const override { return false; }
    void needleIn(int, const QVariantMap&, std::int64_t) override {}
    void needleOut(int, bool, std::int64_t) override {}
    void ltr(const QVariantMap&) override {}
    void pain(const QString&, int, std::int64_t) override {}
    void adverseEvent(const QString&, const QString&, const QString&, std::int64_t) override {}
    void emgRecording(const QString&, const QString&, const QString&, double, int, bool, std::int64_t) override {}
    void note(const QString&, std::int64_t) override {}
  };
  Audit audit_;
  Record record_;
  tautband::safety::Evaluator evaluator_{tautband::anatomy::Atlas::builtin(), tautband::safety::RuleTable::builtin(),
                                         tautband::safety::defaultClinicSettings()};
  tautband::safety::AuditedSafety safety_{evaluator_, audit_};
  tautband::core::SessionClock clock_;
  tautband::ui::NeedlingModel model_{safety_, evaluator_, clock_, record_, nullptr, nullptr,
                                     [] { return tautband::ui::AmplifierInfo{true, "OpenBCI Cyton", "none", false}; }};
  tautband::ui::NeedlingModel askModel_{safety_, evaluator_, clock_, record_, nullptr, nullptr,
                                        [] { return tautband::ui::AmplifierInfo{}; }};
  tautband::ui::BodyMapModel bodyMap_{tautband::anatomy::Atlas::builtin()};
};
