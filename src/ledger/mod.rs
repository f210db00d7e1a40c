//! The ledger (`--ledger FILE`): memory across nights, so a customer who complains about the
//! same problem for the fourth time within a year is escalated even when they stay polite.
//!
//! An embedded SQLite database (no server), one row per conversation: the customer's key (a
//! keyed hash, [`key`]), the call time, the conversation and file (masked), whether the
//! customer complained, and the problem ([`topics`]). What it promises:
//!
//! - **No number in clear.** Customers are HMAC-SHA256 keys under a secret created with the
//!   ledger and kept beside it (`FILE.key`, mode 0600); ids and file names are masked as in
//!   the reports. Without the key file an existing ledger is refused, never re-keyed (a new
//!   secret would split every customer's history).
//! - **All or nothing per run.** A scan holds one write transaction from start to finish and
//!   commits only once its reports are in place; a run killed at any point leaves the ledger
//!   as it was (WAL journal). A second run on the same ledger meanwhile is refused ("ledger is
//!   in use").
//! - **Reruns count once.** A conversation is keyed by its file and id: scanning the same
//!   night again replaces its rows.
//! - **Versioned.** The `meta` table holds the schema version; a ledger from a newer callrisk
//!   is refused rather than misread.
//!
//! [`night`] runs the rule on one night's conversations; `callrisk ledger` ([`crate::cmd::ledger`])
//! keeps the file: stats, prune, export, forget.

pub mod key;
pub mod night;
pub mod topics;

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

pub use key::Secret;

/// The schema this version writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// Complaints about one problem within the window that make a repeat: the fourth (the seeds'
/// rule: three within a rolling year, escalated on the fourth).
pub const DEFAULT_REPEAT_AFTER: u32 = 4;
/// The rolling window, in days.
pub const DEFAULT_REPEAT_WINDOW: u32 = 365;
/// Rows whose call is older than this many days before the newest call are removed at each
/// scan: longer than the window, so no count changes, and personal data is not kept forever.
pub const DEFAULT_RETENTION: u32 = 400;

const SCHEMA: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE calls (
    call         TEXT PRIMARY KEY,  -- HMAC of file and conversation id: a rerun replaces the row
    customer     TEXT NOT NULL,     -- HMAC of the normalised phone number or customer id
    time         INTEGER NOT NULL,  -- call start, seconds since 1970 in the call centre's clock
    conversation TEXT NOT NULL,     -- conversation id, masked
    file         TEXT NOT NULL,     -- input file, masked
    complaint    INTEGER NOT NULL,  -- 1 when the customer complained or threatened
    topic        TEXT NOT NULL,     -- the problem
    topic_from   TEXT NOT NULL      -- metadata | lexicon
);
CREATE INDEX calls_by_customer ON calls (customer, topic, time);
CREATE INDEX calls_by_time ON calls (time);
";

/// What can go wrong with a ledger; each says the file and how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "ledger {}: its key file {} is missing; without it no customer can be matched to the ledger's \
         history. Restore the key file from your backup (a new key would split every customer's history), \
         or start a new ledger under another name",
        ledger.display(), key.display()
    )]
    KeyMissing { ledger: PathBuf, key: PathBuf },

    #[error("ledger key file {}: {problem} (it must hold the 64 hex digits written when the ledger was created)", path.display())]
    KeyUnreadable { path: PathBuf, problem: String },

    #[error(
        "ledger {}: the key file {} is not the one this ledger was created with; with it no customer \
         would match their history. Restore the ledger's own key file from your backup, or start a new \
         ledger under another name",
        ledger.display(), key.display()
    )]
    WrongKey { ledger: PathBuf, key: PathBuf },

    #[error(
        "ledger {} is in use by another callrisk run (or another program holds it); wait for that run to \
         end and try again",
        path.display()
    )]
    InUse { path: PathBuf },

    #[error(
        "ledger {} has schema version {found}, newer than this callrisk reads ({SCHEMA_VERSION}); use the \
         callrisk that wrote it, or a newer one",
        path.display()
    )]
    NewerSchema { path: PathBuf, found: i64 },

    #[error("ledger {}: {message}", path.display())]
    Sqlite { path: PathBuf, message: String },

    #[error("ledger {}: {message}", path.display())]
    Io { path: PathBuf, message: String },
}

