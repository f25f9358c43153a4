// The needling view model against the real rules engine: refusals name the
// rule, ACK needs a reason, nothing is recorded before the rules allow it,
// needles must be reconciled (and thoracic advice + observation recorded)
// before the session may close, broken needles need an adverse event.
#include "ui/NeedlingModel.h"

#include "NeedlingTestSupport.h"
#include "safety/ClinicSettings.h"
#include "safety/RuleTable.h"

#include <QTest>

#include <algorithm>

using namespace tautband;

namespace {
struct VectorAudit : safety::SafetyAuditSink {
  std::vector<safety::SafetyAuditRecord> records;
  void record(const safety::SafetyAuditRecord& r) override { records.push_back(r); }
};
struct VectorRecord : ui::NeedlingRecordSink {
  QStringList lines;
  bool persistent() const override { return true; }
  void needleIn(int no, const QVariantMap&, std::int64_t) override { lines << QStringLiteral("in %1").arg(no); }
  void needleOut(int no, bool intact, std::int64_t) override { lines << QStringLiteral("out %1 %2").arg(no).arg(intact); }
  void ltr(const QVariantMap& m) override { lines << QStringLiteral("ltr %1 %2").arg(m.value("status").toString()).arg(m.value("manual").toBool()); }
  void pain(const QString& moment, int nprs, std::int64_t) override { lines << QStringLiteral("pain %1 %2").arg(moment).arg(nprs); }
  void adverseEvent(const QString& kind, const QString&, const QString&, std::int64_t) override { lines << "ae " + kind; }
  void emgRecording(const QString&, const QString&, const QString&, double, int, bool, std::int64_t) override {}
  void note(const QString& t, std::int64_t) override { lines << "note " + t; }
};

safety::ClinicSettings settingsWithResearch(bool allowed) {
  auto settings = safety::defaultClinicSettings();
  settings.researchAmplifierAllowed = allowed;
  return settings;
}

struct Fixture {
  Fixture() = default;
  // The clinic's research setting (SAFETY-RULES.md Amplifiers) on or off.
  explicit Fixture(bool researchAllowed)
      : evaluator{anatomy::Atlas::builtin(), safety::RuleTable::builtin(), settingsWithResearch(researchAllowed)} {}
  VectorAudit audit;
  VectorRecord record;
  safety::Evaluator evaluator{anatomy::Atlas::builtin(), safety::RuleTable::builtin(), safety::defaultClinicSettings()};
  safety::AuditedSafety safety{evaluator, audit};
  core::SessionClock clock;
  ui::AmplifierInfo amplifier;
  ui::NeedlingModel model{safety, evaluator, clock, record, nullptr, nullptr, [this] { return amplifier; }};

  // A screened, consented patient (BMI 22) and a credentialed therapist, as ClinicalContext
  // gives them from the store, in session 5 (0: the patient without an open session).
  ui::CaseInputs inputs;
  void screenedPatient(bool anticoagulants = false, bool lungDisease = false, qint64 sessionId = 5) {
    testsupport::ScreenedCase screened;
    screened.anticoagulants = anticoagulants;
    screened.lungDisease = lungDisease;
    screened.sessionId = sessionId;
    inputs = screened.inputs();
    model.setCaseInputs(inputs);
    model.setNeedleLot("LOT-1");
  }
  QStringList supervisorRequired() const { return model.decision().value("supervisorRequired").toStringList(); }
  std::size_t approvalsAudited() const {
    return static_cast<std::size_t>(std::count_if(audit.records.begin(), audit.records.end(), [](const auto& r) {
      return r.kind == safety::SafetyAuditRecord::Kind::SupervisorApproval;
    }));
  }
  // What SupervisorDialog does once the store re-authenticated `supervisor`.
  bool approve(const QString& ruleId, const QString& supervisor, const QString& reason = "lung disease known; 15 mm") {
    const auto request = model.supervisorRequest(ruleId).toMap();
    if (!request.value("available").toBool()) return false;
    return model.applySupervisorApproval(ruleId, supervisor, reason, 17, request.value("scope").toString());
  }
  QStringList firedIds() const {
    QStringList ids;
    for (const auto& f : model.decision().value("fired").toList()) ids << f.toMap().value("ruleId").toString();
    return ids;
  }
};
}  // namespace

