#include "ui/ClinicalContext.h"

#include "core/Logging.h"
#include "safety/CaseJson.h"
#include "safety/Evaluator.h"
#include "store/Store.h"
#include "ui/AuthModel.h"
#include "ui/LaserController.h"
#include "ui/NeedlingModel.h"
#include "ui/SessionModel.h"

#include <QDateTime>
#include <QTimer>

#include <future>
#include <memory>

namespace tautband::ui {
namespace {

constexpr std::int64_t kUsPerHour = 3600LL * 1'000'000;
// The bilateral rule looks back 24 h; twice that is read so a clinic setting up to 48 h works.
constexpr std::int64_t kHistoryWindowUs = 48 * kUsPerHour;

safety::TimePoint timeOf(std::int64_t utcUs) { return safety::TimePoint(std::chrono::seconds(utcUs / 1'000'000)); }

QString dateText(std::int64_t utcUs) {
  return QDateTime::fromMSecsSinceEpoch(utcUs / 1000, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd"));
}

// A stored needle's technique and direction are the case format's names (the needling page
// writes them; safety::techniqueFromName / directionFromName is the one parser). A name the
// rules do not know is never read as some default: the needle gets no technique credit (flat,
// aimed toward the thorax: the strictest reading of the bilateral rule) and the patient's
// notes say so (unknownNeedleNames).
safety::Technique storedTechnique(const QString& name) {
  return safety::techniqueFromName(name.toStdString()).value_or(safety::Technique::Flat);
}
safety::Direction storedDirection(const QString& name) {
  return safety::directionFromName(name.toStdString()).value_or(safety::Direction::TowardThorax);
}
QStringList unknownNeedleNames(const std::vector<store::StoredNeedle>& needles) {
  QStringList notes;
  for (const auto& n : needles) {
    QStringList unknown;
    if (!safety::techniqueFromName(n.technique.toStdString())) unknown << QObject::tr("technique \"%1\"").arg(n.technique);
    if (!safety::directionFromName(n.direction.toStdString())) unknown << QObject::tr("direction \"%1\"").arg(n.direction);
    if (unknown.isEmpty()) continue;
    notes << QObject::tr("A needle of %1 in the record has %2, which the rules do not know: it counts as a lung-field "
                         "insertion wherever its site is over the lung (no technique credit).")
                 .arg(dateText(n.insertedUtcUs), unknown.join(QObject::tr(" and ")));
  }
  return notes;
}

int ageOn(const QDate& birth, const QDate& on) {
  int age = on.year() - birth.year();
  if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day())) --age;
  return age;
}

}  // namespace

ClinicalContext::ClinicalContext(AuthModel& auth, SessionModel& session, const safety::Evaluator& evaluator,
                                 QObject* parent)
    : QObject(parent), auth_(auth), session_(session), evaluator_(evaluator), clock_(store::utcNowUs) {
  connect(&auth_, &AuthModel::userChanged, this, &ClinicalContext::userChanged);
  connect(&auth_, &AuthModel::lockedChanged, this, &ClinicalContext::userChanged);
  connect(&session_, &SessionModel::sessionChanged, this, &ClinicalContext::sessionChanged);
}

store::Store* ClinicalContext::store() const { return auth_.store(); }

void ClinicalContext::bindLaser(LaserController& laser) {
  laser_ = &laser;
  // deviceChanged also follows our own setDeviceProfile: only a new serial number reads again.
  connect(&laser, &LaserController::deviceChanged, this, [this] { laserDeviceChanged(false); });
  publish();
  laserDeviceChanged(true);
}

void ClinicalContext::bindNeedling(NeedlingModel& needling) {
  needling_ = &needling;
  publish();
}

// ----- people -----

void ClinicalContext::clearPeople(const QString& why) {
  // Emission never continues for somebody who is no longer there: the supervisor stops or
  // disarms first; then the items that depend on the people are withdrawn.
  if (laser_) laser_->withdrawPeople(why);
  inputs_.practitioner.reset();
  inputs_.patient.reset();
  inputs_.sessionId = 0;
  practitionerName_.clear();
  ++generation_;
  publish();
}

void ClinicalContext::userChanged() {
  if (!auth_.actor() || !auth_.user()) {
    clearPeople(auth_.locked() ? tr("the screen was locked") : tr("the practitioner logged out"));
    return;
  }
  reload();
}

void ClinicalContext::sessionChanged() {
  const bool open = session_.active() && (session_.state() == QLatin1String("open") ||
                                          session_.state() == QLatin1String("paused") || session_.state().isEmpty());
  if (!open) {
    if (inputs_.patient) {
      if (laser_) laser_->withdrawPeople(tr("the session ended"));
      inputs_.patient.reset();
      inputs_.sessionId = 0;
      publish();
    }
    return;
  }
  if (inputs_.sessionId == session_.sessionId() && inputs_.patient) return;
  reload();
}

