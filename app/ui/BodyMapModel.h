#pragma once

#include "anatomy/Atlas.h"

#include <QObject>
#include <QPointF>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace tautband::ui {

// The body atlas for QML: outlines, muscle regions and risk zones of the
// front and back views in normalised coordinates (x, y in 0..1, y down), and
// hit tests for a tap. Read-only over anatomy::Atlas (app/anatomy).
class BodyMapModel : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(QString atlasVersion READ atlasVersion CONSTANT)
 public:
  explicit BodyMapModel(const anatomy::Atlas& atlas, QObject* parent = nullptr) : QObject(parent), atlas_(atlas) {}

  QString atlasVersion() const { return QString::fromStdString(atlas_.atlasVersion()); }
  // view: "front" | "back". Points are QPointF lists.
  Q_INVOKABLE QVariantList outline(const QString& view) const;
  Q_INVOKABLE QVariantList regions(const QString& view) const;  // {id, name, side, points}
  Q_INVOKABLE QVariantList zones(const QString& view) const;    // {id, kind, structure, side, points}
  Q_INVOKABLE QString regionAt(const QString& view, double x, double y) const;  // "" when none
  Q_INVOKABLE QVariantMap region(const QString& id) const;    // {id, name, side, view, liftable, ribPalpable, referral}
  // Where the muscle's trigger points refer pain (drawn when it is selected), on this view.
  Q_INVOKABLE QVariantList referralAreas(const QString& regionId, const QString& view) const;  // {id, points}

  const anatomy::Atlas& atlas() const { return atlas_; }

 private:
  const anatomy::Atlas& atlas_;
};

}  // namespace tautband::ui
