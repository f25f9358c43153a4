#include "emg/EmgRecording.h"

#include "emg/EmgPipeline.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>

namespace tautband::emg {

namespace {

[[noreturn]] void fail(const std::string& message) { throw EmgReadError(message); }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return s;
}

std::string readText(const std::filesystem::path& path, const char* what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) fail(std::string("cannot open ") + what + " " + path.string());
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Lines with LF or CRLF endings; the last line may lack its newline.
std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool parseDouble(std::string_view text, double& value) {
  if (text.empty()) return false;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end && std::isfinite(value);
}

double parseNumber(const std::string& text, const std::string& what, const std::string& file) {
  double v = 0;
  if (!parseDouble(text, v)) fail(file + ": " + what + " '" + text + "' is not a number");
  return v;
}

void checkRate(double rate, const std::string& file) {
  if (!(rate >= EmgPipeline::kMinSampleRateHz && rate <= EmgPipeline::kMaxSampleRateHz)) {
    std::ostringstream m;
    m << file << ": sample rate " << rate << " Hz is outside 100 Hz .. 200 kHz";
    fail(m.str());
  }
}

double unitsToMicrovolts(const std::string& unit, const std::string& file) {
  const std::string u = lower(unit);
  if (u == "mv") return 1000.0;
  if (u == "uv" || u == "\xc2\xb5v" || u == "\xce\xbcv") return 1.0;
  if (u == "v") return 1e6;
  fail(file + ": unsupported unit '" + unit + "' (expected mV, uV or V)");
}

struct SignalSpec {
  std::string file;
  double gain = 200;  // WFDB default
  double baseline = 0;
  double toUv = 1000;
  std::string description;
};

}  // namespace

EmgRecording EmgRecording::channel(std::size_t index) const {
  EmgRecording out;
  out.sampleRateHz = sampleRateHz;
  out.channels = 1;
  out.channelNames = {index < channelNames.size() ? channelNames[index] : "ch" + std::to_string(index + 1)};
  const std::size_t n = frames();
  out.samplesUv.resize(n);
  for (std::size_t f = 0; f < n; ++f) out.samplesUv[f] = samplesUv[f * channels + index];
  return out;
}

EmgRecording readWfdb(const std::filesystem::path& pathOrStem) {
  std::filesystem::path header = pathOrStem;
  if (header.extension() == ".dat") header.replace_extension(".hea");
  if (header.extension() != ".hea") header += ".hea";
  const std::string name = header.filename().string();
  if (!std::filesystem::is_regular_file(header)) fail("WFDB header not found: " + header.string());
  const auto lines = splitLines(readText(header, "WFDB header"));

  std::vector<std::vector<std::string>> records;
  for (const auto& line : lines) {
    const auto w = words(line);
    if (w.empty() || w.front().front() == '#') continue;
    records.push_back(w);
  }
  if (records.empty()) fail(name + ": empty WFDB header");
  const auto& rec = records.front();
  if (rec.size() < 3) fail(name + ": record line needs name, signal count and sample rate");
  if (rec[0].find('/') != std::string::npos) fail(name + ": multi-segment records are not supported");
  const double nsigD = parseNumber(rec[1], "signal count", name);
  if (nsigD < 1 || nsigD > 64 || nsigD != std::floor(nsigD)) fail(name + ": signal count must be 1..64");
  const auto nsig = static_cast<std::size_t>(nsigD);
  // "fs[/counter][(base)]": the sampling frequency is the part before '/' or '('.
  const std::string fsText = rec[2].substr(0, rec[2].find_first_of("/("));
  const double rate = parseNumber(fsText, "sample rate", name);
  checkRate(rate, name);
  double declaredFrames = -1;
  if (rec.size() >= 4) {
    declaredFrames = parseNumber(rec[3], "sample count", name);
    if (declaredFrames < 0 || declaredFrames != std::floor(declaredFrames)) fail(name + ": bad sample count");
  }
  if (records.size() < 1 + nsig) fail(name + ": header declares " + rec[1] + " signals but lists fewer");

  std::vector<SignalSpec> signals;
  for (std::size_t i = 0; i < nsig; ++i) {
    const auto& w = records[1 + i];
    if (w.size() < 2) fail(name + ": signal line " + std::to_string(i + 1) + " needs a file name and format");
    SignalSpec s;
    s.file = w[0];
    // Format may carry "xSkew" or ":offset" suffixes; we read plain format 16 only.
    if (w[1] != "16") fail(name + ": WFDB format '" + w[1] + "' is not supported (only format 16)");
    double adcZero = 0;
    bool explicitBaseline = false;
    if (w.size() >= 5) adcZero = parseNumber(w[4], "ADC zero", name);
    if (w.size() >= 3) {
      std::string g = w[2];
      std::string unit = "mV";
      if (const auto slash = g.find('/'); slash != std::string::npos) {
        unit = g.substr(slash + 1);
        g = g.substr(0, slash);
      }
      if (const auto paren = g.find('('); paren != std::string::npos) {
        const auto close = g.find(')', paren);
        if (close == std::string::npos) fail(name + ": unbalanced baseline in gain '" + w[2] + "'");
        s.baseline = parseNumber(g.substr(paren + 1, close - paren - 1), "baseline", name);
        explicitBaseline = true;
        g = g.substr(0, paren);
      }
      s.gain = parseNumber(g, "gain", name);
      if (s.gain == 0) s.gain = 200;  // WFDB: 0 means "uncalibrated", default 200
      if (s.gain < 0) fail(name + ": gain must be positive");
      s.toUv = unitsToMicrovolts(unit, name);
    }
    if (!explicitBaseline) s.baseline = adcZero;
    if (w.size() >= 9) {
      for (std::size_t k = 8; k < w.size(); ++k) s.description += (k > 8 ? " " : "") + w[k];
    }
    if (!signals.empty() && s.file != signals.front().file) {
      fail(name + ": signals in several .dat files are not supported");
    }
    signals.push_back(s);
  }

  const auto dat = header.parent_path() / signals.front().file;
  if (!std::filesystem::is_regular_file(dat)) fail("WFDB signal file not found: " + dat.string());
  const auto bytes = std::filesystem::file_size(dat);
  const std::uintmax_t frameBytes = 2 * nsig;
  std::uintmax_t frames = 0;
  if (declaredFrames > 0) {
    frames = static_cast<std::uintmax_t>(declaredFrames);
    if (bytes < frames * frameBytes) {
      fail(dat.filename().string() + ": truncated (" + std::to_string(bytes) + " bytes, header declares " +
           std::to_string(frames) + " frames = " + std::to_string(frames * frameBytes) + " bytes)");
    }
  } else {
    if (bytes % frameBytes != 0) fail(dat.filename().string() + ": size is not a whole number of frames");
    frames = bytes / frameBytes;
  }
  if (frames == 0) fail(dat.filename().string() + ": no samples");

  std::ifstream in(dat, std::ios::binary);
  if (!in) fail("cannot open WFDB signal file " + dat.string());
  std::vector<unsigned char> raw(static_cast<std::size_t>(frames * frameBytes));
  in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
  if (static_cast<std::size_t>(in.gcount()) != raw.size()) fail(dat.filename().string() + ": read error");

  EmgRecording out;
  out.sampleRateHz = rate;
  out.channels = nsig;
  out.samplesUv.resize(static_cast<std::size_t>(frames) * nsig);
  for (std::size_t i = 0; i < out.samplesUv.size(); ++i) {
    const auto v = static_cast<std::int16_t>(static_cast<std::uint16_t>(raw[2 * i] | (raw[2 * i + 1] << 8)));
    const auto& s = signals[i % nsig];
    out.samplesUv[i] = static_cast<float>((v - s.baseline) / s.gain * s.toUv);
  }
  for (std::size_t i = 0; i < nsig; ++i) {
    out.channelNames.push_back(signals[i].description.empty() ? "ch" + std::to_string(i + 1)
                                                              : signals[i].description);
  }
  return out;
}