/// An open ledger: the connection, its secret, and (for a scan, prune or forget) the write
/// transaction that is committed by [`Ledger::commit`] and rolled back if dropped.
pub struct Ledger {
    path: PathBuf,
    connection: Connection,
    secret: Secret,
    writing: bool,
}

/// Where the key file of `ledger` lives: beside it, `FILE.key`.
pub fn key_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".key");
    ledger.with_file_name(name)
}

impl Ledger {
    /// Open `path` for writing, creating the ledger and its key file if neither exists, and
    /// take the write lock for the whole run.
    pub fn open_for_writing(path: &Path) -> Result<Ledger, LedgerError> {
        Ledger::open(path, true, true)
    }

    /// Open an existing ledger to read it (stats, export): no lock beyond one read.
    pub fn open_existing(path: &Path, write: bool) -> Result<Ledger, LedgerError> {
        if !path.is_file() {
            return Err(LedgerError::Io {
                path: path.to_path_buf(),
                message: "no such ledger (a scan with --ledger FILE creates it)".into(),
            });
        }
        Ledger::open(path, false, write)
    }

    fn open(path: &Path, create: bool, write: bool) -> Result<Ledger, LedgerError> {
        let key = key_path(path);
        let exists = path.exists();
        let io = |e: std::io::Error| LedgerError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let secret = match (exists, key.exists()) {
            (true, false) => {
                return Err(LedgerError::KeyMissing {
                    ledger: path.to_path_buf(),
                    key,
                });
            }
            (_, true) => read_secret(&key)?,
            (false, false) if create => write_secret(&key)?,
            (false, false) => {
                return Err(LedgerError::Io {
                    path: path.to_path_buf(),
                    message: "no such ledger".into(),
                });
            }
        };
        if !exists {
            // Created here with mode 0600: SQLite gives its -wal and -shm files the database's mode.
            private_file(path).map_err(io)?;
        }
        let sqlite = |e: rusqlite::Error| sqlite_error(path, e);
        let connection = Connection::open(path).map_err(sqlite)?;
        connection.busy_timeout(std::time::Duration::ZERO).map_err(sqlite)?;
        let mut ledger = Ledger {
            path: path.to_path_buf(),
            connection,
            secret,
            writing: false,
        };
        // journal_mode needs no lock when the file is already in WAL mode; a first open
        // switches it, which a reader elsewhere would make busy.
        ledger
            .connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| ledger.error(e))?;
        ledger
            .connection
            // A night's rows go in one transaction: a cache that holds them keeps SQLite from
            // spilling half-written pages to the journal over and over (64 MiB at most).
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA cache_size = -65536;")
            .map_err(|e| ledger.error(e))?;
        if write {
            ledger
                .connection
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(|e| ledger.error(e))?;
            ledger.writing = true;
        }
        ledger.schema()?;
        Ok(ledger)
    }

    /// An SQLite error on this ledger, as a [`LedgerError`].
    fn error(&self, e: rusqlite::Error) -> LedgerError {
        sqlite_error(&self.path, e)
    }

    /// Create the tables of a new ledger, or check the version of an existing one.
    fn schema(&mut self) -> Result<(), LedgerError> {
        let has_meta: bool = self
            .connection
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map_err(|e| self.error(e))?
            > 0;
        if !has_meta {
            if !self.writing {
                return Err(LedgerError::Sqlite {
                    path: self.path.clone(),
                    message: "not a callrisk ledger (no meta table)".into(),
                });
            }
            let tables: i64 = self
                .connection
                .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
                .map_err(|e| self.error(e))?;
            if tables > 0 {
                return Err(LedgerError::Sqlite {
                    path: self.path.clone(),
                    message: "an SQLite database that is not a callrisk ledger; name a new file".into(),
                });
            }
            self.connection.execute_batch(SCHEMA).map_err(|e| self.error(e))?;
            self.connection
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?1), ('created_by', ?2), ('key_check', ?3)",
                    params![
                        SCHEMA_VERSION.to_string(),
                        format!("callrisk {}", env!("CARGO_PKG_VERSION")),
                        self.key_check()
                    ],
                )
                .map_err(|e| self.error(e))?;
            return Ok(());
        }
        self.check_key()?;
        let version: Option<String> = self
            .connection
            .query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.error(e))?;
        match version.and_then(|v| v.parse::<i64>().ok()) {
            Some(SCHEMA_VERSION) => Ok(()),
            Some(found) if found > SCHEMA_VERSION => Err(LedgerError::NewerSchema {
                path: self.path.clone(),
                found,
            }),
            other => Err(LedgerError::Sqlite {
                path: self.path.clone(),
                message: format!("unknown schema version {other:?}; not a ledger this callrisk wrote"),
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the ledger's own key hashes a fixed text to: stored at creation, so a key file
    /// swapped for another one is refused instead of splitting every customer's history.
    fn key_check(&self) -> String {
        self.secret.hash("key-check", "callrisk ledger")
    }

    /// The key file is the ledger's own (a ledger written before the check gets it now).
    fn check_key(&mut self) -> Result<(), LedgerError> {
        let stored: Option<String> = self
            .connection
            .query_row("SELECT value FROM meta WHERE key = 'key_check'", [], |row| row.get(0))
            .optional()
            .map_err(|e| self.error(e))?;
        match stored {
            Some(check) if check == self.key_check() => Ok(()),
            Some(_) => Err(LedgerError::WrongKey {
                ledger: self.path.clone(),
                key: key_path(&self.path),
            }),
            None if self.writing => self
                .connection
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('key_check', ?1)",
                    params![self.key_check()],
                )
                .map(|_| ())
                .map_err(|e| self.error(e)),
            None => Ok(()),
        }
    }

    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Record (or, on a rerun, replace) a conversation.
    pub fn record(&self, row: &Row) -> Result<(), LedgerError> {
        self.connection
            .prepare_cached(
                "INSERT OR REPLACE INTO calls (call, customer, time, conversation, file, complaint, topic, topic_from)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    row.call,
                    row.customer,
                    row.time,
                    row.conversation,
                    row.file,
                    row.complaint,
                    row.topic,
                    row.topic_from
                ])
            })
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    /// A customer's complaints about `topic` with calls in `from..=to` (seconds), in call-time
    /// order (ties by conversation key).
    pub fn complaints(&self, customer: &str, topic: &str, from: i64, to: i64) -> Result<Vec<Row>, LedgerError> {
        self.select(
            "WHERE customer = ?1 AND topic = ?2 AND complaint = 1 AND time >= ?3 AND time <= ?4 ORDER BY time, call",
            params![customer, topic, from, to],
        )
    }

    /// Every row, in call-time order.
    pub fn rows(&self) -> Result<Vec<Row>, LedgerError> {
        self.select("ORDER BY time, call", [])
    }

    fn select(&self, filter: &str, params: impl rusqlite::Params) -> Result<Vec<Row>, LedgerError> {
        let sql = format!(
            "SELECT call, customer, time, conversation, file, complaint, topic, topic_from FROM calls {filter}"
        );
        let mut statement = self.connection.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let rows = statement
            .query_map(params, |r| {
                Ok(Row {
                    call: r.get(0)?,
                    customer: r.get(1)?,
                    time: r.get(2)?,
                    conversation: r.get(3)?,
                    file: r.get(4)?,
                    complaint: r.get(5)?,
                    topic: r.get(6)?,
                    topic_from: r.get(7)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<Row>, _>>())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    /// The newest call time in the ledger.
    pub fn newest(&self) -> Result<Option<i64>, LedgerError> {
        self.connection
            .query_row("SELECT max(time) FROM calls", [], |row| row.get(0))
            .map_err(|e| self.error(e))
    }

    /// Remove rows whose call is before `before` (seconds); how many.
    pub fn prune_before(&self, before: i64) -> Result<usize, LedgerError> {
        self.connection
            .execute("DELETE FROM calls WHERE time < ?1", params![before])
            .map_err(|e| self.error(e))
    }

    /// Remove every row of the customer `value` (a phone number or id, hashed here); how many.
    /// `None` when the value is no key (see [`key::normalise`]).
    pub fn forget(&self, value: &str) -> Result<Option<usize>, LedgerError> {
        let Some(customer) = self.secret.customer(value) else {
            return Ok(None);
        };
        self.connection
            .execute("DELETE FROM calls WHERE customer = ?1", params![customer])
            .map(Some)
            .map_err(|e| self.error(e))
    }

    /// Commit what this run wrote. Dropping the ledger instead rolls it back.
    pub fn commit(mut self) -> Result<(), LedgerError> {
        if self.writing {
            self.connection.execute_batch("COMMIT").map_err(|e| self.error(e))?;
            self.writing = false;
        }
        Ok(())
    }
}

/// One conversation in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub call: String,
    pub customer: String,
    pub time: i64,
    pub conversation: String,
    pub file: String,
    pub complaint: bool,
    pub topic: String,
    pub topic_from: String,
}

fn sqlite_error(path: &Path, e: rusqlite::Error) -> LedgerError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => LedgerError::InUse {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::NotADatabase) => LedgerError::Sqlite {
            path: path.to_path_buf(),
            message: "not a callrisk ledger (not an SQLite database); name a new file or the ledger a scan wrote"
                .into(),
        },
        _ => LedgerError::Sqlite {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    }
}

/// Create `path` empty with mode 0600 (owner only); an existing file is an error.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn write_secret(path: &Path) -> Result<Secret, LedgerError> {
    let problem = |problem: String| LedgerError::KeyUnreadable {
        path: path.to_path_buf(),
        problem,
    };
    let secret = Secret::generate().map_err(problem)?;
    let mut file = private_file(path).map_err(|e| problem(format!("cannot create: {e}")))?;
    use std::io::Write;
    file.write_all(format!("{}\n", secret.to_hex()).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| problem(format!("cannot write: {e}")))?;
    Ok(secret)
}

