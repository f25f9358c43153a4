#pragma once

#include "store/AuditQuery.h"
#include "store/SerialWorker.h"
#include "ui/PendingWork.h"

#include <QAbstractListModel>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <vector>

namespace tautband::store {
class Store;
}

namespace tautband::ui {

class AuthModel;

// The manager's audit screen: filtered rows (newest first, viewing is
// audited by the store), a severity for each, the chain's verification badge
// (verified in the background on its own connection) and CSV/JSON export
// through the store's export, written beside the database on a worker thread.
class AuditModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(int count READ count NOTIFY rowsChanged)
  Q_PROPERTY(QString actorFilter READ actorFilter WRITE setActorFilter NOTIFY filtersChanged)
  Q_PROPERTY(QString fromDate READ fromDate WRITE setFromDate NOTIFY filtersChanged)
  Q_PROPERTY(QString toDate READ toDate WRITE setToDate NOTIFY filtersChanged)
  Q_PROPERTY(QString severity READ severity WRITE setSeverity NOTIFY filtersChanged)
  Q_PROPERTY(QString kind READ kind WRITE setKind NOTIFY filtersChanged)
  Q_PROPERTY(QStringList actors READ actors NOTIFY actorsChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)
  Q_PROPERTY(QString verifyState READ verifyState NOTIFY verifyChanged)
  Q_PROPERTY(QString verifyText READ verifyText NOTIFY verifyChanged)
  Q_PROPERTY(double firstUs READ firstUs NOTIFY rowsChanged)
  Q_PROPERTY(double lastUs READ lastUs NOTIFY rowsChanged)
  Q_PROPERTY(QString exportedPath READ exportedPath NOTIFY exportedChanged)
  Q_PROPERTY(bool canExport READ canExport NOTIFY permissionsChanged)

 public:
  enum Role {
    SequenceRole = Qt::UserRole + 1,
    UtcRole,
    TimeTextRole,
    ClockTextRole,
    ActorRole,
    UserRoleRole,
    ActionRole,
    SubjectRole,
    DetailsRole,
    SeverityRole,
    KindRole,
  };

  AuditModel(AuthModel& auth, QObject* parent = nullptr);
  ~AuditModel() override;
  void attach(store::Store& store);
  void setExportDirectory(const QString& directory) { exportDirectory_ = directory; }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  int count() const { return static_cast<int>(rows_.size()); }
  QString actorFilter() const { return actorFilter_; }
  void setActorFilter(const QString& actor);
  QString fromDate() const { return fromDate_; }
  void setFromDate(const QString& date);
  QString toDate() const { return toDate_; }
  void setToDate(const QString& date);
  QString severity() const { return severity_; }
  void setSeverity(const QString& severity);
  QString kind() const { return kind_; }
  void setKind(const QString& kind);
  QStringList actors() const { return actors_; }
  bool busy() const { return pending_.busy(); }
  QString message() const { return message_; }
  QString verifyState() const { return verifyState_; }
  QString verifyText() const { return verifyText_; }
  // double: QML numbers (µs since 1970 fit exactly in 53 bits).
  double firstUs() const { return rows_.empty() ? 0 : static_cast<double>(rows_.back().utcUs); }
  double lastUs() const { return rows_.empty() ? 0 : static_cast<double>(rows_.front().utcUs); }
  QString exportedPath() const { return exportedPath_; }
  bool canExport() const;

  // "critical" (faults, E-STOP, tampering), "warning" (refusals, denials,
  // failed logins, lockouts, acknowledgements) or "info".
  static QString severityOf(const QString& action);
  // "refusal", "approval", "fault", "login" or "other".
  static QString kindOf(const QString& action);

  Q_INVOKABLE void refresh();
  Q_INVOKABLE void verify();
  Q_INVOKABLE void exportTo(const QString& format);  // "csv" | "json" | "pdf"
  Q_INVOKABLE void clearFilters();
  Q_INVOKABLE QVariantMap get(int row) const;

 signals:
  void rowsChanged();
  void filtersChanged();
  void actorsChanged();
  void busyChanged();
  void messageChanged();
  void verifyChanged();
  void exportedChanged();
  void permissionsChanged();

 private:
  void setMessage(const QString& message);
  void setVerify(const QString& state, const QString& text);
  bool bounds(std::optional<std::int64_t>& from, std::optional<std::int64_t>& to);
  void loadActors();
  void exportPdf();

  AuthModel& auth_;
  store::Store* store_ = nullptr;
  PendingWork pending_{this};
  std::unique_ptr<store::SerialWorker> exporter_;  // file writes never on the GUI thread
  std::vector<store::AuditRow> rows_;
  QString actorFilter_, fromDate_, toDate_;
  QString severity_ = QStringLiteral("all");
  QString kind_ = QStringLiteral("all");
  QStringList actors_;
  QString message_;
  QString verifyState_ = QStringLiteral("unknown");
  QString verifyText_;
  QString exportDirectory_;
  QString exportedPath_;
  int generation_ = 0;  // drops answers to an older query
};

}  // namespace tautband::ui
