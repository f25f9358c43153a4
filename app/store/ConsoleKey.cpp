#include "store/ConsoleKey.h"

#include <QFile>

#include <sodium.h>
#include <sys/stat.h>

#include <cstring>
#include <stdexcept>
#include <unistd.h>

namespace tautband::store {
namespace fs = std::filesystem;
namespace {

void ensureSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

QByteArray readSmallFile(const fs::path& file) {
  QFile f(QString::fromStdString(file.string()));
  if (!f.open(QIODevice::ReadOnly)) {
    throw std::runtime_error("cannot read " + file.string() + ": " + f.errorString().toStdString());
  }
  return f.read(4096).trimmed();
}

}  // namespace

std::string ConsoleKey::consoleIdFor(const PublicKey32& publicKey) {
  return toHex(publicKey.data(), 8).toStdString();
}

ConsoleKey ConsoleKey::loadOrCreate(const fs::path& dataDir) {
  ensureSodium();
  ConsoleKey key;
  const fs::path privatePath = dataDir / kPrivateKeyFile;
  const fs::path publicPath = dataDir / kPublicKeyFile;
  std::error_code ec;
  if (fs::exists(privatePath, ec)) {
    struct stat st {};
    if (::stat(privatePath.c_str(), &st) == 0 && (st.st_mode & 0077) != 0) {
      throw std::runtime_error("private key " + privatePath.string() +
                               " is readable by others; run chmod 600 on it");
    }
    const QByteArray raw = QByteArray::fromHex(readSmallFile(privatePath));
    if (raw.size() != 64) throw std::runtime_error("private key " + privatePath.string() + " is malformed");
    std::memcpy(key.secretKey_.data(), raw.constData(), 64);
    crypto_sign_ed25519_sk_to_pk(key.publicKey_.data(), key.secretKey_.data());
  } else {
    fs::create_directories(dataDir, ec);
    crypto_sign_keypair(key.publicKey_.data(), key.secretKey_.data());
    const QByteArray hex = QByteArray(reinterpret_cast<const char*>(key.secretKey_.data()), 64).toHex();
    // Create with 0600 from the start: the key must never exist with looser rights.
    const fs::path tmp = privatePath.string() + ".tmp";
    const mode_t old = ::umask(0077);
    QFile f(QString::fromStdString(tmp.string()));
    const bool opened = f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    ::umask(old);
    if (!opened || f.write(hex + '\n') != hex.size() + 1 || !f.flush()) {
      throw std::runtime_error("cannot write private key " + tmp.string());
    }
    ::fsync(f.handle());
    f.close();
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
    fs::rename(tmp, privatePath, ec);
    if (ec) throw std::runtime_error("cannot create private key " + privatePath.string() + ": " + ec.message());
  }
  // The public key file is regenerated when missing so it can always be exported.
  if (!fs::exists(publicPath, ec)) {
    QFile f(QString::fromStdString(publicPath.string()));
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate)) f.write(key.publicKeyHex().toLatin1() + '\n');
  }
  return key;
}

Signature64 ConsoleKey::sign(const std::string& message) const {
  Signature64 sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secretKey_.data());
  return sig;
}

PublicKey32 ConsoleKey::readPublicKeyFile(const fs::path& file) {
  ensureSodium();
  PublicKey32 pk{};
  if (!fromHex(QString::fromLatin1(readSmallFile(file)), pk)) {
    throw std::runtime_error("public key file " + file.string() + " does not hold 64 hex digits");
  }
  return pk;
}

bool verifySignature(const PublicKey32& publicKey, const std::string& message, const Signature64& signature) {
  return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), publicKey.data()) == 0;
}

}  // namespace tautband::store
