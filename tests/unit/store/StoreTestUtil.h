#pragma once

#include "store/AuditVerifier.h"
#include "store/Store.h"

#include <QTemporaryDir>

#include <memory>

namespace tautband::store::testing {

inline StoreSettings sqliteSettings(const QTemporaryDir& dir, const char* name = "test.db") {
  StoreSettings s = StoreSettings::fromLocation(dir.filePath(QString::fromLatin1(name)),
                                                std::filesystem::path(dir.path().toStdString()));
  return s;
}

inline AuditEntryDraft draft(const QString& action, const QString& subject = QStringLiteral("test"),
                             QJsonObject details = {}) {
  return AuditEntryDraft{QStringLiteral("tester"), QStringLiteral("therapist"), action, subject, std::move(details),
                         std::nullopt};
}

inline VerifyOptions optionsFor(const Store& store) {
  VerifyOptions o;
  o.keys[store.key().consoleId()] = store.key().publicKey();
  o.headFile = store.settings().headFilePath();
  return o;
}

}  // namespace tautband::store::testing
