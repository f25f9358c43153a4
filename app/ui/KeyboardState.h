#pragma once

#include <QGuiApplication>
#include <QInputMethod>
#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace tautband::ui {

// The on-screen keyboard's state for layouts: whether it is up and how much of
// the window it covers. QML's `Qt.inputMethod` is untyped to qmllint; this
// singleton gives pages a typed, bindable view of the same QInputMethod.
class KeyboardState : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_SINGLETON
  Q_PROPERTY(bool visible READ visible NOTIFY changed)
  Q_PROPERTY(double height READ height NOTIFY changed)

 public:
  explicit KeyboardState(QObject* parent = nullptr) : QObject(parent) {
    if (auto* im = QGuiApplication::inputMethod()) {
      connect(im, &QInputMethod::visibleChanged, this, &KeyboardState::changed);
      connect(im, &QInputMethod::keyboardRectangleChanged, this, &KeyboardState::changed);
    }
  }

  bool visible() const {
    const auto* im = QGuiApplication::inputMethod();
    return im && im->isVisible();
  }
  // In window coordinates' units (0 while hidden).
  double height() const {
    const auto* im = QGuiApplication::inputMethod();
    return im && im->isVisible() ? im->keyboardRectangle().height() : 0.0;
  }

 signals:
  void changed();
};

}  // namespace tautband::ui
