#include "ui/SummaryModel.h"

#include "report/Format.h"
#include "report/SessionExport.h"
#include "report/SessionOverview.h"
#include "report/SessionReader.h"
#include "store/Store.h"
#include "ui/AuthModel.h"
#include "ui/SessionModel.h"

#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QPointer>
#include <QStorageInfo>

#include <algorithm>
#include <memory>

namespace tautband::ui {
namespace {

QString exportsFolderOf(const QString& dataDir) { return dataDir + QStringLiteral("/exports"); }

// The clinic's export folder, made private to the console's account (0700).
bool ensurePrivateFolder(const QString& path, QString* error) {
  if (!QDir().mkpath(path)) {
    *error = QObject::tr("cannot create %1").arg(path);
    return false;
  }
  QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
  return true;
}

QString freeSpace(const QString& path) {
  const QStorageInfo info(path);
  if (!info.isValid()) return {};
  const double gb = static_cast<double>(info.bytesAvailable()) / 1e9;
  return QObject::tr("%1 GB free").arg(report::fmt::num(gb, gb < 10 ? 1 : 0));
}

// Mounted volumes that look removable: the X/<user>/<volume> folders under
// the media roots (udisks mounts USB sticks there) and any mount point below
// them that QStorageInfo reports.
QVariantList scanFolders(const QString& exportsFolder, const QStringList& mediaRoots) {
  QVariantList out;
  if (!exportsFolder.isEmpty()) {
    QString error;
    const bool ok = ensurePrivateFolder(exportsFolder, &error);
    out.append(QVariantMap{{"path", exportsFolder},
                           {"label", QObject::tr("Clinic export folder")},
                           {"detail", ok ? exportsFolder + QStringLiteral(" · ") + freeSpace(exportsFolder) : error},
                           {"removable", false},
                           {"writable", ok}});
  }
  QStringList seen;
  auto add = [&](const QString& path, const QString& name) {
    const QString clean = QDir::cleanPath(path);
    if (seen.contains(clean)) return;
    seen << clean;
    const QFileInfo fi(clean);
    out.append(QVariantMap{{"path", clean},
                           {"label", QObject::tr("Removable: %1").arg(name)},
                           {"detail", clean + QStringLiteral(" · ") + freeSpace(clean)},
                           {"removable", true},
                           {"writable", fi.isDir() && fi.isWritable()}});
  };
  for (const QString& root : mediaRoots) {
    const QDir rootDir(root);
    for (const QString& user : rootDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
      const QDir userDir(rootDir.filePath(user));
      for (const QString& volume : userDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        add(userDir.filePath(volume), volume);
      }
    }
  }
  for (const QStorageInfo& v : QStorageInfo::mountedVolumes()) {
    if (!v.isValid() || !v.isReady()) continue;
    const QString mount = v.rootPath();
    const bool underMedia = std::any_of(mediaRoots.begin(), mediaRoots.end(), [&](const QString& root) {
      return mount.startsWith(QDir::cleanPath(root) + QLatin1Char('/'));
    });
    if (underMedia) add(mount, v.displayName().isEmpty() ? QFileInfo(mount).fileName() : v.displayName());
  }
  return out;
}

const char* kindWords(report::ExportKind kind) {
  switch (kind) {
    case report::ExportKind::Pdf: return QT_TR_NOOP("PDF note");
    case report::ExportKind::Handout: return QT_TR_NOOP("Patient handout");
    case report::ExportKind::Json: return QT_TR_NOOP("JSON");
    case report::ExportKind::Fhir: return QT_TR_NOOP("FHIR R4");
    case report::ExportKind::Edf: return QT_TR_NOOP("EDF+ (EMG)");
    case report::ExportKind::Csv: return QT_TR_NOOP("CSV (EMG)");
  }
  return "";
}

struct Overview {
  QVariantMap header;
  QVariantList timeline, sites, notes;
  double durationMs = 0;
};

Overview overviewOf(const report::SessionRecord& r) {
  Overview o;
  const report::LtrCounts all = r.ltrCounts(std::nullopt);
  double energy = 0;
  for (const auto& d : r.laserDoses) energy += d.energyJ;
  const auto painBefore = r.painScore(QStringLiteral("before"));
  const auto painAfter = r.painScore(QStringLiteral("after"));
  o.header = QVariantMap{
      {"patient", r.patient.fullName()},
      {"mrn", r.patient.mrn},
      {"therapist", r.therapist.displayName.isEmpty() ? r.therapist.login : r.therapist.displayName},
      {"started", report::fmt::utc(r.startedUs)},
      {"duration", report::fmt::duration(r.durationClockUs)},
      {"state", r.state},
      {"painBefore", painBefore ? QVariant(*painBefore) : QVariant()},
      {"painAfter", painAfter ? QVariant(*painAfter) : QVariant()},
      {"needles", static_cast<int>(r.needles.size())},
      {"ltrAuto", all.autoConfirmed},
      {"ltrManual", all.manual},
      {"ltrRejected", all.rejected},
      {"laserDoses", static_cast<int>(r.laserDoses.size())},
      {"energyJ", energy},
      {"adverseEvents", static_cast<int>(r.adverseEvents.size())},
      {"refusals", static_cast<int>(r.refusals.size())},
      {"approvals", static_cast<int>(r.approvals.size())},
      {"acknowledgements", static_cast<int>(r.acknowledgements.size())},
      {"signedBy", r.signOff ? r.userName(r.signOff->userId) : QString()},
  };
  std::int64_t lastClock = r.durationClockUs;
  for (const report::TimelineItem& t : report::sessionTimeline(r)) {
    lastClock = std::max(lastClock, t.clockUs + t.durationUs);
    o.timeline.append(QVariantMap{{"clockMs", static_cast<double>(t.clockUs / 1000)},
                                  {"durationMs", static_cast<double>(t.durationUs / 1000)},
                                  {"clock", report::fmt::clock(t.clockUs)},
                                  {"kind", t.kind},
                                  {"text", t.text},
                                  {"severity", t.severity}});
  }
  o.durationMs = static_cast<double>(std::max<std::int64_t>(lastClock, 1'000'000) / 1000);
  for (const report::SiteRow& s : report::siteRows(r)) {
    o.sites.append(QVariantMap{{"number", s.number},
                               {"siteId", static_cast<double>(s.siteId)},
                               {"muscle", s.muscle},
                               {"side", s.side},
                               {"zone", s.zone},
                               {"needles", s.needles},
                               {"ltrAuto", s.ltrs.autoConfirmed},
                               {"ltrManual", s.ltrs.manual},
                               {"ltrRejected", s.ltrs.rejected},
                               {"ltrPending", s.ltrs.pending},
                               {"laserDoses", s.laserDoses},
                               {"energyJ", s.energyJ},
                               {"fluenceJcm2", s.fluenceJcm2},
                               {"energy", s.laserDoses ? report::fmt::num(s.energyJ, 2) + QStringLiteral(" J") : QStringLiteral("—")},
                               {"fluence", s.laserDoses ? report::fmt::num(s.fluenceJcm2, 2) + QStringLiteral(" J/cm²")
                                                        : QStringLiteral("—")}});
  }
  for (const auto& n : r.notes) {
    o.notes.append(QVariantMap{{"author", r.userName(n.authorId)}, {"when", report::fmt::utc(n.recordedUs)}, {"body", n.body}});
  }
  for (const auto& a : r.adverseEvents) {
    o.notes.append(QVariantMap{{"author", r.userName(a.recordedBy)},
                               {"when", report::fmt::utc(a.recordedUs)},
                               {"body", QObject::tr("Adverse event: %1 (%2) — %3").arg(a.kind, a.grade, a.description)}});
  }
  for (const auto& a : r.addenda) {
    o.notes.append(QVariantMap{{"author", r.userName(a.authorId)},
                               {"when", report::fmt::utc(a.recordedUs)},
                               {"body", QObject::tr("Addendum (%1): %2").arg(a.reason, a.body)}});
  }
  return o;
}

}  // namespace

SummaryModel::SummaryModel(AuthModel& auth, SessionModel& session, QObject* parent)
    : QObject(parent), auth_(auth), session_(session) {
  // Reads and exports: two at a time at most (a load may run beside an export).
  pool_.setMaxThreadCount(2);
  connect(&auth_, &AuthModel::userChanged, this, [this] {
    if (auth_.loggedIn()) return;
    // A log-out clears the patient's data from the page.
    sessions_.clear();
    emit sessionsChanged();
    sessionId_ = 0;
    ++loadGeneration_;
    header_.clear();
    timeline_.clear();
    sites_.clear();
    notes_.clear();
    emit recordChanged();
  });
  // The page follows the session being run: reload it when it ends or is signed.
  connect(&session_, &SessionModel::sessionChanged, this, [this] {
    if (session_.sessionId() != 0 && session_.sessionId() == sessionId_) load(static_cast<double>(sessionId_));
  });
}

SummaryModel::~SummaryModel() { pool_.waitForDone(); }

void SummaryModel::attach(store::Store& store) { store_ = &store; }

void SummaryModel::setDataDirectory(const QString& dataDir) {
  dataDir_ = dataDir;
  if (folder_.isEmpty()) {
    folder_ = exportsFolderOf(dataDir);
    emit folderChanged();
  }
}

QStringList SummaryModel::exportKinds() const { return report::exportKindNames(); }

void SummaryModel::setFolder(const QString& folder) {
  if (folder_ == folder) return;
  folder_ = folder;
  emit folderChanged();
}

void SummaryModel::setMessage(const QString& message) {
  if (message_ == message) return;
  message_ = message;
  emit messageChanged();
}

void SummaryModel::setLoading(bool loading) {
  if (loading_ == loading) return;
  loading_ = loading;
  emit loadingChanged();
}

bool SummaryModel::mayRead(const QString& what) {
  if (!store_) {
    setMessage(tr("The clinic database is not open yet."));
    return false;
  }
  // The same role table the store applies: a session is a patient's record.
  if (!auth_.allows(store::Action::ReadPatient)) {
    setMessage(tr("Only a logged-in therapist or manager may %1.").arg(what));
    return false;
  }
  return true;
}

void SummaryModel::refreshSessions() {
  if (!mayRead(tr("list sessions"))) return;
  const store::Actor actor = *auth_.actor();
  store::Store* store = store_;
  QPointer<SummaryModel> self(this);
  pool_.start([self, store, actor] {
    QVariantList list;
    QString error;
    try {
      report::SessionReader reader(store->writer());
      for (const report::SessionSummary& s : reader.list(actor)) {
        list.append(QVariantMap{
            {"id", static_cast<double>(s.id)},
            {"label", QStringLiteral("#%1 · %2 · %3 (%4)").arg(s.id).arg(report::fmt::utc(s.startedUs), s.patientName, s.patientMrn)},
            {"state", s.state},
            {"patient", s.patientName},
            {"duration", report::fmt::duration(s.durationClockUs)},
            {"sites", s.sites},
            {"ltrs", s.ltrs},
            {"laserDoses", s.laserDoses}});
      }
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, list, error] {
          if (!self) return;
          if (!error.isEmpty()) {
            self->setMessage(tr("Cannot list sessions: %1").arg(error));
            return;
          }
          self->sessions_ = list;
          emit self->sessionsChanged();
        },
        Qt::QueuedConnection);
  });
}

