// AMP-RESEARCH (a non-isolated research amplifier with a needle) needs the clinic's research
// setting AND a supervisor's approval for the session. Turning the setting off revokes the
// standing approval (audited as safety.approval-revoked); turning it on again asks for a new
// one. Driven the way SettingsServices::apply does it: revokeApprovalsTheSettingsWithdraw,
// then the needling evaluator gets the new settings and the page re-evaluates.
#include "../supervisor/CapturingAuditSink.h"
#include "NeedlingTestSupport.h"
#include "console/AuditContext.h"
#include "console/SettingsServices.h"
#include "console/StoreSafetyAudit.h"
#include "core/SessionClock.h"
#include "safety/AuditedSafety.h"
#include "safety/ClinicSettings.h"
#include "safety/RuleTable.h"
#include "store/AuditForwarder.h"
#include "ui/NeedlingModel.h"

#include <QTest>

using namespace tautband;

namespace {

struct CountingSafetyAudit : safety::SafetyAuditSink {
  int approvals = 0;
  void record(const safety::SafetyAuditRecord& r) override {
    if (r.kind == safety::SafetyAuditRecord::Kind::SupervisorApproval) ++approvals;
  }
};

safety::ClinicSettings research(bool allowed, const char* version) {
  auto s = safety::defaultClinicSettings();
  s.researchAmplifierAllowed = allowed;
  s.settingsVersion = version;
  return s;
}

struct Console {
  Console() : trail([](const QString&) {}), audit(trail, context, clock) {
    trail.attach(sink);
    // A credentialed therapist and a screened, consented patient in session 7 (the shared case).
    testsupport::ScreenedCase screened;
    screened.sessionId = 7;
    inputs = screened.inputs();
    model.setCaseInputs(inputs);
    model.setNeedleLot(QStringLiteral("LOT-1"));
  }
  ~Console() { trail.drain(); }

  // What SettingsServices::apply does with the needling side of a settings change.
  QStringList apply(const safety::ClinicSettings& next) {
    const QStringList revoked = console::revokeApprovalsTheSettingsWithdraw(applied, next, model, audit);
    evaluator.replaceSettings(next);
    model.evaluate();
    applied = next;
    return revoked;
  }
  // What SupervisorDialog does once the store re-authenticated the supervisor.
  bool approve() {
    const auto request = model.supervisorRequest(QStringLiteral("AMP-RESEARCH")).toMap();
    if (!request.value("available").toBool()) return false;
    return model.applySupervisorApproval(QStringLiteral("AMP-RESEARCH"), QStringLiteral("manager.max"),
                                         QStringLiteral("research protocol R-12"), 17, request.value("scope").toString());
  }
  QStringList ids(const char* key) const { return model.decision().value(QLatin1String(key)).toStringList(); }
  QStringList fired() const {
    QStringList out;
    for (const auto& f : model.decision().value("fired").toList()) out << f.toMap().value("ruleId").toString();
    return out;
  }

  safety::ClinicSettings applied = research(true, "research-on");
  CountingSafetyAudit decisions;
  safety::Evaluator evaluator{anatomy::Atlas::builtin(), safety::RuleTable::builtin(), applied};
  safety::AuditedSafety safety{evaluator, decisions};
  core::SessionClock clock;
  testsupport::NullNeedlingRecord record;
  ui::AmplifierInfo amplifier{true, QStringLiteral("OpenBCI Cyton"), QStringLiteral("none"), false};
  ui::NeedlingModel model{safety, evaluator, clock, record, nullptr, nullptr, [this] { return amplifier; }};
  std::shared_ptr<testsupport::CapturingAuditSink> sink = std::make_shared<testsupport::CapturingAuditSink>();
  store::AuditForwarder trail;
  console::AuditContext context;
  console::StoreSafetyAudit audit;
  ui::CaseInputs inputs;
};

}  // namespace

class ResearchApprovalRevokedTest : public QObject {
  Q_OBJECT
 private slots:
  void turningTheSettingOffRevokesTheApprovalAndOnAgainAsksAnew() {
    Console c;
    QTest::qWait(600);  // the amplifier poll
    c.model.selectRegion(QStringLiteral("quadriceps_right"));
    QVERIFY(c.ids("supervisorRequired").contains("AMP-RESEARCH"));
    QVERIFY(c.approve());
    QVERIFY(c.model.insertNeedle());

    // A change that leaves the research setting alone keeps the approval.
    auto stricter = research(true, "research-on-2");
    stricter.thoracicObservationMin = 20;
    QVERIFY(c.apply(stricter).isEmpty());
    QCOMPARE(c.model.approvals().size(), 1);
    QVERIFY(!c.ids("supervisorRequired").contains("AMP-RESEARCH"));

    // Off: revoked at once, audited with who had approved and why it ended.
    QCOMPARE(c.apply(research(false, "research-off")), QStringList{QStringLiteral("AMP-RESEARCH")});
    QVERIFY(c.model.approvals().isEmpty());
    QVERIFY2(c.model.message().contains(QStringLiteral("revoked")), qPrintable(c.model.message()));
    QVERIFY(c.fired().contains("AMP-NONISOLATED"));  // with the setting off: REFUSE
    QVERIFY(!c.model.insertNeedle());
    c.trail.drain();
    QCOMPARE(c.sink->count(QStringLiteral("safety.approval-revoked")), 1);
    const auto revoked = c.sink->last(QStringLiteral("safety.approval-revoked"));
    QCOMPARE(revoked.value("rule_id").toString(), QStringLiteral("AMP-RESEARCH"));
    QCOMPARE(revoked.value("supervisor").toString(), QStringLiteral("manager.max"));
    QCOMPARE(revoked.value("approval_audit_sequence").toInt(), 17);
    QVERIFY(revoked.value("why").toString().contains(QStringLiteral("research_amplifier_allowed")));
    QCOMPARE(revoked.value("settings_version_after").toString(), QStringLiteral("research-off"));

    // On again: the old approval does not come back; a new one is needed (and works).
    QVERIFY(c.apply(research(true, "research-on-3")).isEmpty());
    QVERIFY(c.model.approvals().isEmpty());
    QVERIFY(c.ids("supervisorRequired").contains("AMP-RESEARCH"));
    QVERIFY(!c.model.insertNeedle());
    QVERIFY(c.approve());
    QVERIFY(c.model.insertNeedle());
    QCOMPARE(c.decisions.approvals, 2);
    c.trail.drain();
    QCOMPARE(c.sink->count(QStringLiteral("safety.approval-revoked")), 1);
  }

  // Whatever path swaps the settings, an approval given under the research setting never
  // survives an evaluation without it: the setting is part of the approval's scope.
  void anApprovalNeverOutlivesAnEvaluationWithTheSettingOff() {
    Console c;
    QTest::qWait(600);
    c.model.selectRegion(QStringLiteral("quadriceps_right"));
    QVERIFY(c.approve());
    QCOMPARE(c.model.approvalScope(QStringLiteral("AMP-RESEARCH")).value("research_amplifier_allowed").toBool(), true);
    c.evaluator.replaceSettings(research(false, "off-elsewhere"));
    c.model.evaluate();
    QVERIFY(c.model.approvals().isEmpty());
    c.evaluator.replaceSettings(research(true, "on-elsewhere"));
    c.model.evaluate();
    QVERIFY(c.model.approvals().isEmpty());
    QVERIFY(c.ids("supervisorRequired").contains("AMP-RESEARCH"));
  }
};

QTEST_MAIN(ResearchApprovalRevokedTest)
#include "test_research_approval_revoked.moc"
