#include "report/AuditReportPdf.h"

#include "report/Format.h"
#include "report/PdfCanvas.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

#include <map>

namespace tautband::report {

AuditReportData readAuditForReport(store::StoreWriter& writer, const store::Actor& by, const AuditReportFilter& f) {
  return writer.run([=](store::WriteTransaction& tx) {
    AuditReportData d;
    QString sql = QStringLiteral("SELECT console_id, sequence, utc_us, session_clock_us, actor, role, action, subject, "
                                 "details FROM audit_entries WHERE 1=1");
    QVariantList binds;
    if (f.fromUs) { sql += QStringLiteral(" AND utc_us >= ?"); binds << QVariant::fromValue<qint64>(*f.fromUs); }
    if (f.toUs) { sql += QStringLiteral(" AND utc_us <= ?"); binds << QVariant::fromValue<qint64>(*f.toUs); }
    if (f.sessionId) { sql += QStringLiteral(" AND subject = ?"); binds << QStringLiteral("session:%1").arg(*f.sessionId); }
    if (!f.actor.isEmpty()) { sql += QStringLiteral(" AND actor = ?"); binds << f.actor; }
    sql += QStringLiteral(" ORDER BY console_id, sequence");
    QSqlQuery q = tx.exec(sql, binds);
    while (q.next()) {
      d.consoleId = q.value(0).toString();
      AuditItem a;
      a.sequence = q.value(1).toLongLong();
      a.utcUs = q.value(2).toLongLong();
      if (!q.value(3).isNull()) a.clockUs = q.value(3).toLongLong();
      a.actor = q.value(4).toString();
      a.role = q.value(5).toString();
      a.action = q.value(6).toString();
      a.subject = q.value(7).toString();
      a.details = QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object();
      d.entries.push_back(std::move(a));
    }
    q = tx.exec(QStringLiteral("SELECT console_id, sequence, utc_us, head_hash, signature, reason FROM audit_checkpoints "
                               "WHERE console_id = ? ORDER BY sequence DESC LIMIT 1"),
                {QString::fromStdString(tx.consoleId())});
    if (q.next()) {
      d.checkpoint = CheckpointInfo{q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                                    QString::fromLatin1(q.value(3).toByteArray().toHex()),
                                    QString::fromLatin1(q.value(4).toByteArray().toHex()), q.value(5).toString()};
    }
    q = tx.exec(QStringLiteral("SELECT key, value_json FROM clinic_settings WHERE key IN ('clinic.name','clinic.address')"));
    while (q.next()) {
      const QJsonDocument doc = QJsonDocument::fromJson(q.value(1).toString().toUtf8());  // stored as [value]
      const QString v = doc.array().isEmpty() ? QString() : doc.array().at(0).toString();
      if (q.value(0).toString() == QLatin1String("clinic.name")) d.clinic.name = v;
      else d.clinic.address = v;
    }
    QStringList filter;
    if (f.fromUs) filter << QStringLiteral("from ") + fmt::utc(*f.fromUs);
    if (f.toUs) filter << QStringLiteral("to ") + fmt::utc(*f.toUs);
    if (f.sessionId) filter << QStringLiteral("session %1").arg(*f.sessionId);
    if (!f.actor.isEmpty()) filter << QStringLiteral("user ") + f.actor;
    d.filterText = filter.isEmpty() ? QStringLiteral("all entries") : filter.join(QStringLiteral(", "));
    tx.audit({by.login, by.role, QStringLiteral("audit.exported"), QStringLiteral("audit-trail"),
              QJsonObject{{"format", "pdf"}, {"entries", static_cast<qint64>(d.entries.size())}, {"filter", d.filterText}},
              std::nullopt});
    return d;
  });
}

int writeAuditReport(const AuditReportData& d, const PdfOptions& o, const QString& path) {
  PdfStyle style;
  PageFrame frame;
  frame.headerPt = 18;
  frame.footerPt = 26;
  const std::int64_t generated = o.generatedUs ? o.generatedUs : QDateTime::currentMSecsSinceEpoch() * 1000;
  const QString chain = d.checkpoint ? QStringLiteral("Latest checkpoint #%1 (%2) · head %3 · Ed25519 %4")
                                           .arg(d.checkpoint->sequence)
                                           .arg(d.checkpoint->reason, d.checkpoint->headHashHex, d.checkpoint->signatureHex)
                                     : QStringLiteral("No checkpoint.");
  frame.header = [style](QPainter& p, const QRectF& rect, int, int) {
    QFont f(style.family);
    f.setPointSizeF(7);
    p.setFont(f);
    p.setPen(style.muted);
    p.drawText(rect, Qt::AlignLeft | Qt::AlignTop | Qt::TextSingleLine, QStringLiteral("Audit trail report"));
  };
  frame.footer = [=](QPainter& p, const QRectF& rect, int page, int pages) {
    QFont mono(style.monoFamily);
    mono.setPointSizeF(4.6);
    p.setFont(mono);
    p.setPen(style.muted);
    p.drawText(rect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, chain);
    QFont f(style.family);
    f.setPointSizeF(7);
    f.setBold(true);
    p.setFont(f);
    p.drawText(rect, Qt::AlignRight | Qt::AlignBottom | Qt::TextSingleLine, QStringLiteral("Page %1 of %2").arg(page).arg(pages));
    f.setBold(false);
    p.setFont(f);
    p.drawText(rect, Qt::AlignLeft | Qt::AlignBottom | Qt::TextSingleLine,
               QStringLiteral("Tautband · printed %1%2").arg(fmt::utc(generated), o.generatedBy.isEmpty() ? QString() : QStringLiteral(" by ") + o.generatedBy));
  };
  return PdfCanvas::render(path, o.pageSize, QStringLiteral("Audit trail report"), style, frame, [&](PdfCanvas& c) {
    c.paragraph(d.clinic.name.isEmpty() ? QStringLiteral("Tautband clinic") : d.clinic.name, 15, true, style.accent);
    c.paragraph(QStringLiteral("Audit trail report — safety decisions, approvals and refusals"), 11, true);
    c.fields({{QStringLiteral("Console"), d.consoleId.isEmpty() ? QStringLiteral("—") : d.consoleId},
              {QStringLiteral("Entries"), QString::number(d.entries.size())},
              {QStringLiteral("Filter"), d.filterText},
              {QStringLiteral("Printed"), fmt::utc(generated)}});
    if (d.verified) {
      c.callout(QStringLiteral("Chain verification: ") + d.verifySummary, d.intact ? QColor(0x2e, 0x7d, 0x32) : style.warning,
                d.intact ? QColor(0xea, 0xf5, 0xea) : QColor(0xfb, 0xec, 0xea), 9, true);
      for (const QString& w : d.verifyWarnings) c.paragraph(QStringLiteral("Warning: ") + w, 8, false, style.muted);
    } else {
      c.callout(QStringLiteral("The chain was not verified for this report."), style.warning, QColor(0xfb, 0xec, 0xea));
    }
    std::map<QString, int> counts;
    for (const auto& a : d.entries) ++counts[a.action];
    c.heading(QStringLiteral("Summary by action"), 1, 60);
    std::vector<std::pair<QString, QString>> pairs;
    for (const auto& [action, n] : counts) pairs.emplace_back(action, QString::number(n));
    c.fields(pairs, 3, 8);
    auto section = [&](const QString& title, const QStringList& actions) {
      Table t;
      t.fontPt = 7.5;
      t.widths = {0.55, 1.35, 0.9, 1.1, 1.1, 1.2, 3.3};
      t.header = {QStringLiteral("Entry"), QStringLiteral("UTC"), QStringLiteral("User"), QStringLiteral("Action"),
                  QStringLiteral("Subject"), QStringLiteral("Rule"), QStringLiteral("Reason / inputs")};
      for (const auto& a : d.entries) {
        if (!actions.contains(a.action)) continue;
        QString user = a.actor;
        if (a.action == QLatin1String("supervisor.approved") || a.action == QLatin1String("supervisor.refused")) {
          user = QStringLiteral("%1 for %2").arg(a.actor, a.details.value(QStringLiteral("requester")).toString());
        }
        t.rows.push_back({Cell{QStringLiteral("#%1").arg(a.sequence)}, Cell{fmt::utc(a.utcUs)}, Cell{user}, Cell{a.action},
                          Cell{a.subject}, Cell{a.rule()}, Cell{a.reason()}});
      }
      c.heading(title, 1, 60);
      if (t.rows.empty()) c.paragraph(QStringLiteral("None."));
      else c.table(t);
    };
    section(QStringLiteral("Refusals"), {QStringLiteral("safety.refused"), QStringLiteral("supervisor.refused"), QStringLiteral("access.denied"),
                                         QStringLiteral("auth.refused"), QStringLiteral("auth.locked-out")});
    section(QStringLiteral("Supervisor approvals"), {QStringLiteral("supervisor.approved")});
    section(QStringLiteral("Acknowledged warnings"), {QStringLiteral("safety.acknowledged")});
    c.heading(QStringLiteral("All entries"), 1, 60);
    Table t;
    t.fontPt = 6.5;
    t.widths = {0.5, 1.25, 0.8, 0.6, 1.1, 0.9, 4};
    t.header = {QStringLiteral("Entry"), QStringLiteral("UTC"), QStringLiteral("Actor"), QStringLiteral("Role"),
                QStringLiteral("Action"), QStringLiteral("Subject"), QStringLiteral("Details")};
    for (const auto& a : d.entries) {
      t.rows.push_back({Cell{QString::number(a.sequence)}, Cell{fmt::utc(a.utcUs)}, Cell{a.actor}, Cell{a.role}, Cell{a.action},
                        Cell{a.subject}, Cell{QString::fromUtf8(QJsonDocument(a.details).toJson(QJsonDocument::Compact))}});
    }
    c.table(t);
  });
}

}  // namespace tautband::report
