#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace tautband::ui {

// The E-STOP button's view model. The GUI never decides emission: pressing
// forwards to a handler wired by the composition root (the safety supervisor
// once it exists) and shows what that handler reported.
class EmergencyStop : public QObject {
  Q_OBJECT
  QML_ELEMENT
  Q_PROPERTY(int pressCount READ pressCount NOTIFY pressed)
  Q_PROPERTY(QString lastMessage READ lastMessage NOTIFY pressed)
  Q_PROPERTY(QDateTime lastPressedAt READ lastPressedAt NOTIFY pressed)

 public:
  // Returns the sentence the therapist sees after pressing.
  using Handler = std::function<QString()>;

  explicit EmergencyStop(QObject* parent = nullptr);

  void setHandler(Handler handler);

  int pressCount() const { return pressCount_; }
  QString lastMessage() const { return lastMessage_; }
  QDateTime lastPressedAt() const { return lastPressedAt_; }

  Q_INVOKABLE void press();

 signals:
  void pressed();

 private:
  Handler handler_;
  int pressCount_ = 0;
  QString lastMessage_;
  QDateTime lastPressedAt_;
};

}  // namespace tautband::ui