void SummaryModel::showCurrent() {
  if (session_.sessionId() != 0) {
    load(static_cast<double>(session_.sessionId()));
  } else if (!sessions_.isEmpty()) {
    load(sessions_.constFirst().toMap().value(QStringLiteral("id")).toDouble());
  } else {
    // No list yet: take the newest session once it arrives.
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(this, &SummaryModel::sessionsChanged, this, [this, once] {
      disconnect(*once);
      if (!loaded() && !sessions_.isEmpty()) load(sessions_.constFirst().toMap().value(QStringLiteral("id")).toDouble());
    });
    refreshSessions();
  }
}

void SummaryModel::load(double sessionIdValue) {
  const auto id = static_cast<qint64>(sessionIdValue);
  if (id <= 0 || !mayRead(tr("open a session"))) return;
  const store::Actor actor = *auth_.actor();
  store::Store* store = store_;
  const quint64 generation = ++loadGeneration_;
  setLoading(true);
  setMessage({});
  QPointer<SummaryModel> self(this);
  pool_.start([self, store, actor, id, generation] {
    auto overview = std::make_shared<Overview>();
    QString error;
    try {
      report::SessionReader reader(store->writer());
      *overview = overviewOf(reader.view(actor, id));
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, overview, error, id, generation] {
          if (!self || generation != self->loadGeneration_) return;  // a newer load or a log-out won
          self->setLoading(false);
          if (!error.isEmpty()) {
            self->setMessage(tr("Cannot open session %1: %2").arg(id).arg(error));
            return;
          }
          self->sessionId_ = id;
          self->header_ = overview->header;
          self->timeline_ = overview->timeline;
          self->sites_ = overview->sites;
          self->notes_ = overview->notes;
          self->durationMs_ = overview->durationMs;
          emit self->recordChanged();
        },
        Qt::QueuedConnection);
  });
}

