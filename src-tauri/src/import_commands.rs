//! Commands of the Actuals screen: choosing a CRM export (dialog or drag and drop), its
//! preview, the import with progress and cancel, past imports with undo, their findings as
//! CSV, monthly spend and lead counts.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use leadplan_core::{Spend, i18n};
use leadplan_import::{Flow, ImportOptions, ImportReport, Preview, Progress, preview};
use leadplan_workbook::{ImportRecord, ImportRequest, ImportSummary, LeadCount, SpendSummary};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::ipc::IpcError;
use crate::meeting_commands::export_path;
use crate::state::AppState;

type Reply<T> = Result<T, IpcError>;

/// The file chosen for import and the cancel flag of a running import.
#[derive(Default)]
pub struct ImportState {
    /// Only a file the user chose in the dialog or dropped on the window can be imported.
    pending: Mutex<Option<PathBuf>>,
    cancel: AtomicBool,
}

impl ImportState {
    fn set(&self, path: PathBuf) {
        *self
            .pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(path);
    }

    fn path(&self) -> Result<PathBuf, IpcError> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .ok_or_else(|| IpcError::internal("no file is chosen for import"))
    }
}

/// The file chosen for import.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChosenFile {
    pub file_name: String,
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
}

/// Input of `import_preview`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PreviewInput {
    pub options: ImportOptions,
    /// How many rows to show.
    pub rows: u32,
}

/// Input of `run_import`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct RunImportInput {
    pub request: ImportRequest,
}

/// Input naming an import.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ImportIdInput {
    #[ts(type = "number")]
    pub import_id: i64,
}

/// Input naming a calendar year.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ActualsYearInput {
    pub year: i32,
}

/// What the Actuals screen shows of a year.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ActualsYear {
    pub counts: Vec<LeadCount>,
    pub spend: Vec<Spend>,
    pub imports: Vec<ImportRecord>,
}

fn chosen(path: &Path) -> Reply<ChosenFile> {
    let size = std::fs::metadata(path)
        .map_err(|e| IpcError::internal(format!("{}: {e}", path.display())))?
        .len();
    Ok(ChosenFile {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.display().to_string(),
        size,
    })
}

fn read(path: &Path) -> Reply<Vec<u8>> {
    std::fs::read(path).map_err(|e| IpcError::internal(format!("{}: {e}", path.display())))
}

/// Records a file dropped on the window as the file to import and tells the UI.
pub fn dropped(app: &AppHandle, paths: &[PathBuf]) {
    let Some(path) = paths.first() else { return };
    app.state::<ImportState>().set(path.clone());
    if let Ok(file) = chosen(path) {
        let _ = app.emit("import-file-dropped", file);
    }
}

/// Opens the file dialog; in end-to-end tests (LEADPLAN_E2E_IMPORT_FILE set) takes that file.
#[tauri::command(async)]
pub fn choose_import_file(
    app: AppHandle,
    state: State<'_, AppState>,
    imports: State<'_, ImportState>,
) -> Reply<Option<ChosenFile>> {
    let picked = match std::env::var_os("LEADPLAN_E2E_IMPORT_FILE") {
        Some(path) => Some(PathBuf::from(path)),
        None => app
            .dialog()
            .file()
            .set_title(i18n::text(state.locale(), "actuals.choose_file"))
            .add_filter("CSV, Excel", &["csv", "txt", "tsv", "xlsx"])
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok()),
    };
    let Some(path) = picked else { return Ok(None) };
    let file = chosen(&path)?;
    imports.set(path);
    Ok(Some(file))
}

/// The first rows of the chosen file as they will be read, with the mapping that applies.
#[tauri::command(async)]
pub fn import_preview(
    state: State<'_, AppState>,
    imports: State<'_, ImportState>,
    input: PreviewInput,
) -> Reply<Preview> {
    let bytes = read(&imports.path()?)?;
    let options = state.with(|wb| wb.import_options(&bytes, input.options))?;
    preview(&bytes, &options, input.rows.min(200) as usize)
        .map_err(|e| IpcError::internal(e.to_string()))
}

