#include "devices/host/LinkManager.h"
#include "devices/native/NativeSerialLink.h"
#include "ui/DevicesModel.h"
#include "LaserFixture.h"
#include "NeedlingFixture.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(Tautband_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Tautband_UiPlugin)

// Real view models for the pages, with no devices attached.
class Setup : public QObject {
  Q_OBJECT
 public slots:
  void qmlEngineAvailable(QQmlEngine* engine) {
    engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine->rootContext()->setContextProperty(QStringLiteral("testDevices"), &devices_);
    laser_.expose(*engine->rootContext());
    needling_.expose(*engine->rootContext());
  }
  void cleanupTestCase() { laser_.shutdown(); }

 private:
  tautband::devices::LinkManager links_{
      [](const QString& name, const QString& path, const tautband::devices::LinkManager::Request&) {
        return tautband::devices::makeNativeSerialLink(name, path, 115200);
      }};
  tautband::ui::DevicesModel devices_{links_, {}};
  LaserFixture laser_;
  NeedlingFixture needling_;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_shell, Setup)
#include "tst_qml_shell.moc"
