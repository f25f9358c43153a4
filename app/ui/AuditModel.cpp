#include "ui/AuditModel.h"

#include "report/AuditReportPdf.h"
#include "store/AuditExport.h"
#include "store/AuditReader.h"
#include "store/Store.h"
#include "ui/AuthModel.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace tautband::ui {
namespace {

bool startsWithAny(const QString& action, std::initializer_list<const char*> prefixes) {
  for (const char* p : prefixes)
    if (action.startsWith(QLatin1String(p))) return true;
  return false;
}

// Prefixes per kind (store::queryAudit filters on these).
QStringList prefixesForKind(const QString& kind) {
  if (kind == QLatin1String("refusal"))
    return {QStringLiteral("safety.refused"), QStringLiteral("access.denied"), QStringLiteral("supervisor.refused"),
            QStringLiteral("auth.refused")};
  if (kind == QLatin1String("approval"))
    return {QStringLiteral("supervisor.approved"), QStringLiteral("safety.acknowledged")};
  if (kind == QLatin1String("fault"))
    return {QStringLiteral("fault."), QStringLiteral("safety.fault"), QStringLiteral("estop"),
            QStringLiteral("emergency"), QStringLiteral("device.fault"), QStringLiteral("laser.fault")};
  if (kind == QLatin1String("login")) return {QStringLiteral("auth.")};
  return {};
}

QString microsToText(qint64 us) {
  return QDateTime::fromMSecsSinceEpoch(us / 1000).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString clockText(const std::optional<qint64>& us) {
  if (!us) return {};
  const qint64 s = *us / 1'000'000;
  return QStringLiteral("%1:%2:%3")
      .arg(s / 3600, 2, 10, QLatin1Char('0'))
      .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
      .arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

AuditModel::AuditModel(AuthModel& auth, QObject* parent) : QAbstractListModel(parent), auth_(auth) {
  pending_.onBusyChanged([this] { emit busyChanged(); });
  connect(&auth_, &AuthModel::userChanged, this, [this] {
    emit permissionsChanged();
    if (!auth_.allows(store::Action::ViewAudit) && !rows_.empty()) {
      beginResetModel();
      rows_.clear();
      endResetModel();
      emit rowsChanged();
    }
  });
}

AuditModel::~AuditModel() = default;

void AuditModel::attach(store::Store& store) {
  store_ = &store;
  if (exportDirectory_.isEmpty())
    exportDirectory_ = QString::fromStdString((store.settings().dataDir / "exports").string());
}

bool AuditModel::canExport() const { return auth_.allows(store::Action::ExportAudit); }

QString AuditModel::severityOf(const QString& action) {
  if (startsWithAny(action, {"fault.", "safety.fault", "estop", "emergency", "device.fault", "laser.fault",
                             "audit.tamper"}))
    return QStringLiteral("critical");
  if (startsWithAny(action, {"safety.refused", "access.denied", "supervisor.refused", "auth.failed", "auth.refused",
                             "auth.locked-out", "safety.acknowledged", "adverse"}))
    return QStringLiteral("warning");
  return QStringLiteral("info");
}

QString AuditModel::kindOf(const QString& action) {
  for (const char* k : {"refusal", "approval", "fault", "login"}) {
    const QString kind = QLatin1String(k);
    for (const QString& p : prefixesForKind(kind))
      if (action.startsWith(p)) return kind;
  }
  return QStringLiteral("other");
}

int AuditModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : count(); }

QHash<int, QByteArray> AuditModel::roleNames() const {
  return {{SequenceRole, "sequence"}, {UtcRole, "utcUs"},        {TimeTextRole, "timeText"},
          {ClockTextRole, "clockText"}, {ActorRole, "actor"},    {UserRoleRole, "userRole"},
          {ActionRole, "action"},     {SubjectRole, "subject"},  {DetailsRole, "details"},
          {SeverityRole, "severity"}, {KindRole, "kind"}};
}

QVariant AuditModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= count()) return {};
  const store::AuditRow& r = rows_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case SequenceRole: return r.sequence;
    case UtcRole: return r.utcUs;
    case TimeTextRole: return microsToText(r.utcUs);
    case ClockTextRole: return clockText(r.sessionClockUs);
    case ActorRole: return r.actor;
    case UserRoleRole: return r.role;
    case ActionRole: return r.action;
    case SubjectRole: return r.subject;
    case DetailsRole: return r.details;
    case SeverityRole: return severityOf(r.action);
    case KindRole: return kindOf(r.action);
    default: return {};
  }
}

QVariantMap AuditModel::get(int row) const { return rowAsMap(*this, row); }

