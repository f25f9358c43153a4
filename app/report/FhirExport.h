#pragma once

#include "report/SessionRecord.h"

#include <QByteArray>
#include <QJsonObject>

namespace tautband::report {

// The session as a FHIR R4 Bundle (type "collection"): Patient, Practitioner,
// Encounter, Procedure (dry needling per needle, laser therapy per dose, with
// bodySite), Observation (pain NPRS, LTR count per site), Device (laser,
// amplifier...), AdverseEvent, Provenance (signed by the audit checkpoint).
// Resource ids are name-based UUIDs (v5) of console id + session + item, so a
// re-export of the same session produces the same ids (docs/EXPORT.md).
QJsonObject sessionToFhir(const SessionRecord& record, std::int64_t exportedUs);
QByteArray sessionFhirBytes(const SessionRecord& record, std::int64_t exportedUs);

}  // namespace tautband::report
