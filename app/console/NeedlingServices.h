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
// Until the store is wired to this page, decisions and the needling record
// go to the console log (the page says so).
class NeedlingServices : public QObject {
  Q_OBJECT
 public:
  NeedlingServices(DeviceServices& devices, const core::SessionClock& clock, const QString& dataDir,
                   QObject* parent = nullptr);
  ~NeedlingServices() override;

  ui::NeedlingModel& needling() { return *model_; }
  ui::BodyMapModel& bodyMap() { return bodyMap_; }
  emglive::EmgStream& stream() { return thread_->stream(); }

 private:
  void watchLinks();
  void attachEmgLink();
  ui::AmplifierInfo amplifier() const;

  class LogAuditSink : public safety::SafetyAuditSink {
   public:
    void record(const safety::SafetyAuditRecord& entry) override;
  };
  class LogRecord : public ui::NeedlingRecordSink {
   public:
    bool persistent() const override { return false; }
    void needleIn(int no, const QVariantMap& needle, std::int64_t clockUs) override;
    void needleOut(int no, bool intact, std::int64_t clockUs) override;
    void ltr(const QVariantMap& ltr) override;
    void pain(const QString& moment, int nprs, std::int64_t clockUs) override;
    void adverseEvent(const QString& kind, const QString& grade, const QString& description, std::int64_t clockUs) override;
    void emgRecording(const QString& path, const QString& hashAlgorithm, const QString& hash, double rateHz,
                      int channels, bool research, std::int64_t startedUs) override;
    void note(const QString& text, std::int64_t clockUs) override;
  };

  DeviceServices& devices_;
  LogAuditSink sink_;
  LogRecord record_;
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
