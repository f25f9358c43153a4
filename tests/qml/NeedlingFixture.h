#pragma once

// The needling page's real view models for QML tests: the built-in rules
// engine and atlas, no EMG link (the trace stays empty), decisions kept in
// memory. Exposed as testNeedling and testBodyMap, and testNeedlingAsk: the
// practitioner, patient (lung disease) and session of the store that
// LaserFixture's SupervisorStoreFixture makes (ids 1), no amplifier, so that
// lung-field needling fires DN-LUNG-DISEASE (SUPERVISOR) for SupervisorDialog.
#include "NeedlingTestSupport.h"
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
    tautband::testsupport::ScreenedCase screened;
    screened.practitioner = "therapist.qml";  // SupervisorStoreFixture::kPractitioner
    screened.patientLabel = QStringLiteral("Test Patient");
    screened.lungDisease = true;
    screened.sessionId = 1;
    const auto inputs = screened.inputs();
    askModel_.setCaseInputs(inputs);
    askModel_.setNeedleLot(QStringLiteral("LOT-QML-1"));
  }

 private:
  tautband::testsupport::NullSafetyAudit audit_;
  tautband::testsupport::NullNeedlingRecord record_;
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
