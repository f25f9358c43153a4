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

std::string formatUtc(TimePoint t);                 // "2026-11-29T10:00:00Z"
std::optional<TimePoint> parseUtc(std::string_view text);

}  // namespace tautband::safety
