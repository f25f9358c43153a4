#include "devices/host/LinkManager.h"
#include "devices/native/NativeSerialLink.h"
#include "ui/BluetoothModel.h"
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
    engine->rootContext()->setContextProperty(QStringLiteral("testBluetooth"), &bluetooth_);
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
  // Bluetooth on a bus that does not exist: the machine-independent "no Bluetooth" case.
  tautband::devices::DriverCatalog drivers_;
  tautband::ui::BluetoothModel bluetooth_{
      links_, drivers_,
      QDBusConnection::connectToBus(QStringLiteral("unix:path=/nonexistent/tautband-bus"),
                                    QStringLiteral("tautband-no-bluetooth"))};
  LaserFixture laser_;
  NeedlingFixture needling_;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_shell, Setup)
#include "tst_qml_shell.moc"
