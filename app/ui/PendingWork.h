#pragma once

#include <QAbstractItemModel>
#include <QObject>
#include <QString>
#include <QVariantMap>
#include <QTimer>

#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <type_traits>
#include <variant>
#include <vector>

namespace tautband::ui {

// What a store future delivered: a value, or the one-line reason it failed.
template <class T>
struct Done {
  std::optional<T> value;
  QString error;
  std::exception_ptr failure;  // the store's exception, for callers that tell refusals apart
  bool ok() const { return value.has_value(); }
};

// Turns the store's std::futures into callbacks on the GUI thread without
// ever waiting: one timer polls the outstanding futures (wait_for(0)) while
// there are any. The store's futures may be dropped, so destroying this
// object (and the view model that owns it) simply forgets what is pending.
class PendingWork : public QObject {
 public:
  explicit PendingWork(QObject* parent = nullptr) : QObject(parent) {
    timer_.setInterval(std::chrono::milliseconds(8));
    QObject::connect(&timer_, &QTimer::timeout, this, [this] { poll(); });
  }

  template <class T, class F>
  void when(std::future<T> future, F&& done) {
    using V = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
    auto shared = std::make_shared<std::future<T>>(std::move(future));
    auto callback = std::make_shared<std::decay_t<F>>(std::forward<F>(done));
    waiting_.push_back([shared, callback]() -> bool {
      if (shared->wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
      Done<V> outcome;
      try {
        if constexpr (std::is_void_v<T>) {
          shared->get();
          outcome.value = std::monostate{};
        } else {
          outcome.value = shared->get();
        }
      } catch (const std::exception& e) {
        outcome.error = QString::fromUtf8(e.what());
        outcome.failure = std::current_exception();
      } catch (...) {
        outcome.error = QStringLiteral("unknown error");
        outcome.failure = std::current_exception();
      }
      (*callback)(outcome);
      return true;
    });
    if (!timer_.isActive()) timer_.start();
  }

  // Work the screen shows as "busy" (a spinner, disabled buttons): counted
  // while outstanding, and `onBusyChanged` is told when the count leaves or
  // returns to zero. The count drops before `done` runs, so `done` may start
  // more busy work.
  template <class T, class F>
  void whileBusy(std::future<T> future, F&& done) {
    if (busyCount_++ == 0) notifyBusy();
    when(std::move(future), [this, done = std::forward<F>(done)](const auto& outcome) mutable {
      if (--busyCount_ == 0) notifyBusy();
      done(outcome);
    });
  }
  void onBusyChanged(std::function<void()> notify) { busyChanged_ = std::move(notify); }
  bool busy() const { return busyCount_ > 0; }

  bool idle() const { return waiting_.empty(); }

 private:
  void poll() {
    // Callbacks may queue more work: take the list first.
    auto current = std::move(waiting_);
    waiting_.clear();
    std::vector<std::function<bool()>> still;
    for (auto& check : current)
      if (!check()) still.push_back(std::move(check));
    for (auto& added : waiting_) still.push_back(std::move(added));
    waiting_ = std::move(still);
    if (waiting_.empty()) timer_.stop();
  }

  void notifyBusy() {
    if (busyChanged_) busyChanged_();
  }

  QTimer timer_;
  std::vector<std::function<bool()>> waiting_;
  int busyCount_ = 0;
  std::function<void()> busyChanged_;
};

// One row of a list model as {role name: value}, for QML's `get(row)`.
inline QVariantMap rowAsMap(const QAbstractItemModel& model, int row) {
  QVariantMap out;
  if (row < 0 || row >= model.rowCount()) return out;
  const QModelIndex index = model.index(row, 0);
  const auto names = model.roleNames();
  for (auto it = names.begin(); it != names.end(); ++it)
    out.insert(QString::fromLatin1(it.value()), model.data(index, it.key()));
  return out;
}

}  // namespace tautband::ui
