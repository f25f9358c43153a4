#pragma once

// Small strict readers over QJsonObject shared by the safety loaders. Each throws `Error`
// with "<prefix>: <where>.<key> <problem>", one line, so a CLI can print it as is.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tautband::safety::json {

template <typename Error>
class Reader {
 public:
  explicit Reader(std::string prefix) : prefix_(std::move(prefix)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw Error(prefix_ + ": " + (where.empty() ? "" : where + " ") + what);
  }

  QJsonObject parseObject(std::string_view text) const {
    QJsonParseError error{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())), &error);
    if (error.error != QJsonParseError::NoError)
      fail("", "is not valid JSON (offset " + std::to_string(error.offset) + ": " + error.errorString().toStdString() + ")");
    if (!doc.isObject()) fail("", "top level must be an object");
    return doc.object();
  }

  QByteArray readFile(const std::string& path) const {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) fail("", "cannot open " + path + ": " + file.errorString().toStdString());
    return file.readAll();
  }

  static std::string path(const std::string& where, std::string_view key) {
    return where.empty() ? std::string(key) : where + "." + std::string(key);
  }

  std::optional<double> optNumber(const QJsonObject& o, std::string_view key, const std::string& where) const {
    const QJsonValue v = o.value(QLatin1String(key.data(), static_cast<qsizetype>(key.size())));
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    if (!v.isDouble()) fail(path(where, key), "must be a number");
    return v.toDouble();
  }
  double number(const QJsonObject& o, std::string_view key, const std::string& where) const {
    auto v = optNumber(o, key, where);
    if (!v) fail(path(where, key), "is missing");
    return *v;
  }
  double numberOr(const QJsonObject& o, std::string_view key, const std::string& where, double fallback) const {
    return optNumber(o, key, where).value_or(fallback);
  }
  std::optional<bool> optBool(const QJsonObject& o, std::string_view key, const std::string& where) const {
    const QJsonValue v = o.value(QLatin1String(key.data(), static_cast<qsizetype>(key.size())));
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    if (!v.isBool()) fail(path(where, key), "must be true or false");
    return v.toBool();
  }
  bool boolOr(const QJsonObject& o, std::string_view key, const std::string& where, bool fallback) const {
    return optBool(o, key, where).value_or(fallback);
  }
  std::optional<std::string> optText(const QJsonObject& o, std::string_view key, const std::string& where) const {
    const QJsonValue v = o.value(QLatin1String(key.data(), static_cast<qsizetype>(key.size())));
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    if (!v.isString()) fail(path(where, key), "must be a string");
    return v.toString().toStdString();
  }
  std::string text(const QJsonObject& o, std::string_view key, const std::string& where) const {
    auto v = optText(o, key, where);
    if (!v || v->empty()) fail(path(where, key), "must be a non-empty string");
    return *v;
  }
  std::optional<QJsonObject> optObject(const QJsonObject& o, std::string_view key, const std::string& where) const {
    const QJsonValue v = o.value(QLatin1String(key.data(), static_cast<qsizetype>(key.size())));
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    if (!v.isObject()) fail(path(where, key), "must be an object");
    return v.toObject();
  }
  QJsonObject object(const QJsonObject& o, std::string_view key, const std::string& where) const {
    auto v = optObject(o, key, where);
    if (!v) fail(path(where, key), "is missing");
    return *v;
  }
  QJsonArray arrayOr(const QJsonObject& o, std::string_view key, const std::string& where) const {
    const QJsonValue v = o.value(QLatin1String(key.data(), static_cast<qsizetype>(key.size())));
    if (v.isUndefined() || v.isNull()) return {};
    if (!v.isArray()) fail(path(where, key), "must be an array");
    return v.toArray();
  }
  std::vector<std::string> strings(const QJsonObject& o, std::string_view key, const std::string& where) const {
    std::vector<std::string> out;
    for (const QJsonValue& v : arrayOr(o, key, where)) {
      if (!v.isString()) fail(path(where, key), "must be an array of strings");
      out.push_back(v.toString().toStdString());
    }
    return out;
  }
  // Rejects keys the format does not define: a typo ("needle_lenght_mm") must not be
  // silently ignored in a safety input.
  void onlyKeys(const QJsonObject& o, std::initializer_list<std::string_view> allowed, const std::string& where) const {
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string key = it.key().toStdString();
      bool known = false;
      for (auto a : allowed) known = known || a == key;
      if (!known) fail(path(where, key), "is not a known key");
    }
  }

 private:
  std::string prefix_;
};

}  // namespace tautband::safety::json
