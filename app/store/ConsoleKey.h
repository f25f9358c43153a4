#pragma once

#include "store/AuditRecord.h"

#include <QString>

#include <array>
#include <filesystem>
#include <string>

namespace tautband::store {

using PublicKey32 = std::array<unsigned char, 32>;

// Ed25519 key pair that signs this console's audit checkpoints. The private
// key lives in <data dir>/console-ed25519.key (mode 0600, hex); the public key
// is also written to console-ed25519.pub (hex) so it can be handed to an auditor.
class ConsoleKey {
 public:
  static constexpr const char* kPrivateKeyFile = "console-ed25519.key";
  static constexpr const char* kPublicKeyFile = "console-ed25519.pub";

  // Loads the key from dataDir, generating it on first run. Throws std::runtime_error
  // naming the file when it exists but is unreadable, malformed or readable by others.
  static ConsoleKey loadOrCreate(const std::filesystem::path& dataDir);

  const PublicKey32& publicKey() const { return publicKey_; }
  QString publicKeyHex() const { return toHex(publicKey_); }
  // Chains are kept per console; the id is derived from the public key so it
  // cannot be claimed by another console without its key.
  std::string consoleId() const { return consoleIdFor(publicKey_); }
  static std::string consoleIdFor(const PublicKey32& publicKey);

  Signature64 sign(const std::string& message) const;

  // Reads a public key written by publicKeyHex() (surrounding whitespace allowed).
  static PublicKey32 readPublicKeyFile(const std::filesystem::path& file);

 private:
  ConsoleKey() = default;
  PublicKey32 publicKey_{};
  std::array<unsigned char, 64> secretKey_{};
};

bool verifySignature(const PublicKey32& publicKey, const std::string& message, const Signature64& signature);

}  // namespace tautband::store
