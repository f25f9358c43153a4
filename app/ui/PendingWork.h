#pragma once

#include <QObject>
#include <QString>
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
      } catch (...) {
        outcome.error = QStringLiteral("unknown error");
      }
      (*callback)(outcome);
      return true;
    });
    if (!timer_.isActive()) timer_.start();
  }

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

  QTimer timer_;
  std::vector<std::function<bool()>> waiting_;
};

}  // namespace tautband::ui