void ClinicalContext::reload() {
  store::Store* s = store();
  const auto actor = auth_.actor();
  if (!s || !actor || !auth_.user()) {
    clearPeople(tr("nobody is logged in"));
    return;
  }
  const int generation = ++generation_;
  const store::UserRecord user = *auth_.user();
  begin();
  s->writer().submit([userId = user.id](store::WriteTransaction& tx) { return store::readCredentials(tx, userId); },
                     this, [this, generation, user](const store::Outcome<std::vector<store::StoredCredential>>& o) {
                       end();
                       if (generation != generation_) return;
                       if (!o.ok()) {
                         setMessage(tr("Credentials could not be read: %1").arg(o.error));
                         inputs_.practitioner.reset();
                       } else {
                         safety::Practitioner p;
                         p.userId = user.login.toStdString();
                         for (const auto& c : *o.value) {
                           const auto kind = screening::credentialKind(c.kind);
                           if (!kind || !c.expiresOn.isValid()) continue;
                           // Expired from the start of the expiry day (UTC), so the refusal names
                           // the date printed on the certificate (and never a day late).
                           const QDateTime end(c.expiresOn, QTime(0, 0), Qt::UTC);
                           p.credentials.push_back({*kind, safety::TimePoint(std::chrono::seconds(end.toSecsSinceEpoch()))});
                         }
                         inputs_.practitioner = p;
                         practitionerName_ = user.displayName;
                       }
                       publish();
                     });

  const bool open = session_.active() && session_.state() != QLatin1String("ended") &&
                    session_.state() != QLatin1String("signed");
  if (!open) {
    inputs_.patient.reset();
    inputs_.sessionId = 0;
  } else {
    const qint64 patientId = session_.patientId();
    const qint64 sessionId = session_.sessionId();
    const std::int64_t now = clock_();
    begin();
    s->writer().submit(
        [by = *actor, patientId, since = now - kHistoryWindowUs](store::WriteTransaction& tx) {
          return store::readPatientContext(tx, by, patientId, since);
        },
        this, [this, generation, sessionId, now](const store::Outcome<store::PatientContextRecord>& o) {
          end();
          if (generation != generation_) return;
          if (!o.ok()) {
            setMessage(tr("The patient's record could not be read: %1").arg(o.error));
            inputs_.patient.reset();
          } else {
            inputs_.patient = patientFacts(evaluator_, *o.value, now);
            inputs_.sessionId = sessionId;
          }
          publish();
        });
  }
  laserDeviceChanged(true);
}

PatientFacts ClinicalContext::patientFacts(const safety::Evaluator& evaluator, const store::PatientContextRecord& r,
                                           std::int64_t nowUtcUs) {
  PatientFacts f;
  f.patientId = r.patientId;
  f.label = r.label;
  if (r.screening) {
    // By the row's form version: version 1 conservatively, version 2 precisely (sites by region);
    // an unknown version or answer leaves the patient not screened.
    const screening::Mapped mapped = screening::fromRecord(*r.screening, r.screeningFormVersion, evaluator.atlas());
    f.screening = mapped.screening;
    f.everySite = mapped.everySite;
    f.siteConditions = mapped.bySite;
    f.atlas = &evaluator.atlas();
    f.screening.completed = mapped.notUnderstood.isEmpty();
    if (!mapped.notUnderstood.isEmpty())
      f.notes << QObject::tr("Screening answers this console does not understand: %1. Screen the patient again.")
                     .arg(mapped.notUnderstood.join(QStringLiteral(", ")));
  } else {
    f.notes << QObject::tr("%1 has no contraindication screen recorded.").arg(r.label);
  }
  f.screening.heightCm = r.heightCm;
  f.screening.weightKg = r.weightKg;
  const QDate today = QDateTime::fromMSecsSinceEpoch(nowUtcUs / 1000, Qt::UTC).date();
  if (r.birthDate.isValid()) f.screening.ageYears = ageOn(r.birthDate, today);
  f.screening.lacksCapacity = !r.guardianName.trimmed().isEmpty();
  for (const auto& c : r.consents) {
    f.screening.consentRecorded = true;
    f.screening.consentNamesPneumothorax = f.screening.consentNamesPneumothorax || c.namesPneumothorax;
    f.screening.guardianConsentRecorded = f.screening.guardianConsentRecorded || c.givenBy == QLatin1String("guardian");
  }
  if (r.consents.empty()) f.notes << QObject::tr("%1 has no treatment consent recorded.").arg(r.label);
  f.lungFieldInsertions = lungFieldHistory(evaluator, r.recentNeedles, f.screening);
  f.notes << unknownNeedleNames(r.recentNeedles);
  return f;
}

