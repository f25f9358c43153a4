#include "console/StoreServices.h"

#include "core/Logging.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFileInfo>
#include <QMetaObject>

namespace tautband::console {

StoreServices::StoreServices(const QString& dataDir, const QString& location, QObject* parent) : QObject(parent) {
  const std::filesystem::path dir = dataDir.toStdString();
  const QString db =
      location.isEmpty() ? QString::fromStdString(store::StoreSettings::defaultSqlitePath(dir).string()) : location;
  const store::StoreSettings settings = store::StoreSettings::fromLocation(db, dir);

  // The CLI's demo builder, run as-is: the same code path as `tautband-cli demo`.
  const QString cli = QCoreApplication::applicationDirPath() + QStringLiteral("/tautband-cli");
  if (QFileInfo(cli).isExecutable()) {
    auth_.setDemoCommand(cli, {QStringLiteral("demo"), QStringLiteral("--json"), QStringLiteral("--data-dir"), dataDir,
                               QStringLiteral("--db"), db});
  }
  audit_.setExportDirectory(dataDir + QStringLiteral("/exports"));
  summary_.setDataDirectory(dataDir);

  opener_ = std::thread([this, settings] {
    std::shared_ptr<store::Store> opened;
    QString error;
    try {
      opened = store::Store::open(settings);
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(this, [this, opened, error] { this->opened(opened, error); }, Qt::QueuedConnection);
  });
  QCoreApplication::instance()->installEventFilter(this);
}

StoreServices::~StoreServices() {
  if (opener_.joinable()) opener_.join();
}

void StoreServices::opened(std::shared_ptr<store::Store> store, const QString& error) {
  auto log = core::logger(core::subsystem::kUi);
  if (!store) {
    log->error("the clinic database could not be opened: {}", error.toStdString());
    auth_.storeFailed(error);
    emit storeFailed(error);
    return;
  }
  log->info("clinic database open: {}", store->settings().describe().toStdString());
  store_ = std::move(store);
  session_.attach(*store_);
  patients_.attach(*store_);
  audit_.attach(*store_);
  users_.attach(*store_);
  summary_.attach(*store_);
  emit storeOpened(store_);  // before the login page can let anyone act
  auth_.attach(*store_);      // last: it announces the stage the login page shows
}

bool StoreServices::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::TouchBegin:
    case QEvent::KeyPress:
      auth_.noteActivity();
      break;
    default:
      break;
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace tautband::console
