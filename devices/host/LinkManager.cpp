#include "devices/host/LinkManager.h"

#include "core/Logging.h"

#include <algorithm>

namespace tautband::devices {

LinkManager::LinkManager(LinkFactory factory, QObject* parent) : QObject(parent), factory_(std::move(factory)) {}

LinkManager::~LinkManager() = default;

DeviceLink* LinkManager::add(const QString& path, const Request& request) {
  for (const auto& link : links_) {
    if (link->identity().path == path) return link.get();
  }
  auto link = factory_(QStringLiteral("link-%1").arg(nextNumber_++), path, request);
  if (!link) return nullptr;  // the factory said why
  auto* raw = link.get();
  links_.push_back(std::move(link));
  core::logger(core::subsystem::kDevices)->info("user connected {} as {}", path.toStdString(), raw->name().toStdString());
  raw->open();
  emit linksChanged();
  return raw;
}

DeviceLink* LinkManager::find(const QString& name) const {
  const auto it = std::find_if(links_.begin(), links_.end(), [&](const auto& l) { return l->name() == name; });
  return it == links_.end() ? nullptr : it->get();
}

void LinkManager::close(const QString& name) {
  if (auto* link = find(name)) link->close();
}

void LinkManager::reopen(const QString& name) {
  if (auto* link = find(name)) link->open();
}

void LinkManager::forget(const QString& name) {
  const auto it = std::find_if(links_.begin(), links_.end(), [&](const auto& l) { return l->name() == name; });
  if (it == links_.end()) return;
  links_.erase(it);  // the link's destructor closes the port and stops its threads
  emit linksChanged();
}

void LinkManager::shutdown() {
  for (const auto& link : links_) {
    if (auto path = link->safetyPath(); path->ready()) path->sendEmissionOff();
  }
  while (!links_.empty()) {
    links_.pop_back();  // each destructor stops the link's threads
    emit linksChanged();
  }
}

std::vector<DeviceLink*> LinkManager::links() const {
  std::vector<DeviceLink*> result;
  for (const auto& link : links_) result.push_back(link.get());
  return result;
}

}  // namespace tautband::devices
