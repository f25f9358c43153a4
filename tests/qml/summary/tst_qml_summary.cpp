// The Summary page's QML test (tests/qml/tst_summary_page.qml) against the
// real SummaryModel over a real demo clinic: the demo is built by the CLI's
// own `demo` command through its library (the code path of `tautband-cli demo
// --db`), then one more session with hostile text is added through the store.
//
// Screenshot mode: TAUTBAND_SUMMARY_SCREENSHOT=<file.png> saves the shell on
// the Summary page (1280x800) after the first test.
#include "cli/CliApplication.h"
#include "store/Store.h"
#include "ui/AuthModel.h"
#include "ui/EmergencyStop.h"
#include "ui/SessionModel.h"
#include "ui/SummaryModel.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QQmlContext>
#include <QQmlEngine>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(Tautband_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Tautband_UiPlugin)

using namespace tautband;

namespace {

QString hostileFamilyName() { return QStringLiteral("O'Brien\"; DROP TABLE sessions; --"); }
QString hostileGivenName() { return QStringLiteral("<b>bold</b> <img src=x> &amp; \u202Eשלום\u202C مرحبا"); }
QString hostileNote() {
  QString note = QStringLiteral("<h1>not a heading</h1> \"quoted\" 'single' ");
  while (note.size() < 10 * 1024) note += QStringLiteral("Robert'); DELETE FROM notes;-- <i>x</i> &lt; \u05D0\u05D1 ");
  return note;
}

}  // namespace

// Read-only helpers for the QML test: what the store says, independently of
// the view model, and what is on disk.
class SummaryFixture : public QObject {
  Q_OBJECT
  Q_PROPERTY(QString exportDir MEMBER exportDir_ CONSTANT)
  Q_PROPERTY(double latestDemoSession MEMBER latestDemoSession_ CONSTANT)
  Q_PROPERTY(double hostileSession MEMBER hostileSession_ CONSTANT)
  Q_PROPERTY(double copdSession MEMBER copdSession_ CONSTANT)
  Q_PROPERTY(QString hostileName MEMBER hostileName_ CONSTANT)
  Q_PROPERTY(QString hostileNote MEMBER hostileNote_ CONSTANT)
  Q_PROPERTY(QString screenshotPath MEMBER screenshotPath_ CONSTANT)

 public:
  store::Store* store = nullptr;
  QString exportDir_, hostileName_, hostileNote_, screenshotPath_;
  double latestDemoSession_ = 0, hostileSession_ = 0, copdSession_ = 0;

  // Per site, straight from the tables: needles and LTRs by source/status.
  Q_INVOKABLE QVariantList expectedSites(double sessionId) const {
    return store->writer().run([id = static_cast<qint64>(sessionId)](store::WriteTransaction& tx) {
      QVariantList rows;
      QSqlQuery q = tx.exec(QStringLiteral(
          "SELECT s.id, s.muscle, s.side,"
          " (SELECT COUNT(*) FROM needles n WHERE n.site_id = s.id),"
          " (SELECT COUNT(*) FROM ltr_events l WHERE l.site_id = s.id AND l.status = 'confirmed' AND l.source = 'auto'),"
          " (SELECT COUNT(*) FROM ltr_events l WHERE l.site_id = s.id AND l.status = 'confirmed' AND l.source = 'manual'),"
          " (SELECT COUNT(*) FROM ltr_events l WHERE l.site_id = s.id AND l.status = 'rejected'),"
          " (SELECT COALESCE(SUM(d.energy_j), 0) FROM laser_doses d WHERE d.site_id = s.id)"
          " FROM sites s WHERE s.session_id = ? ORDER BY s.id"),
          {QVariant::fromValue<qint64>(id)});
      while (q.next()) {
        rows.append(QVariantMap{{"siteId", q.value(0).toDouble()},
                                {"muscle", q.value(1).toString()},
                                {"side", q.value(2).toString()},
                                {"needles", q.value(3).toInt()},
                                {"ltrAuto", q.value(4).toInt()},
                                {"ltrManual", q.value(5).toInt()},
                                {"ltrRejected", q.value(6).toInt()},
                                {"energyJ", q.value(7).toDouble()}});
      }
      return rows;
    });
  }
  // Audit entries of `action` about the session, as "actor" strings.
  Q_INVOKABLE QStringList auditActors(const QString& action, double sessionId) const {
    return store->writer().run([action, id = static_cast<qint64>(sessionId)](store::WriteTransaction& tx) {
      QStringList actors;
      QSqlQuery q = tx.exec(QStringLiteral("SELECT actor FROM audit_entries WHERE action = ? AND subject = ? ORDER BY sequence"),
                            {action, QStringLiteral("session:%1").arg(id)});
      while (q.next()) actors << q.value(0).toString();
      return actors;
    });
  }
  Q_INVOKABLE bool exists(const QString& path) const { return QFile::exists(path); }
  Q_INVOKABLE double size(const QString& path) const { return static_cast<double>(QFileInfo(path).size()); }
  Q_INVOKABLE QString head(const QString& path, int bytes) const {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.read(bytes)) : QString();
  }
  Q_INVOKABLE QString sha256(const QString& path) const {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
  }
  Q_INVOKABLE QStringList files(const QString& dir) const { return QDir(dir).entryList(QDir::Files, QDir::Name); }
  Q_INVOKABLE void removeFiles(const QString& dir) const {
    for (const QString& f : QDir(dir).entryList(QDir::Files)) QFile::remove(QDir(dir).filePath(f));
  }
};