void AuditModel::setActorFilter(const QString& actor) {
  if (actorFilter_ == actor) return;
  actorFilter_ = actor;
  emit filtersChanged();
}
void AuditModel::setFromDate(const QString& date) {
  if (fromDate_ == date) return;
  fromDate_ = date;
  emit filtersChanged();
}
void AuditModel::setToDate(const QString& date) {
  if (toDate_ == date) return;
  toDate_ = date;
  emit filtersChanged();
}
void AuditModel::setSeverity(const QString& severity) {
  if (severity_ == severity) return;
  severity_ = severity;
  emit filtersChanged();
}
void AuditModel::setKind(const QString& kind) {
  if (kind_ == kind) return;
  kind_ = kind;
  emit filtersChanged();
}

void AuditModel::clearFilters() {
  actorFilter_.clear();
  fromDate_.clear();
  toDate_.clear();
  severity_ = kind_ = QStringLiteral("all");
  emit filtersChanged();
  refresh();
}

void AuditModel::setMessage(const QString& message) {
  if (message_ == message) return;
  message_ = message;
  emit messageChanged();
}

void AuditModel::setVerify(const QString& state, const QString& text) {
  verifyState_ = state;
  verifyText_ = text;
  emit verifyChanged();
}


bool AuditModel::bounds(std::optional<std::int64_t>& from, std::optional<std::int64_t>& to) {
  try {
    if (!fromDate_.trimmed().isEmpty()) from = store::parseUtcBound(fromDate_.trimmed(), false);
    if (!toDate_.trimmed().isEmpty()) to = store::parseUtcBound(toDate_.trimmed(), true);
  } catch (const std::exception&) {
    setMessage(tr("Dates are written YYYY-MM-DD (e.g. %1).").arg(QDate::currentDate().toString(Qt::ISODate)));
    return false;
  }
  if (from && to && *from > *to) {
    setMessage(tr("The start date is after the end date."));
    return false;
  }
  return true;
}

void AuditModel::refresh() {
  if (!store_) return;
  if (!auth_.allows(store::Action::ViewAudit)) {
    setMessage(tr("Only managers and administrators may view the audit trail."));
    return;
  }
  store::AuditQuery query;
  std::optional<std::int64_t> from, to;
  if (!bounds(from, to)) return;
  if (from) query.fromUs = *from;
  if (to) query.toUs = *to;
  query.actor = actorFilter_;
  query.actionPrefixes = prefixesForKind(kind_);
  if (query.actionPrefixes.isEmpty() && severity_ == QLatin1String("critical")) query.actionPrefixes = prefixesForKind(QStringLiteral("fault"));
  query.limit = 500;
  setMessage({});
  const int generation = ++generation_;
  const QString severity = severity_;
  pending_.whileBusy(store::queryAudit(store_->writer(), *auth_.actor(), query),
                [this, generation, severity](const Done<std::vector<store::AuditRow>>& d) {
                  if (generation != generation_) return;
                  if (!d.ok()) {
                    setMessage(d.error);
                    return;
                  }
                  beginResetModel();
                  rows_.clear();
                  // Severity is a property of the action; filter here what the prefixes could not.
                  for (const auto& row : *d.value)
                    if (severity == QLatin1String("all") || severityOf(row.action) == severity) rows_.push_back(row);
                  endResetModel();
                  emit rowsChanged();
                  if (d.value->size() >= 500) setMessage(tr("Showing the newest 500 entries; narrow the filters to see older ones."));
                });
  if (actors_.isEmpty()) loadActors();
}

void AuditModel::loadActors() {
  if (!auth_.allows(store::Action::ManageUsers)) return;
  pending_.when(store_->users().listUsers(*auth_.actor()), [this](const Done<std::vector<store::UserRecord>>& d) {
    if (!d.ok()) return;
    QStringList logins;
    for (const auto& u : *d.value) logins << u.login;
    logins.sort();
    actors_ = logins;
    emit actorsChanged();
  });
}

void AuditModel::verify() {
  if (!store_ || !auth_.allows(store::Action::ViewAudit)) return;
  store::VerifyOptions options;
  options.keys[store_->key().consoleId()] = store_->key().publicKey();
  options.headFile = store_->settings().headFilePath();
  setVerify(QStringLiteral("checking"), tr("Checking the hash chain…"));
  const store::Actor by = *auth_.actor();
  pending_.when(store::verifyInBackground(store_->settings(), options), [this, by](const Done<store::VerifyReport>& d) {
    if (!d.ok()) {
      setVerify(QStringLiteral("error"), tr("Cannot read the audit trail: %1").arg(d.error));
      return;
    }
    const store::VerifyReport& r = *d.value;
    std::int64_t entries = 0;
    for (const auto& c : r.chains) entries += c.entries;
    QJsonObject details{{"intact", r.intact()}, {"entries", static_cast<qint64>(entries)}};
    if (r.intact()) {
      setVerify(QStringLiteral("intact"),
                tr("Chain intact · %1 entries · signed checkpoint verified · %2 s").arg(entries).arg(r.seconds, 0, 'f', 2));
    } else {
      details.insert(QStringLiteral("first_bad_sequence"), static_cast<qint64>(r.firstProblem->sequence));
      details.insert(QStringLiteral("kind"), store::tamperKindName(r.firstProblem->kind));
      setVerify(QStringLiteral("tampered"), tr("TAMPERED at entry %1: %2 — %3")
                                                .arg(r.firstProblem->sequence)
                                                .arg(store::tamperKindName(r.firstProblem->kind), r.firstProblem->message));
    }
    (void)store_->audit().append({by.login, by.role, QStringLiteral("audit.verified"), QStringLiteral("audit-trail"),
                                  details, std::nullopt});
  });
}

