#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>

#include <functional>
#include <string>
#include <vector>

namespace tautband::ui {

// SUPERVISOR approvals given on one treatment page (laser or needling), each bound to the case
// it was given for. The view model says, per rule, which inputs make "the same case": the
// rule's *scope*, a JSON object holding the session, the patient, the practitioner and the
// rule's own inputs (docs/SAFETY.md "Supervisor approval on the treatment pages"). An approval
// is applied to a case only while its rule's scope is unchanged; the first evaluation that
// finds it changed drops it for good, so going back to the old site or dose does not revive it.
// Only rules AuditedSafety::approve accepted are ever stored here (never REFUSE or LIMIT).
// Header-only: a small value type both view models own.
class SupervisorApprovals {
 public:
  struct Approval {
    QString ruleId;
    QString supervisor;        // the second person's login, re-authenticated by the store
    QString reason;
    qint64 auditSequence = 0;  // the store's supervisor.approved entry
    QJsonObject scope;         // the rule's scope when approved
  };
  using ScopeOf = std::function<QJsonObject(const QString& ruleId)>;

  static QString scopeText(const QJsonObject& scope) {
    return QString::fromUtf8(QJsonDocument(scope).toJson(QJsonDocument::Compact));
  }

  void add(Approval approval) {
    remove(approval.ruleId);
    items_.push_back(std::move(approval));
  }
  void remove(const QString& ruleId) {
    std::erase_if(items_, [&](const Approval& a) { return a.ruleId == ruleId; });
  }
  void clear() { items_.clear(); }
  bool empty() const { return items_.empty(); }

  // Rule ids whose scope is unchanged: what Case::supervisorApproved may carry.
  std::vector<std::string> applicable(const ScopeOf& scopeOf) const {
    std::vector<std::string> ids;
    for (const auto& a : items_)
      if (scopeOf(a.ruleId) == a.scope) ids.push_back(a.ruleId.toStdString());
    return ids;
  }
  // Drops the approvals whose scope changed; returns their rule ids.
  QStringList dropChanged(const ScopeOf& scopeOf) {
    QStringList dropped;
    std::erase_if(items_, [&](const Approval& a) {
      const bool changed = scopeOf(a.ruleId) != a.scope;
      if (changed) dropped << a.ruleId;
      return changed;
    });
    return dropped;
  }
  const Approval* find(const QString& ruleId) const {
    for (const auto& a : items_)
      if (a.ruleId == ruleId) return &a;
    return nullptr;
  }
  // For QML: [{ruleId, supervisor, reason, auditSequence}].
  QVariantList toVariantList() const {
    QVariantList list;
    for (const auto& a : items_)
      list << QVariantMap{{QStringLiteral("ruleId"), a.ruleId},
                          {QStringLiteral("supervisor"), a.supervisor},
                          {QStringLiteral("reason"), a.reason},
                          {QStringLiteral("auditSequence"), a.auditSequence}};
    return list;
  }

 private:
  std::vector<Approval> items_;
};

}  // namespace tautband::ui