std::vector<safety::LungFieldInsertion> ClinicalContext::lungFieldHistory(
    const safety::Evaluator& evaluator, const std::vector<store::StoredNeedle>& needles,
    const safety::Screening& screening) {
  // Each stored needle is judged exactly as the rules judged it at insertion (the
  // decision's lung_field_insertion), so the pincer exception and the depth model agree.
  std::vector<safety::LungFieldInsertion> out;
  const anatomy::Atlas& atlas = evaluator.atlas();
  for (const auto& n : needles) {
    safety::Case c;
    c.act = safety::ActKind::Needling;
    c.evaluatedAt = timeOf(n.insertedUtcUs);
    c.screening = screening;
    c.screening.completed = c.screening.consentRecorded = c.screening.consentNamesPneumothorax = true;
    const std::string region = (n.muscle + QLatin1Char('_') + n.side).toStdString();
    if (const auto* r = atlas.region(region)) {
      c.site.regionId = r->id;
      c.site.view = r->view;
    }
    const auto view = anatomy::viewFromString(n.location.value(QStringLiteral("view")).toString().toStdString());
    if (view) c.site.view = view;
    if (c.site.view && n.location.contains(QStringLiteral("x")) && n.location.contains(QStringLiteral("y")))
      c.site.point = anatomy::Point{n.location.value(QStringLiteral("x")).toDouble(),
                                    n.location.value(QStringLiteral("y")).toDouble()};
    if (!c.site.regionId && !c.site.point) continue;  // nowhere on the atlas: cannot be judged
    c.needling.needleLengthMm = n.lengthMm;
    c.needling.needleGaugeMm = 0.25;
    c.needling.needleLot = "history";
    c.needling.technique = storedTechnique(n.technique);
    c.needling.direction = storedDirection(n.direction);
    const safety::Decision d = evaluator.decide(c);
    if (!d.lungFieldInsertion) continue;
    const auto resolved = safety::resolveSite(atlas, c.site);
    out.push_back({c.evaluatedAt, resolved.side});
  }
  return out;
}

// ----- laser device -----

void ClinicalContext::laserDeviceChanged(bool force) {
  if (!laser_) return;
  const auto& info = laser_->deviceInfo();
  const QString serial = info ? QString::fromStdString(info->serial()) : QString();
  if (!force && serial == deviceSerial_) return;
  deviceSerial_ = serial;
  store::Store* s = store();
  if (serial.isEmpty() || !s) {
    deviceKnown_ = false;
    device_ = {};
    publishDevice();
    return;
  }
  begin();
  s->writer().submit([serial](store::WriteTransaction& tx) { return store::readLaserDevice(tx, serial); }, this,
                     [this, serial](const store::Outcome<store::LaserDeviceRecord>& o) {
                       end();
                       if (serial != deviceSerial_) return;
                       if (!o.ok()) {
                         setMessage(tr("The laser's records could not be read: %1").arg(o.error));
                         return;
                       }
                       device_ = *o.value;
                       deviceKnown_ = true;
                       publishDevice();
                     });
}

void ClinicalContext::publishDevice() {
  if (laser_) {
    LaserController::DeviceProfile profile;
    profile.requiredOdByWavelength = device_.requiredOdByWavelength;
    if (device_.lastPowerCheck) {
      const auto& pc = *device_.lastPowerCheck;
      profile.lastPowerCheck = safety::PowerCheck{timeOf(pc.checkedUtcUs), pc.measuredMw, pc.nominalMw};
    }
    for (const auto& e : device_.eyewear)
      profile.eyewear.push_back({e.label, e.minNm, e.maxNm, e.opticalDensity, e.mode});
    laser_->setDeviceProfile(profile);
  }
  emit deviceChanged();
}

QString ClinicalContext::powerCheckText() const {
  if (deviceSerial_.isEmpty()) return tr("No laser connected.");
  if (!deviceKnown_) return tr("Reading the records of laser %1…").arg(deviceSerial_);
  if (!device_.lastPowerCheck) return tr("Laser %1: no output power check recorded.").arg(deviceSerial_);
  const auto& pc = *device_.lastPowerCheck;
  return tr("Laser %1: last power check %2, %3 mW measured for %4 mW set at %5 nm (%6).")
      .arg(deviceSerial_, dateText(pc.checkedUtcUs))
      .arg(pc.measuredMw, 0, 'f', 0)
      .arg(pc.nominalMw, 0, 'f', 0)
      .arg(pc.wavelengthNm, 0, 'f', 0)
      .arg(pc.passed ? tr("within ±20 %") : tr("OUT OF TOLERANCE"));
}

