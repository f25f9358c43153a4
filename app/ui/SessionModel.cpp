#include "ui/SessionModel.h"

#include "store/Store.h"
#include "ui/AuthModel.h"

#include <QDateTime>
#include <QVariantMap>

namespace tautband::ui {
namespace {

// The store's refusal of a signature's password, if that is why it failed.
std::optional<store::SignatureRefused> signatureRefusal(const std::exception_ptr& failure) {
  if (!failure) return std::nullopt;
  try {
    std::rethrow_exception(failure);
  } catch (const store::SignatureRefused& refused) {
    return refused;
  } catch (...) {
  }
  return std::nullopt;
}

QString localTime(std::int64_t utcUs) {
  return QDateTime::fromMSecsSinceEpoch(utcUs / 1000).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QVariantList entriesForQml(const std::vector<store::SessionNoteEntry>& entries, const QString& kind) {
  QVariantList out;
  for (const auto& e : entries)
    out.append(QVariantMap{{QStringLiteral("kind"), kind},
                           {QStringLiteral("number"), out.size()},
                           {QStringLiteral("id"), e.id},
                           {QStringLiteral("author"), e.author},
                           {QStringLiteral("time"), localTime(e.recordedUs)},
                           {QStringLiteral("reason"), e.reason},
                           {QStringLiteral("body"), e.body}});
  return out;
}

}  // namespace

SessionModel::SessionModel(AuthModel& auth, QObject* parent) : QObject(parent), auth_(auth) {
  tick_.setInterval(1000);
  connect(&tick_, &QTimer::timeout, this, &SessionModel::clockChanged);
  // A therapist logging in is asked about any session a crash left open.
  connect(&auth_, &AuthModel::loggedInAs, this, [this] { checkUnfinished(); });
  connect(&auth_, &AuthModel::userChanged, this, [this] {
    if (!auth_.loggedIn() && !unfinished_.isEmpty()) {
      unfinished_.clear();
      emit unfinishedChanged();
    }
  });
}

void SessionModel::attach(store::Store& store) { store_ = &store; }

std::int64_t SessionModel::clockUs() const {
  if (!active()) return 0;
  return clockBaseUs_ + (sinceBase_.isValid() ? sinceBase_.nsecsElapsed() / 1000 : 0);
}

void SessionModel::setState(const QString& state) {
  state_ = state;
  emit sessionChanged();
}

void SessionModel::setMessage(const QString& message) {
  if (message_ == message) return;
  message_ = message;
  emit messageChanged();
}

bool SessionModel::begin(const char* why) {
  if (!store_ || busy_) return false;
  if (!auth_.allows(store::Action::RunSession)) {
    setMessage(tr("Only a logged-in therapist may %1.").arg(tr(why)));
    return false;
  }
  busy_ = true;
  emit busyChanged();
  setMessage({});
  return true;
}

void SessionModel::finish(const QString& error, const QString& okMessage) {
  busy_ = false;
  emit busyChanged();
  setMessage(error.isEmpty() ? okMessage : error);
}

void SessionModel::adopt(qint64 sessionId, qint64 patientId, const QString& state, std::int64_t clockBaseUs,
                         bool recovered) {
  sessionId_ = sessionId;
  patientId_ = patientId;
  state_ = state;
  recovered_ = recovered;
  clockBaseUs_ = clockBaseUs;
  sinceBase_.start();
  tick_.start();
  emit sessionChanged();
  emit clockChanged();
  refreshNotes();
}

void SessionModel::start(qint64 patientId, const QString& patientLabel) {
  if (active() && state_ != QLatin1String("signed")) {
    setMessage(tr("Finish the current session first."));
    return;
  }
  if (!begin("start a session")) return;
  pending_.when(store_->clinical().startSession(*auth_.actor(), patientId),
                [this, patientId, patientLabel](const Done<qint64>& done) {
                  if (done.ok()) {
                    patientLabel_ = patientLabel;
                    adopt(*done.value, patientId, QStringLiteral("open"), 0, false);
                  }
                  finish(done.error, done.ok() ? tr("Session started.") : QString());
                });
}

void SessionModel::pause() {
  if (!active() || !begin("pause a session")) return;
  pending_.when(store_->clinical().pauseSession(*auth_.actor(), sessionId_, clockUs()), [this](const auto& done) {
    if (done.ok()) setState(QStringLiteral("paused"));
    finish(done.error);
  });
}

void SessionModel::resume() {
  if (!active() || !begin("resume a session")) return;
  pending_.when(store_->clinical().resumeSession(*auth_.actor(), sessionId_, clockUs()), [this](const auto& done) {
    if (done.ok()) setState(QStringLiteral("open"));
    finish(done.error);
  });
}

void SessionModel::end() {
  if (!active() || !begin("end a session")) return;
  pending_.when(store_->clinical().endSession(*auth_.actor(), sessionId_, clockUs()), [this](const auto& done) {
    if (done.ok()) {
      tick_.stop();
      setState(QStringLiteral("ended"));
    }
    finish(done.error, done.ok() ? tr("Session ended. Review and sign the record.") : QString());
  });
}

void SessionModel::addNote(const QString& body) {
  if (!active() || body.isEmpty()) return;
  if (!notesEditable()) {
    setMessage(tr("The record is signed: add an addendum instead."));
    return;
  }
  if (!begin("add a note")) return;
  pending_.when(store_->clinical().addNote(*auth_.actor(), sessionId_, body), [this](const Done<qint64>& done) {
    finish(done.error, done.ok() ? tr("Note saved.") : QString());
    refreshNotes();
  });
}

void SessionModel::signOff(const QString& password) {
  if (!active() || !store_ || busy_) return;
  if (!auth_.allows(store::Action::SignNote)) {
    setMessage(tr("Only the treating therapist may sign the record."));
    return;
  }
  if (password.isEmpty()) {
    setMessage(tr("Enter your password to sign."));
    return;
  }
  busy_ = true;
  emit busyChanged();
  // The signature (Part 11 §11.200): the store re-checks the signer's own
  // password (audited "auth.reauthenticated", purpose "sign-off"; a wrong one
  // counts toward the lockout) before it signs.
  pending_.when(store_->clinical().signOff(*auth_.actor(), sessionId_, password), [this](const Done<std::int64_t>& done) {
    if (done.ok()) {
      setState(QStringLiteral("signed"));
      finish(QString(), tr("Signed (audit entry %1). Later changes can only be addenda.").arg(*done.value));
    } else if (const auto refused = signatureRefusal(done.failure)) {
      finish(refused->lockedOut() ? tr("Wrong password too often: the account is locked.")
                                  : tr("Not signed: the password is not correct."));
      if (refused->lockedOut()) auth_.logOut();
    } else {
      finish(done.error);
    }
    refreshNotes();
  });
}

void SessionModel::addAddendum(const QString& reason, const QString& body) {
  if (!active() || !store_ || busy_) return;
  if (state_ != QLatin1String("signed")) {
    setMessage(tr("Until the record is signed, write a note instead."));
    return;
  }
  if (reason.trimmed().isEmpty() || body.isEmpty()) {
    setMessage(tr("An addendum needs a reason and text."));
    return;
  }
  if (!auth_.allows(store::Action::AddAddendum)) {
    setMessage(tr("Your role may not add an addendum."));
    return;
  }
  busy_ = true;
  emit busyChanged();
  pending_.when(store_->clinical().addAddendum(*auth_.actor(), sessionId_, reason.trimmed(), body),
                [this](const Done<qint64>& done) {
                  finish(done.error, done.ok() ? tr("Addendum saved.") : QString());
                  refreshNotes();
                });
}

void SessionModel::refreshNotes() {
  const auto by = auth_.actor();
  if (!store_ || !active() || !by) return;
  const qint64 session = sessionId_;
  pending_.when(store_->clinical().readSessionNotes(*by, session), [this, session](const Done<store::SessionNotes>& d) {
    if (!d.ok() || session != sessionId_) return;
    notes_ = entriesForQml(d.value->notes, QStringLiteral("note"));
    addenda_ = entriesForQml(d.value->addenda, QStringLiteral("addendum"));
    signedBy_ = d.value->signedBy.value_or(QString());
    signedAt_ = d.value->signedBy ? localTime(d.value->signedUs) : QString();
    emit notesChanged();
  });
}

QString SessionModel::recoveryText() const {
  if (!recovered_) return {};
  const qint64 minutes = recoveredClockUs_ / 60'000'000;
  const qint64 seconds = (recoveredClockUs_ / 1'000'000) % 60;
  // Names last, in one arg() call: a "%1" typed into a name stays text.
  return tr("Reopened after an interruption: session %1 for %4, %5 when the console stopped, session clock %2:%3, "
            "%n saved note(s) kept.",
            "", static_cast<int>(notes_.size()))
      .arg(sessionId_)
      .arg(minutes)
      .arg(seconds, 2, 10, QLatin1Char('0'))
      .arg(patientLabel_, recoveredState_);
}

void SessionModel::close() {
  if (active() && state_ != QLatin1String("signed")) return;
  sessionId_ = patientId_ = 0;
  patientLabel_.clear();
  state_.clear();
  recovered_ = false;
  tick_.stop();
  notes_.clear();
  addenda_.clear();
  signedBy_.clear();
  signedAt_.clear();
  setMessage({});
  emit sessionChanged();
  emit notesChanged();
}

void SessionModel::checkUnfinished() {
  if (!store_ || !auth_.allows(store::Action::RunSession)) return;
  pending_.when(store_->clinical().unfinishedSessions(), [this](const Done<std::vector<store::SessionInfo>>& done) {
    if (!done.ok()) {
      setMessage(done.error);
      return;
    }
    unfinished_.clear();
    for (const auto& s : *done.value) {
      if (s.id == sessionId_) continue;
      unfinished_.append(QVariantMap{
          {QStringLiteral("sessionId"), s.id},
          {QStringLiteral("patientId"), s.patientId},
          {QStringLiteral("state"), s.state},
          {QStringLiteral("started"),
           QDateTime::fromMSecsSinceEpoch(s.startedUs / 1000).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))},
          {QStringLiteral("clockMinutes"), static_cast<int>(s.lastClockUs / 60'000'000)},
      });
    }
    emit unfinishedChanged();
  });
}

