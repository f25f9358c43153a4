#include "console/ClinicalServices.h"

#include "console/NeedlingServices.h"
#include "console/SafetyServices.h"
#include "console/StoreServices.h"
#include "core/Logging.h"
#include "safety/ClinicSettings.h"
#include "store/Store.h"

#include <QSqlQuery>

namespace tautband::console {

ClinicalServices::ClinicalServices(StoreServices& store, SafetyServices& safety, NeedlingServices& needling)
    : evaluator_(anatomy::Atlas::builtin(), safety::RuleTable::builtin(), safety::defaultClinicSettings()),
      context_(store.auth(), store.session(), evaluator_) {
  context_.bindLaser(safety.laser());
  context_.bindNeedling(needling.needling());
#ifdef TAUTBAND_SCREENSHOT_LOGIN_HOOK
  screenshotLogin(store);
#endif
}

#ifdef TAUTBAND_SCREENSHOT_LOGIN_HOOK
// Screenshot builds only: the CMake option TAUTBAND_SCREENSHOT_LOGIN_HOOK (OFF by default, never
// set by the release, install or CI builds) compiles this in. It logs in from the environment
// variable TAUTBAND_SCREENSHOT_LOGIN="login:password[:MRN]" and opens a session for that
// patient, so `--screenshot` can show a page as a logged-in therapist sees it.
void ClinicalServices::screenshotLogin(StoreServices& store) {
  const QStringList parts = qEnvironmentVariable("TAUTBAND_SCREENSHOT_LOGIN").split(QLatin1Char(':'));
  if (parts.size() < 2) return;
  core::logger(core::subsystem::kUi)->warn("SCREENSHOT BUILD: logging in as {} from the environment",
                                           parts[0].toStdString());
  auto& auth = store.auth();
  auto& session = store.session();
  QObject::connect(&auth, &ui::AuthModel::stageChanged, &context_, [&auth, parts] {
    if (auth.stage() == ui::AuthModel::Stage::LoggedOut) auth.logIn(parts[0], parts[1]);
  });
  if (parts.size() < 3) return;
  QObject::connect(&auth, &ui::AuthModel::loggedInAs, &context_, [&auth, &session, this, mrn = parts[2]] {
    auth.store()->writer().submit(
        [mrn](store::WriteTransaction& tx) {
          QSqlQuery q = tx.exec(QStringLiteral("SELECT id, family_name || ', ' || given_name FROM patients WHERE mrn = ?"),
                                {mrn});
          return q.next() ? std::make_pair(q.value(0).toLongLong(), q.value(1).toString()) : std::make_pair(0LL, QString());
        },
        &context_, [&session](const store::Outcome<std::pair<long long, QString>>& o) {
          if (o.ok() && o.value->first > 0) session.start(o.value->first, o.value->second);
        });
  });
}
#endif

}  // namespace tautband::console
