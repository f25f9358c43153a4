#pragma once

#include "console/DeviceServices.h"
#include "core/SessionClock.h"
#include "emgaudio/EmgAudioOutput.h"
#include "emglive/EmgStream.h"
#include "safety/AuditedSafety.h"
#include "safety/Evaluator.h"
#include "ui/BodyMapModel.h"
#include "ui/NeedlingModel.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>

namespace tautband::console {

// The console's needling side, wired once: the EMG pipeline thread fed by
// the EMG link (the first link whose device declares EMG; its stream is
// started here), the EMG sound, the rules engine the needling page asks
// before every insertion, and the page's view models (needling, bodyMap).
class NeedlingServices : public QObject {
  Q_OBJECT
 public:
  // Decisions go to `audit`, the needling record to `record` (the store's, in the console).
  NeedlingServices(DeviceServices& devices, const core::SessionClock& clock, const QString& dataDir,
                   safety::SafetyAuditSink& audit, ui::NeedlingRecordSink& record, QObject* parent = nullptr);
  ~NeedlingServices() override;

  ui::NeedlingModel& needling() { return *model_; }
  ui::BodyMapModel& bodyMap() { return bodyMap_; }
  emglive::EmgStream& stream() { return thread_->stream(); }
  // A manager changed the clinic's settings (GUI thread, where the needling page evaluates):
  // later decisions use them and the page re-evaluates at once.
  void applyClinicSettings(const safety::ClinicSettings& settings);

 private:
  void watchLinks();
  void attachEmgLink();
  ui::AmplifierInfo amplifier() const;

  DeviceServices& devices_;
  safety::Evaluator evaluator_;
  safety::AuditedSafety audited_;
  emglive::EmgAudioFeed audioFeed_;
  std::unique_ptr<emglive::EmgThread> thread_;
  std::unique_ptr<emgaudio::EmgAudioOutput> audio_;
  ui::BodyMapModel bodyMap_;
  std::unique_ptr<ui::NeedlingModel> model_;
  QSet<devices::DeviceLink*> watched_;
  QPointer<devices::DeviceLink> attached_;
};

}  // namespace tautband::console