class NeedlingModelTest : public QObject {
  Q_OBJECT
 private slots:
  void nothingIsAssumedAboutThePatient() {
    Fixture f;
    f.model.selectRegion("quadriceps_right");
    QCOMPARE(f.model.decision().value("level").toString(), QStringLiteral("REFUSE"));
    QVERIFY(f.firedIds().contains("PF-NOT-SCREENED"));
    QVERIFY(!f.model.insertNeedle());
    QCOMPARE(f.model.needles().size(), 0);
    QVERIFY(f.record.lines.isEmpty());
    QCOMPARE(f.audit.records.size(), std::size_t{1});  // the refused attempt is audited
    QVERIFY(f.audit.records[0].kind == safety::SafetyAuditRecord::Kind::Refusal);
  }

  void lungFieldRefusalNamesTheRuleAndTheLimit() {
    Fixture f;
    f.screenedPatient();
    f.model.selectPoint("back", 0.55, 0.25);  // rhomboids over the posterior lung field
    f.model.setNeedleLengthMm(30);
    QCOMPARE(f.model.decision().value("level").toString(), QStringLiteral("REFUSE"));
    QVERIFY(f.firedIds().contains("DN-LUNG-LENGTH"));
    QVERIFY(f.model.decision().value("maxNeedleLengthMm").toDouble() > 20);
    QVERIFY(!f.model.insertNeedle());
    f.model.setNeedleLengthMm(25);
    QVERIFY2(f.model.decision().value("mayProceed").toBool(), qPrintable(f.model.decision().value("message").toString()));
    QVERIFY(f.model.insertNeedle());
    QVERIFY(f.model.thoracicNeedling());
    QCOMPARE(f.model.needlesIn(), 1);
    QCOMPARE(f.record.lines.first(), QStringLiteral("in 1"));
  }

  void ackNeedsAReasonAndIsAudited() {
    Fixture f;
    f.screenedPatient(/*anticoagulants=*/true);
    f.model.selectRegion("quadriceps_right");
    QVERIFY(f.model.decision().value("acksRequired").toStringList().contains("PF-ANTICOAGULANT"));
    QVERIFY(!f.model.decision().value("mayProceed").toBool());
    QVERIFY(!f.model.acknowledge("PF-ANTICOAGULANT", "  "));
    const auto acks = f.model.decision().value("acksRequired").toStringList();
    for (const auto& id : acks) QVERIFY(f.model.acknowledge(id, "smaller needle, longer compression"));
    QVERIFY(f.model.decision().value("mayProceed").toBool());
    QVERIFY(f.model.insertNeedle());
    bool acknowledged = false;
    for (const auto& r : f.audit.records) acknowledged |= r.kind == safety::SafetyAuditRecord::Kind::Acknowledgement;
    QVERIFY(acknowledged);
    // A change of act drops the acknowledgement: it belonged to the old one.
    f.model.setNeedleLengthMm(40);
    QVERIFY(!f.model.decision().value("mayProceed").toBool());
  }

  void researchAmplifierNeedsASupervisor() {
    Fixture f;
    f.screenedPatient();
    f.amplifier = {true, "OpenBCI Cyton", "none", false};
    QTest::qWait(600);  // the device poll
    QVERIFY(f.model.amplifierWarning().contains("not patient-isolated"));
    f.model.selectRegion("quadriceps_right");
    QVERIFY(f.firedIds().contains("AMP-NONISOLATED"));  // the clinic's research setting is off
    QVERIFY(!f.model.insertNeedle());
  }

