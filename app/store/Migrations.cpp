#include "store/Migrations.h"

#include "store/AuditRecord.h"

namespace tautband::store {
namespace {

Migration initialSchema() {
  Migration m{1, QStringLiteral("initial clinical schema and audit trail"), {}, {}, {}};
  m.common = {
      // --- users and access -------------------------------------------------
      QStringLiteral("CREATE TABLE users ("
                     " id {ID},"
                     " login TEXT NOT NULL UNIQUE,"
                     " display_name TEXT NOT NULL,"
                     " role TEXT NOT NULL CHECK (role IN ('therapist','manager','vendor-service','admin')),"
                     " password_hash TEXT NOT NULL,"  // Argon2id string from crypto_pwhash_str
                     " active INTEGER NOT NULL DEFAULT 1,"
                     " failed_attempts INTEGER NOT NULL DEFAULT 0,"
                     " locked_until_us BIGINT NOT NULL DEFAULT 0,"
                     " created_us BIGINT NOT NULL,"
                     " password_changed_us BIGINT NOT NULL)"),
      QStringLiteral("CREATE TABLE credentials ("
                     " id {ID},"
                     " user_id BIGINT NOT NULL REFERENCES users(id),"
                     " kind TEXT NOT NULL CHECK (kind IN ('dry-needling','laser','e-stim')),"
                     " reference TEXT NOT NULL,"
                     " issued_on TEXT NOT NULL,"
                     " expires_on TEXT NOT NULL,"  // ISO date; REFUSE after it (SAFETY-RULES "Practitioner")
                     " recorded_by BIGINT REFERENCES users(id),"
                     " recorded_us BIGINT NOT NULL)"),
      // --- patients, screening, consent ------------------------------------
      QStringLiteral("CREATE TABLE patients ("
                     " id {ID},"
                     " mrn TEXT NOT NULL UNIQUE,"
                     " family_name TEXT NOT NULL,"
                     " given_name TEXT NOT NULL,"
                     " birth_date TEXT,"
                     " sex TEXT,"
                     " height_cm {REAL},"
                     " weight_kg {REAL},"
                     " guardian_name TEXT,"
                     " notes TEXT NOT NULL DEFAULT '',"
                     " created_us BIGINT NOT NULL)"),
      QStringLiteral("CREATE TABLE screenings ("
                     " id {ID},"
                     " patient_id BIGINT NOT NULL REFERENCES patients(id),"
                     " answers_json TEXT NOT NULL,"  // question id -> answer, versioned form
                     " form_version TEXT NOT NULL,"
                     " recorded_by BIGINT NOT NULL REFERENCES users(id),"
                     " recorded_us BIGINT NOT NULL)"),
      // --- sessions ----------------------------------------------------------
      QStringLiteral("CREATE TABLE sessions ("
                     " id {ID},"
                     " patient_id BIGINT NOT NULL REFERENCES patients(id),"
                     " therapist_id BIGINT NOT NULL REFERENCES users(id),"
                     " console_id TEXT NOT NULL,"
                     " state TEXT NOT NULL CHECK (state IN ('open','paused','ended','signed')),"
                     " started_us BIGINT NOT NULL,"
                     " ended_us BIGINT,"
                     " last_clock_us BIGINT NOT NULL DEFAULT 0,"  // session clock reached, for recovery
                     " recovered_count INTEGER NOT NULL DEFAULT 0,"
                     " treatment_number INTEGER,"
                     " research_mode INTEGER NOT NULL DEFAULT 0)"),
      QStringLiteral("CREATE TABLE session_events ("
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " kind TEXT NOT NULL CHECK (kind IN ('start','pause','resume','end','recovered','sign-off')),"
                     " utc_us BIGINT NOT NULL,"
                     " session_clock_us BIGINT NOT NULL,"
                     " user_id BIGINT REFERENCES users(id))"),
      QStringLiteral("CREATE TABLE consents ("
                     " id {ID},"
                     " patient_id BIGINT NOT NULL REFERENCES patients(id),"
                     " session_id BIGINT REFERENCES sessions(id),"
                     " scope TEXT NOT NULL,"  // e.g. dry-needling, laser, thoracic-needling
                     " text_version TEXT NOT NULL,"
                     " names_pneumothorax INTEGER NOT NULL DEFAULT 0,"
                     " given_by TEXT NOT NULL CHECK (given_by IN ('patient','guardian')),"
                     " guardian_name TEXT,"
                     " recorded_by BIGINT NOT NULL REFERENCES users(id),"
                     " recorded_us BIGINT NOT NULL)"),
      QStringLiteral("CREATE TABLE sites ("
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " muscle TEXT NOT NULL,"
                     " side TEXT NOT NULL CHECK (side IN ('left','right','midline')),"
                     " location_json TEXT NOT NULL,"  // atlas coordinates of the TrP
                     " zone TEXT,"                     // risk zone id from the atlas, if any
                     " created_us BIGINT NOT NULL)"),
      // --- devices -------------------------------------------------------------
      QStringLiteral("CREATE TABLE devices ("
                     " id {ID},"
                     " kind TEXT NOT NULL CHECK (kind IN ('laser','amplifier','stimulator','other')),"
                     " vendor TEXT NOT NULL, model TEXT NOT NULL, serial TEXT NOT NULL,"
                     " firmware_version TEXT NOT NULL DEFAULT '',"
                     " driver_name TEXT NOT NULL DEFAULT '', driver_version TEXT NOT NULL DEFAULT '',"
                     " isolated INTEGER,"          // amplifiers: type BF/CF applied part declared
                     " firmware_watchdog INTEGER,"  // lasers: emission-off watchdog in firmware
                     " first_seen_us BIGINT NOT NULL,"
                     " UNIQUE (vendor, model, serial, firmware_version, driver_version))"),
      QStringLiteral("CREATE TABLE session_devices ("
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " device_id BIGINT NOT NULL REFERENCES devices(id),"
                     " PRIMARY KEY (session_id, device_id))"),
      QStringLiteral("CREATE TABLE laser_power_checks ("
                     " id {ID},"
                     " device_id BIGINT NOT NULL REFERENCES devices(id),"
                     " wavelength_nm {REAL} NOT NULL,"
                     " nominal_mw {REAL} NOT NULL, measured_mw {REAL} NOT NULL,"
                     " deviation_pct {REAL} NOT NULL,"
                     " passed INTEGER NOT NULL,"  // within +/-20 % (21 CFR 1040.11(a))
                     " meter TEXT NOT NULL DEFAULT '',"
                     " checked_by BIGINT NOT NULL REFERENCES users(id),"
                     " checked_us BIGINT NOT NULL,"
                     " next_due_us BIGINT NOT NULL)"),
      QStringLiteral("CREATE TABLE eyewear ("
                     " id {ID},"
                     " label TEXT NOT NULL,"
                     " manufacturer TEXT NOT NULL,"
                     " wavelength_min_nm {REAL} NOT NULL, wavelength_max_nm {REAL} NOT NULL,"
                     " optical_density {REAL} NOT NULL,"
                     " mode TEXT NOT NULL CHECK (mode IN ('cw','pulsed','both')),"
                     " active INTEGER NOT NULL DEFAULT 1,"
                     " recorded_by BIGINT NOT NULL REFERENCES users(id),"
                     " recorded_us BIGINT NOT NULL)"),
      // --- treatment record -----------------------------------------------
      QStringLiteral("CREATE TABLE needles ("
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " site_id BIGINT NOT NULL REFERENCES sites(id),"
                     " length_mm {REAL} NOT NULL, gauge_mm {REAL} NOT NULL,"
                     " lot TEXT NOT NULL,"
                     " technique TEXT NOT NULL,"  // the safety case format's names: flat, pincer, rib_bracketing
                     " direction TEXT NOT NULL,"
                     " depth_mm {REAL},"
                     " inserted_us BIGINT NOT NULL, inserted_clock_us BIGINT NOT NULL,"
                     " removed_us BIGINT, removed_clock_us BIGINT,"
                     " removed_intact INTEGER,"  // 0 = broken needle (adverse event)
                     " inserted_by BIGINT NOT NULL REFERENCES users(id))"),
      QStringLiteral("CREATE TABLE emg_recordings ("
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " site_id BIGINT REFERENCES sites(id),"
                     " device_id BIGINT REFERENCES devices(id),"
                     " path TEXT NOT NULL,"
                     " hash_algorithm TEXT NOT NULL, hash_hex TEXT NOT NULL,"
                     " sample_rate_hz {REAL} NOT NULL, channels INTEGER NOT NULL,"
                     " research INTEGER NOT NULL DEFAULT 0,"
                     " started_clock_us BIGINT NOT NULL, ended_clock_us BIGINT)"),
      QStringLiteral("CREATE TABLE ltr_events ("
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " site_id BIGINT REFERENCES sites(id),"
                     " needle_id BIGINT REFERENCES needles(id),"
                     " recording_id BIGINT REFERENCES emg_recordings(id),"
                     " session_clock_us BIGINT NOT NULL,"
                     " source TEXT NOT NULL CHECK (source IN ('auto','manual')),"
                     " status TEXT NOT NULL CHECK (status IN ('pending','confirmed','rejected')),"
                     " amplitude_uv {REAL},"
                     " detector_version TEXT,"
                     " decided_by BIGINT REFERENCES users(id),"
                     " decided_us BIGINT)"),
      QStringLiteral("CREATE TABLE laser_doses ("  // SAFETY-RULES "Record per dose" (Jenkins & Carroll 2011)
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " site_id BIGINT NOT NULL REFERENCES sites(id),"
                     " device_id BIGINT REFERENCES devices(id),"
                     " eyewear_id BIGINT REFERENCES eyewear(id),"
                     " wavelength_nm {REAL} NOT NULL,"
                     " mode TEXT NOT NULL CHECK (mode IN ('cw','pulsed')),"
                     " pulse_frequency_hz {REAL}, duty_cycle {REAL},"
                     " measured_power_mw {REAL} NOT NULL,"
                     " time_s {REAL} NOT NULL,"
                     " beam_area_cm2 {REAL} NOT NULL,"
                     " energy_j {REAL} NOT NULL,"
                     " fluence_j_cm2 {REAL} NOT NULL,"
                     " irradiance_mw_cm2 {REAL} NOT NULL,"
                     " points INTEGER NOT NULL,"
                     " technique TEXT NOT NULL CHECK (technique IN ('contact','pressure','scanning')),"
                     " treatment_number INTEGER NOT NULL,"
                     " interval_days {REAL},"
                     " started_clock_us BIGINT NOT NULL, ended_clock_us BIGINT NOT NULL,"
                     " stop_reason TEXT NOT NULL,"  // dose-reached, released, e-stop, fault...
                     " recorded_by BIGINT NOT NULL REFERENCES users(id))"),
      QStringLiteral("CREATE TABLE estim ("
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " needle_a_id BIGINT NOT NULL REFERENCES needles(id),"
                     " needle_b_id BIGINT NOT NULL REFERENCES needles(id),"
                     " waveform TEXT NOT NULL,"
                     " frequency_hz {REAL} NOT NULL, pulse_width_us {REAL} NOT NULL,"
                     " current_ma {REAL} NOT NULL,"
                     " current_density_ma_cm2 {REAL} NOT NULL,"
                     " duration_s {REAL} NOT NULL,"
                     " started_clock_us BIGINT NOT NULL,"
                     " recorded_by BIGINT NOT NULL REFERENCES users(id))"),
      QStringLiteral("CREATE TABLE pain_scores ("
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " site_id BIGINT REFERENCES sites(id),"
                     " moment TEXT NOT NULL CHECK (moment IN ('before','after','during')),"
                     " nprs INTEGER NOT NULL CHECK (nprs BETWEEN 0 AND 10),"
                     " session_clock_us BIGINT NOT NULL)"),
      QStringLiteral("CREATE TABLE adverse_events ("
                     " id {ID},"
                     " patient_id BIGINT NOT NULL REFERENCES patients(id),"
                     " session_id BIGINT REFERENCES sessions(id),"
                     " kind TEXT NOT NULL,"  // bleeding, bruising, syncope, pneumothorax-symptoms, broken-needle, needle-stick...
                     " grade TEXT NOT NULL CHECK (grade IN ('mild','moderate','severe')),"
                     " description TEXT NOT NULL,"
                     " recorded_by BIGINT NOT NULL REFERENCES users(id),"
                     " recorded_us BIGINT NOT NULL, session_clock_us BIGINT)"),
      QStringLiteral("CREATE TABLE notes ("
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " author_id BIGINT NOT NULL REFERENCES users(id),"
                     " body TEXT NOT NULL,"
                     " recorded_us BIGINT NOT NULL)"),
      QStringLiteral("CREATE TABLE signoffs ("
                     " session_id BIGINT PRIMARY KEY REFERENCES sessions(id),"
                     " user_id BIGINT NOT NULL REFERENCES users(id),"
                     " signed_us BIGINT NOT NULL,"
                     " audit_sequence BIGINT NOT NULL,"  // chain position of the sign-off entry
                     " record_hash_hex TEXT NOT NULL)"),  // BLAKE2b of the note as signed
      QStringLiteral("CREATE TABLE addenda ("
                     " id {ID},"
                     " session_id BIGINT NOT NULL REFERENCES sessions(id),"
                     " author_id BIGINT NOT NULL REFERENCES users(id),"
                     " reason TEXT NOT NULL,"
                     " body TEXT NOT NULL,"
                     " recorded_us BIGINT NOT NULL)"),
      QStringLiteral("CREATE TABLE clinic_settings ("
                     " key TEXT PRIMARY KEY,"
                     " value_json TEXT NOT NULL,"
                     " changed_by BIGINT REFERENCES users(id),"
                     " changed_us BIGINT NOT NULL)"),
      // --- audit trail (docs/AUDIT.md) ----------------------------------------
      QStringLiteral("CREATE TABLE audit_entries ("
                     " console_id TEXT NOT NULL,"
                     " sequence BIGINT NOT NULL,"
                     " utc_us BIGINT NOT NULL,"
                     " session_clock_us BIGINT,"
                     " actor TEXT NOT NULL, role TEXT NOT NULL,"
                     " action TEXT NOT NULL, subject TEXT NOT NULL,"
                     " details TEXT NOT NULL,"
                     " prev_hash {BLOB} NOT NULL, hash {BLOB} NOT NULL,"
                     " PRIMARY KEY (console_id, sequence)) {WITHOUT_ROWID}"),
      QStringLiteral("CREATE INDEX audit_entries_by_time ON audit_entries (utc_us)"),
      QStringLiteral("CREATE TABLE audit_checkpoints ("
                     " console_id TEXT NOT NULL,"
                     " sequence BIGINT NOT NULL,"
                     " head_hash {BLOB} NOT NULL,"
                     " utc_us BIGINT NOT NULL,"
                     " public_key {BLOB} NOT NULL,"  // informational; verify uses the key it is given
                     " signature {BLOB} NOT NULL,"
                     " reason TEXT NOT NULL,"
                     " PRIMARY KEY (console_id, sequence))"),
      // Latest signed head per console, kept on the server (PostgreSQL) beside the local file.
      QStringLiteral("CREATE TABLE audit_heads ("
                     " console_id TEXT PRIMARY KEY,"
                     " sequence BIGINT NOT NULL, head_hash {BLOB} NOT NULL, utc_us BIGINT NOT NULL,"
                     " signature {BLOB} NOT NULL)"),
      QStringLiteral("CREATE INDEX sessions_open ON sessions (console_id, state)"),
      QStringLiteral("CREATE INDEX needles_by_session ON needles (session_id)"),
      QStringLiteral("CREATE INDEX ltr_by_session ON ltr_events (session_id)"),
  };
  m.sqlite = {
      QStringLiteral("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
                     "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"),
      QStringLiteral("CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
                     "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"),
      QStringLiteral("CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints "
                     "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END"),
      QStringLiteral("CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints "
                     "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END"),
      QStringLiteral("CREATE TRIGGER signoffs_no_update BEFORE UPDATE ON signoffs "
                     "BEGIN SELECT RAISE(ABORT, 'a sign-off is final; add an addendum'); END"),
      QStringLiteral("CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON signoffs "
                     "BEGIN SELECT RAISE(ABORT, 'a sign-off is final; add an addendum'); END"),
      QStringLiteral("CREATE TRIGGER addenda_no_change BEFORE UPDATE ON addenda "
                     "BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END"),
      QStringLiteral("CREATE TRIGGER addenda_no_delete BEFORE DELETE ON addenda "
                     "BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END"),
      QStringLiteral("CREATE TRIGGER notes_signed_no_update BEFORE UPDATE ON notes "
                     "WHEN EXISTS (SELECT 1 FROM signoffs s WHERE s.session_id = OLD.session_id) "
                     "BEGIN SELECT RAISE(ABORT, 'the note is signed; add an addendum'); END"),
      QStringLiteral("CREATE TRIGGER notes_signed_no_delete BEFORE DELETE ON notes "
                     "WHEN EXISTS (SELECT 1 FROM signoffs s WHERE s.session_id = OLD.session_id) "
                     "BEGIN SELECT RAISE(ABORT, 'the note is signed; add an addendum'); END"),
      QStringLiteral("CREATE TRIGGER notes_signed_no_insert BEFORE INSERT ON notes "
                     "WHEN EXISTS (SELECT 1 FROM signoffs s WHERE s.session_id = NEW.session_id) "
                     "BEGIN SELECT RAISE(ABORT, 'the note is signed; add an addendum'); END"),
  };
  m.postgres = {
      QStringLiteral("CREATE FUNCTION tautband_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
                     "BEGIN RAISE EXCEPTION '% on % refused: append-only', TG_OP, TG_TABLE_NAME; END $$"),
      QStringLiteral("CREATE FUNCTION tautband_refuse_signed_note() RETURNS trigger LANGUAGE plpgsql AS $$ "
                     "DECLARE sid BIGINT; BEGIN "
                     "IF TG_OP = 'INSERT' THEN sid := NEW.session_id; ELSE sid := OLD.session_id; END IF; "
                     "IF EXISTS (SELECT 1 FROM signoffs s WHERE s.session_id = sid) THEN "
                     "RAISE EXCEPTION 'the note is signed; add an addendum'; END IF; "
                     "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"),
      QStringLiteral("CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
                     "FOR EACH ROW EXECUTE FUNCTION tautband_refuse_change()"),
      QStringLiteral("CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
                     "FOR EACH STATEMENT EXECUTE FUNCTION tautband_refuse_change()"),
      QStringLiteral("CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints "
                     "FOR EACH ROW EXECUTE FUNCTION tautband_refuse_change()"),
      QStringLiteral("CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints "
                     "FOR EACH STATEMENT EXECUTE FUNCTION tautband_refuse_change()"),
      QStringLiteral("CREATE TRIGGER signoffs_final BEFORE UPDATE OR DELETE ON signoffs "
                     "FOR EACH ROW EXECUTE FUNCTION tautband_refuse_change()"),
      QStringLiteral("CREATE TRIGGER addenda_append_only BEFORE UPDATE OR DELETE ON addenda "
                     "FOR EACH ROW EXECUTE FUNCTION tautband_refuse_change()"),
      QStringLiteral("CREATE TRIGGER notes_signed_final BEFORE INSERT OR UPDATE OR DELETE ON notes "
                     "FOR EACH ROW EXECUTE FUNCTION tautband_refuse_signed_note()"),
      // Grants: application roles get INSERT/SELECT only (docs/STORE.md "PostgreSQL").
      QStringLiteral("REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries, audit_checkpoints, signoffs, addenda "
                     "FROM PUBLIC"),
  };
  return m;
}

}  // namespace

const std::vector<Migration>& allMigrations() {
  static const std::vector<Migration> migrations{initialSchema()};
  return migrations;
}

int latestSchemaVersion() { return allMigrations().back().version; }

int currentSchemaVersion(Connection& c) {
  c.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL)"));
  QSqlQuery q = c.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return q.next() ? q.value(0).toInt() : 0;
}

