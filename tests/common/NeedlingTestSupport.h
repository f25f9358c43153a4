#pragma once

// What the needling tests (unit, integration, QML, Bluetooth) set up the same way, in one place:
// sinks that go nowhere for a test about something else, and the practitioner and patient
// ClinicalContext would give the needling page from a store with a credentialed therapist and
// a screened, consented patient. Linked as tautband_test_common (tests/common/CMakeLists.txt).
#include "safety/Case.h"
#include "safety/SafetyAuditSink.h"
#include "ui/CaseInputs.h"
#include "ui/NeedlingModel.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace tautband::testsupport {

// Safety decisions are audited nowhere: the test is not about the audit trail.
struct NullSafetyAudit : safety::SafetyAuditSink {
  void record(const safety::SafetyAuditRecord&) override {}
};

// The needling record goes nowhere (and says it is not persistent): the test is not about it.
struct NullNeedlingRecord : ui::NeedlingRecordSink {
  bool persistent() const override { return false; }
  void needleIn(int, const QVariantMap&, std::int64_t) override {}
  void needleOut(int, bool, std::int64_t) override {}
  void ltr(const QVariantMap&) override {}
  void pain(const QString&, int, std::int64_t) override {}
  void adverseEvent(const QString&, const QString&, const QString&, std::int64_t) override {}
  void emgRecording(const QString&, const QString&, const QString&, double, int, bool, std::int64_t) override {}
  void note(const QString&, std::int64_t) override {}
};

// The case ClinicalContext builds for a logged-in therapist (a `credential` — dry needling or
// laser — valid for a year) treating a screened, consented patient (id 1, 170 cm, 63.6 kg:
// BMI 22, age 42) in session `sessionId` (0: no session open).
struct ScreenedCase {
  std::string practitioner = "therapist.anna";
  QString patientLabel = QStringLiteral("Test patient");
  qint64 sessionId = 0;
  bool anticoagulants = false;
  bool lungDisease = false;
  std::string credential = "dry_needling";

  ui::CaseInputs inputs() const {
    safety::Practitioner p;
    p.userId = practitioner;
    p.credentials.push_back({credential, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
                                                 std::chrono::hours(24 * 365)});
    ui::PatientFacts patient;
    patient.patientId = 1;
    patient.label = patientLabel;
    auto& s = patient.screening;
    s.completed = s.consentRecorded = s.consentNamesPneumothorax = true;
    s.heightCm = 170.0;
    s.weightKg = 63.6;
    s.ageYears = 42;
    s.anticoagulants = anticoagulants;
    s.lungDisease = lungDisease;
    ui::CaseInputs in;
    in.practitioner = p;
    in.patient = patient;
    in.sessionId = sessionId;
    return in;
  }
};

}  // namespace tautband::testsupport