  void lungDiseaseApprovalHoldsForThisNeedleAtThisSite() {
    Fixture f;
    f.screenedPatient(false, /*lungDisease=*/true, /*sessionId=*/7);
    f.model.selectPoint("back", 0.55, 0.25);  // rhomboids over the posterior lung field
    f.model.setNeedleLengthMm(15);
    QVERIFY(f.supervisorRequired().contains("DN-LUNG-DISEASE"));
    QVERIFY(!f.model.decision().value("mayProceed").toBool());
    QVERIFY(!f.model.insertNeedle());
    // The dialog's context names the session, the patient and the rule's inputs.
    const auto request = f.model.supervisorRequest("DN-LUNG-DISEASE").toMap();
    QVERIFY(request.value("available").toBool());
    const auto context = request.value("context").toMap();
    QCOMPARE(context.value("session_id").toLongLong(), 7);
    QCOMPARE(context.value("patient_id").toLongLong(), 1);
    QCOMPARE(context.value("site").toMap().value("region_id").toString(), QStringLiteral("rhomboids_right"));
    QCOMPARE(context.value("needle_length_mm").toDouble(), 15.0);
    QVERIFY(!request.value("ruleText").toString().isEmpty());

    QVERIFY2(f.model.applySupervisorApproval("DN-LUNG-DISEASE", "manager.max", "known COPD, 15 mm, pincer not possible",
                                             17, request.value("scope").toString()),
             qPrintable(f.model.message()));
    QVERIFY(f.supervisorRequired().isEmpty());
    QVERIFY2(f.model.decision().value("mayProceed").toBool(), qPrintable(f.model.decision().value("message").toString()));
    QCOMPARE(f.approvalsAudited(), std::size_t{1});
    const auto& entry = f.audit.records.back();
    QCOMPARE(entry.secondUserId, std::string("manager.max"));
    QCOMPARE(entry.reason, std::string("known COPD, 15 mm, pincer not possible"));
    QVERIFY(f.model.supervisorHelp("DN-LUNG-DISEASE").contains("manager.max"));
    QVERIFY(f.model.insertNeedle());
    QVERIFY(f.model.insertNeedle());  // a second needle, same act: the approval holds

    // The other side (a new site) needs its own approval; coming back does not revive the old one.
    f.model.selectPoint("back", 0.45, 0.25);
    QVERIFY(f.supervisorRequired().contains("DN-LUNG-DISEASE"));
    QVERIFY(f.model.approvals().isEmpty());
    f.model.selectPoint("back", 0.55, 0.25);
    QVERIFY(f.supervisorRequired().contains("DN-LUNG-DISEASE"));
    // A longer needle at the same site is another act.
    QVERIFY(f.approve("DN-LUNG-DISEASE", "manager.max"));
    f.model.setNeedleLengthMm(18);
    QVERIFY(f.supervisorRequired().contains("DN-LUNG-DISEASE"));
  }

  void thePractitionerCannotApproveTheirOwnRule() {
    Fixture f;
    f.screenedPatient(false, true, 7);
    f.model.selectPoint("back", 0.55, 0.25);
    f.model.setNeedleLengthMm(15);
    QVERIFY(!f.approve("DN-LUNG-DISEASE", "therapist.anna"));
    QVERIFY2(f.model.message().contains("second authorised person"), qPrintable(f.model.message()));
    QVERIFY(f.supervisorRequired().contains("DN-LUNG-DISEASE"));
    QCOMPARE(f.approvalsAudited(), std::size_t{0});
    QVERIFY(!f.approve("DN-LUNG-DISEASE", "manager.max", "   "));  // no reason
    QCOMPARE(f.approvalsAudited(), std::size_t{0});
  }

  void refuseAndLimitRulesCannotBeApproved() {
    Fixture f;
    f.screenedPatient(false, true, 7);
    f.model.selectPoint("back", 0.55, 0.25);
    f.model.setNeedleLengthMm(30);  // longer than the (stricter) lung-field limit
    QVERIFY(f.firedIds().contains("DN-LUNG-LENGTH"));
    QVERIFY(!f.model.supervisorRequest("DN-LUNG-LENGTH").toMap().value("available").toBool());
    // Even past the page: AuditedSafety refuses a REFUSE rule.
    const QString scope = ui::SupervisorApprovals::scopeText(f.model.approvalScope("DN-LUNG-LENGTH"));
    QVERIFY(!f.model.applySupervisorApproval("DN-LUNG-LENGTH", "manager.max", "I say so", 1, scope));
    QVERIFY2(f.model.message().contains("not a supervisor-approvable rule"), qPrintable(f.model.message()));
    QCOMPARE(f.model.decision().value("level").toString(), QStringLiteral("REFUSE"));
    QVERIFY(f.model.approvals().isEmpty());
    QCOMPARE(f.approvalsAudited(), std::size_t{0});
  }

