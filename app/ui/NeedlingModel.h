#pragma once

#include "core/SessionClock.h"
#include "emglive/EmgStream.h"
#include "safety/AuditedSafety.h"
#include "ui/CaseInputs.h"
#include "ui/EmgTraceItem.h"
#include "ui/SupervisorApprovals.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <optional>

namespace tautband::emgaudio {
class EmgAudioOutput;
}

namespace tautband::ui {

// What the needling page writes to the clinical record. The console passes a
// store-backed implementation once the session/patient side is wired; until
// then a logging one (app/console/NeedlingServices.cpp) — the page says so.
class NeedlingRecordSink {
 public:
  virtual ~NeedlingRecordSink() = default;
  virtual bool persistent() const = 0;  // false: the record goes to the log only
  virtual void needleIn(int needleNo, const QVariantMap& needle, std::int64_t clockUs) = 0;
  virtual void needleOut(int needleNo, bool intact, std::int64_t clockUs) = 0;
  virtual void ltr(const QVariantMap& ltr) = 0;  // detected, confirmed, rejected or manual
  virtual void pain(const QString& moment, int nprs, std::int64_t clockUs) = 0;
  virtual void adverseEvent(const QString& kind, const QString& grade, const QString& description, std::int64_t clockUs) = 0;
  virtual void emgRecording(const QString& path, const QString& hashAlgorithm, const QString& hash, double rateHz,
                            int channels, bool research, std::int64_t startedUs) = 0;
  virtual void note(const QString& text, std::int64_t clockUs) = 0;
};

// The amplifier the needle is connected to, as the driver and device declare it.
struct AmplifierInfo {
  bool connected = false;
  QString model;
  QString isolation;  // the driver manifest's patient_isolation, or the device's applied part
  bool isolated = false;
};

// The needling page's view model: site, needle and e-stim parameters, the
// safety decision before every insertion (AuditedSafety: never a second
// engine), needles in/out, live LTRs from the EMG thread with confirm /
// reject / add-by-hand, pain before/after, adverse events and what must be
// done before the session may close. LTR counts are information only: no
// decision here reads them.
class NeedlingModel : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(QVariantMap site READ site NOTIFY siteChanged)
  Q_PROPERTY(double needleLengthMm MEMBER lengthMm_ WRITE setNeedleLengthMm NOTIFY parametersChanged)
  Q_PROPERTY(double needleGaugeMm MEMBER gaugeMm_ WRITE setNeedleGaugeMm NOTIFY parametersChanged)
  Q_PROPERTY(QString needleLot MEMBER lot_ WRITE setNeedleLot NOTIFY parametersChanged)
  Q_PROPERTY(QString technique MEMBER technique_ WRITE setTechnique NOTIFY parametersChanged)
  Q_PROPERTY(QString direction MEMBER direction_ WRITE setDirection NOTIFY parametersChanged)
  Q_PROPERTY(QString position MEMBER position_ WRITE setPosition NOTIFY parametersChanged)
  Q_PROPERTY(double ultrasoundDepthMm MEMBER ultrasoundMm_ WRITE setUltrasoundDepthMm NOTIFY parametersChanged)
  Q_PROPERTY(bool estimEnabled MEMBER estimEnabled_ WRITE setEstimEnabled NOTIFY parametersChanged)
  Q_PROPERTY(QVariantMap estim READ estim NOTIFY parametersChanged)
  Q_PROPERTY(QString caseNotice READ caseNotice NOTIFY parametersChanged)
  Q_PROPERTY(QVariantMap decision READ decision NOTIFY decisionChanged)
  // SUPERVISOR approvals in force: [{ruleId, supervisor, reason, auditSequence}].
  Q_PROPERTY(QVariantList approvals READ approvals NOTIFY decisionChanged)
  Q_PROPERTY(QVariantList needles READ needles NOTIFY needlesChanged)
  Q_PROPERTY(int needlesIn READ needlesIn NOTIFY needlesChanged)
  Q_PROPERTY(QVariantList ltrs READ ltrs NOTIFY ltrsChanged)
  Q_PROPERTY(int siteLtrCount READ siteLtrCount NOTIFY ltrsChanged)
  Q_PROPERTY(QVariantList ltrCounts READ ltrCounts NOTIFY ltrsChanged)
  Q_PROPERTY(int painBefore READ painBefore NOTIFY painChanged)
  Q_PROPERTY(int painAfter READ painAfter NOTIFY painChanged)
  Q_PROPERTY(QVariantList adverseEvents READ adverseEvents NOTIFY adverseChanged)
  Q_PROPERTY(QString emergencyAdvice READ emergencyAdvice NOTIFY adverseChanged)
  Q_PROPERTY(bool thoracicNeedling READ thoracicNeedling NOTIFY closeStateChanged)
  Q_PROPERTY(bool pneumothoraxAdviceGiven READ pneumothoraxAdviceGiven NOTIFY closeStateChanged)
  Q_PROPERTY(double observationMinutes READ observationMinutes NOTIFY closeStateChanged)
  Q_PROPERTY(QStringList closeBlockers READ closeBlockers NOTIFY closeStateChanged)
  Q_PROPERTY(bool closed READ closed NOTIFY closeStateChanged)
  Q_PROPERTY(QString amplifierWarning READ amplifierWarning NOTIFY deviceChanged)
  Q_PROPERTY(QString emgStatus READ emgStatus NOTIFY deviceChanged)
  Q_PROPERTY(bool audioAvailable READ audioAvailable NOTIFY audioChanged)
  Q_PROPERTY(QString audioMessage READ audioMessage NOTIFY audioChanged)
  Q_PROPERTY(bool audioMuted READ audioMuted WRITE setAudioMuted NOTIFY audioChanged)
  Q_PROPERTY(double audioGainUv READ audioGainUv WRITE setAudioGainUv NOTIFY audioChanged)
  Q_PROPERTY(QString recordNotice READ recordNotice CONSTANT)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)
  Q_PROPERTY(tautband::ui::EmgDisplaySource* display READ display CONSTANT)

 public:
  using AmplifierQuery = std::function<AmplifierInfo()>;

  NeedlingModel(safety::AuditedSafety& safety, const safety::Evaluator& evaluator, const core::SessionClock& clock,
                NeedlingRecordSink& record, emglive::EmgStream* stream, emgaudio::EmgAudioOutput* audio,
                AmplifierQuery amplifier, QObject* parent = nullptr);

  QVariantMap site() const;
  void setNeedleLengthMm(double v);
  void setNeedleGaugeMm(double v);
  void setNeedleLot(const QString& v);
  void setTechnique(const QString& v);
  void setDirection(const QString& v);
  void setPosition(const QString& v);
  void setUltrasoundDepthMm(double v);
  void setEstimEnabled(bool v);
  QVariantMap estim() const { return estim_; }
  // What the store does not give for this case, in words ("" when everything is known).
  QString caseNotice() const;
  // Practitioner, patient screening and the patient's lung-field history from the store
  // (ClinicalContext); evaluated again at once.
  void setCaseInputs(const CaseInputs& inputs);
  QVariantMap decision() const { return decision_; }
  QVariantList approvals() const { return approvals_.toVariantList(); }
  QVariantList needles() const { return needles_; }
  int needlesIn() const;
  QVariantList ltrs() const { return ltrs_; }
  int siteLtrCount() const;
  QVariantList ltrCounts() const;
  int painBefore() const { return painBefore_; }
  int painAfter() const { return painAfter_; }
  QVariantList adverseEvents() const { return adverse_; }
  QString emergencyAdvice() const { return emergencyAdvice_; }
  bool thoracicNeedling() const { return thoracic_; }
  bool pneumothoraxAdviceGiven() const { return adviceGiven_; }
  double observationMinutes() const { return observationMin_; }
  QStringList closeBlockers() const { return closeBlockers_; }
  bool closed() const { return closed_; }
  QString amplifierWarning() const { return amplifierWarning_; }
  QString emgStatus() const { return emgStatus_; }
  bool audioAvailable() const;
  QString audioMessage() const;
  bool audioMuted() const { return audioMuted_; }
  void setAudioMuted(bool muted);
  double audioGainUv() const { return audioGainUv_; }
  void setAudioGainUv(double uv);
  QString recordNotice() const;
  QString message() const { return message_; }
  EmgDisplaySource* display() const { return display_; }

  // Site: a tap on the body map (view "front"/"back", normalised x, y) or a region id.
  Q_INVOKABLE void selectPoint(const QString& view, double x, double y);
  Q_INVOKABLE void selectRegion(const QString& regionId);
  Q_INVOKABLE void setEstim(const QString& key, const QVariant& value);

  // Safety: evaluate now (also done on every change); ACK with a reason.
  Q_INVOKABLE void evaluate();
  Q_INVOKABLE bool acknowledge(const QString& ruleId, const QString& reason);
  Q_INVOKABLE QString supervisorHelp(const QString& ruleId) const;
  // SUPERVISOR rules (docs/SAFETY.md "Supervisor approval on the treatment pages"): what the
  // page hands SupervisorDialog ({available, why, ruleId, ruleText, context with session_id,
  // patient_id, practitioner and the rule's inputs, scope}); then, once the store has
  // re-authenticated the second person, the approval applied through AuditedSafety::approve
  // (refused if the case changed since the request, the supervisor is the practitioner, the
  // rule is not a firing SUPERVISOR rule or the reason is empty).
  Q_INVOKABLE QVariant supervisorRequest(const QString& ruleId);  // a QVariantMap (var in QML)
  Q_INVOKABLE bool applySupervisorApproval(const QString& ruleId, const QString& supervisorLogin,
                                           const QString& reason, qint64 auditSequence, const QString& scope);
  Q_INVOKABLE void supervisorRefused(const QString& ruleId, const QString& why);
  // "The same case" for an approval of `ruleId`: AMP-RESEARCH holds for the session and the
  // amplifier; every other rule for this needle at this site in this session.
  QJsonObject approvalScope(const QString& ruleId) const;
  // What an approval rested on was withdrawn (e.g. the clinic turned its research setting off):
  // the standing approval of `ruleId` ends now and the page says why. Returns it, for the
  // caller's audit entry; nullopt when there was none.
  std::optional<SupervisorApprovals::Approval> revokeSupervisorApproval(const QString& ruleId, const QString& why);

  // Needles: insert only after the rules allowed this exact act.
  Q_INVOKABLE bool insertNeedle();
  Q_INVOKABLE void removeNeedle(int needleNo, bool intact);
  Q_INVOKABLE void markInsertion();  // insertion/redirection: LTR detector ignores the insertional burst

  // LTRs (index into ltrs, newest first).
  Q_INVOKABLE void confirmLtr(int index);
  Q_INVOKABLE void rejectLtr(int index);
  Q_INVOKABLE void addManualLtr();

  Q_INVOKABLE void setPain(const QString& moment, int nprs);  // "before" | "after"
  Q_INVOKABLE void addAdverseEvent(const QString& kind, const QString& grade, const QString& description);
  Q_INVOKABLE void recordPneumothoraxAdvice();
  Q_INVOKABLE void setObservationMinutes(double minutes);
  Q_INVOKABLE bool closeSession();

  // Test/automation hook: take what the EMG thread published (also on ltrAvailable).
  Q_INVOKABLE void takeLtrs();

  // Case as the page knows it (exposed for tests and the audit).
  safety::Case buildCase(safety::ActKind act) const;

 signals:
  void siteChanged();
  void parametersChanged();
  void decisionChanged();
  void needlesChanged();
  void ltrsChanged();
  void painChanged();
  void adverseChanged();
  void closeStateChanged();
  void deviceChanged();
  void audioChanged();
  void messageChanged();
  // For the trace: draw a marker at this session time (channel 0-based, -1 all).
  void ltrMarked(double sessionS, int channel, bool manual);

 private:
  void parametersEdited();
  void setMessage(const QString& m);
  // `text` as the case format names it, into `into`; an unknown name changes nothing and the
  // page says which names `what` may take.
  template <typename E>
  bool parseName(const QString& text, E& into, std::optional<E> (*parse)(std::string_view), const QString& what,
                 std::string (*known)());
  void applyDecision(const safety::Decision& d);
  void refreshCloseBlockers();
  void refreshDevice();
  QString siteKey() const;
  void startRecordingIfNeeded();
  // "No session" is decided here, once, for everything the therapist records on this page:
  // without a ClinicalContext session (a patient and its session id) nothing reaches the
  // record and the page says "Start a session first" naming `what`. The amplifier's detector
  // is not the therapist: its LTRs go on to the record, which alone treats those arriving
  // outside a session as information (StoreNeedlingRecord).
  bool sessionOpen() const;
  bool requireSession(const QString& what);

  safety::AuditedSafety& safety_;
  const safety::Evaluator& evaluator_;
  const core::SessionClock& clock_;
  NeedlingRecordSink& record_;
  emglive::EmgStream* stream_;
  emgaudio::EmgAudioOutput* audio_;
  AmplifierQuery amplifierQuery_;
  EmgDisplaySource* display_;
  QTimer deviceTimer_;

  safety::Site site_;
  double lengthMm_ = 25, gaugeMm_ = 0.25;
  QString lot_, technique_ = QStringLiteral("flat"), direction_ = QStringLiteral("perpendicular"),
                position_ = QStringLiteral("lying");
  // The names above as the rules read them (parsed once, when set; estim_'s waveform likewise).
  safety::Technique techniqueKind_ = safety::Technique::Flat;
  safety::Direction directionKind_ = safety::Direction::Perpendicular;
  safety::PatientPosition positionKind_ = safety::PatientPosition::Lying;
  safety::Waveform waveformKind_ = safety::Waveform::BiphasicSymmetric;
  double ultrasoundMm_ = 0;  // 0: none measured
  bool estimEnabled_ = false;
  QVariantMap estim_;
  CaseInputs inputs_;
  QStringList acknowledged_;
  SupervisorApprovals approvals_;
  QVariantMap decision_;
  bool decisionAllowsInsertion_ = false;
  QVariantList needles_;
  QVariantList ltrs_;
  int nextNeedle_ = 1;
  int painBefore_ = -1, painAfter_ = -1;
  QVariantList adverse_;
  QString emergencyAdvice_;
  bool thoracic_ = false, adviceGiven_ = false, closed_ = false;
  double observationMin_ = 0;
  QStringList closeBlockers_;
  // Lung-field insertions made on this page since the last store read (the store's history
  // of the patient comes in inputs_).
  std::vector<safety::LungFieldInsertion> lungHistory_;
  QString amplifierWarning_, emgStatus_;
  AmplifierInfo amplifier_;
  bool audioMuted_ = false;
  double audioGainUv_ = 500;
  QString message_;
  bool recording_ = false;
  QString recordingDirectory_;

 public:
  void setRecordingDirectory(const QString& dir) { recordingDirectory_ = dir; }
};

}  // namespace tautband::ui
