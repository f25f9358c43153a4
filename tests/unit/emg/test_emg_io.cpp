// WFDB and CSV readers (good files, CRLF, `mv`, truncated, wrong format, absurd
// rates, missing files) and the `emg detect` command's exit codes, run in-process.

#include "cli/CliApplication.h"
#include "cli/Dispatcher.h"
#include "emg/EmgRecording.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

using namespace tautband::emg;
namespace fs = std::filesystem;

namespace {

const fs::path kData = TAUTBAND_EMG_TESTDATA;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void spit(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t i = s.find(from); i != std::string::npos; i = s.find(from, i + to.size())) s.replace(i, from.size(), to);
  return s;
}

// Copies a record into dir under `stem`, with an edited header and optionally a cut .dat.
fs::path copyRecord(const fs::path& dir, const std::string& stem, const std::string& header,
                    std::size_t datBytes = std::string::npos) {
  const std::string dat = slurp(kData / "emg_healthy.dat");
  spit(dir / (stem + ".dat"), dat.substr(0, std::min(datBytes, dat.size())));
  spit(dir / (stem + ".hea"), replaceAll(header, "emg_healthy", stem));
  return dir / stem;
}

std::string readError(const fs::path& p) {
  try {
    readEmgRecording(p);
  } catch (const EmgReadError& e) {
    return e.what();
  }
  return {};
}

struct Run {
  int code;
  QString out, err;
};

Run cli(const QStringList& args) {
  tautband::cli::Dispatcher dispatcher(QStringLiteral("tautband-cli"), QStringLiteral("1.0"));
  tautband::cli::registerCommands(dispatcher);
  QString out, err;
  QTextStream o(&out), e(&err);
  const int code = dispatcher.run(args, o, e);
  o.flush();
  e.flush();
  return {code, out, err};
}

}  // namespace

