#pragma once

#include "store/ClinicalRecord.h"
#include "store/ConsoleKey.h"
#include "store/StoreWriter.h"
#include "store/Users.h"

#include <memory>

namespace tautband::store {

// Everything the console, the CLI and other subsystems need, built once at
// start-up and passed down (no singletons): the writer thread, the audit sink,
// users and the clinical record. Destroying it drains the queue and writes a
// final signed checkpoint.
class Store {
 public:
  // Loads (or creates) the console key in settings.dataDir, opens the database,
  // runs the migrations. Throws StoreError with a one-line reason.
  static std::unique_ptr<Store> open(StoreSettings settings, PasswordPolicy passwords = PasswordPolicy::interactive());

  StoreWriter& writer() { return *writer_; }
  AuditSink& audit() { return *writer_; }
  UserDirectory& users() { return users_; }
  ClinicalRecord& clinical() { return clinical_; }
  const ConsoleKey& key() const { return *key_; }
  const StoreSettings& settings() const { return writer_->settings(); }

 private:
  Store(std::shared_ptr<const ConsoleKey> key, std::unique_ptr<StoreWriter> writer, PasswordPolicy passwords);
  std::shared_ptr<const ConsoleKey> key_;
  std::unique_ptr<StoreWriter> writer_;
  UserDirectory users_;
  ClinicalRecord clinical_;
};

}  // namespace tautband::store
