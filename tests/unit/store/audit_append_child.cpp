// Helper for test_store_crash (and CLI tests): appends audit entries through the
// real writer and prints each ACKNOWLEDGED sequence number on its own line,
// flushed, so the parent knows what was promised durable before it kills us.
//   audit_append_child <db> <data-dir> <count|0=forever> [window]
#include "store/Store.h"

#include <QCoreApplication>

#include <cstdio>
#include <deque>

using namespace tautband::store;

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  if (argc < 4) {
    std::fprintf(stderr, "usage: audit_append_child <db> <data-dir> <count|0> [window]\n");
    return 2;
  }
  const long count = std::atol(argv[3]);
  const int window = argc > 4 ? std::atoi(argv[4]) : 64;
  try {
    StoreSettings settings = StoreSettings::fromLocation(QString::fromLocal8Bit(argv[1]), argv[2]);
    settings.checkpointEveryEntries = 200;
    auto store = Store::open(settings, PasswordPolicy::minimumForTests());
    std::deque<std::future<std::int64_t>> pending;
    for (long i = 0; count == 0 || i < count; ++i) {
      pending.push_back(store->audit().append(
          AuditEntryDraft{QStringLiteral("child"), QStringLiteral("system"), QStringLiteral("test.crash"),
                          QStringLiteral("entry:%1").arg(i), QJsonObject{{"i", static_cast<qint64>(i)}},
                          i % 3 == 0 ? std::optional<std::int64_t>(i * 1000) : std::nullopt}));
      while (static_cast<int>(pending.size()) >= window ||
             (!pending.empty() && pending.front().wait_for(std::chrono::seconds(0)) == std::future_status::ready)) {
        std::printf("%lld\n", static_cast<long long>(pending.front().get()));
        std::fflush(stdout);
        pending.pop_front();
      }
    }
    while (!pending.empty()) {
      std::printf("%lld\n", static_cast<long long>(pending.front().get()));
      pending.pop_front();
    }
    std::fflush(stdout);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "audit_append_child: %s\n", e.what());
    return 1;
  }
  return 0;
}
