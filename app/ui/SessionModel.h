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
  // The note editor: saved notes and addenda ({kind: note|addendum, number
  // (0-based within its kind), id, author, time, reason, body}),
  // who signed and when; notes are editable until the sign-off, then only addenda.
  Q_PROPERTY(QVariantList notes READ notes NOTIFY notesChanged)
  Q_PROPERTY(QVariantList addenda READ addenda NOTIFY notesChanged)
  Q_PROPERTY(QString signedBy READ signedBy NOTIFY notesChanged)
  Q_PROPERTY(QString signedAt READ signedAt NOTIFY notesChanged)
  Q_PROPERTY(bool notesEditable READ notesEditable NOTIFY sessionChanged)
  // After a crash: what was reopened (session, patient, state, clock, notes kept).
  Q_PROPERTY(QString recoveryText READ recoveryText NOTIFY notesChanged)

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
  QVariantList notes() const { return notes_; }
  QVariantList addenda() const { return addenda_; }
  QString signedBy() const { return signedBy_; }
  QString signedAt() const { return signedAt_; }
  bool notesEditable() const { return active() && state_ != QLatin1String("signed"); }
  QString recoveryText() const;

  // Monotonic session time (µs) for every event of this session.
  std::int64_t clockUs() const;

  Q_INVOKABLE void start(qint64 patientId, const QString& patientLabel);
  Q_INVOKABLE void pause();
  Q_INVOKABLE void resume();
  Q_INVOKABLE void end();
  // 21 CFR Part 11 §11.200: the signer re-enters their password (checked by
  // the store, counted toward lockout) before the record is signed; the
  // signature is audited and the notes become final.
  Q_INVOKABLE void signOff(const QString& password);
  Q_INVOKABLE void addNote(const QString& body);
  // After the sign-off: a change is an addendum with a reason.
  Q_INVOKABLE void addAddendum(const QString& reason, const QString& body);
  Q_INVOKABLE void refreshNotes();
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
  void notesChanged();

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
  QVariantList notes_, addenda_;
  QString signedBy_, signedAt_;
  QString recoveredState_;
  std::int64_t recoveredClockUs_ = 0;
};

}  // namespace tautband::ui
