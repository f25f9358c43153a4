#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <atomic>

namespace tautband::store {
class Store;
}

namespace tautband::ui {

class AuthModel;
class SessionModel;

// The Summary page at session end (issue 9): the session's timeline on its
// clock, the per-site table, and exports (PDF note, handout, JSON, FHIR, EDF+,
// CSV) into the clinic's export folder or a removable medium.
//
// Every read and export runs on a worker thread through app/report's
// SessionReader / exportSession() — the very code `tautband-cli report` runs,
// audited as the logged-in user — and reports back with queued calls: the GUI
// thread never waits on the disk or the database. An export never replaces a
// file silently: an existing name raises `conflict`, answered by
// resolveConflict("replace" | "keep" | "cancel").
class SummaryModel : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(QVariantList sessions READ sessions NOTIFY sessionsChanged)
  Q_PROPERTY(double sessionId READ sessionIdForQml NOTIFY recordChanged)
  Q_PROPERTY(bool loaded READ loaded NOTIFY recordChanged)
  Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
  Q_PROPERTY(QVariantMap header READ header NOTIFY recordChanged)
  Q_PROPERTY(QVariantList timeline READ timeline NOTIFY recordChanged)
  Q_PROPERTY(double durationMs READ durationMs NOTIFY recordChanged)
  Q_PROPERTY(QVariantList sites READ sites NOTIFY recordChanged)
  Q_PROPERTY(QVariantList notes READ notes NOTIFY recordChanged)
  // The timeline followed by the notes: the page's event list.
  Q_PROPERTY(QVariantList events READ events NOTIFY recordChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)
  Q_PROPERTY(QStringList exportKinds READ exportKinds CONSTANT)
  Q_PROPERTY(QVariantList folders READ folders NOTIFY foldersChanged)
  Q_PROPERTY(QString folder READ folder WRITE setFolder NOTIFY folderChanged)
  Q_PROPERTY(bool exporting READ exporting NOTIFY exportChanged)
  Q_PROPERTY(QString exportKind READ exportKind NOTIFY exportChanged)
  Q_PROPERTY(double exportProgress READ exportProgress NOTIFY exportChanged)
  Q_PROPERTY(QString exportStage READ exportStage NOTIFY exportChanged)
  Q_PROPERTY(QString exportMessage READ exportMessage NOTIFY exportChanged)
  Q_PROPERTY(bool exportOk READ exportOk NOTIFY exportChanged)
  Q_PROPERTY(QString lastWritten READ lastWritten NOTIFY exportChanged)
  // Non-empty while an export waits for the user: {kind, path, fileName, keepBothName}.
  Q_PROPERTY(QVariantMap conflict READ conflict NOTIFY conflictChanged)

 public:
  SummaryModel(AuthModel& auth, SessionModel& session, QObject* parent = nullptr);
  ~SummaryModel() override;
  void attach(store::Store& store);
  // <dataDir>/exports is the clinic's export folder (created 0700); the
  // handout template comes from <dataDir>/templates.
  void setDataDirectory(const QString& dataDir);
  // Where removable media are mounted (default /media and /run/media: /X/<user>/<volume>).
  void setMediaRoots(const QStringList& roots) { mediaRoots_ = roots; }

  QVariantList sessions() const { return sessions_; }
  qint64 sessionId() const { return sessionId_; }
  double sessionIdForQml() const { return static_cast<double>(sessionId_); }
  bool loaded() const { return sessionId_ != 0; }
  bool loading() const { return loading_; }
  QVariantMap header() const { return header_; }
  QVariantList timeline() const { return timeline_; }
  double durationMs() const { return durationMs_; }
  QVariantList sites() const { return sites_; }
  QVariantList notes() const { return notes_; }
  QVariantList events() const { return timeline_ + notes_; }
  QString message() const { return message_; }
  QStringList exportKinds() const;
  QVariantList folders() const { return folders_; }
  QString folder() const { return folder_; }
  void setFolder(const QString& folder);
  bool exporting() const { return exporting_; }
  QString exportKind() const { return exportKind_; }
  double exportProgress() const { return exportProgress_; }
  QString exportStage() const { return exportStage_; }
  QString exportMessage() const { return exportMessage_; }
  bool exportOk() const { return exportOk_; }
  QString lastWritten() const { return lastWritten_; }
  QVariantMap conflict() const { return conflict_; }

  // The store's session list (audited "session.list").
  Q_INVOKABLE void refreshSessions();
  // One session's record (audited "session.viewed").
  Q_INVOKABLE void load(double sessionId);
  // The session in progress, else the newest one.
  Q_INVOKABLE void showCurrent();
  // The export folder and mounted removable media.
  Q_INVOKABLE void refreshFolders();
  // "session-<id>-note.pdf" etc. for the loaded session.
  Q_INVOKABLE QString fileNameFor(const QString& kind) const;
  // Words for a kind on a button ("PDF note", "Patient handout", ...).
  Q_INVOKABLE QString kindTitle(const QString& kind) const;
  Q_INVOKABLE void exportAs(const QString& kind);
  Q_INVOKABLE void resolveConflict(const QString& choice);

 signals:
  void sessionsChanged();
  void recordChanged();
  void loadingChanged();
  void messageChanged();
  void foldersChanged();
  void folderChanged();
  void exportChanged();
  void conflictChanged();
  // An export ended: ok with the paths written, or the error in words.
  void exportFinished(bool ok, const QString& message);

 private:
  bool mayRead(const QString& what);
  void setMessage(const QString& message);
  void setLoading(bool loading);
  void startExport(const QString& kind, const QString& path);
  void setExportState(bool exporting, double progress, const QString& stage);
  void finishExport(bool ok, const QString& message, const QString& written);

  AuthModel& auth_;
  SessionModel& session_;
  store::Store* store_ = nullptr;
  QString dataDir_;
  QStringList mediaRoots_{QStringLiteral("/media"), QStringLiteral("/run/media")};

  QVariantList sessions_;
  qint64 sessionId_ = 0;
  bool loading_ = false;
  quint64 loadGeneration_ = 0;
  QVariantMap header_;
  QVariantList timeline_;
  double durationMs_ = 0;
  QVariantList sites_;
  QVariantList notes_;
  QString message_;

  QVariantList folders_;
  QString folder_;
  bool exporting_ = false;
  QString exportKind_;
  double exportProgress_ = 0;
  QString exportStage_;
  QString exportMessage_;
  bool exportOk_ = false;
  QString lastWritten_;
  QVariantMap conflict_;

  // Declared last: destroyed (after waitForDone in the destructor) before the
  // state its tasks report into.
  QThreadPool pool_;
};

}  // namespace tautband::ui
