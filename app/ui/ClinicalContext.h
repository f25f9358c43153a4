#pragma once

#include "store/CareContext.h"
#include "ui/CaseInputs.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <future>
#include <memory>

namespace tautband::safety {
class Evaluator;
}
namespace tautband::store {
class Store;
}

namespace tautband::ui {

class AuthModel;
class SessionModel;
class LaserController;
class NeedlingModel;

// The clinical context of the laser and needling pages (docs/CLINICAL-CONTEXT.md): who is
// logged in (AuthModel → practitioner and credentials with expiry, from the store), which
// session and patient are open (SessionModel → the patient's latest screening, consents, body
// measures and the lung-field needling of the last 48 h, from the store), and the attached
// laser's records (latest power check by serial number, the clinic's eyewear, the
// manufacturer's required OD). It feeds LaserController and NeedlingModel one CaseInputs
// value. Log-out, lock and session end clear it at once; an armed laser is disarmed (an
// emitting one stopped) through the supervisor first.
class ClinicalContext : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(QString practitionerText READ practitionerText NOTIFY changed)
  Q_PROPERTY(QString patientText READ patientText NOTIFY changed)
  Q_PROPERTY(QStringList notes READ notes NOTIFY changed)
  Q_PROPERTY(QString powerCheckText READ powerCheckText NOTIFY deviceChanged)
  Q_PROPERTY(bool powerCheckPossible READ powerCheckPossible NOTIFY deviceChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)

 public:
  using UtcClock = std::function<std::int64_t()>;  // UTC µs; tests move time
  ClinicalContext(AuthModel& auth, SessionModel& session, const safety::Evaluator& evaluator,
                  QObject* parent = nullptr);

  void bindLaser(LaserController& laser);
  void bindNeedling(NeedlingModel& needling);
  void setClock(UtcClock clock) { clock_ = std::move(clock); }

  const CaseInputs& inputs() const { return inputs_; }
  QString practitionerText() const;
  QString patientText() const;
  QStringList notes() const;
  QString powerCheckText() const;
  bool powerCheckPossible() const;
  bool busy() const { return pending_ > 0; }
  QString message() const { return message_; }

  // Reads everything again from the store (also done on every log-in, session and device change).
  Q_INVOKABLE void reload();
  // The therapist measured the attached laser's output with a power meter: set vs measured mW
  // at the page's wavelength. Stored and audited through the store (laser.power-check); the
  // rules read it back (LZ-POWER-CHECK-OVERDUE / -OUT-OF-TOLERANCE).
  Q_INVOKABLE void recordPowerCheck(double measuredMw, double setMw, const QString& meter);

  // How the store's needles become the rules' lung-field history (public for tests).
  static std::vector<safety::LungFieldInsertion> lungFieldHistory(const safety::Evaluator& evaluator,
                                                                   const std::vector<store::StoredNeedle>& needles,
                                                                   const safety::Screening& screening);
  // The patient as the rules read them, at time `nowUtcUs`.
  static PatientFacts patientFacts(const safety::Evaluator& evaluator, const store::PatientContextRecord& record,
                                   std::int64_t nowUtcUs);

 signals:
  void changed();
  void deviceChanged();
  void busyChanged();
  void messageChanged();
  // Every store read of a reload has come back (tests wait on it).
  void loaded();

 private:
  void userChanged();
  void sessionChanged();
  void laserDeviceChanged(bool force);
  void clearPeople(const QString& why);
  void publish();
  void publishDevice();
  void setMessage(const QString& m);
  void begin();
  void end();
  store::Store* store() const;
  template <class T, class Done>
  void whenReady(std::shared_ptr<std::future<T>> future, Done done);

  AuthModel& auth_;
  SessionModel& session_;
  const safety::Evaluator& evaluator_;
  UtcClock clock_;
  QPointer<LaserController> laser_;
  QPointer<NeedlingModel> needling_;

  CaseInputs inputs_;
  QString practitionerName_;
  QString deviceSerial_;
  store::LaserDeviceRecord device_;
  bool deviceKnown_ = false;
  std::map<int, double> requiredOd_;
  int pending_ = 0;
  int generation_ = 0;  // results of an older reload are dropped
  QString message_;
};

}  // namespace tautband::ui