void SummaryModel::refreshFolders() {
  const QString exports = dataDir_.isEmpty() ? QString() : exportsFolderOf(dataDir_);
  const QStringList roots = mediaRoots_;
  QPointer<SummaryModel> self(this);
  pool_.start([self, exports, roots] {
    const QVariantList found = scanFolders(exports, roots);
    QMetaObject::invokeMethod(
        self.data(),
        [self, found] {
          if (!self) return;
          self->folders_ = found;
          // A removed stick falls back to the clinic's folder (first in the list);
          // a folder chosen some other way (tests, settings) is kept.
          bool present = false;
          for (const QVariant& f : found) present = present || f.toMap().value(QStringLiteral("path")) == self->folder_;
          const bool wasRemovable = std::any_of(self->mediaRoots_.begin(), self->mediaRoots_.end(),
                                                [&](const QString& r) { return self->folder_.startsWith(r + QLatin1Char('/')); });
          if (!found.isEmpty() && (self->folder_.isEmpty() || (!present && wasRemovable))) {
            self->setFolder(found.constFirst().toMap().value(QStringLiteral("path")).toString());
          }
          emit self->foldersChanged();
        },
        Qt::QueuedConnection);
  });
}

QString SummaryModel::fileNameFor(const QString& kind) const {
  const auto k = report::exportKindFromName(kind);
  return k && sessionId_ != 0 ? report::exportFileName(sessionId_, *k) : QString();
}

