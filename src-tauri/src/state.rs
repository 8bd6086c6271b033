//! The open workbook, the recent-files list and switching between workbooks.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{Datelike, Utc};
use leadplan_core::Locale;
use leadplan_workbook::demo::{DEFAULT_SEED, create_demo};
use leadplan_workbook::{Overview, PlanHistory, Workbook, WorkbookError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ipc::IpcError;

/// How many recently used workbooks are remembered.
const MAX_RECENT: usize = 8;

/// A workbook in the recent-files list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RecentWorkbook {
    pub path: String,
    pub file_name: String,
    /// Whether the file is still there.
    pub exists: bool,
}

struct Session {
    workbook: Option<Workbook>,
    /// Undo and redo of plan edits in this workbook.
    history: PlanHistory,
    /// Why no workbook is open, when opening the start workbook failed.
    problem: Option<IpcError>,
}

/// What the app holds while it runs.
pub struct AppState {
    session: Mutex<Session>,
    recent_file: PathBuf,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // a panic while holding the lock cannot leave a half-written workbook (every write is
    // one transaction), so the data behind a poisoned lock is still sound
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// Opens `start` (creating it with demo data if it does not exist yet), or only reads it
    /// when `read_only`.
    #[must_use]
    pub fn new(start: &Path, config_dir: &Path, read_only: bool) -> AppState {
        let state = AppState {
            session: Mutex::new(Session {
                workbook: None,
                history: PlanHistory::default(),
                problem: None,
            }),
            recent_file: config_dir.join("recent.json"),
        };
        let opened = if read_only {
            Workbook::open_read_only(start)
        } else if start.exists() {
            Workbook::open(start)
        } else {
            if let Some(dir) = start.parent() {
                let _ = fs::create_dir_all(dir);
            }
            create_demo(start, Utc::now(), DEFAULT_SEED)
        };
        match opened {
            Ok(wb) => {
                state.remember(wb.path());
                lock(&state.session).workbook = Some(wb);
            }
            Err(e) => lock(&state.session).problem = Some(IpcError::from_workbook(e, Locale::En)),
        }
        state
    }

    /// The locale of the open workbook (English when none is open).
    pub fn locale(&self) -> Locale {
        lock(&self.session)
            .workbook
            .as_ref()
            .and_then(|wb| wb.settings().ok())
            .map_or(Locale::En, |s| s.locale)
    }

    /// Runs `f` on the open workbook.
    ///
    /// # Errors
    /// `NoWorkbook` (or why the start workbook could not be opened), or what `f` returns,
    /// translated for the UI.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Workbook) -> Result<T, WorkbookError>,
    ) -> Result<T, IpcError> {
        self.with_history(|wb, _| f(wb))
    }

    /// Runs `f` on the open workbook and its plan edit history.
    ///
    /// # Errors
    /// As [`AppState::with`].
    pub fn with_history<T>(
        &self,
        f: impl FnOnce(&mut Workbook, &mut PlanHistory) -> Result<T, WorkbookError>,
    ) -> Result<T, IpcError> {
        let mut session = lock(&self.session);
        let Session {
            workbook,
            history,
            problem,
        } = &mut *session;
        let Some(wb) = workbook.as_mut() else {
            return Err(problem
                .clone()
                .unwrap_or_else(|| IpcError::no_workbook(Locale::En)));
        };
        let locale = wb.settings().map_or(Locale::En, |s| s.locale);
        f(wb, history).map_err(|e| IpcError::from_workbook(e, locale))
    }

    /// The summary of the open workbook.
    ///
    /// # Errors
    /// As [`AppState::with`].
    pub fn overview(&self) -> Result<Overview, IpcError> {
        let year = Utc::now().year();
        self.with(|wb| wb.overview(year))
    }

    /// Makes `wb` the open workbook (closing the previous one) and remembers it.
    pub fn switch_to(&self, wb: Workbook) {
        self.remember(wb.path());
        let mut session = lock(&self.session);
        if let Some(old) = session.workbook.take() {
            let _ = old.close();
        }
        session.workbook = Some(wb);
        session.history.clear();
        session.problem = None;
    }

    /// Replaces the open workbook's file with a backup (the current file is backed up
    /// first) and opens it again; the undo history is forgotten.
    ///
    /// # Errors
    /// A backup that is not a usable workbook (nothing changes then), file errors.
    pub fn restore(&self, backup: &Path) -> Result<(), IpcError> {
        let mut session = lock(&self.session);
        let Some(wb) = session.workbook.take() else {
            return Err(IpcError::no_workbook(Locale::En));
        };
        let locale = wb.settings().map_or(Locale::En, |s| s.locale);
        if wb.is_read_only() {
            session.workbook = Some(wb);
            return Err(IpcError::from_workbook(WorkbookError::ReadOnly, locale));
        }
        let path = wb.path().to_owned();
        let closed = wb.close();
        let restored =
            closed.and_then(|()| leadplan_workbook::backup::restore(&path, backup, Utc::now()));
        // reopen whatever is there now: the restored file, or the untouched one
        let reopened = Workbook::open(&path);
        session.history.clear();
        match reopened {
            Ok(wb) => session.workbook = Some(wb),
            Err(e) => session.problem = Some(IpcError::from_workbook(e, locale)),
        }
        restored.map_err(|e| IpcError::from_workbook(e, locale))
    }

    /// The path of the open workbook.
    pub fn current_path(&self) -> Option<PathBuf> {
        lock(&self.session)
            .workbook
            .as_ref()
            .map(|wb| wb.path().to_owned())
    }

    /// Recently used workbooks, most recent first.
    pub fn recent(&self) -> Vec<RecentWorkbook> {
        self.recent_paths()
            .into_iter()
            .map(|p| RecentWorkbook {
                file_name: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                exists: p.exists(),
                path: p.display().to_string(),
            })
            .collect()
    }

    fn recent_paths(&self) -> Vec<PathBuf> {
        fs::read_to_string(&self.recent_file)
            .ok()
            .and_then(|text| serde_json::from_str::<Vec<PathBuf>>(&text).ok())
            .unwrap_or_default()
    }

    /// Whether `path` is in the recent list: the UI may reopen those, and no other path.
    pub fn is_recent(&self, path: &Path) -> bool {
        self.recent_paths().iter().any(|p| p == path)
    }

    fn remember(&self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        let mut list = self.recent_paths();
        list.retain(|p| p != &path);
        list.insert(0, path);
        list.truncate(MAX_RECENT);
        if let Some(dir) = self.recent_file.parent() {
            let _ = fs::create_dir_all(dir);
        }
        if let Ok(json) = serde_json::to_string_pretty(&list) {
            // losing the recent list is an inconvenience, not data loss
            let _ = fs::write(&self.recent_file, json);
        }
    }
}
