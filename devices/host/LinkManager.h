#pragma once

#include "devices/link/DeviceLink.h"

#include <QJsonObject>
#include <QObject>

#include <memory>
#include <vector>

namespace tautband::devices {

// The console's set of device links. A link exists only because the user or
// the clinic configuration chose its port; discovery never adds one.
class LinkManager : public QObject {
  Q_OBJECT
 public:
  // Which driver, with which settings; empty driverId means the default (native).
  struct Request {
    QString driverId;
    QJsonObject settings;
  };
  using LinkFactory =
      std::function<std::unique_ptr<DeviceLink>(const QString& name, const QString& path, const Request& request)>;

  explicit LinkManager(LinkFactory factory, QObject* parent = nullptr);
  ~LinkManager() override;

  // Creates and opens a link to path; returns the existing one for a path
  // already known, or nullptr when the factory could not make one.
  DeviceLink* add(const QString& path, const Request& request = {});
  DeviceLink* find(const QString& name) const;
  void close(const QString& name);
  void reopen(const QString& name);
  void forget(const QString& name);
  // At shutdown: emission-off on every link, then every link closed and
  // destroyed (their threads stopped) before anything that listens to them goes.
  void shutdown();
  std::vector<DeviceLink*> links() const;

 signals:
  void linksChanged();

 private:
  LinkFactory factory_;
  std::vector<std::unique_ptr<DeviceLink>> links_;
  int nextNumber_ = 1;
};

}  // namespace tautband::devices