void AuditModel::exportTo(const QString& format) {
  if (!store_) return;
  if (!auth_.allows(store::Action::ExportAudit)) {
    setMessage(tr("Only managers and administrators may export the audit trail."));
    return;
  }
  if (format == QLatin1String("pdf")) {
    exportPdf();
    return;
  }
  if (format != QLatin1String("csv") && format != QLatin1String("json")) return;
  store::AuditExportFilter filter;
  if (!bounds(filter.fromUs, filter.toUs)) return;
  filter.actor = actorFilter_;
  const store::ExportFormat fmt = format == QLatin1String("csv") ? store::ExportFormat::Csv : store::ExportFormat::Json;
  const QString path = QDir(exportDirectory_).filePath(
      QStringLiteral("audit-%1.%2").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")), format));
  const store::StoreSettings settings = store_->settings();
  if (!exporter_) exporter_ = std::make_unique<store::SerialWorker>();
  setMessage(tr("Exporting…"));
  const store::Actor by = *auth_.actor();
  auto work = exporter_->post([settings, filter, fmt, path]() -> qint64 {
    const store::AuditExportResult result = store::exportAudit(settings, filter, fmt);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(result.bytes) != result.bytes.size() || !file.commit())
      throw std::runtime_error("cannot write " + path.toStdString());
    return static_cast<qint64>(result.entries);
  });
  pending_.whileBusy(std::move(work), [this, by, path, format](const Done<qint64>& d) {
    if (!d.ok()) {
      setMessage(tr("Export failed: %1").arg(d.error));
      return;
    }
    exportedPath_ = path;
    emit exportedChanged();
    setMessage(tr("Exported %1 entries (user and date filters) to %2").arg(*d.value).arg(path));
    (void)store_->audit().append({by.login, by.role, QStringLiteral("audit.exported"), QStringLiteral("audit-trail"),
                                  QJsonObject{{"format", format}, {"entries", *d.value}, {"file", path}},
                                  std::nullopt});
  });
}

// The manager's PDF (app/report): entries, the latest checkpoint and a fresh
// verification of the chain, all on the export thread. The report's reader
// audits the export itself ("audit.exported", format pdf).
void AuditModel::exportPdf() {
  report::AuditReportFilter filter;
  if (!bounds(filter.fromUs, filter.toUs)) return;
  filter.actor = actorFilter_;
  const QString path = QDir(exportDirectory_).filePath(
      QStringLiteral("audit-%1.pdf").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
  if (!exporter_) exporter_ = std::make_unique<store::SerialWorker>();
  setMessage(tr("Exporting…"));
  const store::Actor by = *auth_.actor();
  store::StoreWriter* writer = &store_->writer();
  const store::StoreSettings settings = store_->settings();
  store::VerifyOptions verify;
  verify.keys[store_->key().consoleId()] = store_->key().publicKey();
  verify.headFile = settings.headFilePath();
  auto work = exporter_->post([writer, settings, verify, filter, by, path]() -> qint64 {
    report::AuditReportData data = report::readAuditForReport(*writer, by, filter);
    auto reader = store::AuditReader::open(settings);
    const store::VerifyReport checked = store::verifyAuditTrail(*reader, verify);
    data.verified = true;
    data.intact = checked.intact();
    data.verifySummary = checked.intact()
                             ? QStringLiteral("intact — %1 chain(s), hashes, links and the latest signed checkpoint verified.")
                                   .arg(checked.chains.size())
                             : QStringLiteral("TAMPERED — first bad entry #%1 (%2): %3")
                                   .arg(checked.firstProblem->sequence)
                                   .arg(store::tamperKindName(checked.firstProblem->kind), checked.firstProblem->message);
    data.verifyWarnings = checked.warnings;
    report::PdfOptions options;
    options.generatedUs = store::utcNowUs();
    options.generatedBy = by.login;
    QDir().mkpath(QFileInfo(path).absolutePath());
    report::writeAuditReport(data, options, path);
    return static_cast<qint64>(data.entries.size());
  });
  pending_.whileBusy(std::move(work), [this, path](const Done<qint64>& d) {
    if (!d.ok()) {
      setMessage(tr("Export failed: %1").arg(d.error));
      return;
    }
    exportedPath_ = path;
    emit exportedChanged();
    setMessage(tr("Exported %1 entries (user and date filters) with the chain check to %2").arg(*d.value).arg(path));
  });
}

}  // namespace tautband::ui
