#include "console/NeedlingServices.h"

#include "core/Logging.h"
#include "safety/ClinicSettings.h"
#include "safety/RuleTable.h"

#include <QDir>
#include <QJsonDocument>

namespace tautband::console {

namespace {
auto log() { return core::logger(core::subsystem::kEmg); }
}  // namespace

NeedlingServices::NeedlingServices(DeviceServices& devices, const core::SessionClock& clock, const QString& dataDir,
                                   safety::SafetyAuditSink& audit, ui::NeedlingRecordSink& record, QObject* parent)
    : QObject(parent), devices_(devices),
      evaluator_(anatomy::Atlas::builtin(), safety::RuleTable::builtin(), safety::defaultClinicSettings()),
      audited_(evaluator_, audit), thread_(std::make_unique<emglive::EmgThread>(clock, &audioFeed_)),
      audio_(std::make_unique<emgaudio::EmgAudioOutput>(audioFeed_)), bodyMap_(anatomy::Atlas::builtin()) {
  // Without a sound card (or with TAUTBAND_NO_AUDIO=1) the console says so and carries on.
  audio_->start(qEnvironmentVariableIntValue("TAUTBAND_NO_AUDIO") == 1);
  model_ = std::make_unique<ui::NeedlingModel>(audited_, evaluator_, clock, record, &thread_->stream(), audio_.get(),
                                               [this] { return amplifier(); });
  model_->setRecordingDirectory(QDir(dataDir).filePath(QStringLiteral("recordings")));
  connect(&devices_.links(), &devices::LinkManager::linksChanged, this, &NeedlingServices::watchLinks);
  watchLinks();
}

void NeedlingServices::applyClinicSettings(const safety::ClinicSettings& settings) {
  evaluator_.replaceSettings(settings);
  model_->evaluate();
}

NeedlingServices::~NeedlingServices() {
  model_.reset();  // the view model reads the stream and the audio output
  audio_.reset();
  thread_.reset();
}

void NeedlingServices::watchLinks() {
  for (auto* link : devices_.links().links()) {
    if (watched_.contains(link)) continue;
    watched_.insert(link);
    connect(link, &devices::DeviceLink::identified, this, &NeedlingServices::attachEmgLink);
    connect(link, &QObject::destroyed, this, [this, link] { watched_.remove(link); });
  }
  attachEmgLink();
}

void NeedlingServices::attachEmgLink() {
  auto* link = devices_.emgLink();
  if (!link) return;
  if (link != attached_) {
    attached_ = link;
    thread_->stream().attach(link);
    log()->info("EMG thread attached to link {}", link->name().toStdString());
  }
  // (Re)start the stream after every identification: the device's defaults.
  devices::proto::Envelope start;
  start.mutable_emg_command()->set_request_id(0x4E00);
  start.mutable_emg_command()->mutable_start();
  link->send(start);
  // A streaming amplifier that goes quiet is a lost link: on Bluetooth the
  // radio says so only after its supervision timeout, so the silence check
  // declares it (150 ms, docs/BLUETOOTH.md).
  devices_.armSilenceCheck(*link);
}

ui::AmplifierInfo NeedlingServices::amplifier() const {
  ui::AmplifierInfo info;
  if (!attached_) return info;
  const auto device = attached_->deviceInfo();
  if (!device || !device->has_emg()) return info;
  info.connected = true;
  info.model = QString::fromStdString(device->vendor() + " " + device->model());
  info.isolation = devices_.patientIsolation(*attached_);
  info.isolated = info.isolation == QLatin1String("BF") || info.isolation == QLatin1String("CF");
  return info;
}

}  // namespace tautband::console