void SessionModel::recover(qint64 sessionId) {
  if (active() && state_ != QLatin1String("signed")) {
    setMessage(tr("Finish the current session first."));
    return;
  }
  if (!begin("reopen a session")) return;
  const store::Actor by = *auth_.actor();
  pending_.when(store_->clinical().recoverSession(by, sessionId), [this, by](const Done<store::SessionInfo>& done) {
    if (!done.ok()) {
      finish(done.error);
      return;
    }
    const store::SessionInfo info = *done.value;
    patientLabel_ = tr("patient %1").arg(info.patientId);
    recoveredState_ = info.state;
    recoveredClockUs_ = info.lastClockUs;
    adopt(info.id, info.patientId, info.state, info.lastClockUs, true);
    for (int i = 0; i < unfinished_.size(); ++i) {
      if (unfinished_[i].toMap().value(QStringLiteral("sessionId")).toLongLong() == info.id) {
        unfinished_.removeAt(i);
        emit unfinishedChanged();
        break;
      }
    }
    finish({}, tr("Session reopened after an interruption; it is paused. Resume when ready."));
    // The therapist is reopening this patient's record: read (audited) for the name.
    pending_.when(store_->clinical().readPatient(by, info.patientId), [this, id = info.id](const Done<store::Patient>& p) {
      if (!p.ok() || sessionId_ != id) return;
      patientLabel_ = QStringLiteral("%1, %2 (%3)").arg(p.value->familyName, p.value->givenName, p.value->mrn);
      emit sessionChanged();
      emit notesChanged();  // the recovery text names the patient
    });
  });
}

}  // namespace tautband::ui