class Setup : public QObject {
  Q_OBJECT
 public slots:
  void qmlEngineAvailable(QQmlEngine* engine) {
    engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    if (!store_) build();
    auto* context = engine->rootContext();
    context->setContextProperty(QStringLiteral("summaryServices"),
                                QVariantMap{{QStringLiteral("auth"), QVariant::fromValue(&auth_)},
                                            {QStringLiteral("session"), QVariant::fromValue(&session_)},
                                            {QStringLiteral("summary"), QVariant::fromValue(summary_.get())}});
    context->setContextProperty(QStringLiteral("summaryModel"), summary_.get());
    context->setContextProperty(QStringLiteral("summaryAuth"), &auth_);
    context->setContextProperty(QStringLiteral("summaryFixture"), &fixture_);
  }
  void cleanupTestCase() { summary_.reset(); }

 private:
  void build() {
    const QString db = dir_.filePath(QStringLiteral("tautband.db"));
    // `tautband-cli demo --db` through the CLI library.
    {
      cli::Dispatcher dispatcher(QStringLiteral("tautband-cli"), QStringLiteral("test"));
      cli::registerCommands(dispatcher);
      QString outText, errText;
      QTextStream out(&outText), err(&errText);
      const int code = dispatcher.run({QStringLiteral("demo"), QStringLiteral("--data-dir"), dir_.path(),
                                       QStringLiteral("--db"), db, QStringLiteral("--minutes"), QStringLiteral("25")},
                                      out, err);
      if (code != 0) qFatal("demo failed (%d): %s", code, qPrintable(errText));
    }
    store_ = store::Store::open(store::StoreSettings::fromLocation(db, std::filesystem::path(dir_.path().toStdString())));
    const store::Actor therapist =
        store_->users().authenticate(QStringLiteral("therapist"), QStringLiteral("demo-therapist-2026")).get().user->actor();
    fixture_.latestDemoSession_ = static_cast<double>(store_->writer().run([](store::WriteTransaction& tx) {
      QSqlQuery q = tx.exec(QStringLiteral("SELECT MAX(id) FROM sessions"));
      return q.next() ? q.value(0).toLongLong() : qint64{0};
    }));
    // The demo's patient with lung disease needed a supervisor approval.
    fixture_.copdSession_ = static_cast<double>(store_->writer().run([](store::WriteTransaction& tx) {
      QSqlQuery q = tx.exec(QStringLiteral("SELECT s.id FROM sessions s JOIN patients p ON p.id = s.patient_id "
                                           "WHERE p.mrn = 'D-0004'"));
      return q.next() ? q.value(0).toLongLong() : qint64{0};
    }));
    // A session whose patient and note are hostile text.
    auto& clinic = store_->clinical();
    store::PatientDraft p;
    p.mrn = QStringLiteral("H-<0001>");
    p.familyName = hostileFamilyName();
    p.givenName = hostileGivenName();
    p.birthDate = QDate(1980, 1, 1);
    const qint64 patient = clinic.createPatient(therapist, p).get();
    const qint64 session = clinic.startSession(therapist, patient).get();
    clinic.addSite(therapist, session, QStringLiteral("upper-trapezius"), QStringLiteral("left"),
                   QJsonObject{{"x", 0.4}, {"y", 0.2}}, QString(), 1'000'000).get();
    clinic.addNote(therapist, session, hostileNote()).get();
    clinic.endSession(therapist, session, 60'000'000).get();
    fixture_.hostileSession_ = static_cast<double>(session);
    fixture_.hostileName_ = hostileGivenName() + QLatin1Char(' ') + hostileFamilyName();
    fixture_.hostileNote_ = hostileNote();

    // A "USB stick" mounted the way udisks does: <media root>/<user>/<volume>.
    QDir(dir_.path()).mkpath(QStringLiteral("media/tester/CLINIC-STICK"));
    QDir(dir_.path()).mkpath(QStringLiteral("out"));
    fixture_.exportDir_ = dir_.filePath(QStringLiteral("out"));
    fixture_.screenshotPath_ = qEnvironmentVariable("TAUTBAND_SUMMARY_SCREENSHOT");
    fixture_.store = store_.get();
    session_.attach(*store_);
    summary_ = std::make_unique<ui::SummaryModel>(auth_, session_);
    summary_->setDataDirectory(dir_.path());
    summary_->setMediaRoots({dir_.filePath(QStringLiteral("media"))});
    summary_->attach(*store_);
    auth_.attach(*store_);
  }

  QTemporaryDir dir_;
  std::shared_ptr<store::Store> store_;
  ui::AuthModel auth_;
  ui::SessionModel session_{auth_};
  std::unique_ptr<ui::SummaryModel> summary_;
  SummaryFixture fixture_;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_summary, Setup)
#include "tst_qml_summary.moc"