/// Imports the chosen file, sending progress through `on_progress`; `cancel_import` stops it
/// and leaves the workbook unchanged.
#[tauri::command(async)]
pub fn run_import(
    state: State<'_, AppState>,
    imports: State<'_, ImportState>,
    input: RunImportInput,
    on_progress: Channel<Progress>,
) -> Reply<ImportSummary> {
    let bytes = read(&imports.path()?)?;
    imports.cancel.store(false, Ordering::SeqCst);
    state.with(|wb| {
        wb.import_leads(&bytes, &input.request, Utc::now(), |p| {
            let _ = on_progress.send(p);
            if imports.cancel.load(Ordering::SeqCst) {
                Flow::Stop
            } else {
                Flow::Continue
            }
        })
    })
}

#[tauri::command(async)]
pub fn cancel_import(imports: State<'_, ImportState>) {
    imports.cancel.store(true, Ordering::SeqCst);
}

/// Imports the chosen file as monthly spend per source.
#[tauri::command(async)]
pub fn import_spend_file(
    state: State<'_, AppState>,
    imports: State<'_, ImportState>,
    input: PreviewInput,
) -> Reply<SpendSummary> {
    let bytes = read(&imports.path()?)?;
    state.with(|wb| wb.import_spend(&bytes, &input.options))
}

#[tauri::command(async)]
pub fn actuals_year(state: State<'_, AppState>, input: ActualsYearInput) -> Reply<ActualsYear> {
    state.with(|wb| {
        Ok(ActualsYear {
            counts: wb.lead_counts(input.year)?,
            spend: wb.spend(input.year)?,
            imports: wb.imports()?,
        })
    })
}

/// Spend figures to record at once (one typed, a block pasted, an undo), and the year whose
/// actuals to return.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetSpendInput {
    pub year: i32,
    pub cells: Vec<Spend>,
}

#[tauri::command(async)]
pub fn set_spend(state: State<'_, AppState>, input: SetSpendInput) -> Reply<ActualsYear> {
    state.with(|wb| {
        wb.set_spends(&input.cells)?;
        Ok(ActualsYear {
            counts: wb.lead_counts(input.year)?,
            spend: wb.spend(input.year)?,
            imports: wb.imports()?,
        })
    })
}

#[tauri::command(async)]
pub fn undo_import(state: State<'_, AppState>, input: ImportIdInput) -> Reply<Vec<ImportRecord>> {
    state.with(|wb| {
        wb.undo_import(input.import_id, Utc::now())?;
        wb.imports()
    })
}

#[tauri::command(async)]
pub fn import_report(state: State<'_, AppState>, input: ImportIdInput) -> Reply<ImportReport> {
    state.with(|wb| wb.import_report(input.import_id))
}

/// Writes an import's findings (line, column, kind, message) as CSV; returns the path.
#[tauri::command(async)]
pub fn export_findings(
    app: AppHandle,
    state: State<'_, AppState>,
    input: ImportIdInput,
) -> Reply<Option<String>> {
    let report = state.with(|wb| wb.import_report(input.import_id))?;
    let Some(path) = export_path(
        &app,
        &i18n::text(state.locale(), "actuals.export_findings"),
        "findings.csv",
        "csv",
    ) else {
        return Ok(None);
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| IpcError::internal(e.to_string());
    w.write_record(["line", "column", "kind", "severity", "value", "message"])
        .map_err(fail)?;
    for f in &report.findings {
        let kind = serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let severity = format!("{:?}", f.kind.severity()).to_lowercase();
        let row = [
            f.line.to_string(),
            f.column.clone().unwrap_or_default(),
            kind,
            severity,
            f.value.clone().unwrap_or_default(),
            f.message.clone(),
        ];
        w.write_record(row.iter().map(|c| leadplan_report::neutralise(c)))
            .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| IpcError::internal(e.to_string()))?;
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend(bytes);
    std::fs::write(&path, out)
        .map_err(|e| IpcError::internal(format!("{}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}
