//! Opening, creating and migrating the workbook file.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use chrono::Utc;
use leadplan_core::Settings;

use crate::backup::BackupReason;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

use crate::error::{Result, WorkbookError};

/// `PRAGMA application_id` of every Leadplan workbook ("LPLN").
pub const APPLICATION_ID: u32 = 0x4C50_4C4E;

/// The numbered migrations, oldest first; schema version N is the state after the Nth.
pub const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_schema.sql"),
    include_str!("migrations/0002_lead_rollup.sql"),
    include_str!("migrations/0003_sla_within_target.sql"),
    include_str!("migrations/0004_lead_by_external_id.sql"),
    include_str!("migrations/0005_lead_blocks.sql"),
];

/// Schema 5 moves the leads into blocks, which SQL cannot write.
const SCHEMA_5: usize = 4;

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(
        MIGRATION_SQL
            .iter()
            .enumerate()
            .map(|(i, sql)| {
                if i == SCHEMA_5 {
                    M::up_with_hook(sql, crate::lead_rows::upgrade_to_blocks)
                } else {
                    M::up(sql)
                }
            })
            .collect(),
    )
});

/// The schema version this build writes; `PRAGMA user_version` of an up-to-date workbook.
#[must_use]
pub fn latest_schema_version() -> u32 {
    // a handful of migrations, so the cast cannot truncate
    #[allow(clippy::cast_possible_truncation)]
    let n = MIGRATION_SQL.len() as u32;
    n
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The page size of a new workbook: SQLite's largest. Leads are stored as blobs of a few
/// hundred kilobytes (`lead_block`), which large pages write in a fraction of the steps —
/// committing a million imported leads, with the WAL written, synced and copied back, takes
/// about a third less time than with SQLite's default of 4 KiB. Workbooks created before
/// keep their page size.
const PAGE_SIZE: i64 = 65_536;

/// What the first 100 bytes of a file say about it, read without opening it as a database
/// (so nothing, not even the WAL setting, is written to a file we refuse).
struct Header {
    user_version: u32,
    application_id: u32,
}

fn read_header(path: &Path) -> Result<Header> {
    let mut file = fs::File::open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            WorkbookError::NotFound {
                path: path.to_owned(),
            }
        } else {
            WorkbookError::Io {
                path: path.to_owned(),
                source,
            }
        }
    })?;
    let mut bytes = [0u8; 100];
    let mut read = 0;
    while read < bytes.len() {
        match file.read(&mut bytes[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(source) => {
                return Err(WorkbookError::Io {
                    path: path.to_owned(),
                    source,
                });
            }
        }
    }
    let not_a_workbook = |reason: &str| WorkbookError::NotAWorkbook {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    if read == 0 {
        return Err(not_a_workbook("the file is empty"));
    }
    if read < bytes.len() || &bytes[..16] != SQLITE_MAGIC {
        return Err(not_a_workbook("it is not an SQLite database"));
    }
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Ok(Header {
        user_version: be(60),
        application_id: be(68),
    })
}

fn check_header(path: &Path, header: &Header) -> Result<()> {
    if header.application_id != APPLICATION_ID {
        return Err(WorkbookError::NotAWorkbook {
            path: path.to_owned(),
            reason: "an SQLite database of another application".to_owned(),
        });
    }
    check_version(path, header.user_version)
}

fn check_version(path: &Path, found: u32) -> Result<()> {
    let supported = latest_schema_version();
    if found > supported {
        return Err(WorkbookError::TooNew {
            path: path.to_owned(),
            found,
            supported,
        });
    }
    Ok(())
}

/// A workbook someone sent could carry triggers or views that run SQL of theirs whenever
/// Leadplan writes; Leadplan creates none, so a workbook that has any is refused.
fn refuse_foreign_objects(conn: &Connection, path: &Path) -> Result<()> {
    let foreign: Option<String> = conn
        .query_row(
            "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('trigger', 'view') LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match foreign {
        Some(object) => Err(WorkbookError::NotAWorkbook {
            path: path.to_owned(),
            reason: format!("it contains a {object} that Leadplan does not create"),
        }),
        None => Ok(()),
    }
}

fn set_pragmas(conn: &Connection, read_only: bool) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // functions with side effects may not run from a workbook's own schema
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if !read_only {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed change survives a power loss, not only a crash
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(())
}

/// An open workbook file.
pub struct Workbook {
    pub(crate) conn: Connection,
    path: PathBuf,
    read_only: bool,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Workbook {
    /// Opens an existing workbook for reading and writing, upgrading its schema if it was
    /// written by an older Leadplan.
    ///
    /// # Errors
    /// `NotFound`, `NotAWorkbook` (not SQLite, or another application's database),
    /// `TooNew` (written by a newer Leadplan; the file is left untouched), storage errors.
    pub fn open(path: &Path) -> Result<Workbook> {
        let header = read_header(path)?;
        check_header(path, &header)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // The header can lag behind a WAL that a crash left; ask SQLite before writing.
        let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        check_version(path, found)?;
        refuse_foreign_objects(&conn, path)?;
        set_pragmas(&conn, false)?;
        if found > 0 && found < latest_schema_version() {
            crate::backup::take(&conn, path, Utc::now(), BackupReason::Migration)?;
        }
        MIGRATIONS
            .to_latest(&mut conn)
            .map_err(|e| WorkbookError::Migration(e.to_string()))?;
        let mut wb = Workbook {
            conn,
            path: path.to_owned(),
            read_only: false,
        };
        wb.write(|tx| crate::rollups::ensure_fresh(tx))?;
        Ok(wb)
    }

    /// Opens an existing, up-to-date workbook for reading only (a viewer).
    ///
    /// # Errors
    /// As [`Workbook::open`]; also when the workbook needs a schema upgrade first.
    pub fn open_read_only(path: &Path) -> Result<Workbook> {
        let header = read_header(path)?;
        check_header(path, &header)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        check_version(path, found)?;
        if found < latest_schema_version() {
            return Err(WorkbookError::Migration(format!(
                "{}: schema {found} must be upgraded before it can be opened read-only",
                path.display()
            )));
        }
        set_pragmas(&conn, true)?;
        refuse_foreign_objects(&conn, path)?;
        Ok(Workbook {
            conn,
            path: path.to_owned(),
            read_only: true,
        })
    }

    /// Creates a new workbook with `settings`; `fill` adds content in the same transaction.
    /// The file appears only once it is complete: it is written under a temporary name and
    /// renamed into place.
    ///
    /// # Errors
    /// `AlreadyExists`, invalid settings, storage errors; on error no file is left behind.
    pub fn create_with(
        path: &Path,
        settings: &Settings,
        fill: impl FnOnce(&Transaction<'_>) -> Result<()>,
    ) -> Result<Workbook> {
        settings.validate()?;
        if path.exists() {
            return Err(WorkbookError::AlreadyExists {
                path: path.to_owned(),
            });
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{file_name}.creating"));
        let _ = fs::remove_file(&tmp);
        let built = Self::build_new(&tmp, settings, fill);
        if let Err(e) = built {
            remove_with_sidecars(&tmp);
            return Err(e);
        }
        if let Err(source) = fs::rename(&tmp, path) {
            remove_with_sidecars(&tmp);
            return Err(WorkbookError::Io {
                path: path.to_owned(),
                source,
            });
        }
        Workbook::open(path)
    }

    /// Creates a new, empty workbook.
    ///
    /// # Errors
    /// As [`Workbook::create_with`].
    pub fn create(path: &Path, settings: &Settings) -> Result<Workbook> {
        Self::create_with(path, settings, |_| Ok(()))
    }

    fn build_new(
        tmp: &Path,
        settings: &Settings,
        fill: impl FnOnce(&Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut conn = Connection::open(tmp)?;
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        // Built in rollback-journal mode, so the finished file is one self-contained file
        // that can be renamed; it switches to WAL when opened.
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        MIGRATIONS
            .to_latest(&mut conn)
            .map_err(|e| WorkbookError::Migration(e.to_string()))?;
        let tx = conn.transaction()?;
        crate::settings::insert(&tx, settings)?;
        fill(&tx)?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| WorkbookError::from(e))?;
        Ok(())
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Runs `f` in one write transaction: all of it is committed, or none of it.
    ///
    /// # Errors
    /// `ReadOnly`, `Busy` when another process holds the write lock, or whatever `f` returns.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(WorkbookError::ReadOnly);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `f` on one consistent snapshot of the workbook.
    ///
    /// # Errors
    /// Whatever `f` returns.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let value = f(&self.conn);
        // a read transaction has nothing to keep; ending it cannot lose data
        let _ = self.conn.execute_batch("COMMIT");
        value
    }

    /// Writes a complete copy of this workbook to `target` (SQLite's backup API, so the copy
    /// is consistent even while the workbook is in use).
    ///
    /// # Errors
    /// Storage or file errors; a partial copy is removed.
    pub fn copy_to(&self, target: &Path) -> Result<()> {
        copy_database(&self.conn, target)
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file, else every problem.
    ///
    /// # Errors
    /// Storage errors.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Closes the workbook, checkpointing the WAL into the main file.
    ///
    /// # Errors
    /// Storage errors while closing.
    pub fn close(self) -> Result<()> {
        if !self.read_only {
            let _ = self.conn.pragma_update(None, "wal_checkpoint", "TRUNCATE");
        }
        self.conn.close().map_err(|(_, e)| WorkbookError::from(e))
    }
}

/// Writes a complete, consistent copy of the database behind `conn` to `target` (SQLite's
/// backup API), under a temporary name renamed into place; a partial copy is removed.
pub(crate) fn copy_database(conn: &Connection, target: &Path) -> Result<()> {
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{file_name}.copying"));
    let _ = fs::remove_file(&tmp);
    let result = (|| -> Result<()> {
        let mut dest = Connection::open(&tmp)?;
        {
            let backup = rusqlite::backup::Backup::new(conn, &mut dest)?;
            backup.run_to_completion(256, Duration::from_millis(0), None)?;
        }
        dest.pragma_update(None, "journal_mode", "DELETE")?;
        dest.close().map_err(|(_, e)| WorkbookError::from(e))?;
        fs::rename(&tmp, target).map_err(|source| WorkbookError::Io {
            path: target.to_owned(),
            source,
        })
    })();
    if result.is_err() {
        remove_with_sidecars(&tmp);
    }
    result
}

/// Checks, without opening it as a database, that `path` is a workbook this Leadplan can
/// open.
pub(crate) fn check_file(path: &Path) -> Result<()> {
    check_header(path, &read_header(path)?)
}

pub(crate) fn remove_with_sidecars(path: &Path) {
    let _ = fs::remove_file(path);
    remove_sidecars(path);
}

pub(crate) fn remove_sidecars(path: &Path) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = fs::remove_file(PathBuf::from(side));
    }
}
