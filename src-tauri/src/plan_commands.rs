//! Commands of the Plan screen: the computed plan, cell edits with undo and redo, plan
//! versions, comparison, and the plan file.

use chrono::Utc;
use leadplan_core::plan::{PlanComparison, compare, parse_plan_file};
use leadplan_core::{PlanStatus, i18n};
use leadplan_workbook::{NewPlanVersion, Overview, PlanEdit, PlanView};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::ipc::{ErrorCode, FieldProblem, IpcError};
use crate::state::AppState;

type Reply<T> = Result<T, IpcError>;

/// A plan version as the Plan screen shows it, with the state of undo and redo.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanScreen {
    pub view: PlanView,
    pub can_undo: bool,
    pub can_redo: bool,
}

/// Input naming one plan version.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct VersionInput {
    #[ts(type = "number")]
    pub version_id: i64,
}

/// Input of `edit_plan`: edits applied together (a pasted block is one edit), undone together.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct EditPlanInput {
    #[ts(type = "number")]
    pub version_id: i64,
    pub edits: Vec<PlanEdit>,
}

/// Input of `update_plan_version`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct UpdateVersionInput {
    #[ts(type = "number")]
    pub version_id: i64,
    pub name: String,
    pub notes: String,
}

/// Input of `set_plan_status`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PlanStatusInput {
    #[ts(type = "number")]
    pub version_id: i64,
    pub status: PlanStatus,
    /// Make it the year's agreed baseline.
    pub baseline: bool,
}

/// Input of `compare_plan_versions`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct CompareVersionsInput {
    #[ts(type = "number")]
    pub a: i64,
    #[ts(type = "number")]
    pub b: i64,
}

/// After a version was created or changed: the workbook's summary and the version to show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VersionChanged {
    pub overview: Overview,
    #[ts(type = "number")]
    pub version_id: i64,
}

fn screen(state: &AppState, version_id: i64) -> Reply<PlanScreen> {
    state.with_history(|wb, history| {
        Ok(PlanScreen {
            view: wb.plan_view(version_id)?,
            can_undo: history.can_undo(),
            can_redo: history.can_redo(),
        })
    })
}

fn changed(state: &AppState, version_id: i64) -> Reply<VersionChanged> {
    Ok(VersionChanged {
        overview: state.overview()?,
        version_id,
    })
}

#[tauri::command(async)]
pub fn get_plan(state: State<'_, AppState>, input: VersionInput) -> Reply<PlanScreen> {
    screen(&state, input.version_id)
}

#[tauri::command(async)]
pub fn edit_plan(state: State<'_, AppState>, input: EditPlanInput) -> Reply<PlanScreen> {
    state.with_history(|wb, history| history.edit(wb, input.version_id, input.edits))?;
    screen(&state, input.version_id)
}

#[tauri::command(async)]
pub fn undo_plan(state: State<'_, AppState>) -> Reply<Option<PlanScreen>> {
    let version = state.with_history(|wb, history| history.undo(wb))?;
    version.map(|v| screen(&state, v)).transpose()
}

#[tauri::command(async)]
pub fn redo_plan(state: State<'_, AppState>) -> Reply<Option<PlanScreen>> {
    let version = state.with_history(|wb, history| history.redo(wb))?;
    version.map(|v| screen(&state, v)).transpose()
}

#[tauri::command(async)]
pub fn create_plan_version(
    state: State<'_, AppState>,
    input: NewPlanVersion,
) -> Reply<VersionChanged> {
    let version = state.with(|wb| wb.create_plan_version(&input, Utc::now()))?;
    changed(&state, version.id)
}

#[tauri::command(async)]
pub fn update_plan_version(
    state: State<'_, AppState>,
    input: UpdateVersionInput,
) -> Reply<VersionChanged> {
    state.with(|wb| {
        let cap = wb.plan_version(input.version_id)?.annual_budget_cap;
        wb.update_plan_version(input.version_id, &input.name, &input.notes, cap)
    })?;
    changed(&state, input.version_id)
}

#[tauri::command(async)]
pub fn set_plan_status(
    state: State<'_, AppState>,
    input: PlanStatusInput,
) -> Reply<VersionChanged> {
    state.with(|wb| wb.set_plan_status(input.version_id, input.status, input.baseline))?;
    changed(&state, input.version_id)
}

#[tauri::command(async)]
pub fn compare_plan_versions(
    state: State<'_, AppState>,
    input: CompareVersionsInput,
) -> Reply<PlanComparison> {
    state.with(|wb| {
        Ok(compare(
            &wb.computed_plan(input.a)?,
            &wb.computed_plan(input.b)?,
        ))
    })
}

/// Writes a version as a plan file chosen in a save dialog; returns the path, or `None`
/// when the dialog was cancelled.
#[tauri::command(async)]
pub fn export_plan_file(
    app: AppHandle,
    state: State<'_, AppState>,
    input: VersionInput,
) -> Reply<Option<String>> {
    let locale = state.locale();
    let (file, suggested) = state.with(|wb| {
        let v = wb.plan_version(input.version_id)?;
        Ok((
            wb.export_plan(input.version_id)?,
            format!("{} {}.json", v.year, v.name),
        ))
    })?;
    let Some(path) = app
        .dialog()
        .file()
        .set_title(i18n::text(locale, "plan.export"))
        .add_filter("JSON", &["json"])
        .set_file_name(&suggested)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    let json = file
        .to_json()
        .map_err(|e| IpcError::internal(e.to_string()))?;
    std::fs::write(&path, json + "\n")
        .map_err(|e| IpcError::internal(format!("{}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Reads a plan file chosen in a dialog and adds it as a new draft. Every problem in the
/// file comes back at once, each with its JSON path; nothing is written then.
#[tauri::command(async)]
pub fn import_plan_file(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Reply<Option<VersionChanged>> {
    let locale = state.locale();
    let Some(path) = app
        .dialog()
        .file()
        .set_title(i18n::text(locale, "plan.import"))
        .add_filter("JSON", &["json"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| IpcError::internal(format!("{}: {e}", path.display())))?;
    let file = parse_plan_file(&text).map_err(|errors| IpcError {
        code: ErrorCode::Validation,
        message: i18n::text_with(
            locale,
            "plan.import_failed",
            &[
                ("file", &path.display().to_string()),
                ("count", &errors.len().to_string()),
            ],
        ),
        fields: errors
            .iter()
            .map(|e| FieldProblem {
                field: e.path.clone(),
                message: e.to_string(),
            })
            .collect(),
    })?;
    let version = state.with(|wb| wb.import_plan(&file, None, "", Utc::now()))?;
    changed(&state, version.id).map(Some)
}
