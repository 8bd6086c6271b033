//! The commands the UI invokes. Each is a few lines: take one input, call one workbook use
//! case, return a typed result or an [`IpcError`].

use std::path::PathBuf;

use leadplan_core::Settings;
use leadplan_workbook::Overview;
use serde::Deserialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::files::{self, FileAction};
use crate::ipc::IpcError;
use crate::state::{AppState, RecentWorkbook};

type Reply<T> = Result<T, IpcError>;

/// Input of `new_workbook`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewWorkbookInput {
    /// Fill the new workbook with demo data.
    pub demo: bool,
}

/// Input of `open_recent`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct OpenRecentInput {
    /// A path from the recent list.
    pub path: String,
}

/// When the app started (set first thing in `run`).
pub(crate) static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The window shows its first screen with the workbook's data. With `LEADPLAN_STARTUP_BENCH`
/// set (`scripts/bench-startup`), the time since the start is printed and the app quits.
#[tauri::command]
pub fn first_screen_shown(app: AppHandle) {
    if std::env::var_os("LEADPLAN_STARTUP_BENCH").is_some() {
        let started = STARTED.get_or_init(std::time::Instant::now);
        println!(
            "first screen shown after {} ms",
            started.elapsed().as_millis()
        );
        app.exit(0);
    }
}

#[tauri::command(async)]
pub fn get_overview(state: State<'_, AppState>) -> Reply<Overview> {
    state.overview()
}

#[tauri::command(async)]
pub fn update_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    input: Settings,
) -> Reply<Overview> {
    state.with(|wb| wb.update_settings(&input))?;
    let overview = state.overview()?;
    files::refresh(&app, &overview);
    Ok(overview)
}

#[tauri::command(async)]
pub fn recent_workbooks(state: State<'_, AppState>) -> Vec<RecentWorkbook> {
    state.recent()
}

#[tauri::command(async)]
pub fn open_recent(
    app: AppHandle,
    state: State<'_, AppState>,
    input: OpenRecentInput,
) -> Reply<Option<Overview>> {
    let path = PathBuf::from(input.path);
    if !state.is_recent(&path) {
        return Err(IpcError::internal(
            "only workbooks from the recent list can be reopened",
        ));
    }
    files::run(&app, FileAction::OpenRecent(path))
}

#[tauri::command(async)]
pub fn new_workbook(app: AppHandle, input: NewWorkbookInput) -> Reply<Option<Overview>> {
    files::run(&app, FileAction::New { demo: input.demo })
}

#[tauri::command(async)]
pub fn open_workbook(app: AppHandle) -> Reply<Option<Overview>> {
    files::run(&app, FileAction::Open { read_only: false })
}

#[tauri::command(async)]
pub fn save_workbook_as(app: AppHandle) -> Reply<Option<Overview>> {
    files::run(&app, FileAction::SaveAs)
}