  void noApprovalWithoutASession() {
    Fixture f;
    f.screenedPatient(false, true, /*sessionId=*/0);
    f.model.selectPoint("back", 0.55, 0.25);
    f.model.setNeedleLengthMm(15);
    const auto request = f.model.supervisorRequest("DN-LUNG-DISEASE").toMap();
    QVERIFY(!request.value("available").toBool());
    QVERIFY(request.value("why").toString().contains("session"));
  }

  void researchAmplifierIsApprovedOncePerSession() {
    Fixture f(/*researchAllowed=*/true);
    f.amplifier = {true, "OpenBCI Cyton", "none", false};
    f.screenedPatient(false, false, 7);
    QTest::qWait(600);  // the device poll
    f.model.selectRegion("quadriceps_right");
    QVERIFY(!f.firedIds().contains("AMP-NONISOLATED"));
    QVERIFY(f.supervisorRequired().contains("AMP-RESEARCH"));
    QVERIFY(!f.model.insertNeedle());
    const auto context = f.model.supervisorRequest("AMP-RESEARCH").toMap().value("context").toMap();
    QCOMPARE(context.value("amplifier").toMap().value("model").toString(), QStringLiteral("OpenBCI Cyton"));
    QCOMPARE(context.value("session_id").toLongLong(), 7);
    QVERIFY(f.approve("AMP-RESEARCH", "manager.max", "research protocol R-12, ethics approval on file"));
    QVERIFY(f.model.insertNeedle());
    // Other sites and needles in the same session: no new approval.
    f.model.selectRegion("gastrocnemius_soleus_right");
    f.model.setNeedleLengthMm(40);
    QVERIFY(!f.supervisorRequired().contains("AMP-RESEARCH"));
    QVERIFY(f.model.insertNeedle());
    QCOMPARE(f.approvalsAudited(), std::size_t{1});
    // The session ends (ClinicalContext withdraws it): the approval goes with it.
    ui::CaseInputs ended = f.inputs;
    ended.patient.reset();
    ended.sessionId = 0;
    f.model.setCaseInputs(ended);
    QVERIFY(f.model.approvals().isEmpty());
    // The next session of the same patient asks again.
    f.inputs.sessionId = 8;
    f.model.setCaseInputs(f.inputs);
    QVERIFY(f.supervisorRequired().contains("AMP-RESEARCH"));
  }

  void closingTheNeedlingEndsItsApprovals() {
    Fixture f(true);
    f.amplifier = {true, "OpenBCI Cyton", "none", false};
    f.screenedPatient(false, false, 7);
    QTest::qWait(600);
    f.model.selectRegion("quadriceps_right");
    QVERIFY(f.approve("AMP-RESEARCH", "manager.max", "research protocol R-12"));
    QCOMPARE(f.model.approvals().size(), 1);
    QVERIFY(f.model.closeSession());
    QVERIFY(f.model.approvals().isEmpty());
  }

  void aCaseChangedDuringTheRequestIsNotApproved() {
    Fixture f;
    f.screenedPatient(false, true, 7);
    f.model.selectPoint("back", 0.55, 0.25);
    f.model.setNeedleLengthMm(15);
    const auto request = f.model.supervisorRequest("DN-LUNG-DISEASE").toMap();
    f.model.setNeedleLengthMm(20);
    QVERIFY(!f.model.applySupervisorApproval("DN-LUNG-DISEASE", "manager.max", "ok", 3, request.value("scope").toString()));
    QVERIFY(f.model.message().contains("changed"));
    QCOMPARE(f.approvalsAudited(), std::size_t{0});
  }