EmgRecording readEmgCsv(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (!std::filesystem::is_regular_file(path)) fail("CSV file not found: " + path.string());
  const auto lines = splitLines(readText(path, "CSV file"));
  std::size_t i = 0;
  while (i < lines.size() && (lines[i].empty() || lines[i].front() == '#')) ++i;
  if (i == lines.size()) fail(name + ": empty CSV");
  auto split = [](const std::string& line) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    while (true) {
      const auto comma = line.find(',', start);
      std::string cell = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!cell.empty() && std::isspace(static_cast<unsigned char>(cell.back()))) cell.pop_back();
      while (!cell.empty() && std::isspace(static_cast<unsigned char>(cell.front()))) cell.erase(0, 1);
      cells.push_back(cell);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return cells;
  };
  const auto head = split(lines[i]);
  if (head.size() < 2 || lower(head[0]) != "t_s") fail(name + ": header must be 't_s,ch1,...'");
  const std::size_t channels = head.size() - 1;
  if (channels > 64) fail(name + ": more than 64 channels");
  EmgRecording out;
  out.channels = channels;
  out.channelNames.assign(head.begin() + 1, head.end());
  std::vector<double> times;
  for (++i; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i].front() == '#') continue;
    const auto cells = split(lines[i]);
    if (cells.size() != channels + 1) {
      fail(name + ": line " + std::to_string(i + 1) + " has " + std::to_string(cells.size()) + " fields, expected " +
           std::to_string(channels + 1));
    }
    double t = 0;
    if (!parseDouble(cells[0], t)) fail(name + ": line " + std::to_string(i + 1) + ": bad time '" + cells[0] + "'");
    times.push_back(t);
    for (std::size_t c = 0; c < channels; ++c) {
      double v = 0;
      if (!parseDouble(cells[c + 1], v)) {
        fail(name + ": line " + std::to_string(i + 1) + ": bad value '" + cells[c + 1] + "'");
      }
      out.samplesUv.push_back(static_cast<float>(v));
    }
  }
  if (times.size() < 2) fail(name + ": needs at least two rows to know the sample rate");
  const double span = times.back() - times.front();
  if (!(span > 0)) fail(name + ": time column does not increase");
  const double rate = static_cast<double>(times.size() - 1) / span;
  // Rows must be evenly spaced: a gap or a reordering would corrupt every time.
  const double dt = 1.0 / rate;
  for (std::size_t k = 1; k < times.size(); ++k) {
    if (std::fabs(times[k] - times[k - 1] - dt) > 0.5 * dt) {
      fail(name + ": time column is not evenly spaced near t=" + std::to_string(times[k]) + " s");
    }
  }
  checkRate(rate, name);
  out.sampleRateHz = rate;
  return out;
}

EmgRecording readEmgRecording(const std::filesystem::path& path) {
  if (lower(path.extension().string()) == ".csv") return readEmgCsv(path);
  return readWfdb(path);
}

}  // namespace tautband::emg