QString SummaryModel::kindTitle(const QString& kind) const {
  const auto k = report::exportKindFromName(kind);
  return k ? tr(kindWords(*k)) : kind;
}

void SummaryModel::setExportState(bool exporting, double progress, const QString& stage) {
  exporting_ = exporting;
  exportProgress_ = progress;
  exportStage_ = stage;
  emit exportChanged();
}

void SummaryModel::finishExport(bool ok, const QString& message, const QString& written) {
  exporting_ = false;
  exportOk_ = ok;
  exportMessage_ = message;
  exportProgress_ = ok ? 1.0 : exportProgress_;
  exportStage_.clear();
  if (ok) lastWritten_ = written;
  emit exportChanged();
  emit exportFinished(ok, message);
}

void SummaryModel::exportAs(const QString& kindName) {
  const auto kind = report::exportKindFromName(kindName);
  if (!kind) {
    finishExport(false, tr("Unknown export kind '%1'.").arg(kindName), {});
    return;
  }
  if (exporting_ || !conflict_.isEmpty()) {
    setMessage(tr("An export is already running; wait for it to finish."));
    return;
  }
  if (sessionId_ == 0) {
    finishExport(false, tr("Choose a session first."), {});
    return;
  }
  if (folder_.isEmpty()) {
    finishExport(false, tr("Choose a destination folder first."), {});
    return;
  }
  if (!mayRead(tr("export a session"))) {
    finishExport(false, message_, {});
    return;
  }
  exportKind_ = kindName;
  exportMessage_.clear();
  setExportState(true, 0.0, tr("checking %1").arg(folder_));
  // Existence and the destination are checked on the worker too: a USB stick
  // may be slow to answer.
  const QString folder = folder_;
  const bool isExportsFolder = !dataDir_.isEmpty() && QDir::cleanPath(folder) == QDir::cleanPath(exportsFolderOf(dataDir_));
  const QString path = QDir(folder).filePath(report::exportFileName(sessionId_, *kind));
  const report::ExportKind k = *kind;
  QPointer<SummaryModel> self(this);
  pool_.start([self, folder, isExportsFolder, path, k, kindName] {
    QString error;
    bool exists = false;
    QString keepBoth;
    try {
      if (isExportsFolder) ensurePrivateFolder(folder, &error);
      const QFileInfo dir(folder);
      if (error.isEmpty() && !dir.isDir()) error = tr("the folder %1 is not there (was the stick removed?)").arg(folder);
      else if (error.isEmpty() && !dir.isWritable()) error = tr("the folder %1 is not writable").arg(folder);
      if (error.isEmpty()) {
        for (const QString& p : report::exportOutputs(k, path)) exists = exists || QFileInfo::exists(p);
        if (exists) keepBoth = report::nextFreeExportPath(k, path);
      }
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, error, exists, path, keepBoth, kindName] {
          if (!self) return;
          if (!error.isEmpty()) {
            self->finishExport(false, tr("Not exported: %1.").arg(error), {});
            return;
          }
          if (!exists) {
            self->startExport(kindName, path);
            return;
          }
          // Never replace without asking; the dialog's default is not to.
          self->setExportState(false, 0.0, {});
          self->conflict_ = QVariantMap{{"kind", kindName},
                                        {"path", path},
                                        {"fileName", QFileInfo(path).fileName()},
                                        {"keepBothPath", keepBoth},
                                        {"keepBothName", QFileInfo(keepBoth).fileName()}};
          emit self->conflictChanged();
        },
        Qt::QueuedConnection);
  });
}

