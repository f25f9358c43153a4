#pragma once

#include <QAbstractListModel>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace tautband::devices {
class LinkManager;
struct DriverRecord;
}

namespace tautband::ui {

// The Devices page and the status bar's link indicators: one row per link
// with its live health, refreshed from thread-safe snapshots four times a
// second (the GUI never waits on a link), plus the serial ports discovery
// sees (never opened).
class DevicesModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(int connectedCount READ connectedCount NOTIFY summaryChanged)
  Q_PROPERTY(QString summary READ summary NOTIFY summaryChanged)
  Q_PROPERTY(QVariantList ports READ ports NOTIFY portsChanged)
  Q_PROPERTY(QVariantList drivers READ drivers NOTIFY driversChanged)
  Q_PROPERTY(QVariantList usableDrivers READ usableDrivers NOTIFY driversChanged)
  Q_PROPERTY(bool canStartSimulators READ canStartSimulators CONSTANT)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)

 public:
  enum Role {
    NameRole = Qt::UserRole + 1,
    PathRole,
    StateRole,
    DetailRole,
    DeviceRole,
    KindRole,
    RateKbRole,
    CapKbRole,
    ErrorsRole,
    LostRole,
    LastHeardMsRole,
    ReconnectsRole,
  };

  using StartSimulators = std::function<void()>;

  DevicesModel(devices::LinkManager& links, StartSimulators startSimulators, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  int connectedCount() const { return connectedCount_; }
  QString summary() const;
  QVariantList ports() const { return ports_; }
  QVariantList drivers() const { return drivers_; }
  QVariantList usableDrivers() const;
  void setDrivers(const QList<devices::DriverRecord>& records);
  bool canStartSimulators() const { return static_cast<bool>(startSimulators_); }
  QString message() const { return message_; }

  Q_INVOKABLE void connectPort(const QString& path);
  // With a chosen driver and the values of its settings form.
  Q_INVOKABLE void connectPortWith(const QString& path, const QString& driverId, const QVariantMap& settings);
  Q_INVOKABLE void disconnectLink(const QString& name);
  Q_INVOKABLE void reconnectLink(const QString& name);
  Q_INVOKABLE void forgetLink(const QString& name);
  Q_INVOKABLE void startSimulators();
  Q_INVOKABLE void refreshPorts();
  void setMessage(const QString& message);

 signals:
  void summaryChanged();
  void portsChanged();
  void driversChanged();
  void messageChanged();

 private:
  void rebuild();
  bool checkPort(const QString& port);  // a serial path that exists, or a well-formed ble:/rfcomm: port
  void refreshHealth();

  devices::LinkManager& links_;
  StartSimulators startSimulators_;
  QTimer refresh_;
  QVariantList ports_;
  QVariantList drivers_;
  QString message_;
  int connectedCount_ = 0;
  int rows_ = 0;
};

}  // namespace tautband::ui
