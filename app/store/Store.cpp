#include "store/Store.h"

namespace tautband::store {

std::unique_ptr<Store> Store::open(StoreSettings settings, PasswordPolicy passwords) {
  if (settings.dataDir.empty()) throw StoreError("the store needs a data directory for the console key");
  std::shared_ptr<const ConsoleKey> key;
  try {
    key = std::make_shared<const ConsoleKey>(ConsoleKey::loadOrCreate(settings.dataDir));
  } catch (const std::runtime_error& e) {
    throw StoreError(e.what());
  }
  auto writer = std::make_unique<StoreWriter>(std::move(settings), key);
  return std::unique_ptr<Store>(new Store(std::move(key), std::move(writer), passwords));
}

Store::Store(std::shared_ptr<const ConsoleKey> key, std::unique_ptr<StoreWriter> writer, PasswordPolicy passwords)
    : key_(std::move(key)), writer_(std::move(writer)), users_(*writer_, passwords), clinical_(*writer_, users_) {}

}  // namespace tautband::store