int migrate(Connection& c) {
  int version = currentSchemaVersion(c);
  if (version > latestSchemaVersion()) {
    throw StoreError("database schema version " + std::to_string(version) +
                     " is newer than this build supports (" + std::to_string(latestSchemaVersion()) + ")");
  }
  for (const Migration& m : allMigrations()) {
    if (m.version <= version) continue;
    c.begin();
    try {
      if (c.engine() == Engine::Postgres) {
        c.exec(QStringLiteral("SELECT pg_advisory_xact_lock(7261746)"));  // one migrator at a time
        QSqlQuery again = c.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
        if (again.next() && again.value(0).toInt() >= m.version) {
          c.commit();
          version = m.version;
          continue;
        }
      }
      for (const QString& sql : m.common) c.exec(adaptSql(sql, c.engine()));
      for (const QString& sql : (c.engine() == Engine::Sqlite ? m.sqlite : m.postgres)) c.exec(sql);
      c.exec(QStringLiteral("INSERT INTO schema_migrations (version, name, applied_us) VALUES (?, ?, ?)"),
             {m.version, m.name, QVariant::fromValue<qint64>(utcNowUs())});
      c.commit();
    } catch (const StoreError& e) {
      c.rollback();
      throw StoreError("migration " + std::to_string(m.version) + " (" + m.name.toStdString() +
                       ") failed: " + e.what());
    }
    version = m.version;
  }
  return version;
}

}  // namespace tautband::store
