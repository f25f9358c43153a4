// docs/PROTOCOL.md cannot drift from the code: its test vectors are
// recomputed from the message text they give, and the schema and reference C
// code it prints must equal the files in the repository.

#include <QtTest>

#include <google/protobuf/text_format.h>

#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tautband/protocols/Envelope.h"
#include "tautband_frame.h"

using namespace tautband::protocols;
namespace pb = tautband::device::v1;
using Bytes = std::vector<std::uint8_t>;

namespace {

std::string readFile(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return file.readAll().toStdString();
}

std::string sourcePath(const char* relative) {
  return std::string(TAUTBAND_SOURCE_DIR) + "/" + relative;
}

struct Vector {
  std::string name;
  std::map<std::string, std::string> fields;  // key -> value (continuations joined by a space)
};

// A vector starts at "vector: NAME"; "key: value" lines follow; lines that
// start with two spaces continue the previous value; a fence or blank line ends it.
std::vector<Vector> parseVectors(const std::string& doc) {
  std::vector<Vector> out;
  std::istringstream in(doc);
  std::string line;
  Vector* current = nullptr;
  std::string lastKey;
  while (std::getline(in, line)) {
    if (line.rfind("vector: ", 0) == 0) {
      out.push_back(Vector{line.substr(8), {}});
      current = &out.back();
      lastKey.clear();
      continue;
    }
    if (current == nullptr) continue;
    if (line.empty() || line.rfind("```", 0) == 0) {
      current = nullptr;
      continue;
    }
    if (line.rfind("  ", 0) == 0 && !lastKey.empty()) {
      std::string& value = current->fields[lastKey];
      value.push_back(' ');
      value.append(line, 2, std::string::npos);
      continue;
    }
    const auto colon = line.find(": ");
    if (colon == std::string::npos) continue;
    lastKey = line.substr(0, colon);
    current->fields[lastKey] = line.substr(colon + 2);
  }
  return out;
}

bool parseHex(const std::string& text, Bytes& out) {
  out.clear();
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    if (token.size() != 2) return false;
    char* end = nullptr;
    const long v = std::strtol(token.c_str(), &end, 16);
    if (end != token.c_str() + 2) return false;
    out.push_back(static_cast<std::uint8_t>(v));
  }
  return true;
}

std::string hex(const Bytes& b) {
  std::string s;
  char buf[4];
  for (std::uint8_t x : b) {
    std::snprintf(buf, sizeof buf, "%02x", x);
    if (!s.empty()) s += ' ';
    s += buf;
  }
  return s;
}

}  // namespace

class TestProtocolDoc : public QObject {
  Q_OBJECT

  std::string doc_;

 private slots:
  void initTestCase() {
    doc_ = readFile(QString::fromStdString(sourcePath("docs/PROTOCOL.md")));
    QVERIFY2(!doc_.empty(), "docs/PROTOCOL.md missing");
  }

  void vectorsRecomputeFromTheirInputs() {
    const auto vectors = parseVectors(doc_);
    QVERIFY(vectors.size() >= 8);
    std::set<std::string> names;
    for (const auto& v : vectors) {
      names.insert(v.name);
      const QByteArray tag = QByteArray::fromStdString(v.name);
      Bytes payload;
      pb::Envelope message;
      if (v.fields.count("message")) {
        QVERIFY2(google::protobuf::TextFormat::ParseFromString(v.fields.at("message"), &message), tag);
        const std::string s = message.SerializeAsString();
        payload.assign(s.begin(), s.end());
        Bytes documented;
        QVERIFY2(v.fields.count("envelope") && parseHex(v.fields.at("envelope"), documented), tag);
        QCOMPARE(hex(documented), hex(payload));
      } else {
        QVERIFY2(v.fields.count("payload") && parseHex(v.fields.at("payload"), payload), tag);
      }

      char crcText[16];
      std::snprintf(crcText, sizeof crcText, "0x%08x", crc32c(payload));
      QVERIFY2(v.fields.count("crc32c"), tag);
      QCOMPARE(QString::fromStdString(v.fields.at("crc32c")), QString::fromLatin1(crcText));

      Bytes frame;
      if (v.fields.count("message"))
        QVERIFY(appendEnvelopeFrame(message, frame));
      else
        appendFrame(payload, frame);
      Bytes documentedFrame;
      QVERIFY2(v.fields.count("frame") && parseHex(v.fields.at("frame"), documentedFrame), tag);
      QCOMPARE(hex(documentedFrame), hex(frame));

      // The firmware reference encoder produces the same bytes.
      Bytes reference(TB_MAX_FRAME(payload.size()));
      reference.resize(tb_frame_encode(payload.data(), payload.size(), reference.data(), reference.size()));
      QCOMPARE(hex(reference), hex(frame));

      // And the documented frame decodes back (after a sync byte) to the message.
      Bytes stream{0x00};
      stream.insert(stream.end(), documentedFrame.begin(), documentedFrame.end());
      FrameDecoder decoder;
      int seen = 0;
      decoder.feed(stream, [&](std::span<const std::uint8_t> p) {
        ++seen;
        QCOMPARE(hex(Bytes(p.begin(), p.end())), hex(payload));
        if (v.fields.count("message")) {
          pb::Envelope parsed;
          QVERIFY(!parseEnvelope(p, parsed));
          QCOMPARE(parsed.SerializeAsString(), message.SerializeAsString());
        }
      });
      QCOMPARE(seen, 1);
    }
    for (const char* required : {"hello", "device-info", "emission-off", "keep-alive", "ack", "nack",
                                 "laser-status", "fault", "emg-frame", "cobs-long-run"}) {
      QVERIFY2(names.count(required), required);
    }
  }

  void docPrintsTheRepositoryFilesVerbatim() {
    for (const char* file : {"protocols/tautband/device.proto", "protocols/reference/tautband_frame.h",
                             "protocols/reference/tautband_frame.c"}) {
      const std::string text = readFile(QString::fromStdString(sourcePath(file)));
      QVERIFY2(!text.empty(), file);
      QVERIFY2(doc_.find(text) != std::string::npos, file);
    }
  }

  void docStatesTheConstantsTheCodeUses() {
    auto contains = [&](const std::string& s) { return doc_.find(s) != std::string::npos; };
    QVERIFY(contains("| maximum payload | " + std::to_string(kMaxPayloadBytes) + " bytes"));
    QVERIFY(contains("| maximum frame | " + std::to_string(kMaxEncodedFrameBytes) + " bytes"));
    QVERIFY(contains("**0xE3069283**"));
    QVERIFY(contains("**0x82F63B78 (reflected)**"));
    QVERIFY(contains("| protocol version | major " + std::to_string(kProtocolVersion.major) + ", minor " +
                     std::to_string(kProtocolVersion.minor) + " |"));
    QVERIFY(contains("every " + std::to_string(kStatusIntervalMs) + " ms"));
    QVERIFY(contains("for " + std::to_string(kFirmwareWatchdogMs) + " ms while emitting"));
    QVERIFY(contains("| **" + std::to_string(kMaxPayloadBytes) + " (maximum)** | **" +
                     std::to_string(kMaxEncodedFrameBytes) + "** |"));
  }
};

QTEST_APPLESS_MAIN(TestProtocolDoc)
#include "TestProtocolDoc.moc"
