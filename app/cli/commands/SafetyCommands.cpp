#include "cli/commands/SafetyCommands.h"

#include "anatomy/Atlas.h"
#include "safety/CaseJson.h"
#include "safety/Evaluator.h"
#include "safety/RuleTable.h"

#include <QJsonArray>

namespace tautband::cli {
namespace {

using namespace tautband::safety;

QString q(const std::string& text) { return QString::fromStdString(text); }
QString q(std::string_view text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }

QJsonArray strings(const std::vector<std::string>& items) {
  QJsonArray array;
  for (const auto& item : items) array.append(q(item));
  return array;
}

}  // namespace

CommandSpec SafetyRulesCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("safety"), QStringLiteral("rules")},
      .summary = QStringLiteral("List the safety rules: id, level, hazard, source."),
      .description = QStringLiteral("The rule table compiled into this build (app/safety/data/rules.json)."),
      .options = {},
      .positionals = {},
  };
}

int SafetyRulesCommand::run(const QCommandLineParser&, CommandContext& context) {
  const RuleTable& table = RuleTable::builtin();
  QJsonArray rules;
  QString text = QStringLiteral("Rules %1 (atlas %2)\n").arg(q(table.rulesVersion()), q(anatomy::Atlas::builtin().atlasVersion()));
  text += QStringLiteral("%1 %2 %3 %4\n").arg(QStringLiteral("ID"), -28).arg(QStringLiteral("LEVEL"), -10)
              .arg(QStringLiteral("HAZARD"), -26).arg(QStringLiteral("SOURCE"));
  for (const Rule& rule : table.rules()) {
    QJsonArray acts;
    for (ActKind act : rule.appliesTo) acts.append(q(toString(act)));
    rules.append(QJsonObject{{"id", q(rule.id)},
                             {"level", q(toString(rule.level))},
                             {"hazard", q(rule.hazardId)},
                             {"source", q(rule.source)},
                             {"applies_to", acts},
                             {"predicate", q(rule.predicate)},
                             {"message", q(rule.message)}});
    text += QStringLiteral("%1 %2 %3 %4\n").arg(q(rule.id), -28).arg(q(toString(rule.level)), -10)
                .arg(q(rule.hazardId), -26).arg(q(rule.source));
  }
  QJsonArray hazards;
  for (const Hazard& h : table.hazards())
    hazards.append(QJsonObject{{"id", q(h.id)},
                               {"hazardous_situation", q(h.hazardousSituation)},
                               {"harm", q(h.harm)},
                               {"severity", q(h.severity)}});
  context.print(QJsonObject{{"rules_version", q(table.rulesVersion())},
                            {"atlas_version", q(anatomy::Atlas::builtin().atlasVersion())},
                            {"settings_version", q(defaultClinicSettings().settingsVersion)},
                            {"rules", rules},
                            {"hazards", hazards}},
                text);
  return kExitOk;
}

CommandSpec SafetyEvaluateCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("safety"), QStringLiteral("evaluate")},
      .summary = QStringLiteral("Evaluate one safety case file (JSON, docs/SAFETY.md)."),
      .description = QStringLiteral("Prints {level, rule_ids, acks_required, limits, message}. Exit 0 whenever the "
                                    "case was evaluated (REFUSE is a result), 2 when it is malformed."),
      .options = {QCommandLineOption(QStringLiteral("case"), QStringLiteral("Case file (required)."), QStringLiteral("FILE")),
                  QCommandLineOption(QStringLiteral("settings"),
                                     QStringLiteral("Clinic settings file (default: the shipped defaults)."),
                                     QStringLiteral("FILE"))},
      .positionals = {},
  };
}

int SafetyEvaluateCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const QString casePath = args.value(QStringLiteral("case"));
  if (casePath.isEmpty()) throw CommandError(kExitUsage, QStringLiteral("safety evaluate needs --case FILE.json"));
  Case input;
  ClinicSettings settings;
  try {
    settings = args.isSet(QStringLiteral("settings")) ? clinicSettingsFromFile(args.value(QStringLiteral("settings")).toStdString())
                                                      : defaultClinicSettings();
    input = caseFromFile(casePath.toStdString());
  } catch (const std::runtime_error& e) {  // CaseFormatError, SettingsError: one line each
    throw CommandError(kExitUsage, q(std::string(e.what())));
  }
  const Evaluator evaluator(anatomy::Atlas::builtin(), RuleTable::builtin(), settings);
  const Decision d = evaluator.decide(input);

  QJsonObject limits;
  for (const auto& [key, value] : d.limits) limits[q(key)] = value;
  QJsonArray fired;
  for (const FiredRule& f : d.fired)
    fired.append(QJsonObject{{"id", q(f.ruleId)}, {"level", q(toString(f.level))}, {"hazard", q(f.hazardId)}, {"message", q(f.message)}});

  QString text = QStringLiteral("%1\n%2\n").arg(q(toString(d.level)), q(d.message));
  if (!d.acksRequired.empty()) text += QStringLiteral("Acknowledgements needed: %1\n").arg(d.acksRequired.size());
  for (const auto& id : d.acksRequired) text += QStringLiteral("  ack: %1\n").arg(q(id));
  for (const auto& id : d.supervisorRequired) text += QStringLiteral("  supervisor: %1\n").arg(q(id));
  for (const auto& [key, value] : d.limits) text += QStringLiteral("  %1 = %2\n").arg(q(key)).arg(value, 0, 'g', 6);

  context.print(QJsonObject{{"level", q(toString(d.level))},
                            {"rule_ids", strings(d.ruleIds())},
                            {"acks_required", strings(d.acksRequired)},
                            {"supervisor_required", strings(d.supervisorRequired)},
                            {"limits", limits},
                            {"message", q(d.message)},
                            {"may_proceed", d.mayProceed()},
                            {"lung_field_insertion", d.lungFieldInsertion},
                            {"thoracic_needling", d.thoracicNeedling},
                            {"fired", fired},
                            {"rules_version", q(RuleTable::builtin().rulesVersion())}},
                text);
  return kExitOk;
}

}  // namespace tautband::cli