  void reconciliationBlocksClosing() {
    Fixture f;
    f.screenedPatient();
    f.model.selectRegion("quadriceps_right");
    QVERIFY(f.model.insertNeedle());
    QVERIFY(f.model.insertNeedle());
    QVERIFY(!f.model.closeBlockers().isEmpty());
    QVERIFY(!f.model.closeSession());
    QVERIFY(!f.model.closed());
    f.model.removeNeedle(1, true);
    QVERIFY(!f.model.closeSession());
    f.model.removeNeedle(2, false);  // broken: needs its adverse event
    QVERIFY(!f.model.closeSession());
    QVERIFY(f.model.closeBlockers().join(' ').contains("DN-CLOSE-BROKEN-NEEDLE"));
    f.model.addAdverseEvent("broken_needle", "moderate", "tip retained");
    QVERIFY2(f.model.closeSession(), qPrintable(f.model.closeBlockers().join('\n')));
    QVERIFY(f.model.closed());
    QVERIFY(!f.model.insertNeedle());
  }

  void thoracicNeedlingNeedsAdviceAndObservation() {
    Fixture f;
    f.screenedPatient();
    f.model.selectPoint("back", 0.55, 0.25);
    f.model.setNeedleLengthMm(15);
    QVERIFY(f.model.insertNeedle());
    f.model.removeNeedle(1, true);
    QVERIFY(!f.model.closeSession());
    QVERIFY(f.model.closeBlockers().join(' ').contains("DN-CLOSE-PNEUMOTHORAX-ADVICE"));
    f.model.recordPneumothoraxAdvice();
    f.model.setObservationMinutes(10);
    QVERIFY(!f.model.closeSession());
    f.model.setObservationMinutes(20);
    QVERIFY(f.model.closeSession());
  }

  void nothingIsRecordedWithoutASession() {
    // Logged in, no session open: ClinicalContext gives the practitioner and no patient.
    Fixture f;
    f.screenedPatient();
    ui::CaseInputs noSession = f.inputs;
    noSession.patient.reset();
    noSession.sessionId = 0;
    f.model.setCaseInputs(noSession);
    f.model.selectRegion("quadriceps_right");
    const auto startSessionFirst = [&] { return f.model.message().contains("Start a session first"); };
    QVERIFY(!f.model.insertNeedle());
    QVERIFY2(startSessionFirst(), qPrintable(f.model.message()));
    QCOMPARE(f.model.needlesIn(), 0);
    QCOMPARE(f.audit.records.size(), std::size_t{1});  // the tap is audited like every refusal
    QVERIFY(f.audit.records[0].kind == safety::SafetyAuditRecord::Kind::Refusal);
    f.model.setPain("before", 4);
    QVERIFY(startSessionFirst());
    QCOMPARE(f.model.painBefore(), -1);
    f.model.addManualLtr();
    QVERIFY(f.model.ltrs().isEmpty());
    f.model.markInsertion();
    f.model.recordPneumothoraxAdvice();
    QVERIFY(!f.model.pneumothoraxAdviceGiven());
    f.model.setObservationMinutes(20);
    QCOMPARE(f.model.observationMinutes(), 0.0);
    // A suspected pneumothorax shows the emergency advice all the same; it is not recorded.
    f.model.addAdverseEvent("suspected_pneumothorax", "severe", "breathless");
    QVERIFY(f.model.emergencyAdvice().contains("PNEUMOTHORAX"));
    QVERIFY(f.model.adverseEvents().isEmpty());
    QVERIFY2(startSessionFirst(), qPrintable(f.model.message()));
    QVERIFY2(f.record.lines.isEmpty(), qPrintable(f.record.lines.join(", ")));

    // A patient without an open session (not what ClinicalContext gives, but the rule is the
    // session): the rules would allow this needle, the page still records nothing.
    f.screenedPatient(false, false, /*sessionId=*/0);
    QVERIFY(f.model.decision().value("mayProceed").toBool());
    QVERIFY(!f.model.insertNeedle());
    QVERIFY(startSessionFirst());
    QVERIFY(f.record.lines.isEmpty());

    // Once the session is open the same taps are recorded.
    f.screenedPatient();
    QVERIFY2(f.model.insertNeedle(), qPrintable(f.model.message()));
    f.model.setPain("before", 4);
    QCOMPARE(f.record.lines, (QStringList{"in 1", "pain before 4"}));
    // The session ends with the needle in: it is taken out on the page once the session is back.
    f.model.setCaseInputs(noSession);
    f.model.removeNeedle(1, true);
    QVERIFY(startSessionFirst());
    QCOMPARE(f.model.needlesIn(), 1);
    f.model.setCaseInputs(f.inputs);
    f.model.removeNeedle(1, true);
    QCOMPARE(f.model.needlesIn(), 0);
    QCOMPARE(f.record.lines.last(), QStringLiteral("out 1 1"));
  }

