//! Backups of a workbook: a complete copy (SQLite's backup API) in a folder beside it,
//! taken automatically before every schema upgrade and every import, and on request; the
//! newest [`KEEP`] are kept.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Result, WorkbookError};
use crate::store::Workbook;

/// How many backups of a workbook are kept.
pub const KEEP: usize = 10;

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupReason {
    Migration,
    Import,
    Manual,
    Restore,
}

impl BackupReason {
    fn code(self) -> &'static str {
        match self {
            BackupReason::Migration => "migration",
            BackupReason::Import => "import",
            BackupReason::Manual => "manual",
            BackupReason::Restore => "restore",
        }
    }

    fn parse(code: &str) -> Option<BackupReason> {
        [
            BackupReason::Migration,
            BackupReason::Import,
            BackupReason::Manual,
            BackupReason::Restore,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BackupInfo {
    pub path: String,
    pub taken_at: DateTime<Utc>,
    pub reason: BackupReason,
    #[ts(type = "number")]
    pub size: u64,
}

const STAMP: &str = "%Y-%m-%dT%H-%M-%S";

/// The folder the backups of `workbook` go to: `dealer.leadplan` → `dealer.leadplan-backups`.
#[must_use]
pub fn backup_dir(workbook: &Path) -> PathBuf {
    let mut name = workbook
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push("-backups");
    workbook.with_file_name(name)
}

fn parse_name(path: &Path) -> Option<(DateTime<Utc>, BackupReason)> {
    let stem = path.file_stem()?.to_str()?;
    let (stamp, reason) = stem.split_once(' ')?;
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    Some((at, BackupReason::parse(reason)?))
}

/// The backups of `workbook`, newest first.
///
/// # Errors
/// `Io` when the folder exists but cannot be read.
pub fn list(workbook: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backup_dir(workbook);
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(WorkbookError::Io { path: dir, source }),
    };
    let mut out: Vec<BackupInfo> = entries
        .filter_map(std::result::Result::ok)
        .filter_map(|e| {
            let path = e.path();
            let (taken_at, reason) = parse_name(&path)?;
            let size = e.metadata().ok()?.len();
            Some(BackupInfo {
                path: path.display().to_string(),
                taken_at,
                reason,
                size,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.taken_at
            .cmp(&a.taken_at)
            .then_with(|| b.path.cmp(&a.path))
    });
    Ok(out)
}

/// A free file name for a backup taken at `now` for `reason`.
fn target(workbook: &Path, now: DateTime<Utc>, reason: BackupReason) -> PathBuf {
    let dir = backup_dir(workbook);
    let base = format!("{} {}", now.format(STAMP), reason.code());
    let mut path = dir.join(format!("{base}.leadplan"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{base}-{n}.leadplan"));
        n += 1;
    }
    path
}

/// Removes all but the newest [`KEEP`] backups, and what copies interrupted more than an
/// hour before `now` left behind (a copy in progress in another process is younger).
fn rotate(workbook: &Path, now: DateTime<Utc>) -> Result<()> {
    for old in list(workbook)?.into_iter().skip(KEEP) {
        let _ = fs::remove_file(&old.path);
    }
    let Ok(entries) = fs::read_dir(backup_dir(workbook)) else {
        return Ok(());
    };
    let stale = now - chrono::Duration::hours(1);
    for entry in entries.filter_map(std::result::Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let interrupted = name.starts_with('.')
            && (name.ends_with(".copying") || name.ends_with(".copying-journal"));
        let modified = entry
            .metadata()
            .and_then(|m| m.modified())
            .map(DateTime::<Utc>::from);
        if interrupted && modified.is_ok_and(|m| m < stale) {
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Copies the database behind `conn` into a new backup of `workbook`.
pub(crate) fn take(
    conn: &rusqlite::Connection,
    workbook: &Path,
    now: DateTime<Utc>,
    reason: BackupReason,
) -> Result<PathBuf> {
    let dir = backup_dir(workbook);
    fs::create_dir_all(&dir).map_err(|source| WorkbookError::Io {
        path: dir.clone(),
        source,
    })?;
    let path = target(workbook, now, reason);
    crate::store::copy_database(conn, &path)?;
    rotate(workbook, now)?;
    Ok(path)
}

impl Workbook {
    /// Takes a backup now; returns its path.
    ///
    /// # Errors
    /// `Io` when the backup folder cannot be written, storage errors.
    pub fn back_up(&self, reason: BackupReason, now: DateTime<Utc>) -> Result<PathBuf> {
        take(&self.conn, self.path(), now, reason)
    }

    /// The backups of this workbook, newest first.
    ///
    /// # Errors
    /// `Io`.
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        list(self.path())
    }
}

/// Replaces the workbook at `workbook` (closed) with a copy of `backup`, after checking that
/// the backup is a workbook this Leadplan can open and backing up the current file. The copy
/// is written under a temporary name and renamed into place, so the workbook is never half
/// restored; an older backup is upgraded the next time the workbook is opened.
///
/// # Errors
/// `NotAWorkbook`/`TooNew` for a file that is not a usable workbook (nothing is changed),
/// `Io`.
pub fn restore(workbook: &Path, backup: &Path, now: DateTime<Utc>) -> Result<()> {
    crate::store::check_file(backup)?;
    if workbook.exists() {
        let current = Workbook::open(workbook)?;
        current.back_up(BackupReason::Restore, now)?;
        current.close()?;
    }
    let name = workbook
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = workbook.with_file_name(format!(".{name}.restoring"));
    let copied = fs::copy(backup, &tmp).map_err(|source| WorkbookError::Io {
        path: backup.to_owned(),
        source,
    });
    if let Err(e) = copied {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // the closed workbook's WAL is empty; it must not be applied to the restored file
    crate::store::remove_sidecars(workbook);
    fs::rename(&tmp, workbook).map_err(|source| WorkbookError::Io {
        path: workbook.to_owned(),
        source,
    })?;
    Ok(())
}
