#pragma once

#include "safety/Case.h"

#include <QJsonObject>

#include <stdexcept>
#include <string>
#include <string_view>

namespace tautband::safety {

// A case file that cannot be evaluated: one line naming the problem
// ("case: needling.needle_length_mm is missing").
class CaseFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Versioned JSON case format "tautband.safety.case" v1 (docs/SAFETY.md). Strict: unknown
// keys, wrong types, missing required values and implausible numbers are errors.
Case caseFromJson(std::string_view jsonText);
Case caseFromJsonObject(const QJsonObject& root);
Case caseFromFile(const std::string& path);
// The canonical JSON of a case (what the audit trail records as "inputs").
QJsonObject caseToJson(const Case& c);

// The case format's names ("pincer", "toward_thorax", "sitting", "monophasic"), for every
// caller that has a name rather than a case file (the needling page, the store's needle
// history): nullopt for a name the format does not know, so the caller says so instead of
// assuming a default. `...Names()` lists the known ones for that message.
std::optional<Technique> techniqueFromName(std::string_view name);
std::optional<Direction> directionFromName(std::string_view name);
std::optional<PatientPosition> positionFromName(std::string_view name);
std::optional<Waveform> waveformFromName(std::string_view name);
std::string techniqueNames();
std::string directionNames();
std::string positionNames();
std::string waveformNames();

std::string formatUtc(TimePoint t);                 // "2026-11-29T10:00:00Z"
std::optional<TimePoint> parseUtc(std::string_view text);

}  // namespace tautband::safety
