#pragma once

#include "ui/PendingWork.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace tautband::store {
class Store;
}

namespace tautband::ui {

class AuthModel;

// The treatment session the therapist is in: start, pause/resume, end,
// sign-off, and crash recovery (an unfinished session found at log-in is
// offered for reopening). Owns the session clock every event is stamped with.
class SessionModel : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(bool active READ active NOTIFY sessionChanged)
  Q_PROPERTY(double sessionId READ sessionIdForQml NOTIFY sessionChanged)
  Q_PROPERTY(double patientId READ patientIdForQml NOTIFY sessionChanged)
  Q_PROPERTY(QString patientLabel READ patientLabel NOTIFY sessionChanged)
  Q_PROPERTY(QString state READ state NOTIFY sessionChanged)
  Q_PROPERTY(bool recovered READ recovered NOTIFY sessionChanged)
  Q_PROPERTY(double clockMs READ clockMs NOTIFY clockChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)
  Q_PROPERTY(QVariantList unfinished READ unfinished NOTIFY unfinishedChanged)

 public:
  SessionModel(AuthModel& auth, QObject* parent = nullptr);
  void attach(store::Store& store);

  bool active() const { return sessionId_ != 0; }
  qint64 sessionId() const { return sessionId_; }
  qint64 patientId() const { return patientId_; }
  QString patientLabel() const { return patientLabel_; }
  QString state() const { return state_; }
  bool recovered() const { return recovered_; }
  double clockMs() const { return static_cast<double>(clockUs() / 1000); }
  double sessionIdForQml() const { return static_cast<double>(sessionId_); }
  double patientIdForQml() const { return static_cast<double>(patientId_); }
  bool busy() const { return busy_; }
  QString message() const { return message_; }
  QVariantList unfinished() const { return unfinished_; }

  // Monotonic session time (µs) for every event of this session.
  std::int64_t clockUs() const;

  Q_INVOKABLE void start(qint64 patientId, const QString& patientLabel);
  Q_INVOKABLE void pause();
  Q_INVOKABLE void resume();
  Q_INVOKABLE void end();
  Q_INVOKABLE void signOff();
  Q_INVOKABLE void addNote(const QString& body);
  Q_INVOKABLE void recover(qint64 sessionId);
  Q_INVOKABLE void checkUnfinished();
  // Closes the banner of a signed session.
  Q_INVOKABLE void close();

 signals:
  void sessionChanged();
  void clockChanged();
  void busyChanged();
  void messageChanged();
  void unfinishedChanged();

 private:
  bool begin(const char* why);
  void finish(const QString& error, const QString& okMessage = {});
  void setState(const QString& state);
  void setMessage(const QString& message);
  void adopt(qint64 sessionId, qint64 patientId, const QString& state, std::int64_t clockBaseUs, bool recovered);

  AuthModel& auth_;
  store::Store* store_ = nullptr;
  PendingWork pending_{this};
  qint64 sessionId_ = 0;
  qint64 patientId_ = 0;
  QString patientLabel_;
  QString state_;
  bool recovered_ = false;
  std::int64_t clockBaseUs_ = 0;
  QElapsedTimer sinceBase_;
  QTimer tick_;
  bool busy_ = false;
  QString message_;
  QVariantList unfinished_;
};

}  // namespace tautband::ui