class EmgIoTest : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  fs::path dir() const { return tmp_.path().toStdString(); }

 private slots:
  void readsThePhysioNetRecords() {
    const auto healthy = readWfdb(kData / "emg_healthy.hea");
    QCOMPARE(healthy.sampleRateHz, 4000.0);
    QCOMPARE(healthy.channels, std::size_t{1});
    QCOMPARE(healthy.frames(), std::size_t{50860});
    const std::string raw = slurp(kData / "emg_healthy.dat");
    const auto first = static_cast<std::int16_t>(static_cast<unsigned char>(raw[0]) | (static_cast<unsigned char>(raw[1]) << 8));
    QCOMPARE(healthy.samplesUv[0], static_cast<float>(first / 10.0));  // 10000 units/mV, baseline 0
    // Stem without extension, lower-case `mv`, and the largest record.
    const auto myopathy = readWfdb(kData / "emg_myopathy");
    QCOMPARE(myopathy.frames(), std::size_t{110337});
    const auto neuropathy = readEmgRecording(kData / "emg_neuropathy.hea");
    QCOMPARE(neuropathy.frames(), std::size_t{147858});
    float peak = 0;
    for (float v : neuropathy.samplesUv) peak = std::max(peak, std::fabs(v));
    QVERIFY(peak > 3000 && peak < 3300);  // clips near ±3.28 mV
  }

  void acceptsCrlfAndExplicitBaseline() {
    std::string header = slurp(kData / "emg_healthy.hea");
    QVERIFY(header.back() != '\n');  // the shipped header's last line has no newline
    header = replaceAll(header, "\n", "\r\n");
    const auto crlf = readWfdb(copyRecord(dir(), "crlf", header));
    QCOMPARE(crlf.frames(), std::size_t{50860});
    const auto reference = readWfdb(kData / "emg_healthy");
    QCOMPARE(crlf.samplesUv[100], reference.samplesUv[100]);
    const auto shifted =
        readWfdb(copyRecord(dir(), "base", replaceAll(slurp(kData / "emg_healthy.hea"), "10000/mV", "10000(100)/uV")));
    QCOMPARE(shifted.samplesUv[100], static_cast<float>((reference.samplesUv[100] * 10.0 - 100.0) / 10000.0));
  }

  void rejectsBadRecordsWithAClearMessage() {
    const std::string header = slurp(kData / "emg_healthy.hea");
    QVERIFY(readError(copyRecord(dir(), "cut", header, 1000)).find("truncated") != std::string::npos);
    QVERIFY(readError(copyRecord(dir(), "fmt", replaceAll(header, ".dat 16 ", ".dat 212 "))).find("format '212'") !=
            std::string::npos);
    QVERIFY(readError(copyRecord(dir(), "slow", replaceAll(header, " 1 4000 ", " 1 50 "))).find("sample rate") !=
            std::string::npos);
    QVERIFY(readError(copyRecord(dir(), "fast", replaceAll(header, " 1 4000 ", " 1 500000 "))).find("sample rate") !=
            std::string::npos);
    QVERIFY(readError(copyRecord(dir(), "unit", replaceAll(header, "/mV", "/furlong"))).find("unit") != std::string::npos);
    QVERIFY(readError(dir() / "nothing.hea").find("not found") != std::string::npos);
    fs::remove(copyRecord(dir(), "nodat", header).string() + ".dat");
    QVERIFY(readError(dir() / "nodat.hea").find("not found") != std::string::npos);
  }

  void readsAndChecksCsv() {
    std::string csv = "t_s,ch1,ch2\r\n";
    for (int i = 0; i < 1000; ++i) csv += std::to_string(i / 1000.0) + "," + std::to_string(i) + ",-1.5\r\n";
    spit(dir() / "good.csv", csv);
    const auto r = readEmgCsv(dir() / "good.csv");
    QCOMPARE(r.channels, std::size_t{2});
    QCOMPARE(r.frames(), std::size_t{1000});
    QVERIFY(std::fabs(r.sampleRateHz - 1000.0) < 1e-6);
    QCOMPARE(r.samplesUv[2 * 10], 10.f);
    QCOMPARE(r.samplesUv[2 * 10 + 1], -1.5f);
    spit(dir() / "bad.csv", "t_s,ch1\n0,1\n0.001,abc\n");
    QVERIFY(readError(dir() / "bad.csv").find("line 3") != std::string::npos);
    spit(dir() / "slow.csv", "t_s,ch1\n0,1\n1,2\n2,3\n");
    QVERIFY(readError(dir() / "slow.csv").find("sample rate") != std::string::npos);
    spit(dir() / "nohead.csv", "time,ch1\n0,1\n");
    QVERIFY(readError(dir() / "nohead.csv").find("header") != std::string::npos);
  }

  void detectCommandWritesCsvAndJson() {
    const QString input = QString::fromStdString((kData / "emg_neuropathy.hea").string());
    auto r = cli({"emg", "detect", "--input", input});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("onset_s,offset_s,peak_uv,channel,confidence\n")));
    const int rows = static_cast<int>(r.out.count(QLatin1Char('\n'))) - 1;

    r = cli({"emg", "detect", "--input", input, "--channel", "1", "--json"});
    QCOMPARE(r.code, 0);
    const auto json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value("count").toInt(), rows);
    QCOMPARE(json.value("events").toArray().size(), rows);
    QCOMPARE(json.value("sample_rate_hz").toDouble(), 4000.0);

    const QString out = tmp_.filePath(QStringLiteral("events.csv"));
    r = cli({"emg", "detect", "--input", input, "--out", out});
    QCOMPARE(r.code, 0);
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(static_cast<int>(QString::fromUtf8(file.readAll()).count(QLatin1Char('\n'))) - 1, rows);
  }

  void detectCommandBadInputIsExit2WithOneLine() {
    const auto cut = copyRecord(dir(), "cli_cut", slurp(kData / "emg_healthy.hea"), 999);
    for (const QStringList& args :
         {QStringList{"emg", "detect", "--input", QString::fromStdString(cut.string())},
          QStringList{"emg", "detect", "--input", tmp_.filePath(QStringLiteral("missing.hea"))},
          QStringList{"emg", "detect", "--input", QString::fromStdString((kData / "emg_healthy").string()), "--channel", "2"},
          QStringList{"emg", "detect"}}) {
      const auto r = cli(args);
      QCOMPARE(r.code, 2);
      QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
      QVERIFY(r.err.startsWith(QStringLiteral("tautband-cli: ")));
    }
  }
};

QTEST_GUILESS_MAIN(EmgIoTest)
#include "test_emg_io.moc"