bool ClinicalContext::powerCheckPossible() const {
  return laser_ && !deviceSerial_.isEmpty() && store() && auth_.allows(store::Action::RecordPowerCheck);
}

void ClinicalContext::recordPowerCheck(double measuredMw, double setMw, const QString& meter) {
  store::Store* s = store();
  const auto actor = auth_.actor();
  if (!laser_ || !s || !actor || !laser_->deviceInfo()) {
    setMessage(tr("A power check needs a connected laser and a logged-in user."));
    return;
  }
  if (!(setMw > 0) || !(measuredMw >= 0)) {
    setMessage(tr("Enter the set power and the power the meter measured, in mW."));
    return;
  }
  const auto& info = *laser_->deviceInfo();
  const QVariantMap device{{"kind", "laser"},
                           {"vendor", QString::fromStdString(info.vendor())},
                           {"model", QString::fromStdString(info.model())},
                           {"serial", QString::fromStdString(info.serial())},
                           {"firmware_version", QString::fromStdString(info.firmware())},
                           {"firmware_watchdog", info.has_laser() ? QVariant(info.laser().firmware_watchdog()) : QVariant()}};
  const double wavelength = laser_->wavelengthNm();
  const std::int64_t nextDue =
      clock_() + static_cast<std::int64_t>(evaluator_.settings().powerCheckIntervalDays * 24.0 * kUsPerHour);
  begin();
  // Both writes go through the store's API (each audited). Their futures are polled on this
  // thread: nothing here blocks the GUI, and nothing outlives this object.
  auto registered = std::make_shared<std::future<qint64>>(s->clinical().registerDevice(*actor, device, std::nullopt));
  whenReady(registered, [this, s, by = *actor, wavelength, setMw, measuredMw, meter, nextDue](std::future<qint64>& f) {
    try {
      const qint64 id = f.get();
      auto recorded = std::make_shared<std::future<qint64>>(
          s->clinical().recordPowerCheck(by, id, wavelength, setMw, measuredMw, meter, nextDue));
      whenReady(recorded, [this](std::future<qint64>& g) {
        end();
        try {
          g.get();
          setMessage(tr("Power check recorded."));
        } catch (const std::exception& e) {
          setMessage(tr("Power check not recorded: %1").arg(QString::fromUtf8(e.what())));
        }
        laserDeviceChanged(true);
      });
    } catch (const std::exception& e) {
      end();
      setMessage(tr("Power check not recorded: %1").arg(QString::fromUtf8(e.what())));
    }
  });
}

template <class T, class Done>
void ClinicalContext::whenReady(std::shared_ptr<std::future<T>> future, Done done) {
  auto* poll = new QTimer(this);
  poll->setInterval(10);
  connect(poll, &QTimer::timeout, this, [poll, future, done]() mutable {
    if (future->wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    poll->stop();
    poll->deleteLater();
    done(*future);
  });
  poll->start();
}

// ----- out -----

void ClinicalContext::publish() {
  if (laser_) laser_->setCaseInputs(inputs_);
  if (needling_) needling_->setCaseInputs(inputs_);
  emit changed();
}

QString ClinicalContext::practitionerText() const {
  if (!inputs_.practitioner) return tr("Nobody is logged in.");
  QStringList creds;
  for (const auto& c : inputs_.practitioner->credentials)
    creds << tr("%1 expires %2")
                 .arg(QString::fromStdString(c.kind))
                 .arg(dateText(c.expires.time_since_epoch().count() * 1'000'000LL));
  return tr("%1 — %2").arg(practitionerName_.isEmpty() ? QString::fromStdString(inputs_.practitioner->userId) : practitionerName_,
                            creds.isEmpty() ? tr("no credentials recorded") : creds.join(QStringLiteral(", ")));
}

QString ClinicalContext::patientText() const {
  if (!inputs_.patient) return tr("No session open.");
  return tr("%1 (session %2)").arg(inputs_.patient->label).arg(inputs_.sessionId);
}

QStringList ClinicalContext::notes() const { return inputs_.patient ? inputs_.patient->notes : QStringList{}; }

void ClinicalContext::setMessage(const QString& m) {
  if (m == message_) return;
  message_ = m;
  if (!m.isEmpty()) core::logger(core::subsystem::kUi)->info("clinical context: {}", m.toStdString());
  emit messageChanged();
}

void ClinicalContext::begin() {
  if (pending_++ == 0) emit busyChanged();
}

void ClinicalContext::end() {
  if (--pending_ == 0) {
    emit busyChanged();
    emit loaded();
  }
}

}  // namespace tautband::ui