void SummaryModel::resolveConflict(const QString& choice) {
  if (conflict_.isEmpty()) return;
  const QVariantMap c = conflict_;
  conflict_.clear();
  emit conflictChanged();
  const QString kind = c.value(QStringLiteral("kind")).toString();
  if (choice == QLatin1String("replace")) {
    startExport(kind, c.value(QStringLiteral("path")).toString());
  } else if (choice == QLatin1String("keep")) {
    startExport(kind, c.value(QStringLiteral("keepBothPath")).toString());
  } else {
    finishExport(false, tr("Export cancelled; %1 was left as it was.").arg(c.value(QStringLiteral("fileName")).toString()),
                 {});
  }
}

void SummaryModel::startExport(const QString& kindName, const QString& path) {
  const auto kind = report::exportKindFromName(kindName);
  if (!kind || !mayRead(tr("export a session"))) {
    finishExport(false, message_, {});
    return;
  }
  exportKind_ = kindName;
  setExportState(true, 0.02, tr("starting"));
  report::SessionExportRequest request;
  request.kind = *kind;
  request.out = path;
  request.dataDir = dataDir_.toStdString();
  const store::Actor actor = *auth_.actor();
  const qint64 id = sessionId_;
  store::Store* store = store_;
  QPointer<SummaryModel> self(this);
  request.progress = [self](double fraction, const QString& stage) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, fraction, stage] {
          if (self && self->exporting_) self->setExportState(true, fraction, stage);
        },
        Qt::QueuedConnection);
  };
  pool_.start([self, store, actor, id, request] {
    QString error;
    QString text;
    QStringList written;
    try {
      report::SessionReader reader(store->writer());
      // The CLI's `report` code path: read audited as the logged-in user, render, write.
      const report::SessionExportResult result = report::exportSession(reader, actor, id, request);
      text = result.text;
      written = result.written;
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, error, text, written] {
          if (!self) return;
          if (!error.isEmpty()) self->finishExport(false, tr("Export failed: %1").arg(error), {});
          else self->finishExport(true, text + QLatin1Char('.'), written.join(QStringLiteral(", ")));
        },
        Qt::QueuedConnection);
  });
}

}  // namespace tautband::ui