  void namesTheRulesDoNotKnowAreRefusedInWords() {
    // Technique, direction, position and waveform are the case format's names, parsed by the
    // safety library; an unknown one changes nothing and says so (never a quiet default).
    Fixture f;
    f.screenedPatient();
    f.model.selectRegion("upper_trapezius_right");
    f.model.setTechnique("pincer");
    QVERIFY(f.model.buildCase(safety::ActKind::Needling).needling.technique == safety::Technique::Pincer);
    f.model.setTechnique("pincher");
    QVERIFY2(f.model.message().contains("Unknown technique \"pincher\""), qPrintable(f.model.message()));
    QVERIFY(f.model.message().contains("rib_bracketing"));  // what may be chosen
    QCOMPARE(f.model.property("technique").toString(), QStringLiteral("pincer"));
    QVERIFY(f.model.buildCase(safety::ActKind::Needling).needling.technique == safety::Technique::Pincer);

    f.model.setDirection("toward_thorax");
    QVERIFY(f.model.buildCase(safety::ActKind::Needling).needling.direction == safety::Direction::TowardThorax);
    f.model.setDirection("toward-spine");  // not the format's spelling
    QVERIFY2(f.model.message().contains("Unknown direction"), qPrintable(f.model.message()));
    QCOMPARE(f.model.property("direction").toString(), QStringLiteral("toward_thorax"));
    QVERIFY(f.model.buildCase(safety::ActKind::Needling).needling.direction == safety::Direction::TowardThorax);

    f.model.setPosition("kneeling");
    QVERIFY(f.model.message().contains("Unknown patient position"));
    QVERIFY(f.model.buildCase(safety::ActKind::Needling).needling.position == safety::PatientPosition::Lying);
    f.model.setPosition("sitting");
    QVERIFY(f.model.buildCase(safety::ActKind::Needling).needling.position == safety::PatientPosition::Sitting);

    f.model.setEstimEnabled(true);
    f.model.setEstim("waveform", "square");
    QVERIFY(f.model.message().contains("Unknown e-stim waveform"));
    QCOMPARE(f.model.estim().value("waveform").toString(), QStringLiteral("biphasic_symmetric"));
    f.model.setEstim("waveform", "dc");
    QVERIFY(f.model.buildCase(safety::ActKind::Needling).needling.estim->waveform == safety::Waveform::DirectCurrent);
  }

  void manualLtrsPainAndPneumothoraxAdvice() {
    Fixture f;
    f.screenedPatient();
    f.model.selectRegion("upper_trapezius_right");
    f.model.addManualLtr();
    QCOMPARE(f.model.ltrs().size(), 1);
    QVERIFY(f.model.ltrs().first().toMap().value("manual").toBool());
    QCOMPARE(f.model.siteLtrCount(), 1);
    f.model.rejectLtr(0);
    QCOMPARE(f.model.siteLtrCount(), 0);
    f.model.setPain("before", 7);
    f.model.setPain("after", 11);  // out of range: ignored
    QCOMPARE(f.model.painBefore(), 7);
    QCOMPARE(f.model.painAfter(), -1);
    QVERIFY(f.model.emergencyAdvice().isEmpty());
    f.model.addAdverseEvent("suspected_pneumothorax", "grave", "");  // not a grade: refused
    QVERIFY(f.model.adverseEvents().isEmpty());
    f.model.addAdverseEvent("suspected_pneumothorax", "severe", "breathless");
    QVERIFY(f.model.emergencyAdvice().contains("PNEUMOTHORAX"));
  }
};

QTEST_MAIN(NeedlingModelTest)
#include "test_needling_model.moc"