fn read_secret(path: &Path) -> Result<Secret, LedgerError> {
    let text = std::fs::read_to_string(path).map_err(|e| LedgerError::KeyUnreadable {
        path: path.to_path_buf(),
        problem: format!("cannot read: {e}"),
    })?;
    Secret::from_hex(&text).ok_or_else(|| LedgerError::KeyUnreadable {
        path: path.to_path_buf(),
        problem: "not a ledger key".into(),
    })
}

/// `2026-11-22` for a call time in seconds (the call centre's clock).
pub fn date(seconds: i64) -> String {
    let (y, m, d) = crate::transcript::civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2026-11-22 09:14:05` for a call time in seconds.
pub fn date_time(seconds: i64) -> String {
    crate::transcript::date_time_of(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::CallStart;

    #[test]
    fn dates_round_trip_with_call_start() {
        for text in [
            "2022-05-05 00:00:00",
            "2024-02-29 23:59:59",
            "1999-12-31 12:00:00",
            "2026-11-22 09:14:05",
        ] {
            let seconds = CallStart::parse(text).unwrap().0;
            assert_eq!(date_time(seconds), text);
        }
        assert_eq!(date(CallStart::parse("2023-05-05 08:00").unwrap().0), "2023-05-05");
    }

    #[test]
    fn the_key_file_sits_beside_the_ledger() {
        assert_eq!(
            key_path(Path::new("/srv/qa/ledger.db")),
            Path::new("/srv/qa/ledger.db.key")
        );
        assert_eq!(key_path(Path::new("ledger")), Path::new("ledger.key"));
    }

    #[test]
    fn a_new_ledger_commits_and_an_uncommitted_run_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let row = |call: &str| Row {
            call: call.into(),
            customer: "c".into(),
            time: 100,
            conversation: "A".into(),
            file: "a.txt".into(),
            complaint: true,
            topic: "退款".into(),
            topic_from: "lexicon".into(),
        };
        let ledger = Ledger::open_for_writing(&path).unwrap();
        ledger.record(&row("1")).unwrap();
        ledger.commit().unwrap();
        let ledger = Ledger::open_for_writing(&path).unwrap();
        ledger.record(&row("2")).unwrap();
        drop(ledger);
        let ledger = Ledger::open_existing(&path, false).unwrap();
        assert_eq!(ledger.rows().unwrap().len(), 1);
        assert_eq!(ledger.complaints("c", "退款", 0, 100).unwrap()[0].call, "1");
    }

    #[test]
    fn a_second_writer_is_told_the_ledger_is_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let first = Ledger::open_for_writing(&path).unwrap();
        let second = Ledger::open_for_writing(&path).err().unwrap();
        assert!(matches!(second, LedgerError::InUse { .. }), "{second}");
        assert!(second.to_string().contains("in use"));
        first.commit().unwrap();
    }

    #[test]
    fn a_ledger_without_its_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        Ledger::open_for_writing(&path).unwrap().commit().unwrap();
        std::fs::remove_file(key_path(&path)).unwrap();
        let err = Ledger::open_for_writing(&path).err().unwrap();
        assert!(matches!(err, LedgerError::KeyMissing { .. }), "{err}");
        assert!(!key_path(&path).exists(), "no new key may be made");
    }
}
