#pragma once

#include "store/Access.h"

#include <QString>

#include <cstdint>
#include <future>
#include <optional>
#include <vector>

namespace tautband::store {
class StoreWriter;
}

namespace tautband::ui {

// One note or addendum of a session, with who wrote it and when.
struct SessionNoteEntry {
  qint64 id = 0;
  QString author;  // display name (login when the name is empty)
  std::int64_t recordedUs = 0;
  QString reason;  // addenda only
  QString body;
};

// What the session's note editor shows: the notes (final once signed), the
// sign-off, and the addenda written after it.
struct SessionNotesSnapshot {
  std::vector<SessionNoteEntry> notes;
  std::vector<SessionNoteEntry> addenda;
  std::optional<QString> signedBy;
  std::int64_t signedUs = 0;
};

// Reads a session's notes, sign-off and addenda through the store's writer
// thread (the GUI thread never touches the disk). The store's ClinicalRecord
// writes notes but has no read for a whole session, so the read lives here;
// it is audited ("note.read") in the same transaction, like every read of a
// patient's record. Checks ReadPatient first (a refusal is audited).
std::future<SessionNotesSnapshot> readSessionNotes(store::StoreWriter& writer, const store::Actor& by,
                                                   qint64 sessionId);

}  // namespace tautband::ui
