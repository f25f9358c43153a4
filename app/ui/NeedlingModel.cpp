#include "ui/NeedlingModel.h"

#include "core/Logging.h"
#include "emgaudio/EmgAudioOutput.h"
#include "emgrecord/EmgChunkFile.h"
#include "safety/CaseJson.h"

#include <QDate>
#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>

namespace tautband::ui {

namespace {

QString str(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }


const QString kPneumothoraxAdvice = QObject::tr(
    "SUSPECTED PNEUMOTHORAX — stop needling now. Remove all needles. Keep the patient sitting upright and "
    "observed; check breathing, pulse and oxygen saturation. Call emergency services if breathless, chest pain, "
    "falling saturation or worsening. Symptoms can appear hours later: never send the patient away alone.");

}  // namespace

NeedlingModel::NeedlingModel(safety::AuditedSafety& safety, const safety::Evaluator& evaluator,
                             const core::SessionClock& clock, NeedlingRecordSink& record, emglive::EmgStream* stream,
                             emgaudio::EmgAudioOutput* audio, AmplifierQuery amplifier, QObject* parent)
    : QObject(parent), safety_(safety), evaluator_(evaluator), clock_(clock), record_(record), stream_(stream),
      audio_(audio), amplifierQuery_(std::move(amplifier)),
      display_(new EmgDisplaySource([stream] { return stream ? stream->display() : nullptr; }, this)) {
  estim_ = {{"electrode_b_region", QString()}, {"waveform", QStringLiteral("biphasic_symmetric")},
            {"frequency_hz", 2.0},            {"current_ma", 2.0},
            {"pulse_width_us", 250.0},        {"stimulator_max_ma", 25.0},
            {"length_in_tissue_mm", 20.0}};
  if (stream_) connect(stream_, &emglive::EmgStream::ltrAvailable, this, &NeedlingModel::takeLtrs, Qt::QueuedConnection);
  if (stream_) {
    connect(stream_, &emglive::EmgStream::recordingFinished, this,
            [this](const QString& path, const QString& hash, double rate, int channels, qint64 startUs, quint64 dropped) {
              record_.emgRecording(path, QString::fromLatin1(emgrecord::kHashAlgorithm), hash, rate, channels,
                                   amplifier_.connected && !amplifier_.isolated, startUs);
              setMessage(tr("EMG recording closed: %1 (BLAKE2b %2…, %3 frames dropped)")
                             .arg(QDir(path).dirName(), hash.left(12)).arg(dropped));
            });
    connect(stream_, &emglive::EmgStream::recordingFailed, this, [this](const QString& reason) { setMessage(reason); });
  }
  if (audio_) connect(audio_, &emgaudio::EmgAudioOutput::availabilityChanged, this, &NeedlingModel::audioChanged);
  deviceTimer_.setInterval(500);
  connect(&deviceTimer_, &QTimer::timeout, this, &NeedlingModel::refreshDevice);
  deviceTimer_.start();
  refreshDevice();
  evaluate();
}

QString NeedlingModel::caseNotice() const {
  QStringList missing;
  if (!inputs_.practitioner) missing << tr("Nobody is logged in: the dry-needling credential cannot be checked.");
  if (!inputs_.patient) missing << tr("No session is open: the patient's screening and consent are unknown.");
  if (inputs_.patient) missing << inputs_.patient->notes;
  return missing.join(QLatin1Char('\n'));
}

void NeedlingModel::setCaseInputs(const CaseInputs& inputs) {
  const bool otherPatient = !inputs.patient || !inputs_.patient || inputs.patient->patientId != inputs_.patient->patientId;
  const bool otherPractitioner = inputs.practitioner.has_value() != inputs_.practitioner.has_value() ||
                                 (inputs.practitioner && inputs_.practitioner &&
                                  inputs.practitioner->userId != inputs_.practitioner->userId);
  const bool otherSession = inputs.sessionId != inputs_.sessionId;
  inputs_ = inputs;
  if (otherPatient) lungHistory_.clear();  // this page's insertions belong to the previous patient
  // A supervisor approval holds for one session, one patient and one practitioner.
  if ((otherPatient || otherPractitioner || otherSession) && !approvals_.empty()) {
    approvals_.clear();
    setMessage(tr("Supervisor approvals ended with the session, patient or practitioner change."));
  }
  parametersEdited();
}

QString NeedlingModel::recordNotice() const {
  if (record_.persistent()) return {};
  return tr("The clinical record is not wired to this page yet: needles, twitch responses, pain and adverse "
            "events go to the console log, and safety decisions are audited to the log.");
}

QVariantMap NeedlingModel::site() const {
  QVariantMap m;
  const auto resolved = safety::resolveSite(evaluator_.atlas(), site_);
  m.insert(QStringLiteral("selected"), site_.regionId.has_value() || site_.point.has_value());
  m.insert(QStringLiteral("regionId"), site_.regionId ? QString::fromStdString(*site_.regionId) : QString());
  m.insert(QStringLiteral("muscle"), resolved.muscle ? QString::fromStdString(resolved.muscle->name) : QString());
  m.insert(QStringLiteral("side"), str(anatomy::toString(resolved.side)));
  m.insert(QStringLiteral("view"), site_.view ? str(anatomy::toString(*site_.view)) : QString());
  m.insert(QStringLiteral("x"), site_.point ? site_.point->x : -1.0);
  m.insert(QStringLiteral("y"), site_.point ? site_.point->y : -1.0);
  QStringList zones;
  for (const auto* z : resolved.zones) zones << QString::fromStdString(z->structure);
  zones.removeDuplicates();
  m.insert(QStringLiteral("zones"), zones);
  m.insert(QStringLiteral("label"), siteKey());
  m.insert(QStringLiteral("liftable"), resolved.muscle && resolved.muscle->liftable);
  m.insert(QStringLiteral("ribPalpable"), resolved.muscle && resolved.muscle->ribPalpable);
  m.insert(QStringLiteral("referral"), resolved.muscle ? QString::fromStdString(resolved.muscle->referralText) : QString());
  return m;
}

QString NeedlingModel::siteKey() const {
  const auto resolved = safety::resolveSite(evaluator_.atlas(), site_);
  if (!resolved.muscle) return site_.point ? tr("point without a muscle") : tr("no site");
  return QStringLiteral("%1 (%2)").arg(QString::fromStdString(resolved.muscle->name), str(anatomy::toString(resolved.side)));
}

void NeedlingModel::selectPoint(const QString& view, double x, double y) {
  const auto v = anatomy::viewFromString(view.toStdString());
  if (!v) return;
  site_.view = v;
  site_.point = anatomy::Point{x, y};
  const auto hits = evaluator_.atlas().regionsAt(*v, {x, y});
  site_.regionId = hits.empty() ? std::nullopt : std::optional<std::string>(hits.front()->id);
  emit siteChanged();
  emit ltrsChanged();
  parametersEdited();
}

void NeedlingModel::selectRegion(const QString& regionId) {
  const auto* r = evaluator_.atlas().region(regionId.toStdString());
  if (!r) {
    setMessage(tr("Unknown region %1").arg(regionId));
    return;
  }
  site_.regionId = r->id;
  site_.view = r->view;
  site_.point = anatomy::centroidOf(r->polygon);
  emit siteChanged();
  emit ltrsChanged();
  parametersEdited();
}

#define TB_SETTER(name, member, type)  \
  void NeedlingModel::name(type v) {   \
    if (member == v) return;           \
    member = v;                        \
    parametersEdited();                \
  }
TB_SETTER(setNeedleLengthMm, lengthMm_, double)
TB_SETTER(setNeedleGaugeMm, gaugeMm_, double)
TB_SETTER(setNeedleLot, lot_, const QString&)
TB_SETTER(setUltrasoundDepthMm, ultrasoundMm_, double)
TB_SETTER(setEstimEnabled, estimEnabled_, bool)
#undef TB_SETTER

// The page's names are the case format's (safety::techniqueFromName and its siblings, the
// one parser): a name it does not know is refused in words and the value in force stays.
template <typename E>
bool NeedlingModel::parseName(const QString& text, E& into, std::optional<E> (*parse)(std::string_view),
                              const QString& what, std::string (*known)()) {
  const auto value = parse(text.toStdString());
  if (!value) {
    setMessage(tr("Unknown %1 \"%2\": nothing changed. Choose one of: %3.").arg(what, text, QString::fromStdString(known())));
    emit parametersChanged();  // the page shows the value still in force
    return false;
  }
  into = *value;
  return true;
}

void NeedlingModel::setTechnique(const QString& v) {
  if (v == technique_ || !parseName(v, techniqueKind_, &safety::techniqueFromName, tr("technique"), &safety::techniqueNames))
    return;
  technique_ = v;
  parametersEdited();
}

void NeedlingModel::setDirection(const QString& v) {
  if (v == direction_ || !parseName(v, directionKind_, &safety::directionFromName, tr("direction"), &safety::directionNames))
    return;
  direction_ = v;
  parametersEdited();
}

void NeedlingModel::setPosition(const QString& v) {
  if (v == position_ ||
      !parseName(v, positionKind_, &safety::positionFromName, tr("patient position"), &safety::positionNames))
    return;
  position_ = v;
  parametersEdited();
}

void NeedlingModel::setEstim(const QString& key, const QVariant& value) {
  if (!estim_.contains(key)) return;
  if (key == QLatin1String("waveform") &&
      !parseName(value.toString(), waveformKind_, &safety::waveformFromName, tr("e-stim waveform"), &safety::waveformNames))
    return;
  estim_.insert(key, value);
  parametersEdited();
}

void NeedlingModel::parametersEdited() {
  // An acknowledgement belongs to the act it was given for.
  acknowledged_.clear();
  emit parametersChanged();
  evaluate();
  refreshCloseBlockers();
}

safety::Case NeedlingModel::buildCase(safety::ActKind act) const {
  using namespace std::chrono;
  safety::Case c;
  c.evaluatedAt = floor<seconds>(system_clock::now());
  c.act = act;
  c.site = site_;
  auto& n = c.needling;
  n.needleLengthMm = lengthMm_;
  n.needleGaugeMm = gaugeMm_;
  n.needleLot = lot_.toStdString();
  n.technique = techniqueKind_;
  n.direction = directionKind_;
  n.position = positionKind_;
  if (ultrasoundMm_ > 0) n.ultrasoundDepthMm = ultrasoundMm_;
  if (estimEnabled_) {
    safety::Estim e;
    e.waveform = waveformKind_;
    e.currentPeakMa = estim_.value("current_ma").toDouble();
    e.pulseWidthUs = estim_.value("pulse_width_us").toDouble();
    e.frequencyHz = estim_.value("frequency_hz").toDouble();
    e.stimulatorMaxCurrentMa = estim_.value("stimulator_max_ma").toDouble();
    const double inTissue = estim_.value("length_in_tissue_mm").toDouble();
    e.a = {site_, inTissue, gaugeMm_};
    safety::Site b;
    const QString bRegion = estim_.value("electrode_b_region").toString();
    if (!bRegion.isEmpty()) b.regionId = bRegion.toStdString();
    e.b = {b, inTissue, gaugeMm_};
    n.estim = e;
  }
  // Practitioner, screening, site conditions (of every needle's site: e-stim's second needle
  // too) and the store's lung-field history; then what this page inserted since that was read.
  inputs_.applyTo(c);
  c.history.lungFieldInsertions.insert(c.history.lungFieldInsertions.end(), lungHistory_.begin(), lungHistory_.end());
  if (amplifier_.connected) n.amplifier = safety::Amplifier{amplifier_.isolated, amplifier_.model.toStdString()};
  int in = 0, out = 0, broken = 0;
  for (const auto& v : needles_) {
    const auto m = v.toMap();
    ++in;
    if (m.value("out").toBool()) ++out;
    if (m.value("out").toBool() && !m.value("intact").toBool()) ++broken;
  }
  int brokenEvents = 0;
  for (const auto& v : adverse_) brokenEvents += v.toMap().value("kind").toString() == QLatin1String("broken_needle");
  c.close = {in, out, broken, brokenEvents, adviceGiven_, observationMin_};
  c.history.thoracicNeedlingThisSession = thoracic_;
  for (const auto& id : acknowledged_) c.acknowledged.push_back(id.toStdString());
  // Only approvals given for exactly this case (approvalScope) reach the rules.
  c.supervisorApproved = approvals_.applicable([this](const QString& id) { return approvalScope(id); });
  return c;
}

void NeedlingModel::applyDecision(const safety::Decision& d) {
  QVariantList fired;
  for (const auto& f : d.fired) {
    const QString id = QString::fromStdString(f.ruleId);
    const auto* approval =
        f.level == safety::Level::Supervisor &&
                std::find(d.supervisorRequired.begin(), d.supervisorRequired.end(), f.ruleId) == d.supervisorRequired.end()
            ? approvals_.find(id)
            : nullptr;
    fired << QVariantMap{{"ruleId", id},
                         {"level", str(safety::toString(f.level))},
                         {"message", QString::fromStdString(f.message)},
                         {"approved", approval != nullptr},
                         {"approvedBy", approval ? approval->supervisor : QString()},
                         {"approvalReason", approval ? approval->reason : QString()}};
  }
  QStringList acks, sup;
  for (const auto& a : d.acksRequired) acks << QString::fromStdString(a);
  for (const auto& a : d.supervisorRequired) sup << QString::fromStdString(a);
  const auto limit = d.limits.find("max_needle_length_mm");
  decision_ = {{"level", str(safety::toString(d.level))},
               {"message", QString::fromStdString(d.message)},
               {"mayProceed", d.mayProceed()},
               {"fired", fired},
               {"acksRequired", acks},
               {"supervisorRequired", sup},
               {"maxNeedleLengthMm", limit != d.limits.end() ? QVariant(limit->second) : QVariant()},
               {"lungField", d.lungFieldInsertion},
               {"thoracic", d.thoracicNeedling}};
  decisionAllowsInsertion_ = d.mayProceed();
  emit decisionChanged();
}

void NeedlingModel::evaluate() {
  const QStringList dropped = approvals_.dropChanged([this](const QString& id) { return approvalScope(id); });
  if (!dropped.isEmpty())
    setMessage(tr("Supervisor approval of %1 no longer applies: the site, needle or amplifier changed. Ask again if it "
                  "is still needed.").arg(dropped.join(QStringLiteral(", "))));
  // Live preview with the pure evaluator (not audited: every keystroke would be);
  // insertNeedle() evaluates through AuditedSafety before anything is recorded.
  applyDecision(evaluator_.decide(buildCase(safety::ActKind::Needling)));
}

bool NeedlingModel::acknowledge(const QString& ruleId, const QString& reason) {
  if (reason.trimmed().isEmpty()) {
    setMessage(tr("An acknowledgement needs a reason."));
    return false;
  }
  try {
    const auto d = safety_.acknowledge(buildCase(safety::ActKind::Needling), ruleId.toStdString(), reason.trimmed().toStdString());
    acknowledged_ << ruleId;
    applyDecision(d);
    setMessage(tr("%1 acknowledged").arg(ruleId));
    return true;
  } catch (const std::exception& e) {
    setMessage(QString::fromStdString(e.what()));
    return false;
  }
}

QString NeedlingModel::supervisorHelp(const QString& ruleId) const {
  if (const auto* a = approvals_.find(ruleId))
    return ruleId == QLatin1String("AMP-RESEARCH")
               ? tr("Approved by %1 for this session: %2").arg(a->supervisor, a->reason)
               : tr("Approved by %1 for this needle at this site in this session: %2").arg(a->supervisor, a->reason);
  return ruleId == QLatin1String("AMP-RESEARCH")
             ? tr("%1 needs a second authorised person (not you) to approve with their full login and password. "
                  "The approval holds for this session and this amplifier.").arg(ruleId)
             : tr("%1 needs a second authorised person (not you) to approve with their full login and password. "
                  "The approval holds for this needle at this site in this session; any change needs a new one.")
                   .arg(ruleId);
}

QJsonObject NeedlingModel::approvalScope(const QString& ruleId) const {
  QJsonObject scope{{QStringLiteral("rule_id"), ruleId},
                    {QStringLiteral("session_id"), inputs_.sessionId},
                    {QStringLiteral("patient_id"), inputs_.patient ? inputs_.patient->patientId : qint64{0}},
                    {QStringLiteral("practitioner"),
                     inputs_.practitioner ? QString::fromStdString(inputs_.practitioner->userId) : QString()}};
  if (ruleId == QLatin1String("AMP-RESEARCH")) {
    // SAFETY-RULES.md Amplifiers: "SUPERVISOR per session" — the amplifier, not the site.
    scope.insert(QStringLiteral("amplifier"), QJsonObject{{QStringLiteral("model"), amplifier_.model},
                                                          {QStringLiteral("isolated"), amplifier_.isolated},
                                                          {QStringLiteral("isolation"), amplifier_.isolation}});
    // The approval rests on the clinic's research setting: once it is off, the approval is gone
    // for good (turning it on again needs a new one; SettingsServices audits the revocation).
    scope.insert(QStringLiteral("research_amplifier_allowed"), evaluator_.settings().researchAmplifierAllowed);
    return scope;
  }
  // Every other needling SUPERVISOR rule (DN-LUNG-DISEASE): this needle at this site. The
  // muscle on its side when the tap found one, else the point itself.
  QJsonObject site;
  if (site_.regionId) {
    site.insert(QStringLiteral("region_id"), QString::fromStdString(*site_.regionId));
  } else if (site_.point) {
    site.insert(QStringLiteral("view"), site_.view ? str(anatomy::toString(*site_.view)) : QString());
    site.insert(QStringLiteral("x"), site_.point->x);
    site.insert(QStringLiteral("y"), site_.point->y);
  }
  scope.insert(QStringLiteral("site"), site);
  scope.insert(QStringLiteral("needle_length_mm"), lengthMm_);
  scope.insert(QStringLiteral("needle_gauge_mm"), gaugeMm_);
  scope.insert(QStringLiteral("technique"), technique_);
  scope.insert(QStringLiteral("direction"), direction_);
  scope.insert(QStringLiteral("patient_position"), position_);
  scope.insert(QStringLiteral("ultrasound_depth_mm"), ultrasoundMm_);
  scope.insert(QStringLiteral("estim"), estimEnabled_);
  return scope;
}

QVariant NeedlingModel::supervisorRequest(const QString& ruleId) {
  evaluate();
  QString why;
  const auto required = decision_.value(QStringLiteral("supervisorRequired")).toStringList();
  if (closed_) why = tr("the needling is closed");
  else if (!inputs_.practitioner) why = tr("nobody is logged in");
  else if (!inputs_.patient || inputs_.sessionId <= 0) why = tr("an approval belongs to a session: open the patient's session first");
  else if (!required.contains(ruleId)) why = tr("%1 does not ask for a supervisor's approval for this case").arg(ruleId);
  if (!why.isEmpty()) {
    setMessage(tr("Cannot ask a supervisor: %1.").arg(why));
    return QVariantMap{{QStringLiteral("available"), false}, {QStringLiteral("why"), why}};
  }
  QString ruleText;
  for (const auto& f : decision_.value(QStringLiteral("fired")).toList())
    if (f.toMap().value(QStringLiteral("ruleId")).toString() == ruleId) ruleText = f.toMap().value(QStringLiteral("message")).toString();
  const QJsonObject scope = approvalScope(ruleId);
  QJsonObject context = scope;  // the store's entry names the session, the patient and the inputs
  context.insert(QStringLiteral("act"), QStringLiteral("needling"));
  context.insert(QStringLiteral("site_label"), siteKey());
  if (const auto limit = decision_.value(QStringLiteral("maxNeedleLengthMm")); limit.isValid())
    context.insert(QStringLiteral("max_needle_length_mm"), limit.toDouble());
  return QVariantMap{{QStringLiteral("available"), true},
          {QStringLiteral("ruleId"), ruleId},
          {QStringLiteral("ruleText"), ruleText},
          {QStringLiteral("context"), context.toVariantMap()},
          {QStringLiteral("scope"), SupervisorApprovals::scopeText(scope)}};
}

std::optional<SupervisorApprovals::Approval> NeedlingModel::revokeSupervisorApproval(const QString& ruleId,
                                                                                    const QString& why) {
  const auto* standing = approvals_.find(ruleId);
  if (!standing) return std::nullopt;
  const SupervisorApprovals::Approval revoked = *standing;
  approvals_.remove(ruleId);
  setMessage(tr("Supervisor approval of %1 by %2 revoked: %3. A new approval is needed.").arg(ruleId, revoked.supervisor, why));
  evaluate();
  return revoked;
}

bool NeedlingModel::applySupervisorApproval(const QString& ruleId, const QString& supervisorLogin, const QString& reason,
                                            qint64 auditSequence, const QString& scope) {
  const QJsonObject now = approvalScope(ruleId);
  if (closed_ || SupervisorApprovals::scopeText(now) != scope) {
    setMessage(tr("Not applied: the case changed while the supervisor was approving %1. Ask again.").arg(ruleId));
    return false;
  }
  try {
    const auto d = safety_.approve(buildCase(safety::ActKind::Needling), ruleId.toStdString(),
                                   supervisorLogin.trimmed().toStdString(), reason.trimmed().toStdString());
    approvals_.add({ruleId, supervisorLogin.trimmed(), reason.trimmed(), auditSequence, now});
    applyDecision(d);
  } catch (const std::exception& e) {
    setMessage(tr("Approval not applied: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  setMessage(tr("%1 approved by %2: %3").arg(ruleId, supervisorLogin.trimmed(), reason.trimmed()));
  return true;
}

void NeedlingModel::supervisorRefused(const QString& ruleId, const QString& why) {
  setMessage(tr("%1 not approved: %2").arg(ruleId, why));
}

bool NeedlingModel::insertNeedle() {
  if (closed_) return false;
  const auto input = buildCase(safety::ActKind::Needling);
  safety::Decision d;
  try {
    d = safety_.evaluate(input);  // audited before anything is recorded
  } catch (const std::exception& e) {
    setMessage(tr("The safety decision could not be audited, so nothing was recorded: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  applyDecision(d);
  // The decision above is audited like every other (without a session the case has no
  // patient, so PF-NOT-SCREENED refuses it); the page then says what to do in words.
  if (!requireSession(tr("a needle"))) return false;
  if (!d.mayProceed()) {
    setMessage(tr("Not recorded: %1").arg(str(safety::toString(d.level))));
    return false;
  }
  const auto nowUs = clock_.nowUs();
  const QVariantMap needle{{"no", nextNeedle_},
                           {"site", siteKey()},
                           {"regionId", site_.regionId ? QString::fromStdString(*site_.regionId) : QString()},
                           {"lengthMm", lengthMm_},
                           {"gaugeMm", gaugeMm_},
                           {"lot", lot_},
                           {"technique", technique_},
                           {"direction", direction_},
                           {"inS", static_cast<double>(nowUs) * 1e-6},
                           {"out", false},
                           {"intact", true}};
  needles_ << needle;
  record_.needleIn(nextNeedle_, needle, nowUs);
  ++nextNeedle_;
  if (d.lungFieldInsertion) {
    const auto resolved = safety::resolveSite(evaluator_.atlas(), site_);
    lungHistory_.push_back({input.evaluatedAt, resolved.side});
  }
  if (d.thoracicNeedling && !thoracic_) {
    thoracic_ = true;
    emit closeStateChanged();
  }
  if (stream_) stream_->markInsertion();  // the insertion burst is not an LTR
  startRecordingIfNeeded();
  emit needlesChanged();
  refreshCloseBlockers();
  setMessage(tr("Needle %1 in: %2").arg(nextNeedle_ - 1).arg(siteKey()));
  return true;
}

void NeedlingModel::removeNeedle(int no, bool intact) {
  // The needle stays in on this page (and blocks closing) until its session is open again.
  if (!requireSession(tr("needle %1 out").arg(no))) return;
  for (auto& v : needles_) {
    auto m = v.toMap();
    if (m.value("no").toInt() != no || m.value("out").toBool()) continue;
    m.insert("out", true);
    m.insert("intact", intact);
    m.insert("outS", clock_.nowS());
    v = m;
    record_.needleOut(no, intact, clock_.nowUs());
    if (!intact) setMessage(tr("Needle %1 broken: record it as an adverse event (kind: broken needle) before closing.").arg(no));
    emit needlesChanged();
    refreshCloseBlockers();
    evaluate();
    return;
  }
}

int NeedlingModel::needlesIn() const {
  int n = 0;
  for (const auto& v : needles_) n += v.toMap().value("out").toBool() ? 0 : 1;
  return n;
}

void NeedlingModel::markInsertion() {
  if (stream_) stream_->markInsertion();  // the detector ignores the burst, session or not
  if (!requireSession(tr("an insertion mark"))) return;
  record_.note(QStringLiteral("insertion/redirection"), clock_.nowUs());
}

void NeedlingModel::takeLtrs() {
  if (!stream_) return;
  emglive::LtrRecord r;
  bool changed = false;
  while (stream_->takeLtr(r)) {
    changed = true;
    const auto id = static_cast<qint64>(r.event.id);
    if (r.update == emg::LtrUpdate::kDetected) {
      const QVariantMap entry{{"id", id},
                              {"onsetS", r.event.onsetS},
                              {"peakUv", static_cast<double>(r.event.peakUv)},
                              {"channel", r.event.channel + 1},
                              {"confidence", static_cast<double>(r.event.confidence)},
                              {"latencyMs", r.latencyMs},
                              {"status", QStringLiteral("pending")},
                              {"manual", false},
                              {"site", siteKey()}};
      ltrs_.prepend(entry);
      record_.ltr(entry);  // session or not: the record decides (outside one it is information)
      emit ltrMarked(r.event.onsetS, r.event.channel, false);
    } else {
      for (auto& v : ltrs_) {
        auto m = v.toMap();
        if (m.value("manual").toBool() || m.value("id").toLongLong() != id) continue;
        if (r.update == emg::LtrUpdate::kRetracted) m.insert("status", QStringLiteral("retracted"));
        m.insert("peakUv", static_cast<double>(r.event.peakUv));
        if (r.event.hasOffset) m.insert("offsetS", r.event.offsetS);
        v = m;
        if (r.update == emg::LtrUpdate::kRetracted) record_.ltr(m);
        break;
      }
    }
  }
  while (ltrs_.size() > 500) ltrs_.removeLast();
  if (changed) emit ltrsChanged();
}

void NeedlingModel::confirmLtr(int index) {
  if (index < 0 || index >= ltrs_.size()) return;
  if (!requireSession(tr("a confirmed twitch response"))) return;
  auto m = ltrs_[index].toMap();
  m.insert("status", QStringLiteral("confirmed"));
  ltrs_[index] = m;
  record_.ltr(m);
  emit ltrsChanged();
}

void NeedlingModel::rejectLtr(int index) {
  if (index < 0 || index >= ltrs_.size()) return;
  if (!requireSession(tr("a rejected twitch response"))) return;
  auto m = ltrs_[index].toMap();
  m.insert("status", QStringLiteral("rejected"));
  ltrs_[index] = m;
  record_.ltr(m);
  emit ltrsChanged();
}

void NeedlingModel::addManualLtr() {
  if (!requireSession(tr("a twitch response"))) return;
  const double now = clock_.nowS();
  const QVariantMap entry{{"id", 0},           {"onsetS", now},          {"peakUv", QVariant()},
                          {"channel", 0},      {"confidence", QVariant()}, {"latencyMs", QVariant()},
                          {"status", QStringLiteral("confirmed")}, {"manual", true}, {"site", siteKey()}};
  ltrs_.prepend(entry);
  record_.ltr(entry);
  emit ltrMarked(now, -1, true);
  emit ltrsChanged();
}

int NeedlingModel::siteLtrCount() const {
  const QString key = siteKey();
  int n = 0;
  for (const auto& v : ltrs_) {
    const auto m = v.toMap();
    const QString st = m.value("status").toString();
    if (m.value("site").toString() == key && st != QLatin1String("rejected") && st != QLatin1String("retracted")) ++n;
  }
  return n;
}

QVariantList NeedlingModel::ltrCounts() const {
  QMap<QString, QPair<int, int>> counts;  // site -> (counted, confirmed)
  for (const auto& v : ltrs_) {
    const auto m = v.toMap();
    const QString st = m.value("status").toString();
    if (st == QLatin1String("rejected") || st == QLatin1String("retracted")) continue;
    auto& c = counts[m.value("site").toString()];
    ++c.first;
    if (st == QLatin1String("confirmed")) ++c.second;
  }
  QVariantList out;
  for (auto it = counts.cbegin(); it != counts.cend(); ++it)
    out << QVariantMap{{"site", it.key()}, {"count", it.value().first}, {"confirmed", it.value().second}};
  return out;
}

void NeedlingModel::setPain(const QString& moment, int nprs) {
  if (nprs < 0 || nprs > 10) return;
  if (!requireSession(tr("a pain score"))) return;
  if (moment == QLatin1String("before")) painBefore_ = nprs;
  else if (moment == QLatin1String("after")) painAfter_ = nprs;
  else return;
  record_.pain(moment, nprs, clock_.nowUs());
  emit painChanged();
}

void NeedlingModel::addAdverseEvent(const QString& kind, const QString& grade, const QString& description) {
  static const QStringList grades{QStringLiteral("mild"), QStringLiteral("moderate"), QStringLiteral("severe")};
  if (!grades.contains(grade)) {
    setMessage(tr("Grade the adverse event: mild, moderate or severe."));
    return;
  }
  // The emergency advice is shown whatever is open: it is for the patient, not the record.
  if (kind == QLatin1String("suspected_pneumothorax") && emergencyAdvice_.isEmpty()) {
    emergencyAdvice_ = kPneumothoraxAdvice;
    emit adverseChanged();
  }
  if (!requireSession(tr("an adverse event"))) return;
  adverse_ << QVariantMap{{"kind", kind}, {"grade", grade}, {"description", description}, {"atS", clock_.nowS()}};
  record_.adverseEvent(kind, grade, description, clock_.nowUs());
  if (kind == QLatin1String("suspected_pneumothorax")) emergencyAdvice_ = kPneumothoraxAdvice;
  emit adverseChanged();
  refreshCloseBlockers();
}

void NeedlingModel::recordPneumothoraxAdvice() {
  if (!requireSession(tr("the pneumothorax advice"))) return;
  adviceGiven_ = true;
  record_.note(QStringLiteral("pneumothorax advice given"), clock_.nowUs());
  emit closeStateChanged();
  refreshCloseBlockers();
}

void NeedlingModel::setObservationMinutes(double minutes) {
  if (!requireSession(tr("the observation period"))) return;
  observationMin_ = std::max(0.0, minutes);
  record_.note(QStringLiteral("observation %1 min").arg(observationMin_), clock_.nowUs());
  emit closeStateChanged();
  refreshCloseBlockers();
}

void NeedlingModel::refreshCloseBlockers() {
  QStringList blockers;
  if (const int in = needlesIn(); in > 0) blockers << tr("%n needle(s) still in: remove and log each one.", nullptr, in);
  const auto d = evaluator_.decide(buildCase(safety::ActKind::SessionClose));
  for (const auto& f : d.fired)
    if (f.level == safety::Level::Refuse || f.level == safety::Level::Limit)
      blockers << QStringLiteral("%1: %2").arg(QString::fromStdString(f.ruleId), QString::fromStdString(f.message));
  blockers.removeDuplicates();
  if (blockers != closeBlockers_) {
    closeBlockers_ = blockers;
    emit closeStateChanged();
  }
}

bool NeedlingModel::closeSession() {
  refreshCloseBlockers();
  if (needlesIn() > 0) {
    setMessage(tr("The session cannot close: needles are still in."));
    return false;
  }
  safety::Decision d;
  try {
    d = safety_.evaluate(buildCase(safety::ActKind::SessionClose));
  } catch (const std::exception& e) {
    setMessage(QString::fromStdString(e.what()));
    return false;
  }
  if (!d.mayProceed()) {
    setMessage(tr("The session cannot close: %1").arg(QString::fromStdString(d.message)));
    return false;
  }
  if (stream_ && recording_) stream_->stopRecording();
  recording_ = false;
  closed_ = true;
  approvals_.clear();  // an approval never outlives the needling it was given for
  emit closeStateChanged();
  setMessage(tr("Needling closed: all needles out and reconciled."));
  return true;
}

void NeedlingModel::startRecordingIfNeeded() {
  if (!stream_ || recording_ || recordingDirectory_.isEmpty()) return;
  QDir().mkpath(recordingDirectory_);
  const QString name = QStringLiteral("emg-%1.tbemg").arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")));
  const QJsonObject meta{{"research", amplifier_.connected && !amplifier_.isolated},
                         {"amplifier_isolation", amplifier_.isolation},
                         {"started_utc", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
  stream_->startRecording(QDir(recordingDirectory_).filePath(name), QString::fromUtf8(QJsonDocument(meta).toJson(QJsonDocument::Compact)));
  recording_ = true;
}

void NeedlingModel::refreshDevice() {
  const AmplifierInfo before = amplifier_;
  amplifier_ = amplifierQuery_ ? amplifierQuery_() : AmplifierInfo{};
  QString warning;
  if (amplifier_.connected && !amplifier_.isolated) {
    warning = tr("Research amplifier: %1 is not patient-isolated (isolation: %2). Using it with a needle in a patient "
                 "needs the clinic's research setting and a supervisor's approval for this session; its recordings "
                 "are marked as research.").arg(amplifier_.model, amplifier_.isolation.isEmpty() ? tr("undeclared") : amplifier_.isolation);
  }
  QString status = tr("No EMG amplifier connected");
  if (stream_) {
    const auto s = stream_->status();
    if (s.streaming) {
      status = tr("%1 ch at %2 Hz · %3 frames lost · last LTR latency %4")
                   .arg(s.channels).arg(s.rateHz, 0, 'f', 0).arg(s.lostFrames)
                   .arg(s.lastLatencyMs >= 0 ? QStringLiteral("%1 ms").arg(s.lastLatencyMs, 0, 'f', 1) : QStringLiteral("–"));
    } else if (amplifier_.connected) {
      status = tr("Amplifier %1 connected, waiting for samples").arg(amplifier_.model);
    }
  }
  const bool ampChanged = before.connected != amplifier_.connected || before.isolated != amplifier_.isolated;
  if (warning != amplifierWarning_ || status != emgStatus_) {
    amplifierWarning_ = warning;
    emgStatus_ = status;
    emit deviceChanged();
  }
  if (ampChanged) evaluate();
}

bool NeedlingModel::audioAvailable() const { return audio_ && audio_->available(); }

QString NeedlingModel::audioMessage() const {
  return audio_ ? audio_->message() : tr("EMG audio is not part of this console build.");
}

void NeedlingModel::setAudioMuted(bool muted) {
  audioMuted_ = muted;
  if (audio_) audio_->setMuted(muted);
  emit audioChanged();
}

void NeedlingModel::setAudioGainUv(double uv) {
  audioGainUv_ = std::clamp(uv, 20.0, 5000.0);
  if (audio_) audio_->setGain(audioGainUv_);
  emit audioChanged();
}

bool NeedlingModel::sessionOpen() const { return inputs_.patient.has_value() && inputs_.sessionId > 0; }

bool NeedlingModel::requireSession(const QString& what) {
  if (sessionOpen()) return true;
  setMessage(tr("Start a session first: %1 is recorded only in an open session of the patient (Patients page). "
                "Nothing was recorded.").arg(what));
  return false;
}

void NeedlingModel::setMessage(const QString& m) {
  message_ = m;
  core::logger(core::subsystem::kUi)->info("needling: {}", m.toStdString());
  emit messageChanged();
}

}  // namespace tautband::ui
