//! Backups in Settings: the list, "Back up now", and restoring one (or a chosen file).

use std::path::PathBuf;

use chrono::Utc;
use leadplan_core::i18n;
use leadplan_workbook::Overview;
use leadplan_workbook::backup::{BackupInfo, BackupReason};
use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::files;
use crate::ipc::IpcError;
use crate::state::AppState;

type Reply<T> = Result<T, IpcError>;

/// Input of `restore_backup`: a backup from the list.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct RestoreInput {
    pub path: String,
}

#[tauri::command(async)]
pub fn list_backups(state: State<'_, AppState>) -> Reply<Vec<BackupInfo>> {
    state.with(|wb| wb.backups())
}

#[tauri::command(async)]
pub fn backup_now(state: State<'_, AppState>) -> Reply<Vec<BackupInfo>> {
    state.with(|wb| {
        wb.back_up(BackupReason::Manual, Utc::now())?;
        wb.backups()
    })
}

fn restored(app: &AppHandle, state: &AppState, backup: &std::path::Path) -> Reply<Overview> {
    state.restore(backup)?;
    let overview = state.overview()?;
    files::refresh(app, &overview);
    Ok(overview)
}

/// Restores a backup from the workbook's list (no other path is accepted).
#[tauri::command(async)]
pub fn restore_backup(
    app: AppHandle,
    state: State<'_, AppState>,
    input: RestoreInput,
) -> Reply<Overview> {
    let known = state
        .with(|wb| wb.backups())?
        .into_iter()
        .any(|b| b.path == input.path);
    if !known {
        return Err(IpcError::internal(
            "only a backup from the list can be restored here",
        ));
    }
    restored(&app, &state, &PathBuf::from(input.path))
}

/// Restores a workbook file chosen in a dialog over the open workbook.
#[tauri::command(async)]
pub fn restore_from_file(app: AppHandle, state: State<'_, AppState>) -> Reply<Option<Overview>> {
    let picked = app
        .dialog()
        .file()
        .set_title(i18n::text(state.locale(), "backup.restore_file"))
        .add_filter("Leadplan", &[leadplan_workbook::EXTENSION])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok());
    let Some(path) = picked else { return Ok(None) };
    restored(&app, &state, &path).map(Some)
}
